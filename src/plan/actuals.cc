#include "plan/actuals.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <sstream>

#include "core/csv.h"
#include "core/date.h"
#include "core/text_normalize.h"
#include "core/wareki.h"
#include "plan/import_columns.h"
#include "plan/repository.h"

namespace civicdesk::plan {
namespace {

using storage::AsDouble;
using storage::AsInt;
using storage::AsText;
using storage::Connection;
using storage::QueryResult;

Status Audit(Connection& connection, const std::string& login, const std::string& action,
             const std::string& entity, const std::string& before, const std::string& after) {
  Result<QueryResult> inserted = connection.Query(
      "INSERT INTO plan_audit (at, user_login, action, entity, before_value, after_value) VALUES "
      "(?, ?, ?, ?, ?, ?)",
      {NowIso8601Utc(), login, action, entity, before, after});
  return inserted.ok() ? Status::Ok() : inserted.status();
}

bool IsPercent(const std::string& unit) { return unit == "%" || unit == "％"; }

std::string FormatNumber(double value) {
  char text[32];
  std::snprintf(text, sizeof(text), "%g", value);
  return text;
}

}  // namespace

namespace {
Status NoSuchKpi(const std::string& code) {
  return Status(StatusCode::kNotFound, "plan.kpi_not_found", {{"code", code}}, "code");
}
}  // namespace

Result<Kpi> FindKpi(storage::Database& database, const std::string& code) {
  int policy = 0;
  if (std::sscanf(code.c_str(), "%d-", &policy) != 1 || policy < 1) {
    return NoSuchKpi(code);
  }
  Result<PlanData> data = ReadPlan(database, policy);
  if (!data.ok()) {
    if (data.status().code() == StatusCode::kNotFound) return NoSuchKpi(code);
    return data.status();
  }
  for (const Policy& found : data->policies) {
    for (const Kpi& kpi : found.kpis)
      if (kpi.code == code) return kpi;
    for (const Measure& measure : found.measures)
      for (const Kpi& kpi : measure.kpis)
        if (kpi.code == code) return kpi;
  }
  return NoSuchKpi(code);
}

namespace {

// The checks of SetKpiActual that need no database.
Status ValidateActual(const Kpi& kpi, int fiscal_year, double value, const std::string& segment) {
  const std::vector<std::string> segments = KpiSegments(kpi);
  if (!segments.empty() && std::find(segments.begin(), segments.end(), segment) == segments.end()) {
    std::string names;
    for (const std::string& name : segments) names += (names.empty() ? "" : "、") + name;
    return Status::InvalidArgument("plan.segment_required", {{"segments", names}}, "segment");
  }
  if (segments.empty() && !segment.empty()) {
    return Status::InvalidArgument("plan.segment_unknown", {{"segment", segment}}, "segment");
  }
  int first_year = kpi.baseline_fiscal_year;
  int last_year = first_year;
  for (const KpiTarget& target : kpi.targets) last_year = std::max(last_year, target.fiscal_year);
  if (first_year == 0) first_year = last_year - 10;
  if (fiscal_year < first_year || fiscal_year > last_year) {
    return Status::InvalidArgument(
        "plan.fiscal_year_outside_plan",
        {{"from", std::to_string(first_year)}, {"to", std::to_string(last_year)}}, "fiscal_year");
  }
  if (!std::isfinite(value)) {
    return Status::InvalidArgument("plan.value_not_finite", "value");
  }
  if (IsPercent(kpi.unit) && (value < 0 || value > 100)) {
    return Status::InvalidArgument("plan.percent_out_of_range", {{"value", FormatNumber(value)}},
                                   "value");
  }
  if (!IsPercent(kpi.unit) && value < 0) {
    return Status::InvalidArgument("plan.value_negative", "value");
  }
  return Status::Ok();
}

template <typename Queryable>
Status CheckOwner(Queryable& queryable, const std::string& code, const KpiEditor& editor) {
  if (editor.department.empty() && editor.section.empty()) return Status::Ok();
  Result<QueryResult> owner =
      queryable.Query("SELECT department, section FROM plan_kpi_owner WHERE code = ?", {code});
  if (!owner.ok()) return owner.status();
  if (owner->empty() || AsText(owner->rows[0][0]) != editor.department ||
      AsText(owner->rows[0][1]) != editor.section) {
    return Status::PermissionDenied("plan.kpi_owner_only");
  }
  return Status::Ok();
}

// Writes one actual inside a transaction: the owner check, the upsert and the audit record.
Status WriteActual(Connection& connection, const std::string& code, int fiscal_year, double value,
                   const std::string& source, const KpiEditor& editor,
                   const std::string& segment = "") {
  if (Status owner = CheckOwner(connection, code, editor); !owner.ok()) return owner;
  if (!segment.empty()) {
    Result<QueryResult> before = connection.Query(
        "SELECT value FROM plan_kpi_segment_actual WHERE code = ? AND fiscal_year = ? AND "
        "segment = ?",
        {code, int64_t{fiscal_year}, segment});
    if (!before.ok()) return before.status();
    Result<QueryResult> saved = connection.Query(
        "INSERT INTO plan_kpi_segment_actual (code, fiscal_year, segment, value, source, "
        "entered_by, entered_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (code, fiscal_year, "
        "segment) DO UPDATE SET value = excluded.value, source = excluded.source, entered_by = "
        "excluded.entered_by, entered_at = excluded.entered_at",
        {code, int64_t{fiscal_year}, segment, value, source, editor.login, NowIso8601Utc()});
    if (!saved.ok()) return saved.status();
    return Audit(connection, editor.login, "set_actual",
                 code + "@" + std::to_string(fiscal_year) + "/" + segment,
                 before->empty() ? "" : FormatNumber(AsDouble(before->rows[0][0])),
                 FormatNumber(value));
  }
  Result<QueryResult> before =
      connection.Query("SELECT value FROM plan_kpi_actual WHERE code = ? AND fiscal_year = ?",
                       {code, int64_t{fiscal_year}});
  if (!before.ok()) return before.status();
  const std::string previous = before->empty() ? "" : FormatNumber(AsDouble(before->rows[0][0]));
  Result<QueryResult> saved = connection.Query(
      "INSERT INTO plan_kpi_actual (code, fiscal_year, value, source, entered_by, entered_at) "
      "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (code, fiscal_year) DO UPDATE SET value = "
      "excluded.value, source = excluded.source, entered_by = excluded.entered_by, entered_at = "
      "excluded.entered_at",
      {code, int64_t{fiscal_year}, value, source, editor.login, NowIso8601Utc()});
  if (!saved.ok()) return saved.status();
  return Audit(connection, editor.login, "set_actual", code + "@" + std::to_string(fiscal_year),
               previous, FormatNumber(value));
}

}  // namespace

Status SetKpiActual(storage::Database& database, const std::string& code, int fiscal_year,
                    double value, const std::string& source, const KpiEditor& editor,
                    const std::string& segment) {
  Result<Kpi> kpi = FindKpi(database, code);
  if (!kpi.ok()) return kpi.status();
  if (Status valid = ValidateActual(*kpi, fiscal_year, value, segment); !valid.ok()) return valid;
  return database.Transaction([&](Connection& connection) {
    return WriteActual(connection, code, fiscal_year, value, source, editor, segment);
  });
}

namespace {

// A problem with a row of an import: bad input naming `field` ("row 3, value"), in the words of
// `problem`.
Status AsRowError(const Status& problem, std::string field) {
  return Status(StatusCode::kInvalidArgument, problem.message_id(), problem.args(),
                std::move(field));
}

bool ParseDouble(const std::string& text, double& value) {
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  return !text.empty() && error == std::errc() && end == text.data() + text.size();
}

// 「2023」「2023年度」「令和5年度」「R5」 as the fiscal year 2023; 0 when it is none of these.
int ReadFiscalYear(const std::string& cell) {
  std::string text = TrimSpaces(NormalizeNfkc(cell));
  if (text.ends_with("年度")) text.resize(text.size() - std::string_view("年度").size());
  int year = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), year);
  if (!text.empty() && error == std::errc() && end == text.data() + text.size())
    return year >= 1000 && year <= 9999 ? year : 0;
  if (text.size() >= 2 && (text[0] == 'R' || text[0] == 'r')) text = "令和" + text.substr(1);
  if (text.size() >= 2 && (text[0] == 'H' || text[0] == 'h')) text = "平成" + text.substr(1);
  Result<WarekiFiscalYear> wareki = ParseWarekiFiscalYear(text + "年度");
  return wareki.ok() ? wareki->fiscal_year.year() : 0;
}

struct ActualRow {
  std::string code;
  int fiscal_year = 0;
  double value = 0;
  std::string source;
};

// One value cell of a record and the fiscal year it belongs to: its column's year (a wide
// table: 令和4年度, R5実績) or else the row's 年度.
struct YearCell {
  int fiscal_year = 0;
  std::string value;     // normalised
  std::string original;  // as the file has it
  std::string column;    // "value", or "value 令和4年度" for a column of a wide table
};

// The cells of `field` (value or target) in `record`, each with its year (0 when neither the
// column nor the row names one).
std::vector<YearCell> CellsOf(const tabular::Table& table, const tabular::Record& record,
                              std::string_view field, int row_year) {
  std::vector<YearCell> cells;
  const size_t index = table.Index(field);
  for (size_t r = 0; r < table.repeated.size(); ++r) {
    const tabular::RepeatedColumn& column = table.repeated[r];
    if (column.field != index) continue;
    YearCell cell{column.fiscal_year > 0 ? column.fiscal_year : row_year,
                  TrimSpaces(record.repeated_values[r]), record.repeated_original[r],
                  std::string(field)};
    if (column.fiscal_year > 0) cell.column += " " + column.header;
    cells.push_back(std::move(cell));
  }
  return cells;
}

// Every problem of one row, each naming the row (its record number) and the column, appended
// to the report's errors; remarks worth a look to its warnings. The actuals to write are added
// to `rows`: one for a long table's row, one per year column of a wide table's; a value left
// empty (「–」: not measured) writes nothing.
void CheckActualRow(storage::Database& database, const tabular::Table& table,
                    const tabular::Record& record, std::map<std::string, Kpi>& kpis,
                    std::map<std::pair<std::string, int>, int64_t>& seen,
                    std::vector<ActualRow>& rows, tabular::Report& report) {
  const std::string number = std::to_string(record.record);
  const std::string where = "row " + number;
  auto fail = [&](std::string message_id, const std::string& column, MessageArgs args = {}) {
    report.errors.push_back(
        Status::InvalidArgument(std::move(message_id), std::move(args), where + ", " + column));
  };
  for (std::string_view field : {"code", "source", "name", "unit"}) {
    if (!IsValidUtf8(table.Value(record, field)))
      fail("plan.import_value_not_utf8", std::string(field));
  }
  const std::string code = TrimSpaces(NormalizeNfkc(table.Value(record, "code")));
  const std::string source = TrimSpaces(table.Value(record, "source"));
  const Kpi* kpi = nullptr;
  if (code.empty()) {
    fail("plan.import_code_empty", "code");
  } else {
    auto known = kpis.find(code);
    if (known == kpis.end()) {
      Result<Kpi> found = FindKpi(database, code);
      if (!found.ok() && found.status().code() != StatusCode::kNotFound) {
        report.errors.push_back(found.status());
        return;
      }
      if (found.ok()) known = kpis.emplace(code, *found).first;
    }
    if (known == kpis.end()) {
      report.errors.push_back(AsRowError(NoSuchKpi(code), where + ", code"));
    } else {
      kpi = &known->second;
    }
  }
  int row_year = 0;
  if (table.Has("fiscal_year")) {
    row_year = ReadFiscalYear(table.Value(record, "fiscal_year"));
    if (row_year == 0) fail("plan.import_fiscal_year_invalid", "fiscal_year");
  }
  std::vector<YearCell> values = CellsOf(table, record, "value", row_year);
  bool good = kpi != nullptr;
  for (YearCell& cell : values) {
    double parsed = 0;
    if (!cell.value.empty() && !ParseDouble(cell.value, parsed)) {
      fail("plan.import_value_not_number", cell.column);
      good = false;
    }
    if (cell.fiscal_year == 0 && table.Has("fiscal_year")) good = false;
    if (cell.fiscal_year == 0 && !table.Has("fiscal_year") && !cell.value.empty()) {
      fail("plan.import_value_year_unknown", cell.column);
      good = false;
    }
  }
  if (!good) return;
  const std::string unit = TrimSpaces(table.Value(record, "unit"));
  if (!unit.empty() && IsValidUtf8(unit) &&
      tabular::HeaderKey(unit) != tabular::HeaderKey(kpi->unit))
    fail("plan.import_unit_differs", "unit", {{"unit", unit}, {"expected", kpi->unit}});
  const std::string name = TrimSpaces(table.Value(record, "name"));
  if (!name.empty() && IsValidUtf8(name) &&
      tabular::HeaderKey(name) != tabular::HeaderKey(kpi->name)) {
    report.warnings.push_back(Status(StatusCode::kOk, "plan.import_name_differs",
                                     {{"code", code}, {"name", name}, {"expected", kpi->name}},
                                     where + ", name"));
  }
  for (const YearCell& cell : CellsOf(table, record, "target", row_year)) {
    double target = 0;
    if (!ParseDouble(cell.value, target)) continue;
    for (const KpiTarget& planned : kpi->targets) {
      if (planned.fiscal_year == cell.fiscal_year && planned.value && *planned.value != target) {
        report.warnings.push_back(Status(StatusCode::kOk, "plan.import_target_differs",
                                         {{"code", code},
                                          {"target", FormatNumber(target)},
                                          {"expected", FormatNumber(*planned.value)}},
                                         where + ", " + cell.column));
      }
    }
  }
  for (const YearCell& cell : values) {
    if (cell.value.empty()) {
      // A long table's empty value, and a wide table's dash (「–」: not measured), are said; a
      // wide table's blank cell (a year not reached yet) holds nothing to say.
      if (table.Has("fiscal_year") || !TrimSpaces(cell.original).empty()) {
        report.warnings.push_back(Status(StatusCode::kOk, "plan.import_value_empty",
                                         {{"code", code}}, where + ", " + cell.column));
      }
      continue;
    }
    if (auto [it, inserted] = seen.emplace(std::pair(code, cell.fiscal_year), record.record);
        !inserted) {
      fail("plan.import_actual_twice", cell.column == "value" ? "fiscal_year" : cell.column,
           {{"code", code},
            {"fiscal_year", std::to_string(cell.fiscal_year)},
            {"row", std::to_string(it->second)}});
      continue;
    }
    ActualRow row{code, cell.fiscal_year, 0, source};
    ParseDouble(cell.value, row.value);
    // The import has no segment column: a KPI with segments is entered segment by segment.
    if (Status valid = ValidateActual(*kpi, row.fiscal_year, row.value, ""); !valid.ok()) {
      const bool wide = cell.column != "value";
      const std::string column =
          wide && (valid.field() == "fiscal_year" || valid.field() == "value") ? cell.column
                                                                               : valid.field();
      report.errors.push_back(AsRowError(valid, where + ", " + column));
      continue;
    }
    rows.push_back(std::move(row));
  }
}

}  // namespace

Result<tabular::Report> ImportKpiActuals(storage::Database& database, std::string_view bytes,
                                         const KpiEditor& editor,
                                         const tabular::ImportOptions& options,
                                         tabular::Report* refused) {
  CIVICDESK_ASSIGN_OR_RETURN(tabular::Table table,
                             tabular::ReadTable(bytes, KpiActualsColumns(), options));
  tabular::Report& report = table.report;
  std::vector<ActualRow> rows;
  std::map<std::string, Kpi> kpis;
  std::map<std::pair<std::string, int>, int64_t> seen;
  for (const tabular::Record& record : table.records) {
    if (report.format != tabular::Format::kXlsx && record.cells < table.header_cells) {
      report.errors.push_back(CheckCsvColumnCount(record.cells, table.header_cells, record.record));
      continue;
    }
    CheckActualRow(database, table, record, kpis, seen, rows, report);
  }
  if (table.records.empty() && report.errors.empty()) {
    report.errors.push_back(Status::InvalidArgument(
        "plan.actuals_no_rows", "row " + std::to_string(report.header_row + 1)));
  }
  if (!report.errors.empty()) {
    if (refused != nullptr) *refused = report;
    return tabular::FirstError(report);
  }
  if (options.dry_run) return std::move(report);
  const auto total = static_cast<int64_t>(rows.size());
  CIVICDESK_RETURN_IF_ERROR(database.Transaction([&](Connection& connection) -> Status {
    int64_t done = 0;
    for (const ActualRow& row : rows) {
      CIVICDESK_RETURN_IF_ERROR(
          WriteActual(connection, row.code, row.fiscal_year, row.value, row.source, editor));
      if (options.progress) options.progress(++done, total);
    }
    return Status::Ok();
  }));
  report.rows_written = total;
  return std::move(report);
}

Result<int> ImportKpiActualsCsv(storage::Database& database, std::istream& csv,
                                const KpiEditor& editor) {
  std::ostringstream bytes;
  bytes << csv.rdbuf();
  CIVICDESK_ASSIGN_OR_RETURN(tabular::Report report,
                             ImportKpiActuals(database, bytes.str(), editor, {}, nullptr));
  return static_cast<int>(report.rows_written);
}

Result<std::vector<KpiActual>> ListKpiActuals(storage::Database& database,
                                              const std::string& code) {
  Result<QueryResult> rows = database.Query(
      "SELECT fiscal_year, value, source FROM plan_kpi_actual WHERE code = ? ORDER BY fiscal_year",
      {code});
  if (!rows.ok()) return rows.status();
  std::vector<KpiActual> actuals;
  for (const auto& row : rows->rows)
    actuals.push_back({static_cast<int>(AsInt(row[0])), AsDouble(row[1]), AsText(row[2])});
  CIVICDESK_ASSIGN_OR_RETURN(
      QueryResult segmented,
      database.Query("SELECT fiscal_year, value, source, segment FROM plan_kpi_segment_actual "
                     "WHERE code = ? ORDER BY fiscal_year",
                     {code}));
  if (segmented.empty()) return actuals;
  CIVICDESK_ASSIGN_OR_RETURN(Kpi kpi, FindKpi(database, code));
  const std::vector<std::string> order = KpiSegments(kpi);
  auto rank = [&](const std::string& segment) {
    return std::find(order.begin(), order.end(), segment) - order.begin();
  };
  for (const auto& row : segmented.rows)
    actuals.push_back(
        {static_cast<int>(AsInt(row[0])), AsDouble(row[1]), AsText(row[2]), AsText(row[3])});
  std::stable_sort(actuals.begin(), actuals.end(), [&](const KpiActual& a, const KpiActual& b) {
    return a.fiscal_year != b.fiscal_year ? a.fiscal_year < b.fiscal_year
                                          : rank(a.segment) < rank(b.segment);
  });
  return actuals;
}

Status SetKpiOwner(storage::Database& database, const std::string& code,
                   const std::string& department, const std::string& section,
                   const std::string& login) {
  Result<Kpi> kpi = FindKpi(database, code);
  if (!kpi.ok()) return kpi.status();
  return database.Transaction([&](Connection& connection) -> Status {
    Result<QueryResult> saved = connection.Query(
        "INSERT INTO plan_kpi_owner (code, department, section) VALUES (?, ?, ?) ON CONFLICT "
        "(code) DO UPDATE SET department = excluded.department, section = excluded.section",
        {code, department, section});
    if (!saved.ok()) return saved.status();
    return Audit(connection, login, "set_owner", code, "", department + "/" + section);
  });
}

Status CheckKpiEditor(storage::Database& database, const std::string& code,
                      const KpiEditor& editor) {
  return CheckOwner(database, code, editor);
}

}  // namespace civicdesk::plan
