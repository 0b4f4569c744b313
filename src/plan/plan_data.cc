#include "plan/plan_data.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "core/wareki.h"
#include "embedded/minato_files.h"

namespace civicdesk::plan {
namespace {

using nlohmann::json;

// Reads fields of one JSON object, remembering the first problem with its path; later reads
// after a problem return defaults, and the caller checks `error` once at the end.
class Fields {
 public:
  Fields(const json& node, std::string path, Status& error)
      : node_(node), path_(std::move(path)), error_(error) {
    if (!node_.is_object()) Fail("", "plan.json_object_expected");
  }

  const std::string& path() const { return path_; }

  std::string Text(std::string_view key, bool required = true) {
    const json* value = Find(key, required);
    if (value == nullptr) return {};
    if (!value->is_string()) {
      Fail(key, "plan.json_string_expected");
      return {};
    }
    std::string text = value->get<std::string>();
    if (required && text.empty()) Fail(key, "plan.json_empty");
    return text;
  }

  int Int(std::string_view key) {
    const json* value = Find(key, true);
    if (value == nullptr) return 0;
    if (!value->is_number_integer()) {
      Fail(key, "plan.json_integer_expected");
      return 0;
    }
    return value->get<int>();
  }

  std::optional<int> OptionalInt(std::string_view key) {
    const json* value = Find(key, false);
    if (value == nullptr || value->is_null()) return std::nullopt;
    if (!value->is_number_integer()) {
      Fail(key, "plan.json_integer_expected");
      return std::nullopt;
    }
    return value->get<int>();
  }

  std::optional<double> OptionalNumber(std::string_view key) {
    const json* value = Find(key, false);
    if (value == nullptr || value->is_null()) return std::nullopt;
    if (!value->is_number()) {
      Fail(key, "plan.json_number_expected");
      return std::nullopt;
    }
    return value->get<double>();
  }

  bool Bool(std::string_view key) {
    const json* value = Find(key, false);
    if (value == nullptr) return false;
    if (!value->is_boolean()) {
      Fail(key, "plan.json_bool_expected");
      return false;
    }
    return value->get<bool>();
  }

  // A 年度 written in 和暦: "令和5(2023)年度" or "令和8(2026)年度末".
  int FiscalYear(std::string_view key, bool* end_of_year = nullptr) {
    std::string text = Text(key);
    if (text.empty()) return 0;
    Result<WarekiFiscalYear> parsed = ParseWarekiFiscalYear(text);
    if (!parsed.ok()) {
      Fail(key, parsed.status());
      return 0;
    }
    if (end_of_year != nullptr) *end_of_year = parsed->end_of_year;
    return parsed->fiscal_year.year();
  }

  std::vector<std::string> TextList(std::string_view key, bool required = true) {
    std::vector<std::string> texts;
    const json* value = Find(key, required);
    if (value == nullptr) return texts;
    if (!value->is_array()) {
      Fail(key, "plan.json_array_expected");
      return texts;
    }
    for (const json& item : *value) {
      if (!item.is_string()) {
        Fail(key, "plan.json_string_array_expected");
        return {};
      }
      texts.push_back(item.get<std::string>());
    }
    return texts;
  }

  std::vector<Fields> Objects(std::string_view key, bool required = true) {
    std::vector<Fields> objects;
    const json* value = Find(key, required);
    if (value == nullptr) return objects;
    if (!value->is_array()) {
      Fail(key, "plan.json_array_expected");
      return objects;
    }
    for (size_t i = 0; i < value->size(); ++i) {
      objects.emplace_back((*value)[i], path_ + Join(key) + "[" + std::to_string(i) + "]", error_);
    }
    return objects;
  }

  // A nested object; a missing one is reported and read as empty.
  Fields Object(std::string_view key) {
    static const json kEmptyObject = json::object();
    const json* value = Find(key, true);
    return Fields(value == nullptr ? kEmptyObject : *value, path_ + Join(key), error_);
  }

  // Keeps the first problem: message `id` about `key`, located by its path ("policies/24.json:
  // measures[0].title") as its field.
  void Fail(std::string_view key, std::string id, MessageArgs args = {}) {
    if (!error_.ok()) return;
    std::string where = path_ + Join(key);
    error_ = Status::InvalidArgument(std::move(id), std::move(args), where);
  }

  // The same with a problem found by another reader (a 和暦 year).
  void Fail(std::string_view key, const Status& problem) {
    if (!error_.ok()) return;
    std::string where = path_ + Join(key);
    error_ = Status(StatusCode::kInvalidArgument, problem.message_id(), problem.args(), where);
  }

 private:
  std::string Join(std::string_view key) const {
    if (key.empty()) return "";
    return (path_.empty() || path_.back() == ':' ? " " : ".") + std::string(key);
  }

  const json* Find(std::string_view key, bool required) {
    if (!node_.is_object()) return nullptr;
    auto found = node_.find(key);
    if (found == node_.end()) {
      if (required) Fail(key, "plan.json_field_missing");
      return nullptr;
    }
    return &*found;
  }

  const json& node_;
  std::string path_;
  Status& error_;
};

TargetCondition ParseCondition(Fields& fields) {
  std::string name = fields.Text("condition", false);
  if (name.empty() || name == "reach") return TargetCondition::kReach;
  if (name == "decrease") return TargetCondition::kDecrease;
  if (name == "increase") return TargetCondition::kIncrease;
  if (name == "band") return TargetCondition::kBand;
  if (name == "at_least") return TargetCondition::kAtLeast;
  if (name == "at_most") return TargetCondition::kAtMost;
  fields.Fail("condition", "plan.condition_unknown", {{"name", name}});
  return TargetCondition::kReach;
}

std::vector<Segment> ReadSegments(Fields& fields) {
  std::vector<Segment> segments;
  for (Fields& item : fields.Objects("segments", false)) {
    segments.push_back({item.Text("segment"), item.OptionalNumber("value").value_or(0)});
  }
  return segments;
}

Kpi ReadKpi(Fields& fields, int policy, int measure, int position, std::set<std::string>& codes) {
  Kpi kpi;
  kpi.policy = policy;
  kpi.measure = measure;
  kpi.position = position;
  kpi.code = fields.Text("code");
  std::string expected =
      std::to_string(policy) + "-" + std::to_string(measure) + "-" + std::to_string(position);
  if (kpi.code != expected) {
    fields.Fail("code", "plan.kpi_code_unexpected", {{"expected", expected}, {"found", kpi.code}});
  }
  if (!codes.insert(kpi.code).second)
    fields.Fail("code", "plan.kpi_code_duplicate", {{"code", kpi.code}});
  kpi.name = fields.Text("name");
  kpi.name_en = fields.Text("name_en", false);
  kpi.unit = fields.Text("unit", false);
  kpi.note = fields.Text("note", false);
  kpi.measured_by = fields.Text("measured_by", false);

  Fields baseline = fields.Object("baseline");
  kpi.baseline_label = baseline.Text("label");
  kpi.baseline_value = baseline.OptionalNumber("value");
  kpi.baseline_fiscal_year = baseline.FiscalYear("fiscal_year");
  kpi.baseline_kind = baseline.Text("kind");
  kpi.baseline_segments = ReadSegments(baseline);

  for (Fields& answer : fields.Objects("survey", false)) {
    kpi.survey.push_back({answer.Text("answer"), answer.OptionalNumber("share").value_or(0)});
  }
  for (Fields& item : fields.Objects("targets")) {
    KpiTarget target;
    target.stage = item.Text("stage");
    if (target.stage != "mid_term" && target.stage != "final") {
      item.Fail("stage", "plan.target_stage_invalid");
    }
    target.fiscal_year = item.FiscalYear("fiscal_year", &target.end_of_year);
    target.condition = ParseCondition(item);
    target.label = item.Text("label");
    target.value = item.OptionalNumber("value");
    target.min_value = item.OptionalNumber("min");
    target.max_value = item.OptionalNumber("max");
    target.segments = ReadSegments(item);
    bool needs_value = target.condition == TargetCondition::kAtLeast ||
                       target.condition == TargetCondition::kAtMost;
    if (needs_value && !target.value) item.Fail("value", "plan.target_value_required");
    if (target.condition == TargetCondition::kBand && (!target.min_value || !target.max_value)) {
      item.Fail("min", "plan.band_needs_min_max");
    }
    kpi.targets.push_back(std::move(target));
  }
  if (kpi.targets.empty()) fields.Fail("targets", "plan.targets_required");
  return kpi;
}

Policy ReadPolicyDetail(const std::string& prefix, const std::string& file, const std::string& text,
                        const std::set<int>& known_policies, std::set<std::string>& codes,
                        Status& error) {
  Policy policy;
  json document = json::parse(text, nullptr, false);
  if (document.is_discarded()) {
    error = Status::InvalidArgument("plan.json_invalid", file);
    return policy;
  }
  Fields fields(document, file + ":", error);
  policy.number = fields.Int("number");
  if (known_policies.count(policy.number) == 0) {
    fields.Fail("number", "plan.policy_not_listed",
                {{"number", std::to_string(policy.number)}, {"plan_json", prefix + "plan.json"}});
  } else if (file != prefix + "policies/" + std::to_string(policy.number) + ".json") {
    fields.Fail("number", "plan.policy_file_mismatch");
  }
  policy.direction = fields.TextList("direction");
  policy.source = fields.Text("source", false);
  int position = 0;
  for (Fields& kpi : fields.Objects("kpis", false)) {
    policy.kpis.push_back(ReadKpi(kpi, policy.number, 0, ++position, codes));
  }
  int measure_number = 0;
  for (Fields& item : fields.Objects("measures")) {
    Measure measure;
    measure.policy = policy.number;
    measure.number = item.Int("number");
    if (measure.number != ++measure_number) {
      item.Fail("number", "plan.measures_out_of_order");
    }
    measure.title = item.Text("title");
    measure.title_en = item.Text("title_en", false);
    measure.goal = item.Text("goal", false);
    measure.related_plans = item.TextList("related_plans", false);
    int kpi_position = 0;
    for (Fields& kpi : item.Objects("kpis", false)) {
      measure.kpis.push_back(ReadKpi(kpi, policy.number, measure.number, ++kpi_position, codes));
    }
    int initiative_number = 0;
    for (Fields& entry : item.Objects("initiatives")) {
      Initiative initiative;
      initiative.number = entry.Int("number");
      if (initiative.number != ++initiative_number) {
        entry.Fail("number", "plan.initiatives_out_of_order");
      }
      initiative.title = entry.Text("title");
      initiative.title_en = entry.Text("title_en", false);
      initiative.description = entry.TextList("description", false);
      initiative.planned_project = entry.Bool("planned_project");
      if (initiative.planned_project) {
        Fields issue = entry.Object("priority_issue");
        initiative.priority_issue_version = issue.Text("plan_version");
        initiative.priority_issue = issue.Int("number");
      }
      measure.initiatives.push_back(std::move(initiative));
    }
    policy.measures.push_back(std::move(measure));
  }
  return policy;
}

// The policies listed under "policies": number, area and title.
std::vector<Policy> ReadPolicyList(Fields& root, const std::set<int>& area_numbers, Status& error) {
  std::vector<Policy> policies;
  std::set<int> policy_numbers;
  for (Fields& item : root.Objects("policies")) {
    Policy policy;
    policy.number = item.Int("number");
    policy.area = item.Int("area");
    policy.title = item.Text("title");
    policy.title_en = item.Text("title_en", false);
    if (error.ok() && area_numbers.count(policy.area) == 0) {
      item.Fail("area", "plan.area_unknown", {{"area", std::to_string(policy.area)}});
    }
    if (!policy_numbers.insert(policy.number).second) item.Fail("number", "plan.policy_duplicate");
    policies.push_back(std::move(policy));
  }
  return policies;
}

// Fills `policies` from the files "<prefix>policies/<n>.json".
Status ReadPolicyDetails(const PlanFiles& files, const std::string& prefix,
                         std::vector<Policy>& policies) {
  std::set<int> policy_numbers;
  for (const Policy& policy : policies) policy_numbers.insert(policy.number);
  std::set<std::string> kpi_codes;
  Status error;
  const std::string directory = prefix + "policies/";
  for (const auto& [path, text] : files) {
    if (path.rfind(directory, 0) != 0) continue;
    Policy detail = ReadPolicyDetail(prefix, path, text, policy_numbers, kpi_codes, error);
    if (!error.ok()) return error;
    auto target = std::find_if(policies.begin(), policies.end(), [&](const Policy& policy) {
      return policy.number == detail.number;
    });
    target->direction = std::move(detail.direction);
    target->source = std::move(detail.source);
    target->kpis = std::move(detail.kpis);
    target->measures = std::move(detail.measures);
  }
  return Status::Ok();
}

// "75%(令和5(2023)年度)、100%(令和8(2026)年度末)": a KPI's targets as one comparable text.
std::string TargetsText(const Kpi& kpi) {
  std::string text;
  for (const KpiTarget& target : kpi.targets) {
    if (!text.empty()) text += "、";
    text += target.label + "(" +
            FormatWarekiFiscalYear(FiscalYear(target.fiscal_year), target.end_of_year) + ")";
  }
  return text;
}

Edition EditionOf(const std::string& version, const std::vector<Policy>& policies) {
  Edition edition;
  edition.plan_version = version;
  for (const Policy& policy : policies) {
    const bool detailed = !policy.kpis.empty() || !policy.measures.empty();
    edition.policies.push_back({policy.number, policy.area, policy.title, detailed});
    auto add = [&](const Kpi& kpi) {
      edition.kpis.push_back(
          {kpi.code, policy.number, kpi.name, kpi.unit, kpi.baseline_label, TargetsText(kpi)});
    };
    for (const Kpi& kpi : policy.kpis) add(kpi);
    for (const Measure& measure : policy.measures)
      for (const Kpi& kpi : measure.kpis) add(kpi);
  }
  return edition;
}

}  // namespace

Result<PlanData> ParsePlanFiles(const PlanFiles& files) {
  auto overview = files.find("plan.json");
  if (overview == files.end())
    return Status::InvalidArgument("plan.plan_json_missing", "plan.json");
  json document = json::parse(overview->second, nullptr, false);
  if (document.is_discarded()) {
    return Status::InvalidArgument("plan.json_invalid", "plan.json");
  }
  Status error;
  PlanData data;
  Fields root(document, "plan.json:", error);

  Fields vision = root.Object("vision");
  data.vision.title = vision.Text("title");
  data.vision.statements = vision.TextList("statements");

  std::set<std::string> version_codes;
  for (Fields& item : root.Objects("versions")) {
    PlanVersion version;
    version.code = item.Text("code");
    version.title = item.Text("title");
    version.period_from = item.FiscalYear("period_from");
    version.period_to = item.FiscalYear("period_to");
    if (!item.Text("revised_in", false).empty()) version.revised_in = item.FiscalYear("revised_in");
    version.note = item.Text("note", false);
    version.source = item.Text("source", false);
    if (!version_codes.insert(version.code).second) item.Fail("code", "plan.version_duplicate");
    data.versions.push_back(std::move(version));
  }

  for (Fields& item : root.Objects("priority_issues")) {
    PriorityIssue issue;
    issue.plan_version = item.Text("plan_version");
    if (error.ok() && version_codes.count(issue.plan_version) == 0) {
      item.Fail("plan_version", "plan.version_unknown", {{"version", issue.plan_version}});
    }
    issue.number = item.Int("number");
    issue.title = item.Text("title");
    issue.title_en = item.Text("title_en", false);
    issue.summary = item.Text("summary", false);
    issue.initiatives = item.TextList("initiatives", false);
    data.priority_issues.push_back(std::move(issue));
  }

  std::set<int> area_numbers;
  for (Fields& item : root.Objects("areas")) {
    Area area{item.Int("number"), item.Text("code"), item.Text("name"), item.Text("theme", false),
              item.Text("name_en", false)};
    area_numbers.insert(area.number);
    data.areas.push_back(std::move(area));
  }

  data.policies = ReadPolicyList(root, area_numbers, error);
  const std::string policies_edition = root.Text("policies_edition", false);
  if (!policies_edition.empty() && version_codes.count(policies_edition) == 0) {
    root.Fail("policies_edition", "plan.version_unknown", {{"version", policies_edition}});
  }

  for (Fields& item : root.Objects("project_totals", false)) {
    ProjectTotal total;
    total.plan_version = item.Text("plan_version");
    total.count = item.Int("count");
    total.budget_yen = static_cast<int64_t>(item.OptionalNumber("budget_yen").value_or(0));
    total.budget_label = item.Text("budget_label");
    total.from_fiscal_year = item.FiscalYear("from");
    total.to_fiscal_year = item.FiscalYear("to");
    total.source = item.Text("source", false);
    data.project_totals.push_back(std::move(total));
  }
  for (Fields& item : root.Objects("projects", false)) {
    Project project;
    project.plan_version = item.Text("plan_version");
    project.name = item.Text("name");
    project.description = item.Text("description", false);
    project.priority_issue = item.OptionalInt("priority_issue");
    project.initiative = item.Text("initiative", false);
    project.source = item.Text("source", false);
    data.projects.push_back(std::move(project));
  }
  for (Fields& item : root.Objects("district_plans", false)) {
    data.district_plans.push_back({item.Text("plan_version"), item.Text("district"),
                                   item.Text("office"), item.Text("title"),
                                   item.Text("description", false)});
  }
  if (!error.ok()) return error;

  Status details = ReadPolicyDetails(files, "", data.policies);
  if (!details.ok()) return details;
  if (!policies_edition.empty())
    data.editions.push_back(EditionOf(policies_edition, data.policies));

  // Other editions: editions/<version>/plan.json lists that edition's policies, and
  // editions/<version>/policies/<n>.json gives their measures and KPIs, in the same format.
  for (const auto& [path, text] : files) {
    constexpr std::string_view kEditions = "editions/";
    if (path.rfind(kEditions, 0) != 0 || !path.ends_with("/plan.json")) continue;
    const std::string version = path.substr(kEditions.size(), path.size() - kEditions.size() - 10);
    const std::string prefix = std::string(kEditions) + version + "/";
    if (version_codes.count(version) == 0 || version == policies_edition) {
      return Status::InvalidArgument("plan.edition_unknown_or_duplicate", {{"version", version}},
                                     path);
    }
    json edition_document = json::parse(text, nullptr, false);
    if (edition_document.is_discarded()) return Status::InvalidArgument("plan.json_invalid", path);
    Fields edition_root(edition_document, path + ":", error);
    std::vector<Policy> policies = ReadPolicyList(edition_root, area_numbers, error);
    if (!error.ok()) return error;
    Status edition_details = ReadPolicyDetails(files, prefix, policies);
    if (!edition_details.ok()) return edition_details;
    data.editions.push_back(EditionOf(version, policies));
  }
  return data;
}

const PlanFiles& MinatoPlanFiles() {
  static const PlanFiles files = [] {
    PlanFiles loaded;
    for (std::string_view path : minato_files::EmbeddedFilePaths()) {
      loaded.emplace(std::string(path), std::string(*minato_files::FindEmbeddedFile(path)));
    }
    return loaded;
  }();
  return files;
}

const char* TargetConditionName(TargetCondition condition) {
  switch (condition) {
    case TargetCondition::kReach:
      return "reach";
    case TargetCondition::kDecrease:
      return "decrease";
    case TargetCondition::kIncrease:
      return "increase";
    case TargetCondition::kBand:
      return "band";
    case TargetCondition::kAtLeast:
      return "at_least";
    case TargetCondition::kAtMost:
      return "at_most";
  }
  return "reach";
}

}  // namespace civicdesk::plan
