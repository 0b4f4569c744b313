#include "plan/repository.h"

#include <map>
#include <nlohmann/json.hpp>

namespace civicdesk::plan {
namespace {

using nlohmann::json;
using storage::AsInt;
using storage::AsOptionalDouble;
using storage::AsText;
using storage::Connection;
using storage::QueryResult;
using storage::Value;

Value Optional(const std::optional<double>& value) {
  return value ? Value(*value) : storage::Null();
}
Value Optional(const std::optional<int>& value) {
  return value ? Value(int64_t{*value}) : storage::Null();
}

std::string TextListJson(const std::vector<std::string>& texts) { return json(texts).dump(); }

std::vector<std::string> TextListFrom(const Value& value) {
  json parsed = json::parse(AsText(value, "[]"), nullptr, false);
  std::vector<std::string> texts;
  if (parsed.is_array()) {
    for (const json& item : parsed) {
      if (item.is_string()) texts.push_back(item.get<std::string>());
    }
  }
  return texts;
}

std::string SegmentsJson(const std::vector<Segment>& segments) {
  json list = json::array();
  for (const Segment& segment : segments)
    list.push_back({{"segment", segment.segment}, {"value", segment.value}});
  return list.dump();
}

std::vector<Segment> SegmentsFrom(const Value& value) {
  std::vector<Segment> segments;
  json parsed = json::parse(AsText(value, "[]"), nullptr, false);
  if (!parsed.is_array()) return segments;
  for (const json& item : parsed)
    segments.push_back({item.value("segment", ""), item.value("value", 0.0)});
  return segments;
}

TargetCondition ConditionFrom(const std::string& name) {
  for (TargetCondition condition :
       {TargetCondition::kReach, TargetCondition::kDecrease, TargetCondition::kIncrease,
        TargetCondition::kBand, TargetCondition::kAtLeast, TargetCondition::kAtMost}) {
    if (name == TargetConditionName(condition)) return condition;
  }
  return TargetCondition::kReach;
}

// Runs one statement, keeping the first failure in `status`; skipped once something failed.
class Writer {
 public:
  explicit Writer(Connection& connection) : connection_(connection) {}
  void Run(std::string_view sql, const std::vector<Value>& params) {
    if (!status_.ok()) return;
    Result<QueryResult> result = connection_.Query(sql, params);
    if (!result.ok()) status_ = result.status();
  }
  const Status& status() const { return status_; }

 private:
  Connection& connection_;
  Status status_;
};

void SaveKpi(Writer& writer, const Kpi& kpi) {
  json survey = json::array();
  for (const SurveyAnswer& answer : kpi.survey)
    survey.push_back({{"answer", answer.answer}, {"share", answer.share}});
  writer.Run(
      "INSERT INTO plan_kpi (code, policy_number, measure_number, position, name, unit, note, "
      "baseline_label,"
      " baseline_value, baseline_fiscal_year, baseline_kind, baseline_segments, survey, name_en)"
      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {kpi.code, int64_t{kpi.policy}, int64_t{kpi.measure}, int64_t{kpi.position}, kpi.name,
       kpi.unit, kpi.note, kpi.baseline_label, Optional(kpi.baseline_value),
       int64_t{kpi.baseline_fiscal_year}, kpi.baseline_kind, SegmentsJson(kpi.baseline_segments),
       survey.dump(), kpi.name_en});
  if (!kpi.measured_by.empty()) {
    writer.Run("INSERT INTO plan_kpi_feed (code, indicator) VALUES (?, ?)",
               {kpi.code, kpi.measured_by});
  }
  int position = 0;
  for (const KpiTarget& target : kpi.targets) {
    writer.Run(
        "INSERT INTO plan_kpi_target (kpi_code, position, stage, fiscal_year, end_of_year, "
        "condition, label,"
        " value, min_value, max_value, segments) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        {kpi.code, int64_t{++position}, target.stage, int64_t{target.fiscal_year},
         int64_t{target.end_of_year ? 1 : 0}, std::string(TargetConditionName(target.condition)),
         target.label, Optional(target.value), Optional(target.min_value),
         Optional(target.max_value), SegmentsJson(target.segments)});
  }
}

Kpi KpiFromRow(const std::vector<Value>& row) {
  Kpi kpi;
  kpi.code = AsText(row[0]);
  kpi.policy = static_cast<int>(AsInt(row[1]));
  kpi.measure = static_cast<int>(AsInt(row[2]));
  kpi.position = static_cast<int>(AsInt(row[3]));
  kpi.name = AsText(row[4]);
  kpi.unit = AsText(row[5]);
  kpi.note = AsText(row[6]);
  kpi.baseline_label = AsText(row[7]);
  kpi.baseline_value = AsOptionalDouble(row[8]);
  kpi.baseline_fiscal_year = static_cast<int>(AsInt(row[9]));
  kpi.baseline_kind = AsText(row[10]);
  kpi.baseline_segments = SegmentsFrom(row[11]);
  json survey = json::parse(AsText(row[12], "[]"), nullptr, false);
  if (survey.is_array()) {
    for (const json& item : survey)
      kpi.survey.push_back({item.value("answer", ""), item.value("share", 0.0)});
  }
  kpi.name_en = AsText(row[13]);
  return kpi;
}

}  // namespace

storage::ModuleMigrations PlanMigrations() {
  return {
      "plan",
      {
          {1, "plan tree, KPIs, projects and district plans",
           "CREATE TABLE plan_vision (position BIGINT PRIMARY KEY, kind TEXT NOT NULL, text TEXT "
           "NOT NULL);"
           "CREATE TABLE plan_version (code TEXT PRIMARY KEY, title TEXT NOT NULL, period_from "
           "BIGINT NOT NULL,"
           " period_to BIGINT NOT NULL, revised_in BIGINT, note TEXT NOT NULL, source TEXT NOT "
           "NULL);"
           "CREATE TABLE plan_priority_issue (plan_version TEXT NOT NULL REFERENCES plan_version "
           "(code),"
           " number BIGINT NOT NULL, title TEXT NOT NULL, summary TEXT NOT NULL, initiatives TEXT "
           "NOT NULL,"
           " PRIMARY KEY (plan_version, number));"
           "CREATE TABLE plan_area (number BIGINT PRIMARY KEY, code TEXT NOT NULL UNIQUE, name "
           "TEXT NOT NULL,"
           " theme TEXT NOT NULL, name_en TEXT NOT NULL);"
           "CREATE TABLE plan_policy (number BIGINT PRIMARY KEY, area_number BIGINT NOT NULL "
           "REFERENCES plan_area"
           " (number), title TEXT NOT NULL, direction TEXT NOT NULL, source TEXT NOT NULL);"
           "CREATE TABLE plan_measure (policy_number BIGINT NOT NULL REFERENCES plan_policy "
           "(number),"
           " number BIGINT NOT NULL, title TEXT NOT NULL, goal TEXT NOT NULL, related_plans TEXT "
           "NOT NULL,"
           " sdg_goals TEXT NOT NULL, PRIMARY KEY (policy_number, number));"
           "CREATE TABLE plan_initiative (policy_number BIGINT NOT NULL, measure_number BIGINT NOT "
           "NULL,"
           " number BIGINT NOT NULL, title TEXT NOT NULL, description TEXT NOT NULL,"
           " planned_project BIGINT NOT NULL, priority_issue_version TEXT NOT NULL, "
           "priority_issue_number BIGINT,"
           " PRIMARY KEY (policy_number, measure_number, number),"
           " FOREIGN KEY (policy_number, measure_number) REFERENCES plan_measure (policy_number, "
           "number));"
           "CREATE TABLE plan_kpi (code TEXT PRIMARY KEY, policy_number BIGINT NOT NULL REFERENCES "
           "plan_policy"
           " (number), measure_number BIGINT NOT NULL, position BIGINT NOT NULL, name TEXT NOT "
           "NULL,"
           " unit TEXT NOT NULL, note TEXT NOT NULL, baseline_label TEXT NOT NULL, baseline_value "
           "DOUBLE PRECISION,"
           " baseline_fiscal_year BIGINT NOT NULL, baseline_kind TEXT NOT NULL, baseline_segments "
           "TEXT NOT NULL,"
           " survey TEXT NOT NULL);"
           "CREATE INDEX plan_kpi_policy ON plan_kpi (policy_number, measure_number, position);"
           "CREATE TABLE plan_kpi_target (kpi_code TEXT NOT NULL REFERENCES plan_kpi (code),"
           " position BIGINT NOT NULL, stage TEXT NOT NULL, fiscal_year BIGINT NOT NULL,"
           " end_of_year BIGINT NOT NULL, condition TEXT NOT NULL, label TEXT NOT NULL,"
           " value DOUBLE PRECISION, min_value DOUBLE PRECISION, max_value DOUBLE PRECISION,"
           " segments TEXT NOT NULL, PRIMARY KEY (kpi_code, position));"
           "CREATE TABLE plan_project_total (plan_version TEXT PRIMARY KEY REFERENCES plan_version "
           "(code),"
           " project_count BIGINT NOT NULL, budget_yen BIGINT NOT NULL, budget_label TEXT NOT NULL,"
           " from_fiscal_year BIGINT NOT NULL, to_fiscal_year BIGINT NOT NULL, source TEXT NOT "
           "NULL);"
           "CREATE TABLE plan_project (id {{id}}, plan_version TEXT NOT NULL REFERENCES "
           "plan_version (code),"
           " name TEXT NOT NULL, description TEXT NOT NULL, priority_issue_number BIGINT,"
           " initiative TEXT NOT NULL, source TEXT NOT NULL);"
           "CREATE TABLE plan_district_plan (plan_version TEXT NOT NULL REFERENCES plan_version "
           "(code),"
           " district TEXT NOT NULL, position BIGINT NOT NULL, office TEXT NOT NULL, title TEXT "
           "NOT NULL,"
           " description TEXT NOT NULL, PRIMARY KEY (plan_version, district))"},
          {2, "KPI actuals per fiscal year, owners, and their audit trail",
           "CREATE TABLE plan_kpi_actual (code TEXT NOT NULL, fiscal_year BIGINT NOT NULL,"
           " value DOUBLE PRECISION NOT NULL, source TEXT NOT NULL, entered_by TEXT NOT NULL,"
           " entered_at TEXT NOT NULL, PRIMARY KEY (code, fiscal_year));"
           "CREATE TABLE plan_kpi_owner (code TEXT PRIMARY KEY, department TEXT NOT NULL,"
           " section TEXT NOT NULL);"
           "CREATE TABLE plan_audit (id {{id}}, at TEXT NOT NULL, user_login TEXT NOT NULL,"
           " action TEXT NOT NULL, entity TEXT NOT NULL, before_value TEXT NOT NULL,"
           " after_value TEXT NOT NULL)"},
          {3, "administrative evaluation (事務事業評価) per project and fiscal year",
           "CREATE TABLE plan_project_evaluation (dataset TEXT NOT NULL, policy TEXT NOT NULL,"
           " measure TEXT NOT NULL, project TEXT NOT NULL, fiscal_year BIGINT NOT NULL,"
           " costs TEXT NOT NULL, personnel DOUBLE PRECISION, hours DOUBLE PRECISION,"
           " activity_indicator TEXT NOT NULL, activity_value DOUBLE PRECISION,"
           " target_indicator TEXT NOT NULL, target_value DOUBLE PRECISION,"
           " outcome_indicator TEXT NOT NULL, outcome_value DOUBLE PRECISION,"
           " direction TEXT NOT NULL, comment TEXT NOT NULL,"
           " PRIMARY KEY (dataset, policy, measure, project, fiscal_year))"},
          {4, "what each edition says about its policies and KPIs, to compare editions",
           "CREATE TABLE plan_edition_policy (plan_version TEXT NOT NULL, number BIGINT NOT NULL,"
           " area BIGINT NOT NULL, title TEXT NOT NULL, detailed BIGINT NOT NULL,"
           " PRIMARY KEY (plan_version, number));"
           "CREATE TABLE plan_edition_kpi (plan_version TEXT NOT NULL, position BIGINT NOT NULL,"
           " code TEXT NOT NULL, policy_number BIGINT NOT NULL, name TEXT NOT NULL,"
           " unit TEXT NOT NULL, baseline TEXT NOT NULL, targets TEXT NOT NULL,"
           " PRIMARY KEY (plan_version, position))"},
          {5, "KPIs measured by another module's indicator",
           "CREATE TABLE plan_kpi_feed (code TEXT PRIMARY KEY, indicator TEXT NOT NULL)"},
          {6, "English names beside the Japanese ('' where none is written)",
           "ALTER TABLE plan_priority_issue ADD COLUMN title_en TEXT NOT NULL DEFAULT '';"
           "ALTER TABLE plan_policy ADD COLUMN title_en TEXT NOT NULL DEFAULT '';"
           "ALTER TABLE plan_measure ADD COLUMN title_en TEXT NOT NULL DEFAULT '';"
           "ALTER TABLE plan_initiative ADD COLUMN title_en TEXT NOT NULL DEFAULT '';"
           "ALTER TABLE plan_kpi ADD COLUMN name_en TEXT NOT NULL DEFAULT ''"},
          {7,
           "evaluation sheets of any city: every funding source, the city's numbers, 基本事業, "
           "directions normalised, and any number of indicators per project and year",
           "ALTER TABLE plan_project_evaluation ADD COLUMN policy_number TEXT NOT NULL DEFAULT '';"
           "ALTER TABLE plan_project_evaluation ADD COLUMN measure_number TEXT NOT NULL DEFAULT '';"
           "ALTER TABLE plan_project_evaluation ADD COLUMN basic_project TEXT NOT NULL DEFAULT '';"
           "ALTER TABLE plan_project_evaluation ADD COLUMN basic_project_number TEXT NOT NULL "
           "DEFAULT '';"
           "ALTER TABLE plan_project_evaluation ADD COLUMN project_number TEXT NOT NULL DEFAULT '';"
           "ALTER TABLE plan_project_evaluation ADD COLUMN department TEXT NOT NULL DEFAULT '';"
           "ALTER TABLE plan_project_evaluation ADD COLUMN cost_total DOUBLE PRECISION;"
           "ALTER TABLE plan_project_evaluation ADD COLUMN cost_budget DOUBLE PRECISION;"
           "ALTER TABLE plan_project_evaluation ADD COLUMN direction_normalized TEXT NOT NULL "
           "DEFAULT '';"
           "ALTER TABLE plan_project_evaluation ADD COLUMN note TEXT NOT NULL DEFAULT '';"
           "ALTER TABLE plan_project_evaluation ADD COLUMN annotations TEXT NOT NULL DEFAULT '{}';"
           "ALTER TABLE plan_project_evaluation ADD COLUMN sheet_number TEXT NOT NULL DEFAULT '';"
           "CREATE TABLE plan_evaluation_indicator (dataset TEXT NOT NULL, policy TEXT NOT NULL,"
           " measure TEXT NOT NULL, project TEXT NOT NULL, fiscal_year BIGINT NOT NULL,"
           " kind TEXT NOT NULL, position BIGINT NOT NULL, name TEXT NOT NULL, unit TEXT NOT NULL,"
           " target DOUBLE PRECISION, actual DOUBLE PRECISION, target_note TEXT NOT NULL,"
           " actual_note TEXT NOT NULL,"
           " PRIMARY KEY (dataset, policy, measure, project, fiscal_year, kind, position))"},
          {8, "KPI actuals per population segment (25-3-2: 在住, 在勤)",
           "CREATE TABLE plan_kpi_segment_actual (code TEXT NOT NULL, fiscal_year BIGINT NOT NULL,"
           " segment TEXT NOT NULL, value DOUBLE PRECISION NOT NULL, source TEXT NOT NULL,"
           " entered_by TEXT NOT NULL, entered_at TEXT NOT NULL,"
           " PRIMARY KEY (code, fiscal_year, segment))"},
      }};
}

namespace {

void SaveEditions(Writer& writer, const PlanData& data) {
  for (const Edition& edition : data.editions) {
    for (const EditionPolicy& policy : edition.policies) {
      writer.Run(
          "INSERT INTO plan_edition_policy (plan_version, number, area, title, detailed)"
          " VALUES (?, ?, ?, ?, ?)",
          {edition.plan_version, int64_t{policy.number}, int64_t{policy.area}, policy.title,
           int64_t{policy.detailed ? 1 : 0}});
    }
    int64_t position = 0;
    for (const EditionKpi& kpi : edition.kpis) {
      writer.Run(
          "INSERT INTO plan_edition_kpi (plan_version, position, code, policy_number, name, unit,"
          " baseline, targets) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
          {edition.plan_version, position++, kpi.code, int64_t{kpi.policy}, kpi.name, kpi.unit,
           kpi.baseline, kpi.targets});
    }
  }
}

// The English names of a plan loaded before they were kept (migration 6); each only where the
// row has none, so what is there is never overwritten.
void SaveEnglishNames(Writer& writer, const PlanData& data) {
  auto update = [&](std::string_view sql, const std::string& english, std::vector<Value> key) {
    if (english.empty()) return;
    key.insert(key.begin(), Value(english));
    writer.Run(sql, key);
  };
  for (const PriorityIssue& issue : data.priority_issues) {
    update(
        "UPDATE plan_priority_issue SET title_en = ? WHERE plan_version = ? AND number = ?"
        " AND title_en = ''",
        issue.title_en, {issue.plan_version, int64_t{issue.number}});
  }
  auto update_kpi = [&](const Kpi& kpi) {
    update("UPDATE plan_kpi SET name_en = ? WHERE code = ? AND name_en = ''", kpi.name_en,
           {kpi.code});
  };
  for (const Policy& policy : data.policies) {
    update("UPDATE plan_policy SET title_en = ? WHERE number = ? AND title_en = ''",
           policy.title_en, {int64_t{policy.number}});
    for (const Kpi& kpi : policy.kpis) update_kpi(kpi);
    for (const Measure& measure : policy.measures) {
      update(
          "UPDATE plan_measure SET title_en = ? WHERE policy_number = ? AND number = ?"
          " AND title_en = ''",
          measure.title_en, {int64_t{policy.number}, int64_t{measure.number}});
      for (const Initiative& initiative : measure.initiatives) {
        update(
            "UPDATE plan_initiative SET title_en = ? WHERE policy_number = ?"
            " AND measure_number = ? AND number = ? AND title_en = ''",
            initiative.title_en,
            {int64_t{policy.number}, int64_t{measure.number}, int64_t{initiative.number}});
      }
      for (const Kpi& kpi : measure.kpis) update_kpi(kpi);
    }
  }
}

}  // namespace

Status SavePlan(Connection& connection, const PlanData& data) {
  Writer writer(connection);
  SaveEditions(writer, data);
  int64_t position = 0;
  writer.Run("INSERT INTO plan_vision (position, kind, text) VALUES (?, 'title', ?)",
             {position++, data.vision.title});
  for (const std::string& statement : data.vision.statements) {
    writer.Run("INSERT INTO plan_vision (position, kind, text) VALUES (?, 'statement', ?)",
               {position++, statement});
  }
  for (const PlanVersion& version : data.versions) {
    writer.Run(
        "INSERT INTO plan_version (code, title, period_from, period_to, revised_in, note, source)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        {version.code, version.title, int64_t{version.period_from}, int64_t{version.period_to},
         Optional(version.revised_in), version.note, version.source});
  }
  for (const PriorityIssue& issue : data.priority_issues) {
    writer.Run(
        "INSERT INTO plan_priority_issue (plan_version, number, title, summary, initiatives,"
        " title_en) VALUES (?, ?, ?, ?, ?, ?)",
        {issue.plan_version, int64_t{issue.number}, issue.title, issue.summary,
         TextListJson(issue.initiatives), issue.title_en});
  }
  for (const Area& area : data.areas) {
    writer.Run("INSERT INTO plan_area (number, code, name, theme, name_en) VALUES (?, ?, ?, ?, ?)",
               {int64_t{area.number}, area.code, area.name, area.theme, area.name_en});
  }
  for (const Policy& policy : data.policies) {
    writer.Run(
        "INSERT INTO plan_policy (number, area_number, title, direction, source, title_en)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        {int64_t{policy.number}, int64_t{policy.area}, policy.title, TextListJson(policy.direction),
         policy.source, policy.title_en});
    for (const Kpi& kpi : policy.kpis) SaveKpi(writer, kpi);
    for (const Measure& measure : policy.measures) {
      writer.Run(
          "INSERT INTO plan_measure (policy_number, number, title, goal, related_plans, sdg_goals,"
          " title_en) VALUES (?, ?, ?, ?, ?, ?, ?)",
          {int64_t{policy.number}, int64_t{measure.number}, measure.title, measure.goal,
           TextListJson(measure.related_plans), json(measure.sdg_goals).dump(), measure.title_en});
      for (const Initiative& initiative : measure.initiatives) {
        writer.Run(
            "INSERT INTO plan_initiative (policy_number, measure_number, number, title, "
            "description,"
            " planned_project, priority_issue_version, priority_issue_number, title_en)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            {int64_t{policy.number}, int64_t{measure.number}, int64_t{initiative.number},
             initiative.title, TextListJson(initiative.description),
             int64_t{initiative.planned_project ? 1 : 0}, initiative.priority_issue_version,
             Optional(initiative.priority_issue), initiative.title_en});
      }
      for (const Kpi& kpi : measure.kpis) SaveKpi(writer, kpi);
    }
  }
  for (const ProjectTotal& total : data.project_totals) {
    writer.Run(
        "INSERT INTO plan_project_total (plan_version, project_count, budget_yen, budget_label, "
        "from_fiscal_year,"
        " to_fiscal_year, source) VALUES (?, ?, ?, ?, ?, ?, ?)",
        {total.plan_version, int64_t{total.count}, total.budget_yen, total.budget_label,
         int64_t{total.from_fiscal_year}, int64_t{total.to_fiscal_year}, total.source});
  }
  for (const Project& project : data.projects) {
    writer.Run(
        "INSERT INTO plan_project (plan_version, name, description, priority_issue_number, "
        "initiative, source)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        {project.plan_version, project.name, project.description, Optional(project.priority_issue),
         project.initiative, project.source});
  }
  int64_t district_position = 0;
  for (const DistrictPlan& plan : data.district_plans) {
    writer.Run(
        "INSERT INTO plan_district_plan (plan_version, district, position, office, title, "
        "description)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        {plan.plan_version, plan.district, ++district_position, plan.office, plan.title,
         plan.description});
  }
  return writer.status();
}

Result<bool> PlanIsLoaded(storage::Database& database) {
  Result<QueryResult> count = database.Query("SELECT COUNT(*) FROM plan_policy");
  if (!count.ok()) return count.status();
  return AsInt(count->rows[0][0]) > 0;
}

Status LoadPlanIfEmpty(storage::Database& database, const PlanData& data) {
  return database.Transaction([&](Connection& connection) -> Status {
    // Checked inside the write transaction, so two servers starting together load it once.
    Result<QueryResult> count = connection.Query("SELECT COUNT(*) FROM plan_policy");
    if (!count.ok()) return count.status();
    if (AsInt(count->rows[0][0]) == 0) return SavePlan(connection, data);
    // A database loaded before editions were kept (migration 4) gets them now.
    Result<QueryResult> editions = connection.Query("SELECT COUNT(*) FROM plan_edition_policy");
    if (!editions.ok()) return editions.status();
    Writer writer(connection);
    if (AsInt(editions->rows[0][0]) == 0) SaveEditions(writer, data);
    // ... and, after migration 5, which KPIs are measured by an indicator.
    Result<QueryResult> feeds = connection.Query("SELECT COUNT(*) FROM plan_kpi_feed");
    if (!feeds.ok()) return feeds.status();
    if (AsInt(feeds->rows[0][0]) == 0) {
      for (const Policy& policy : data.policies) {
        std::vector<const Kpi*> all;
        for (const Kpi& kpi : policy.kpis) all.push_back(&kpi);
        for (const Measure& measure : policy.measures)
          for (const Kpi& kpi : measure.kpis) all.push_back(&kpi);
        for (const Kpi* kpi : all) {
          if (kpi->measured_by.empty()) continue;
          writer.Run("INSERT INTO plan_kpi_feed (code, indicator) VALUES (?, ?)",
                     {kpi->code, kpi->measured_by});
        }
      }
    }
    // ... and, after migration 6, the English names.
    Result<QueryResult> english =
        connection.Query("SELECT COUNT(*) FROM plan_policy WHERE title_en <> ''");
    if (!english.ok()) return english.status();
    if (AsInt(english->rows[0][0]) == 0) SaveEnglishNames(writer, data);
    return writer.status();
  });
}

Result<PlanData> ReadPlan(storage::Database& database, std::optional<int> only_policy) {
  PlanData data;
  Status failure;
  auto query = [&](std::string_view sql,
                   const std::vector<Value>& params = {}) -> std::vector<std::vector<Value>> {
    if (!failure.ok()) return {};
    Result<QueryResult> result = database.Query(sql, params);
    if (!result.ok()) {
      failure = result.status();
      return {};
    }
    return std::move(result->rows);
  };

  for (const auto& row : query("SELECT kind, text FROM plan_vision ORDER BY position")) {
    if (AsText(row[0]) == "title") {
      data.vision.title = AsText(row[1]);
    } else {
      data.vision.statements.push_back(AsText(row[1]));
    }
  }
  for (const auto& row : query("SELECT code, title, period_from, period_to, revised_in, note, "
                               "source FROM plan_version ORDER BY code")) {
    PlanVersion version{AsText(row[0]),
                        AsText(row[1]),
                        static_cast<int>(AsInt(row[2])),
                        static_cast<int>(AsInt(row[3])),
                        std::nullopt,
                        AsText(row[5]),
                        AsText(row[6])};
    if (!storage::IsNull(row[4])) version.revised_in = static_cast<int>(AsInt(row[4]));
    data.versions.push_back(std::move(version));
  }
  for (const auto& row : query("SELECT plan_version, number, title, summary, initiatives, title_en"
                               " FROM plan_priority_issue ORDER BY plan_version, number")) {
    data.priority_issues.push_back({AsText(row[0]), static_cast<int>(AsInt(row[1])), AsText(row[2]),
                                    AsText(row[3]), TextListFrom(row[4]), AsText(row[5])});
  }
  for (const auto& row :
       query("SELECT number, code, name, theme, name_en FROM plan_area ORDER BY number")) {
    data.areas.push_back({static_cast<int>(AsInt(row[0])), AsText(row[1]), AsText(row[2]),
                          AsText(row[3]), AsText(row[4])});
  }

  std::string policy_filter = only_policy ? " WHERE policy_number = ?" : "";
  std::vector<Value> policy_params;
  if (only_policy) policy_params.push_back(int64_t{*only_policy});
  std::map<int, size_t> policy_index;
  for (const auto& row :
       query(std::string("SELECT number, area_number, title, direction, source, title_en"
                         " FROM plan_policy") +
                 (only_policy ? " WHERE number = ?" : "") + " ORDER BY number",
             policy_params)) {
    Policy policy;
    policy.number = static_cast<int>(AsInt(row[0]));
    policy.area = static_cast<int>(AsInt(row[1]));
    policy.title = AsText(row[2]);
    policy.direction = TextListFrom(row[3]);
    policy.source = AsText(row[4]);
    policy.title_en = AsText(row[5]);
    policy_index[policy.number] = data.policies.size();
    data.policies.push_back(std::move(policy));
  }
  std::map<std::pair<int, int>, Measure*> measures;
  for (const auto& row :
       query("SELECT policy_number, number, title, goal, related_plans, sdg_goals, title_en"
             " FROM plan_measure" +
                 policy_filter + " ORDER BY policy_number, number",
             policy_params)) {
    auto found = policy_index.find(static_cast<int>(AsInt(row[0])));
    if (found == policy_index.end()) continue;
    Measure measure;
    measure.policy = found->first;
    measure.number = static_cast<int>(AsInt(row[1]));
    measure.title = AsText(row[2]);
    measure.goal = AsText(row[3]);
    measure.related_plans = TextListFrom(row[4]);
    measure.title_en = AsText(row[6]);
    json goals = json::parse(AsText(row[5], "[]"), nullptr, false);
    if (goals.is_array()) {
      for (const json& goal : goals) measure.sdg_goals.push_back(goal.get<int>());
    }
    data.policies[found->second].measures.push_back(std::move(measure));
  }
  for (Policy& policy : data.policies) {
    for (Measure& measure : policy.measures) measures[{policy.number, measure.number}] = &measure;
  }
  for (const auto& row :
       query("SELECT policy_number, measure_number, number, title, description, planned_project,"
             " priority_issue_version, priority_issue_number, title_en FROM plan_initiative" +
                 policy_filter + " ORDER BY policy_number, measure_number, number",
             policy_params)) {
    auto found = measures.find({static_cast<int>(AsInt(row[0])), static_cast<int>(AsInt(row[1]))});
    if (found == measures.end()) continue;
    Initiative initiative;
    initiative.number = static_cast<int>(AsInt(row[2]));
    initiative.title = AsText(row[3]);
    initiative.description = TextListFrom(row[4]);
    initiative.planned_project = AsInt(row[5]) != 0;
    initiative.priority_issue_version = AsText(row[6]);
    if (!storage::IsNull(row[7])) initiative.priority_issue = static_cast<int>(AsInt(row[7]));
    initiative.title_en = AsText(row[8]);
    found->second->initiatives.push_back(std::move(initiative));
  }
  std::map<std::string, Kpi*> kpis;
  for (const auto& row : query(
           "SELECT code, policy_number, measure_number, position, name, unit, note, baseline_label,"
           " baseline_value, baseline_fiscal_year, baseline_kind, baseline_segments, survey, "
           "name_en"
           " FROM plan_kpi" +
               policy_filter + " ORDER BY policy_number, measure_number, position",
           policy_params)) {
    Kpi kpi = KpiFromRow(row);
    auto policy = policy_index.find(kpi.policy);
    if (policy == policy_index.end()) continue;
    if (kpi.measure == 0) {
      data.policies[policy->second].kpis.push_back(std::move(kpi));
    } else if (auto measure = measures.find({kpi.policy, kpi.measure}); measure != measures.end()) {
      measure->second->kpis.push_back(std::move(kpi));
    }
  }
  for (Policy& policy : data.policies) {
    for (Kpi& kpi : policy.kpis) kpis[kpi.code] = &kpi;
    for (Measure& measure : policy.measures) {
      for (Kpi& kpi : measure.kpis) kpis[kpi.code] = &kpi;
    }
  }
  for (const auto& row : query("SELECT code, indicator FROM plan_kpi_feed")) {
    if (auto found = kpis.find(AsText(row[0])); found != kpis.end())
      found->second->measured_by = AsText(row[1]);
  }

  std::string target_filter =
      only_policy ? " WHERE kpi_code IN (SELECT code FROM plan_kpi WHERE policy_number = ?)" : "";
  for (const auto& row :
       query("SELECT kpi_code, stage, fiscal_year, end_of_year, condition, label, value, min_value,"
             " max_value, segments FROM plan_kpi_target" +
                 target_filter + " ORDER BY kpi_code, position",
             policy_params)) {
    auto found = kpis.find(AsText(row[0]));
    if (found == kpis.end()) continue;
    KpiTarget target;
    target.stage = AsText(row[1]);
    target.fiscal_year = static_cast<int>(AsInt(row[2]));
    target.end_of_year = AsInt(row[3]) != 0;
    target.condition = ConditionFrom(AsText(row[4]));
    target.label = AsText(row[5]);
    target.value = AsOptionalDouble(row[6]);
    target.min_value = AsOptionalDouble(row[7]);
    target.max_value = AsOptionalDouble(row[8]);
    target.segments = SegmentsFrom(row[9]);
    found->second->targets.push_back(std::move(target));
  }
  for (const auto& row :
       query("SELECT plan_version, project_count, budget_yen, budget_label, from_fiscal_year,"
             " to_fiscal_year, source FROM plan_project_total ORDER BY plan_version")) {
    data.project_totals.push_back({AsText(row[0]), static_cast<int>(AsInt(row[1])), AsInt(row[2]),
                                   AsText(row[3]), static_cast<int>(AsInt(row[4])),
                                   static_cast<int>(AsInt(row[5])), AsText(row[6])});
  }
  for (const auto& row :
       query("SELECT plan_version, name, description, priority_issue_number, initiative, source"
             " FROM plan_project ORDER BY id")) {
    Project project{AsText(row[0]), AsText(row[1]), AsText(row[2]),
                    std::nullopt,   AsText(row[4]), AsText(row[5])};
    if (!storage::IsNull(row[3])) project.priority_issue = static_cast<int>(AsInt(row[3]));
    data.projects.push_back(std::move(project));
  }
  for (const auto& row :
       query("SELECT plan_version, district, office, title, description FROM plan_district_plan"
             " ORDER BY plan_version, position")) {
    data.district_plans.push_back(
        {AsText(row[0]), AsText(row[1]), AsText(row[2]), AsText(row[3]), AsText(row[4])});
  }
  for (const auto& row :
       query("SELECT plan_version, number, area, title, detailed FROM plan_edition_policy"
             " ORDER BY plan_version, number")) {
    if (data.editions.empty() || data.editions.back().plan_version != AsText(row[0]))
      data.editions.push_back({AsText(row[0]), {}, {}});
    data.editions.back().policies.push_back({static_cast<int>(AsInt(row[1])),
                                             static_cast<int>(AsInt(row[2])), AsText(row[3]),
                                             AsInt(row[4]) != 0});
  }
  for (const auto& row :
       query("SELECT plan_version, code, policy_number, name, unit, baseline, targets"
             " FROM plan_edition_kpi ORDER BY plan_version, position")) {
    for (Edition& edition : data.editions) {
      if (edition.plan_version != AsText(row[0])) continue;
      edition.kpis.push_back({AsText(row[1]), static_cast<int>(AsInt(row[2])), AsText(row[3]),
                              AsText(row[4]), AsText(row[5]), AsText(row[6])});
    }
  }
  if (!failure.ok()) return failure;
  return data;
}

Result<std::vector<http::AuditEntry>> ReadPlanAudit(storage::Database& database,
                                                    const http::AuditQuery& query) {
  const auto [sql, params] = http::AuditTrailStatement(
      "SELECT at, user_login, action, entity, before_value, after_value, id FROM plan_audit",
      query);
  CIVICDESK_ASSIGN_OR_RETURN(QueryResult rows, database.Query(sql, params));
  std::vector<http::AuditEntry> entries;
  for (const auto& row : rows.rows) {
    entries.push_back({AsText(row[0]), AsText(row[1]), "plan", AsText(row[2]), AsText(row[3]),
                       AsText(row[4]), AsText(row[5]), storage::AsInt(row[6])});
  }
  return entries;
}

}  // namespace civicdesk::plan
