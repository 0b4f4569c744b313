#include "partners/partners_import.h"

#include <algorithm>
#include <map>

#include "core/csv.h"
#include "core/date.h"
#include "core/text_normalize.h"
#include "core/wareki.h"
#include "partners/codes.h"
#include "partners/import_columns.h"
#include "partners/store.h"

namespace civicdesk::partners {
namespace {

bool Digits(std::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// The code a cell writes, as the clerk meant it: six digits as they are; five digits are the code
// without its check digit (131032 for 13103), unless a spreadsheet dropped the leading zero of a
// six-digit code (011002 saved as 11002): that reading is taken when its check digit holds and
// the row's prefecture is its prefecture and not the other's. `reason` is the change's message
// id ("" when the cell is read as it is); `other` the reading not taken when the prefecture
// does not decide between two.
struct CodeReading {
  Result<std::string> code;
  std::string reason;
  std::string other;
};

CodeReading ReadCode(const std::string& cell, const std::string& prefecture,
                     const std::string& field) {
  std::string digits;
  for (char c : NormalizeNfkc(cell)) digits += c;
  if (digits.size() != 5 || !Digits(digits)) return {ValidateLocalGovernmentCode(cell, field)};
  const std::string with_check = digits + std::to_string(LocalGovernmentCheckDigit(digits));
  const std::string zero = "0" + digits;
  const bool zero_valid = LocalGovernmentCheckDigit(zero) == zero[5] - '0';
  const int pref = PrefectureNumber(prefecture);
  const int pref_check = std::stoi(with_check.substr(0, 2));
  const int pref_zero = std::stoi(zero.substr(0, 2));
  if (zero_valid && pref != 0 && pref == pref_zero && pref != pref_check)
    return {zero, "partners.import_change_code_zero"};
  CodeReading reading{with_check, "partners.import_change_code_check_digit"};
  if (zero_valid && !(pref != 0 && pref == pref_check)) reading.other = zero;
  return reading;
}

}  // namespace

std::string ReadSignedOn(const std::string& cell) {
  std::string text = TrimSpaces(NormalizeNfkc(cell));
  std::replace(text.begin(), text.end(), '/', '-');
  if (text.size() == 4 && Digits(text)) return text;
  if (text.size() == 7 && text[4] == '-' && Digits(text.substr(0, 4)) && Digits(text.substr(5)) &&
      std::stoi(text.substr(5)) >= 1 && std::stoi(text.substr(5)) <= 12)
    return text;
  // 2014-10-31 and 2014-1-5
  if (size_t first = text.find('-'), second = text.rfind('-');
      first == 4 && second > first + 1 && second + 1 < text.size()) {
    const std::string month = text.substr(5, second - 5), day = text.substr(second + 1);
    if (Digits(text.substr(0, 4)) && Digits(month) && Digits(day) && month.size() <= 2 &&
        day.size() <= 2) {
      const std::string iso = text.substr(0, 4) + "-" + (month.size() == 1 ? "0" : "") + month +
                              "-" + (day.size() == 1 ? "0" : "") + day;
      if (ParseIsoDate(iso).ok()) return iso;
    }
  }
  if (Result<Date> wareki = ParseWarekiDate(cell); wareki.ok()) return FormatIsoDate(*wareki);
  return "";
}

Result<tabular::Report> ImportPartnersTable(storage::Database& database, std::string_view bytes,
                                            const std::string& source, const std::string& user,
                                            const tabular::ImportOptions& options,
                                            tabular::Report* refused) {
  CIVICDESK_ASSIGN_OR_RETURN(tabular::Table table,
                             tabular::ReadTable(bytes, PartnersColumns(), options));
  tabular::Report& report = table.report;
  std::vector<Partner> partners;
  std::vector<Agreement> agreements;
  std::map<std::string, int64_t> row_of_code;
  std::string signed_on_header = "signed_on";
  std::string code_header = "code";
  for (const tabular::MappedColumn& column : report.mapped) {
    if (column.field == "signed_on") signed_on_header = column.header;
    if (column.field == "code") code_header = column.header;
  }
  for (const tabular::Record& record : table.records) {
    const std::string row = std::to_string(record.record);
    const std::string where = "row " + row;
    auto fail = [&](std::string message_id, const char* column, MessageArgs args = {}) {
      report.errors.push_back(
          Status::InvalidArgument(std::move(message_id), std::move(args), where + ", " + column));
    };
    auto cell = [&](const char* field) { return TrimSpaces(table.Value(record, field)); };
    bool good = true;
    for (const char* field :
         {"code", "prefecture", "name", "agreement_type", "agreement_title", "signed_on", "note"}) {
      if (!IsValidUtf8(table.Value(record, field))) {
        fail("partners.import_value_not_utf8", field);
        good = false;
      }
    }
    if (!good) continue;
    CodeReading reading = ReadCode(cell("code"), cell("prefecture"), where + ", code");
    Result<std::string>& code = reading.code;
    if (code.ok() && !reading.reason.empty()) {
      report.changes.push_back({record.line, code_header, cell("code"), *code, reading.reason});
      if (!reading.other.empty()) {
        report.warnings.push_back(
            Status(StatusCode::kOk, "partners.import_code_ambiguous",
                   {{"value", cell("code")}, {"code", *code}, {"other", reading.other}},
                   where + ", code"));
      }
    }
    if (!code.ok()) {
      report.errors.push_back(code.status());
    } else if (auto [it, inserted] = row_of_code.emplace(*code, record.record); !inserted) {
      fail("partners.import_code_twice", "code",
           {{"code", *code}, {"row", std::to_string(it->second)}});
    }
    if (cell("name").empty()) fail("partners.import_name_empty", "name");
    if (cell("prefecture").empty()) fail("partners.import_prefecture_empty", "prefecture");
    std::string signed_on = cell("signed_on");
    if (!signed_on.empty()) {
      const std::string iso = ReadSignedOn(signed_on);
      if (iso.empty()) {
        fail("partners.import_signed_on_invalid", "signed_on", {{"value", signed_on}});
      } else if (iso != signed_on) {
        report.changes.push_back(
            {record.line, signed_on_header, signed_on, iso, "partners.import_change_date"});
        signed_on = iso;
      }
    }
    if (!code.ok()) continue;
    partners.push_back({*code, cell("prefecture"), cell("name"), cell("note")});
    if (!cell("agreement_type").empty()) {
      agreements.push_back(
          {*code, cell("agreement_type"), cell("agreement_title"), signed_on, "active", source});
    } else if (!cell("agreement_title").empty() || !signed_on.empty()) {
      fail("partners.import_agreement_type_empty", "agreement_type");
    }
  }
  if (table.records.empty() && report.errors.empty()) {
    report.errors.push_back(Status::InvalidArgument(
        "partners.import_no_rows", "row " + std::to_string(report.header_row + 1)));
  }
  if (!report.errors.empty()) {
    if (refused != nullptr) *refused = report;
    return tabular::FirstError(report);
  }
  if (options.dry_run) return std::move(report);
  const auto total = static_cast<int64_t>(partners.size());
  if (options.progress) options.progress(0, total);
  CIVICDESK_RETURN_IF_ERROR(ImportPartners(database, partners, agreements, user));
  report.rows_written = total;
  if (options.progress) options.progress(total, total);
  return std::move(report);
}

}  // namespace civicdesk::partners
