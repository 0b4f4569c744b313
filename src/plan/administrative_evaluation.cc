#include "plan/administrative_evaluation.h"

#include <algorithm>
#include <charconv>
#include <nlohmann/json.hpp>
#include <set>

#include "core/csv.h"
#include "core/date.h"
#include "core/text_normalize.h"
#include "core/wareki.h"

namespace civicdesk::plan {
namespace {

using storage::AsDouble;
using storage::AsInt;
using storage::AsOptionalDouble;
using storage::AsText;
using storage::Value;

constexpr std::array<std::string_view, 5> kDirections = {"拡充", "継続", "改善", "縮小", "廃止"};

// Header names (Japanese and English) → field key.
const std::map<std::string, std::string>& HeaderNames() {
  static const std::map<std::string, std::string> names = {
      {"政策", "policy"},
      {"policy", "policy"},
      {"施策", "measure"},
      {"measure", "measure"},
      {"事業", "project"},
      {"事業名", "project"},
      {"project", "project"},
      {"年度", "fiscal_year"},
      {"fiscal_year", "fiscal_year"},
      {"国", "cost_national"},
      {"国庫支出金", "cost_national"},
      {"cost_national", "cost_national"},
      {"都道府県", "cost_prefecture"},
      {"都支出金", "cost_prefecture"},
      {"cost_prefecture", "cost_prefecture"},
      {"一般財源", "cost_general"},
      {"cost_general", "cost_general"},
      {"その他", "cost_other"},
      {"cost_other", "cost_other"},
      {"人員", "personnel"},
      {"personnel", "personnel"},
      {"時間", "hours"},
      {"hours", "hours"},
      {"活動指標", "activity_indicator"},
      {"activity_indicator", "activity_indicator"},
      {"活動実績", "activity_value"},
      {"activity_value", "activity_value"},
      {"対象指標", "target_indicator"},
      {"target_indicator", "target_indicator"},
      {"対象実績", "target_value"},
      {"target_value", "target_value"},
      {"成果指標", "outcome_indicator"},
      {"outcome_indicator", "outcome_indicator"},
      {"成果実績", "outcome_value"},
      {"outcome_value", "outcome_value"},
      {"方向性", "direction"},
      {"direction", "direction"},
      {"コメント", "comment"},
      {"comment", "comment"},
  };
  return names;
}

// Funding sources as stored (the key in `costs`).
const std::map<std::string, std::string>& CostSources() {
  static const std::map<std::string, std::string> sources = {{"cost_national", "国"},
                                                             {"cost_prefecture", "都道府県"},
                                                             {"cost_general", "一般財源"},
                                                             {"cost_other", "その他"}};
  return sources;
}

Result<std::optional<double>> Number(const std::string& cell, const std::string& where) {
  std::string text = TrimSpaces(NormalizeNfkc(cell));
  text.erase(std::remove(text.begin(), text.end(), ','), text.end());  // 1,234
  if (text.empty() || text == "-" || text == "—") return std::optional<double>();
  double value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) {
    return Status::InvalidArgument("plan.evaluation_not_number", {{"value", cell}}, where);
  }
  return std::optional<double>(value);
}

Result<int> FiscalYearOf(const std::string& cell, const std::string& where) {
  const std::string text = TrimSpaces(NormalizeNfkc(cell));
  int year = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), year);
  if (!text.empty() && error == std::errc() && end == text.data() + text.size() && year >= 1900 &&
      year <= 2200) {
    return year;
  }
  Result<WarekiFiscalYear> wareki = ParseWarekiFiscalYear(text);
  if (wareki.ok()) return wareki->fiscal_year.year();
  return Status::InvalidArgument("plan.evaluation_fiscal_year_invalid", where);
}

}  // namespace

double ProjectEvaluation::total_cost() const {
  double total = 0;
  for (const auto& [source, value] : cost_thousand_yen) total += value;
  return total;
}

Result<int> ImportProjectEvaluations(storage::Database& database, std::istream& csv,
                                     const std::string& dataset, const std::string& login) {
  if (TrimSpaces(dataset).empty())
    return Status::InvalidArgument("plan.dataset_required", "dataset");
  std::map<std::string, size_t> column;  // field key → index
  size_t columns = 0;
  std::vector<ProjectEvaluation> rows;
  std::set<std::string> seen;
  Status read = ForEachCsvRow(csv, [&](std::vector<std::string>& cells, int64_t number) -> Status {
    const std::string where = "row " + std::to_string(number);
    if (number == 1) {
      if (!cells.empty()) StripUtf8Bom(cells[0]);
      columns = cells.size();
      for (size_t i = 0; i < cells.size(); ++i) {
        auto found = HeaderNames().find(TrimSpaces(NormalizeNfkc(cells[i])));
        if (found == HeaderNames().end()) found = HeaderNames().find(TrimSpaces(cells[i]));
        if (found != HeaderNames().end()) column.emplace(found->second, i);
      }
      for (const char* required : {"policy", "measure", "project", "fiscal_year"}) {
        if (!column.count(required)) {
          return Status::InvalidArgument("plan.evaluation_header_missing", {{"column", required}},
                                         where);
        }
      }
      return Status::Ok();
    }
    if (Status counted = CheckCsvColumnCount(cells.size(), columns, number); !counted.ok())
      return counted;
    auto cell = [&](const char* key) {
      auto found = column.find(key);
      return found == column.end() ? std::string() : TrimSpaces(cells[found->second]);
    };
    ProjectEvaluation row;
    row.dataset = TrimSpaces(dataset);
    row.policy = cell("policy");
    row.measure = cell("measure");
    row.project = cell("project");
    if (row.project.empty())
      return Status::InvalidArgument("plan.project_empty", where + ", project");
    for (const std::string* text : {&row.policy, &row.measure, &row.project}) {
      if (!IsValidUtf8(*text)) return Status::InvalidArgument("plan.not_utf8", where);
    }
    Result<int> year = FiscalYearOf(cell("fiscal_year"), where + ", fiscal_year");
    if (!year.ok()) return year.status();
    row.fiscal_year = *year;
    for (const auto& [key, source] : CostSources()) {
      Result<std::optional<double>> value = Number(cell(key.c_str()), where + ", " + key);
      if (!value.ok()) return value.status();
      if (*value) row.cost_thousand_yen[source] = **value;
    }
    struct Numeric {
      const char* key;
      std::optional<double>* slot;
    };
    for (const Numeric& numeric :
         {Numeric{"personnel", &row.personnel}, Numeric{"hours", &row.hours},
          Numeric{"activity_value", &row.activity_value},
          Numeric{"target_value", &row.target_value},
          Numeric{"outcome_value", &row.outcome_value}}) {
      Result<std::optional<double>> value = Number(cell(numeric.key), where + ", " + numeric.key);
      if (!value.ok()) return value.status();
      *numeric.slot = *value;
    }
    row.activity_indicator = cell("activity_indicator");
    row.target_indicator = cell("target_indicator");
    row.outcome_indicator = cell("outcome_indicator");
    row.direction = cell("direction");
    row.comment = cell("comment");
    if (!row.direction.empty() &&
        std::find(kDirections.begin(), kDirections.end(), row.direction) == kDirections.end()) {
      return Status::InvalidArgument("plan.direction_invalid", {{"value", row.direction}},
                                     where + ", direction");
    }
    const std::string key = row.policy + "\n" + row.measure + "\n" + row.project + "\n" +
                            std::to_string(row.fiscal_year);
    if (!seen.insert(key).second) {
      return Status::InvalidArgument("plan.evaluation_duplicate", where + ", project");
    }
    rows.push_back(std::move(row));
    return Status::Ok();
  });
  if (!read.ok()) return read;
  if (rows.empty()) return Status::InvalidArgument("plan.evaluation_no_rows", "row 2");
  Status written = database.Transaction([&](storage::Connection& connection) -> Status {
    Result<storage::QueryResult> cleared = connection.Query(
        "DELETE FROM plan_project_evaluation WHERE dataset = ?", {TrimSpaces(dataset)});
    if (!cleared.ok()) return cleared.status();
    auto optional = [](const std::optional<double>& value) {
      return value ? Value(*value) : storage::Null();
    };
    for (const ProjectEvaluation& row : rows) {
      Result<storage::QueryResult> inserted = connection.Query(
          "INSERT INTO plan_project_evaluation (dataset, policy, measure, project, fiscal_year, "
          "costs, personnel, hours, activity_indicator, activity_value, target_indicator, "
          "target_value, outcome_indicator, outcome_value, direction, comment) VALUES (?, ?, ?, "
          "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
          {row.dataset, row.policy, row.measure, row.project, int64_t{row.fiscal_year},
           nlohmann::json(row.cost_thousand_yen).dump(), optional(row.personnel),
           optional(row.hours), row.activity_indicator, optional(row.activity_value),
           row.target_indicator, optional(row.target_value), row.outcome_indicator,
           optional(row.outcome_value), row.direction, row.comment});
      if (!inserted.ok()) return inserted.status();
    }
    Result<storage::QueryResult> audited = connection.Query(
        "INSERT INTO plan_audit (at, user_login, action, entity, before_value, after_value) "
        "VALUES (?, ?, 'import_evaluation', ?, '', ?)",
        {NowIso8601Utc(), login, TrimSpaces(dataset), std::to_string(rows.size()) + " rows"});
    return audited.ok() ? Status::Ok() : audited.status();
  });
  if (!written.ok()) return written;
  return static_cast<int>(rows.size());
}

Result<std::vector<ProjectEvaluation>> ListProjectEvaluations(
    storage::Database& database, const std::optional<std::string>& dataset) {
  std::string sql =
      "SELECT dataset, policy, measure, project, fiscal_year, costs, personnel, hours, "
      "activity_indicator, activity_value, target_indicator, target_value, outcome_indicator, "
      "outcome_value, direction, comment FROM plan_project_evaluation";
  std::vector<Value> params;
  if (dataset) {
    sql += " WHERE dataset = ?";
    params.emplace_back(*dataset);
  }
  sql += " ORDER BY dataset, policy, measure, project, fiscal_year";
  Result<storage::QueryResult> rows = database.Query(sql, params);
  if (!rows.ok()) return rows.status();
  std::vector<ProjectEvaluation> evaluations;
  for (const auto& row : rows->rows) {
    ProjectEvaluation evaluation;
    evaluation.dataset = AsText(row[0]);
    evaluation.policy = AsText(row[1]);
    evaluation.measure = AsText(row[2]);
    evaluation.project = AsText(row[3]);
    evaluation.fiscal_year = static_cast<int>(AsInt(row[4]));
    nlohmann::json costs = nlohmann::json::parse(AsText(row[5]), nullptr, false);
    if (costs.is_object()) {
      for (const auto& [source, value] : costs.items())
        if (value.is_number()) evaluation.cost_thousand_yen[source] = value.get<double>();
    }
    evaluation.personnel = AsOptionalDouble(row[6]);
    evaluation.hours = AsOptionalDouble(row[7]);
    evaluation.activity_indicator = AsText(row[8]);
    evaluation.activity_value = AsOptionalDouble(row[9]);
    evaluation.target_indicator = AsText(row[10]);
    evaluation.target_value = AsOptionalDouble(row[11]);
    evaluation.outcome_indicator = AsText(row[12]);
    evaluation.outcome_value = AsOptionalDouble(row[13]);
    evaluation.direction = AsText(row[14]);
    evaluation.comment = AsText(row[15]);
    evaluations.push_back(std::move(evaluation));
  }
  return evaluations;
}

}  // namespace civicdesk::plan
