#include "plan/actuals.h"

#include <charconv>
#include <cmath>
#include <functional>
#include <map>

#include "core/csv.h"
#include "core/date.h"
#include "core/text_normalize.h"
#include "core/xlsx_reader.h"
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
Status ValidateActual(const Kpi& kpi, int fiscal_year, double value) {
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
                   const std::string& source, const KpiEditor& editor) {
  if (Status owner = CheckOwner(connection, code, editor); !owner.ok()) return owner;
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
                    double value, const std::string& source, const KpiEditor& editor) {
  Result<Kpi> kpi = FindKpi(database, code);
  if (!kpi.ok()) return kpi.status();
  if (Status valid = ValidateActual(*kpi, fiscal_year, value); !valid.ok()) return valid;
  return database.Transaction([&](Connection& connection) {
    return WriteActual(connection, code, fiscal_year, value, source, editor);
  });
}

namespace {

using RowVisitor = std::function<Status(std::vector<std::string>&, int64_t)>;

// A problem with a row of an import: bad input naming `field` ("row 3, value"), in the words of
// `problem`.
Status AsRowError(const Status& problem, std::string field) {
  return Status(StatusCode::kInvalidArgument, problem.message_id(), problem.args(),
                std::move(field));
}

// The import behind the CSV and XLSX entry points: `for_each_row` hands over the table's rows
// (1 = the header).
Result<int> ImportKpiActualRows(storage::Database& database,
                                const std::function<Status(const RowVisitor&)>& for_each_row,
                                const KpiEditor& editor) {
  struct Row {
    std::string code;
    int fiscal_year = 0;
    double value = 0;
    std::string source;
  };
  std::vector<Row> rows;
  int code_column = -1, year_column = -1, value_column = -1, source_column = -1;
  size_t columns = 0;
  std::map<std::string, Kpi> kpis;
  Status read = for_each_row([&](std::vector<std::string>& cells, int64_t number) -> Status {
    const std::string where = "row " + std::to_string(number);
    if (number == 1) {
      if (!cells.empty()) StripUtf8Bom(cells[0]);
      columns = cells.size();
      for (size_t i = 0; i < cells.size(); ++i) {
        const std::string name = TrimSpaces(cells[i]);
        if (name == "code") code_column = static_cast<int>(i);
        if (name == "fiscal_year") year_column = static_cast<int>(i);
        if (name == "value") value_column = static_cast<int>(i);
        if (name == "source") source_column = static_cast<int>(i);
      }
      if (code_column < 0 || year_column < 0 || value_column < 0) {
        return Status::InvalidArgument("plan.actuals_header_invalid", where);
      }
      return Status::Ok();
    }
    if (Status counted = CheckCsvColumnCount(cells.size(), columns, number); !counted.ok())
      return counted;
    Row row;
    row.code = TrimSpaces(cells[code_column]);
    const std::string year = TrimSpaces(NormalizeNfkc(cells[year_column]));
    const std::string value = TrimSpaces(NormalizeNfkc(cells[value_column]));
    if (source_column >= 0) row.source = TrimSpaces(cells[source_column]);
    auto [year_end, year_error] =
        std::from_chars(year.data(), year.data() + year.size(), row.fiscal_year);
    if (year.empty() || year_error != std::errc() || year_end != year.data() + year.size()) {
      return Status::InvalidArgument("plan.import_fiscal_year_invalid", where + ", fiscal_year");
    }
    auto [value_end, value_error] =
        std::from_chars(value.data(), value.data() + value.size(), row.value);
    if (value.empty() || value_error != std::errc() || value_end != value.data() + value.size()) {
      return Status::InvalidArgument("plan.import_value_not_number", where + ", value");
    }
    auto known = kpis.find(row.code);
    if (known == kpis.end()) {
      Result<Kpi> kpi = FindKpi(database, row.code);
      if (!kpi.ok()) return AsRowError(kpi.status(), where + ", code");
      known = kpis.emplace(row.code, *kpi).first;
    }
    if (Status valid = ValidateActual(known->second, row.fiscal_year, row.value); !valid.ok())
      return AsRowError(valid, where + ", " + valid.field());
    rows.push_back(std::move(row));
    return Status::Ok();
  });
  if (!read.ok()) return read;
  if (rows.empty()) return Status::InvalidArgument("plan.actuals_no_rows", "row 2");
  Status written = database.Transaction([&](Connection& connection) -> Status {
    for (const Row& row : rows) {
      if (Status s =
              WriteActual(connection, row.code, row.fiscal_year, row.value, row.source, editor);
          !s.ok())
        return s;
    }
    return Status::Ok();
  });
  if (!written.ok()) return written;
  return static_cast<int>(rows.size());
}

}  // namespace

Result<int> ImportKpiActualsCsv(storage::Database& database, std::istream& csv,
                                const KpiEditor& editor) {
  return ImportKpiActualRows(
      database, [&csv](const RowVisitor& visit) { return ForEachCsvRow(csv, visit); }, editor);
}

Result<int> ImportKpiActualsXlsx(storage::Database& database, const std::string& path,
                                 const KpiEditor& editor) {
  Result<std::vector<std::vector<std::string>>> sheet = ReadXlsxFirstSheet(path);
  if (!sheet.ok()) return sheet.status();
  return ImportKpiActualRows(
      database,
      [&sheet](const RowVisitor& visit) -> Status {
        int64_t number = 0;
        for (std::vector<std::string>& row : *sheet) {
          // Excel leaves trailing cells out; pad to the header's width.
          if (number > 0 && row.size() < sheet->front().size()) row.resize(sheet->front().size());
          if (Status visited = visit(row, ++number); !visited.ok()) return visited;
        }
        return Status::Ok();
      },
      editor);
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
