#include "plan/administrative_evaluation.h"

#include <charconv>
#include <cmath>
#include <deque>
#include <nlohmann/json.hpp>
#include <set>
#include <tuple>

#include "core/date.h"
#include "core/fiscal_year.h"
#include "core/text_normalize.h"
#include "core/wareki.h"
#include "plan/evaluation_columns.h"

namespace civicdesk::plan {
namespace {

using storage::AsInt;
using storage::AsOptionalDouble;
using storage::AsText;
using storage::Value;

// Funding fields → the source they are stored as.
const std::map<std::string, std::string>& SourceOfField() {
  static const std::map<std::string, std::string> sources = {{"cost_national", "国庫支出金"},
                                                             {"cost_prefecture", "都道府県支出金"},
                                                             {"cost_bonds", "地方債"},
                                                             {"cost_other", "その他特定財源"},
                                                             {"cost_general", "一般財源"}};
  return sources;
}

// Keys of rows stored before migration 7 (国, 都道府県, その他) read as the sources they meant.
std::string SourceName(const std::string& stored) {
  if (stored == "国") return "国庫支出金";
  if (stored == "都道府県") return "都道府県支出金";
  if (stored == "その他") return "その他特定財源";
  return stored;
}

Status Warning(std::string id, MessageArgs args, std::string field) {
  return Status(StatusCode::kOk, std::move(id), std::move(args), std::move(field));
}

std::string Shown(double value) {
  char text[64];
  std::snprintf(text, sizeof(text), "%.10g", value);
  return text;
}

// The indicator kind a header speaks of (活動, 成果, 対象), or "".
std::string KindIn(const std::string& header) {
  const std::string key = tabular::HeaderKey(header);
  if (key.find("活動") != std::string::npos) return "activity";
  if (key.find("成果") != std::string::npos) return "outcome";
  if (key.find("対象") != std::string::npos) return "target";
  return "";
}

// One indicator column group: the name column and the unit/target/actual columns with it.
struct IndicatorGroup {
  std::string kind;
  int position = 0;
  int ordinal = 0;              // from the header, 0 when none
  int name_column = -1;         // index into Table::repeated
  std::vector<size_t> members;  // indexes into Table::repeated
};

std::vector<IndicatorGroup> GroupIndicators(const tabular::Table& table) {
  const auto& fields = EvaluationColumns().fields;
  std::vector<IndicatorGroup> groups;
  std::map<std::string, std::set<int>> taken;
  auto add = [&](const std::string& kind, int ordinal) -> IndicatorGroup& {
    IndicatorGroup group;
    group.kind = kind;
    group.ordinal = ordinal;
    std::set<int>& used = taken[kind];
    group.position =
        ordinal > 0 && !used.count(ordinal) ? ordinal : (used.empty() ? 1 : *used.rbegin() + 1);
    used.insert(group.position);
    groups.push_back(group);
    return groups.back();
  };
  for (size_t r = 0; r < table.repeated.size(); ++r) {
    const tabular::RepeatedColumn& column = table.repeated[r];
    const std::string& field = fields[column.field].field;
    if (field == "activity_indicator" || field == "outcome_indicator" ||
        field == "target_indicator") {
      add(field.substr(0, field.find('_')), column.ordinal).name_column = static_cast<int>(r);
      continue;
    }
    if (field != "indicator_unit" && field != "indicator_target" && field != "indicator_actual")
      continue;
    const std::string kind = KindIn(column.header);
    IndicatorGroup* owner = nullptr;
    if (!kind.empty() && column.ordinal > 0) {  // 成果指標2目標値: its own kind and ordinal
      for (IndicatorGroup& group : groups)
        if (group.kind == kind && group.ordinal == column.ordinal) owner = &group;
    }
    if (owner == nullptr && !groups.empty() && (kind.empty() || groups.back().kind == kind))
      owner = &groups.back();
    if (owner == nullptr) owner = &add(kind.empty() ? "activity" : kind, column.ordinal);
    owner->members.push_back(r);
  }
  return groups;
}

// 千円 from a value in the unit a header names.
double InThousandYen(double value, const std::string& unit) {
  if (unit == "円") return value / 1000;
  if (unit == "万円") return value * 10;
  if (unit == "百万円") return value * 1000;
  return value;
}

bool HasAnnotation(const std::string& original) {
  return NormalizeNfkc(original).find('(') != std::string::npos;
}

// The project-year records one sheet gives, and the bookkeeping of the rows that made them.
class SheetReader {
 public:
  SheetReader(const tabular::Table& table, const std::string& dataset)
      : table_(table), dataset_(dataset), groups_(GroupIndicators(table)) {}

  void Read(const tabular::Record& record, tabular::Report& report);
  std::vector<ProjectEvaluation> TakeEvaluations() {
    return {std::make_move_iterator(evaluations_.begin()),
            std::make_move_iterator(evaluations_.end())};
  }

 private:
  std::string Text(const tabular::Record& record, std::string_view field) const {
    return table_.Has(field) ? TrimSpaces(table_.Value(record, field)) : "";
  }
  std::optional<double> Number(const std::string& value, const std::string& original,
                               const std::string& where, tabular::Report& report) const;
  std::string Canonical(const std::string& level, const std::string& number,
                        const std::string& name, int64_t line, tabular::Report& report);
  ProjectEvaluation& At(int year, const ProjectEvaluation& names, bool& fresh);

  const tabular::Table& table_;
  std::string dataset_;
  std::vector<IndicatorGroup> groups_;
  std::deque<ProjectEvaluation> evaluations_;  // references stay valid as it grows
  std::map<std::tuple<std::string, std::string, std::string, int>, size_t> index_;
  std::map<std::string, std::pair<std::string, int64_t>> first_name_;  // number key → name, row
};

std::optional<double> SheetReader::Number(const std::string& value, const std::string& original,
                                          const std::string& where, tabular::Report& report) const {
  const std::string text = TrimSpaces(value);
  if (text.empty()) return std::nullopt;
  double number = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (error != std::errc() || end != text.data() + text.size()) {
    report.errors.push_back(
        Status::InvalidArgument("plan.evaluation_not_number", {{"value", original}}, where));
    return std::nullopt;
  }
  return number;
}

// The name a level's number was first given; a later different name is the city's typo.
std::string SheetReader::Canonical(const std::string& level, const std::string& number,
                                   const std::string& name, int64_t line, tabular::Report& report) {
  if (number.empty()) return name;
  auto [first, inserted] = first_name_.emplace(level + "\n" + number, std::make_pair(name, line));
  if (inserted || first->second.first == name || name.empty()) return first->second.first;
  if (first->second.first.empty()) {
    first->second.first = name;
    return name;
  }
  report.warnings.push_back(Warning("plan.evaluation_name_merged",
                                    {{"number", number},
                                     {"name", name},
                                     {"first", first->second.first},
                                     {"first_row", std::to_string(first->second.second)}},
                                    "row " + std::to_string(line) + ", " + level));
  return first->second.first;
}

ProjectEvaluation& SheetReader::At(int year, const ProjectEvaluation& names, bool& fresh) {
  const auto key = std::make_tuple(names.policy, names.measure, names.project, year);
  auto [found, inserted] = index_.emplace(key, evaluations_.size());
  fresh = inserted;
  if (inserted) {
    evaluations_.push_back(names);
    evaluations_.back().fiscal_year = year;
  }
  return evaluations_[found->second];
}

void SheetReader::Read(const tabular::Record& record, tabular::Report& report) {
  const std::string row = "row " + std::to_string(record.line);
  const auto& fields = EvaluationColumns().fields;
  const size_t errors_before = report.errors.size();
  for (size_t f = 0; f < record.values.size(); ++f) {
    if (!IsValidUtf8(record.values[f]))
      report.errors.push_back(
          Status::InvalidArgument("plan.not_utf8", row + ", " + fields[f].field));
  }
  for (size_t r = 0; r < record.repeated_values.size(); ++r) {
    if (!IsValidUtf8(record.repeated_values[r])) {
      report.errors.push_back(Status::InvalidArgument(
          "plan.not_utf8", row + ", " + fields[table_.repeated[r].field].field));
    }
  }
  if (report.errors.size() > errors_before) return;

  ProjectEvaluation names;
  names.dataset = dataset_;
  names.policy_number = Text(record, "policy_number");
  names.measure_number = Text(record, "measure_number");
  names.basic_project_number = Text(record, "basic_project_number");
  names.project_number = Text(record, "project_number");
  const std::string chain = names.policy_number + "/" + names.measure_number;
  names.policy =
      Canonical("policy", names.policy_number, Text(record, "policy"), record.line, report);
  names.measure = Canonical("measure", names.measure_number.empty() ? "" : chain,
                            Text(record, "measure"), record.line, report);
  names.basic_project =
      Canonical("basic_project",
                names.basic_project_number.empty() ? "" : chain + "/" + names.basic_project_number,
                Text(record, "basic_project"), record.line, report);
  names.project =
      Canonical("project",
                names.project_number.empty()
                    ? ""
                    : chain + "/" + names.basic_project_number + "/" + names.project_number,
                Text(record, "project"), record.line, report);
  names.department = Text(record, "department");
  names.sheet_number = Text(record, "sheet_number");
  if (names.project.empty()) {
    report.errors.push_back(Status::InvalidArgument("plan.project_empty", row + ", project"));
    return;
  }

  // The year of the row's own values: its 年度, or the latest year its headers name.
  int row_year = 0;
  if (const std::string year = Text(record, "fiscal_year"); !year.empty()) {
    row_year = tabular::ReadFiscalYear(year);
    if (row_year == 0) {
      report.errors.push_back(Status::InvalidArgument("plan.evaluation_fiscal_year_invalid",
                                                      {{"value", year}}, row + ", fiscal_year"));
      return;
    }
  }
  // The latest year of the row's values, 予算額 aside (a sheet of 令和5年度 evaluates 令和4年度's
  // settled figures beside 令和5年度's budget).
  int latest = 0;
  int latest_budget = 0;
  for (size_t r = 0; r < table_.repeated.size(); ++r) {
    if (TrimSpaces(record.repeated_values[r]).empty()) continue;
    int& year = fields[table_.repeated[r].field].field == "cost_budget" ? latest_budget : latest;
    year = std::max(year, table_.repeated[r].fiscal_year);
  }
  if (latest == 0) latest = latest_budget;
  const int own_year = row_year > 0 ? row_year : latest;
  if (own_year == 0) {
    report.errors.push_back(
        Status::InvalidArgument("plan.evaluation_year_missing", row + ", fiscal_year"));
    return;
  }

  std::set<int> years_here;
  auto at = [&](int year) -> ProjectEvaluation& {
    bool fresh = false;
    ProjectEvaluation& evaluation = At(year, names, fresh);
    if (fresh) evaluation.source_row = record.line;
    if (!fresh && years_here.insert(year).second) {  // made by an earlier row
      report.errors.push_back(Status::InvalidArgument(
          "plan.evaluation_duplicate", {{"project", names.project}, {"year", std::to_string(year)}},
          row + ", project"));
    }
    years_here.insert(year);
    return evaluation;
  };
  ProjectEvaluation& own = at(own_year);
  own.direction = Text(record, "direction");
  own.direction_normalized = NormalizeDirection(own.direction);
  if (own.direction_normalized == kDirectionOther) {
    report.warnings.push_back(Warning("plan.evaluation_direction_unknown",
                                      {{"value", own.direction}}, row + ", direction"));
  }
  own.comment = Text(record, "comment");
  own.note = Text(record, "note");

  // Costs, staff and hours, each in the year its column names.
  for (size_t r = 0; r < table_.repeated.size(); ++r) {
    const tabular::RepeatedColumn& column = table_.repeated[r];
    const std::string& field = fields[column.field].field;
    if (field.find("indicator") != std::string::npos) continue;
    const std::string where = row + ", " + field;
    std::optional<double> value =
        Number(record.repeated_values[r], record.repeated_original[r], where, report);
    if (!value) continue;
    ProjectEvaluation& evaluation = at(column.fiscal_year > 0 ? column.fiscal_year : own_year);
    if (HasAnnotation(record.repeated_original[r]))
      evaluation.annotations[column.header] = record.repeated_original[r];
    const double amount = field.starts_with("cost_") ? InThousandYen(*value, column.unit) : *value;
    bool twice = false;
    if (auto named = SourceOfField().find(field); named != SourceOfField().end()) {
      auto [found, inserted] = evaluation.cost_thousand_yen.emplace(named->second, amount);
      twice = !inserted && found->second != amount;
    } else {
      std::optional<double>& slot = field == "cost_total"    ? evaluation.cost_total
                                    : field == "cost_budget" ? evaluation.cost_budget
                                    : field == "staff"       ? evaluation.personnel
                                                             : evaluation.hours;
      twice = slot.has_value() && *slot != amount;
      if (!slot) slot = amount;
    }
    if (twice) {
      report.errors.push_back(Status::InvalidArgument("plan.evaluation_value_twice",
                                                      {{"column", column.header}}, where));
    }
  }

  // Indicators: one per group and year it has values for.
  for (const IndicatorGroup& group : groups_) {
    const std::string name =
        group.name_column >= 0
            ? TrimSpaces(record.repeated_values[static_cast<size_t>(group.name_column)])
            : "";
    std::map<int, EvaluationIndicator> by_year;
    auto indicator = [&](int year) -> EvaluationIndicator& {
      auto [found, inserted] = by_year.emplace(year, EvaluationIndicator{});
      if (inserted) {
        found->second.kind = group.kind;
        found->second.position = group.position;
        found->second.name = name;
      }
      return found->second;
    };
    std::string unit;
    for (size_t r : group.members) {
      const tabular::RepeatedColumn& column = table_.repeated[r];
      const std::string& field = fields[column.field].field;
      const std::string& value = record.repeated_values[r];
      if (TrimSpaces(value).empty()) continue;
      if (field == "indicator_unit") {
        unit = TrimSpaces(value);
        continue;
      }
      std::optional<double> number =
          Number(value, record.repeated_original[r], row + ", " + field, report);
      if (!number) continue;
      EvaluationIndicator& entry =
          indicator(column.fiscal_year > 0 ? column.fiscal_year : own_year);
      const std::string note =
          HasAnnotation(record.repeated_original[r]) ? record.repeated_original[r] : "";
      if (field == "indicator_target") {
        entry.target = number;
        entry.target_note = note;
      } else {
        entry.actual = number;
        entry.actual_note = note;
      }
    }
    if (by_year.empty() && (!name.empty() || !unit.empty())) indicator(own_year);
    for (auto& [year, entry] : by_year) {
      entry.unit = unit;
      at(year).indicators.push_back(std::move(entry));
    }
  }
}

Status WriteEvaluations(storage::Connection& connection, const std::string& dataset,
                        const std::vector<ProjectEvaluation>& evaluations,
                        const tabular::ImportOptions& options) {
  for (const char* table : {"plan_evaluation_indicator", "plan_project_evaluation"}) {
    Result<storage::QueryResult> cleared =
        connection.Query(std::string("DELETE FROM ") + table + " WHERE dataset = ?", {dataset});
    if (!cleared.ok()) return cleared.status();
  }
  auto optional = [](const std::optional<double>& value) {
    return value ? Value(*value) : storage::Null();
  };
  int64_t done = 0;
  for (const ProjectEvaluation& row : evaluations) {
    Result<storage::QueryResult> inserted = connection.Query(
        "INSERT INTO plan_project_evaluation (dataset, policy, measure, project, fiscal_year, "
        "costs, personnel, hours, activity_indicator, target_indicator, outcome_indicator, "
        "direction, comment, policy_number, measure_number, basic_project, basic_project_number, "
        "project_number, department, cost_total, cost_budget, direction_normalized, note, "
        "annotations, sheet_number) VALUES (?, ?, ?, ?, ?, ?, ?, ?, '', '', '', ?, ?, ?, ?, ?, ?, "
        "?, ?, ?, ?, ?, ?, ?, ?)",
        {row.dataset,
         row.policy,
         row.measure,
         row.project,
         int64_t{row.fiscal_year},
         nlohmann::json(row.cost_thousand_yen).dump(),
         optional(row.personnel),
         optional(row.hours),
         row.direction,
         row.comment,
         row.policy_number,
         row.measure_number,
         row.basic_project,
         row.basic_project_number,
         row.project_number,
         row.department,
         optional(row.cost_total),
         optional(row.cost_budget),
         row.direction_normalized,
         row.note,
         nlohmann::json(row.annotations).dump(),
         row.sheet_number});
    if (!inserted.ok()) return inserted.status();
    for (const EvaluationIndicator& indicator : row.indicators) {
      Result<storage::QueryResult> added = connection.Query(
          "INSERT INTO plan_evaluation_indicator (dataset, policy, measure, project, "
          "fiscal_year, kind, position, name, unit, target, actual, target_note, actual_note) "
          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
          {row.dataset, row.policy, row.measure, row.project, int64_t{row.fiscal_year},
           indicator.kind, int64_t{indicator.position}, indicator.name, indicator.unit,
           optional(indicator.target), optional(indicator.actual), indicator.target_note,
           indicator.actual_note});
      if (!added.ok()) return added.status();
    }
    if (options.progress) options.progress(++done, static_cast<int64_t>(evaluations.size()));
  }
  return Status::Ok();
}

}  // namespace

double ProjectEvaluation::total_cost() const {
  double total = 0;
  for (const auto& [source, value] : cost_thousand_yen) total += value;
  return total;
}

Result<tabular::Report> ImportProjectEvaluations(storage::Database& database,
                                                 std::string_view bytes, const std::string& dataset,
                                                 const std::string& login,
                                                 const tabular::ImportOptions& options,
                                                 tabular::Report* refused) {
  const std::string name = TrimSpaces(dataset);
  if (name.empty()) return Status::InvalidArgument("plan.dataset_required", "dataset");
  CIVICDESK_ASSIGN_OR_RETURN(tabular::Table table,
                             tabular::ReadTable(bytes, EvaluationColumns(), options));
  tabular::Report& report = table.report;
  SheetReader reader(table, name);
  for (const tabular::Record& record : table.records) reader.Read(record, report);
  const std::vector<ProjectEvaluation> evaluations = reader.TakeEvaluations();
  if (evaluations.empty() && report.errors.empty()) {
    report.errors.push_back(Status::InvalidArgument(
        "plan.evaluation_no_rows", "row " + std::to_string(report.header_row + 1)));
  }
  for (const ProjectEvaluation& evaluation : evaluations) {
    std::optional<double> stated =
        evaluation.cost_total ? evaluation.cost_total : evaluation.cost_budget;
    if (!stated || evaluation.cost_thousand_yen.empty()) continue;
    if (std::fabs(*stated - evaluation.total_cost()) > 0.5) {
      report.warnings.push_back(
          Warning("plan.evaluation_total_differs",
                  {{"project", evaluation.project},
                   {"year", FormatWarekiFiscalYear(FiscalYear(evaluation.fiscal_year))},
                   {"fiscal_year", std::to_string(evaluation.fiscal_year)},
                   {"total", Shown(*stated)},
                   {"sum", Shown(evaluation.total_cost())}},
                  "row " + std::to_string(evaluation.source_row) + ", cost_total"));
    }
  }
  if (!report.errors.empty()) {
    if (refused != nullptr) *refused = report;
    return tabular::FirstError(report);
  }
  if (options.dry_run) return report;
  Status written = database.Transaction([&](storage::Connection& connection) -> Status {
    CIVICDESK_RETURN_IF_ERROR(WriteEvaluations(connection, name, evaluations, options));
    Result<storage::QueryResult> audited = connection.Query(
        "INSERT INTO plan_audit (at, user_login, action, entity, before_value, after_value) "
        "VALUES (?, ?, 'import_evaluation', ?, '', ?)",
        {NowIso8601Utc(), login, name, std::to_string(evaluations.size()) + " rows"});
    return audited.ok() ? Status::Ok() : audited.status();
  });
  if (!written.ok()) return written;
  report.rows_written = static_cast<int64_t>(evaluations.size());
  return report;
}

Result<std::vector<ProjectEvaluation>> ListProjectEvaluations(
    storage::Database& database, const std::optional<std::string>& dataset) {
  std::string where;
  std::vector<Value> params;
  if (dataset) {
    where = " WHERE dataset = ?";
    params.emplace_back(*dataset);
  }
  CIVICDESK_ASSIGN_OR_RETURN(
      storage::QueryResult rows,
      database.Query(
          "SELECT dataset, policy, measure, project, fiscal_year, costs, personnel, hours, "
          "activity_indicator, activity_value, target_indicator, target_value, "
          "outcome_indicator, outcome_value, direction, comment, policy_number, measure_number, "
          "basic_project, basic_project_number, project_number, department, cost_total, "
          "cost_budget, direction_normalized, note, annotations, sheet_number FROM "
          "plan_project_evaluation" +
              where + " ORDER BY dataset, policy, measure, project, fiscal_year",
          params));
  CIVICDESK_ASSIGN_OR_RETURN(
      storage::QueryResult indicators,
      database.Query("SELECT dataset, policy, measure, project, fiscal_year, kind, position, "
                     "name, unit, target, actual, target_note, actual_note FROM "
                     "plan_evaluation_indicator" +
                         where + " ORDER BY kind, position",
                     params));
  std::vector<ProjectEvaluation> evaluations;
  std::map<std::tuple<std::string, std::string, std::string, std::string, int64_t>, size_t> index;
  for (const auto& row : rows.rows) {
    ProjectEvaluation evaluation;
    evaluation.dataset = AsText(row[0]);
    evaluation.policy = AsText(row[1]);
    evaluation.measure = AsText(row[2]);
    evaluation.project = AsText(row[3]);
    evaluation.fiscal_year = static_cast<int>(AsInt(row[4]));
    nlohmann::json costs = nlohmann::json::parse(AsText(row[5]), nullptr, false);
    if (costs.is_object()) {
      for (const auto& [source, value] : costs.items())
        if (value.is_number())
          evaluation.cost_thousand_yen[SourceName(source)] = value.get<double>();
    }
    evaluation.personnel = AsOptionalDouble(row[6]);
    evaluation.hours = AsOptionalDouble(row[7]);
    // Rows stored before migration 7 kept one indicator of each kind in their own columns.
    const std::pair<const char*, int> legacy[] = {{"activity", 8}, {"target", 10}, {"outcome", 12}};
    for (const auto& [kind, at] : legacy) {
      if (AsText(row[static_cast<size_t>(at)]).empty()) continue;
      EvaluationIndicator indicator;
      indicator.kind = kind;
      indicator.position = 1;
      indicator.name = AsText(row[static_cast<size_t>(at)]);
      indicator.actual = AsOptionalDouble(row[static_cast<size_t>(at + 1)]);
      evaluation.indicators.push_back(std::move(indicator));
    }
    evaluation.direction = AsText(row[14]);
    evaluation.comment = AsText(row[15]);
    evaluation.policy_number = AsText(row[16]);
    evaluation.measure_number = AsText(row[17]);
    evaluation.basic_project = AsText(row[18]);
    evaluation.basic_project_number = AsText(row[19]);
    evaluation.project_number = AsText(row[20]);
    evaluation.department = AsText(row[21]);
    evaluation.cost_total = AsOptionalDouble(row[22]);
    evaluation.cost_budget = AsOptionalDouble(row[23]);
    evaluation.direction_normalized = AsText(row[24]);
    if (evaluation.direction_normalized.empty())
      evaluation.direction_normalized = NormalizeDirection(evaluation.direction);
    evaluation.note = AsText(row[25]);
    nlohmann::json annotations = nlohmann::json::parse(AsText(row[26]), nullptr, false);
    if (annotations.is_object()) {
      for (const auto& [header, cell] : annotations.items())
        if (cell.is_string()) evaluation.annotations[header] = cell.get<std::string>();
    }
    evaluation.sheet_number = AsText(row[27]);
    index[{evaluation.dataset, evaluation.policy, evaluation.measure, evaluation.project,
           evaluation.fiscal_year}] = evaluations.size();
    evaluations.push_back(std::move(evaluation));
  }
  for (const auto& row : indicators.rows) {
    auto found =
        index.find({AsText(row[0]), AsText(row[1]), AsText(row[2]), AsText(row[3]), AsInt(row[4])});
    if (found == index.end()) continue;
    EvaluationIndicator indicator;
    indicator.kind = AsText(row[5]);
    indicator.position = static_cast<int>(AsInt(row[6]));
    indicator.name = AsText(row[7]);
    indicator.unit = AsText(row[8]);
    indicator.target = AsOptionalDouble(row[9]);
    indicator.actual = AsOptionalDouble(row[10]);
    indicator.target_note = AsText(row[11]);
    indicator.actual_note = AsText(row[12]);
    evaluations[found->second].indicators.push_back(std::move(indicator));
  }
  return evaluations;
}

}  // namespace civicdesk::plan
