#include "facilities/lifecycle.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace civicdesk::facilities {
namespace {

using nlohmann::json;

struct CategoryNames {
  std::string_view ja;
  std::string_view en;
  UnitCost soumu;  // 総務省's unit costs, 円/㎡
};

constexpr int64_t kManYen = 10000;

const std::array<CategoryNames, kCategoryCount>& Names() {
  static const std::array<CategoryNames, kCategoryCount> names = {{
      {"市民文化系施設", "Civic and cultural", {25 * kManYen, 40 * kManYen}},
      {"社会教育系施設", "Social education", {25 * kManYen, 40 * kManYen}},
      {"スポーツ・レクリエーション系施設", "Sports and recreation", {20 * kManYen, 36 * kManYen}},
      {"産業系施設", "Industry", {25 * kManYen, 40 * kManYen}},
      {"学校教育系施設", "Schools", {17 * kManYen, 33 * kManYen}},
      {"子育て支援施設", "Childcare", {17 * kManYen, 33 * kManYen}},
      {"保健・福祉施設", "Health and welfare", {20 * kManYen, 36 * kManYen}},
      {"医療施設", "Medical", {25 * kManYen, 40 * kManYen}},
      {"行政系施設", "Administration", {25 * kManYen, 40 * kManYen}},
      {"公営住宅", "Public housing", {17 * kManYen, 28 * kManYen}},
      {"公園", "Parks", {17 * kManYen, 33 * kManYen}},
      {"供給処理施設", "Supply and treatment", {20 * kManYen, 36 * kManYen}},
      {"その他", "Other", {20 * kManYen, 36 * kManYen}},
  }};
  return names;
}

// The name without "施設" and "・", so that 行政系, 保健福祉 and the full names compare equal.
std::string ShortForm(std::string_view name) {
  std::string text(name);
  for (std::string_view drop : {std::string_view("施設"), std::string_view("・")}) {
    for (size_t at = text.find(drop); at != std::string::npos; at = text.find(drop)) {
      text.erase(at, drop.size());
    }
  }
  return text;
}

constexpr std::array<std::pair<std::string_view, std::string_view>, 4> kWorkKindNames = {{
    {"中規模修繕", "Mid-scale repair"},
    {"大規模改修", "Major renovation"},
    {"長寿命化改修", "Life-extension renovation"},
    {"建替え", "Rebuild"},
}};

// 大規模改修 and 長寿命化改修 are the same step of a cycle: one recorded satisfies the other.
bool SameStep(WorkKind recorded, WorkKind planned) {
  auto major = [](WorkKind kind) {
    return kind == WorkKind::kRenovation || kind == WorkKind::kLifeExtension;
  };
  return recorded == planned || (major(recorded) && major(planned));
}

std::array<UnitCost, kCategoryCount> SoumuUnitCosts() {
  std::array<UnitCost, kCategoryCount> costs{};
  for (size_t i = 0; i < kCategoryCount; ++i) costs[i] = Names()[i].soumu;
  return costs;
}

int64_t WorkCost(const Facility& facility, const CycleWork& work, const LifecyclePolicy& policy) {
  const UnitCost& unit = policy.unit_cost(facility.category);
  double per_sqm =
      work.basis == CostBasis::kRenovationUnitCost
          ? static_cast<double>(unit.renovation_yen_per_sqm)
          : static_cast<double>(facility.rebuild_yen_per_sqm.value_or(unit.rebuild_yen_per_sqm));
  return std::llround(per_sqm * work.cost_ratio * facility.floor_area_sqm);
}

// Splits `cost` over `years` whole-yen parts, the remainder on the last.
void Spread(int64_t cost, int first_year, int years, const ProjectionOptions& options,
            std::span<int64_t> row) {
  if (years < 1) years = 1;
  const int64_t part = cost / years;
  for (int i = 0; i < years; ++i) {
    const int year = first_year + i;
    const int index = year - options.from_year;
    if (index < 0 || index >= options.years) continue;
    row[static_cast<size_t>(index)] += (i == years - 1) ? cost - part * (years - 1) : part;
  }
}

}  // namespace

std::string_view CategoryName(Category category) {
  return Names()[static_cast<size_t>(category)].ja;
}
std::string_view CategoryNameEn(Category category) {
  return Names()[static_cast<size_t>(category)].en;
}

Result<Category> ParseCategory(std::string_view text) {
  const std::string wanted = ShortForm(text);
  for (Category category : kAllCategories) {
    if (!wanted.empty() && ShortForm(CategoryName(category)) == wanted) return category;
    if (text == CategoryNameEn(category)) return category;
  }
  std::string known;
  for (Category category : kAllCategories) {
    if (!known.empty()) known += "、";
    known += CategoryName(category);
  }
  return Status::InvalidArgument("facilities.category_unknown",
                                 {{"value", std::string(text)}, {"known", known}}, "category");
}

std::string_view WorkKindName(WorkKind kind) {
  return kWorkKindNames[static_cast<size_t>(kind)].first;
}
std::string_view WorkKindNameEn(WorkKind kind) {
  return kWorkKindNames[static_cast<size_t>(kind)].second;
}

Result<WorkKind> ParseWorkKind(std::string_view text) {
  for (size_t i = 0; i < kWorkKindNames.size(); ++i) {
    if (text == kWorkKindNames[i].first || text == kWorkKindNames[i].second) {
      return static_cast<WorkKind>(i);
    }
  }
  if (text == "長寿命化" || text == "長寿命化（大規模）改修") return WorkKind::kLifeExtension;
  if (text == "建替" || text == "建て替え" || text == "更新") return WorkKind::kRebuild;
  return Status::InvalidArgument("facilities.work_kind_unknown", {{"value", std::string(text)}},
                                 "kind");
}

LifecyclePolicy SoumuPolicy() {
  LifecyclePolicy policy;
  policy.id = "soumu";
  policy.title = "総務省 公共施設等更新費用試算ソフト 準拠（大規模改修30年・建替え60年）";
  policy.cycle = {
      {WorkKind::kRenovation, 30, 2, CostBasis::kRenovationUnitCost, 1.0, 5, 5},
      {WorkKind::kRebuild, 60, 3, CostBasis::kRebuildUnitCost, 1.0, 5, 5},
  };
  policy.unit_costs = SoumuUnitCosts();
  policy.routine_yen_per_sqm_year = 0;
  policy.backlog_spread_years = 10;
  policy.skip_overdue_within_years = 10;
  return policy;
}

LifecyclePolicy LongLife80Policy() {
  LifecyclePolicy policy;
  policy.id = "longlife80";
  policy.title = "長寿命化（80年使用：中規模修繕20・60年、長寿命化改修40年、建替え80年）";
  policy.cycle = {
      {WorkKind::kMidRepair, 20, 1, CostBasis::kRebuildUnitCost, 0.30, 3, 5},
      {WorkKind::kLifeExtension, 40, 2, CostBasis::kRebuildUnitCost, 0.40, 5, 5},
      {WorkKind::kMidRepair, 60, 1, CostBasis::kRebuildUnitCost, 0.30, 3, 5},
      {WorkKind::kRebuild, 80, 3, CostBasis::kRebuildUnitCost, 1.0, 5, 5},
  };
  policy.unit_costs = SoumuUnitCosts();
  policy.routine_yen_per_sqm_year = 1000;
  policy.backlog_spread_years = 10;
  policy.skip_overdue_within_years = 10;
  return policy;
}

json PolicyToJson(const LifecyclePolicy& policy) {
  json cycle = json::array();
  for (const CycleWork& work : policy.cycle) {
    cycle.push_back(
        {{"kind", WorkKindName(work.kind)},
         {"at_age", work.at_age},
         {"duration_years", work.duration_years},
         {"basis", work.basis == CostBasis::kRenovationUnitCost ? "renovation" : "rebuild"},
         {"cost_ratio", work.cost_ratio},
         {"max_advance_years", work.max_advance_years},
         {"max_delay_years", work.max_delay_years}});
  }
  json unit_costs = json::object();
  for (Category category : kAllCategories) {
    const UnitCost& cost = policy.unit_cost(category);
    unit_costs[std::string(CategoryName(category))] = {
        {"renovation_yen_per_sqm", cost.renovation_yen_per_sqm},
        {"rebuild_yen_per_sqm", cost.rebuild_yen_per_sqm}};
  }
  return {{"id", policy.id},
          {"version", policy.version},
          {"title", policy.title},
          {"cycle", cycle},
          {"unit_costs", unit_costs},
          {"routine_yen_per_sqm_year", policy.routine_yen_per_sqm_year},
          {"backlog_spread_years", policy.backlog_spread_years},
          {"skip_overdue_within_years", policy.skip_overdue_within_years}};
}

Result<LifecyclePolicy> PolicyFromJson(const json& input) {
  if (!input.is_object()) return Status::InvalidArgument("facilities.policy_not_object", "policy");
  auto integer = [&](const json& object, const char* name, int low, int high,
                     const std::string& where) -> Result<int64_t> {
    if (!object.contains(name) || !object[name].is_number_integer()) {
      return Status::InvalidArgument("facilities.integer_required", where + name);
    }
    const int64_t value = object[name].get<int64_t>();
    if (value < low || value > high) {
      return Status::InvalidArgument("facilities.out_of_range",
                                     {{"low", std::to_string(low)}, {"high", std::to_string(high)}},
                                     where + name);
    }
    return value;
  };
  LifecyclePolicy policy;
  if (!input.contains("id") || !input["id"].is_string() || input["id"].get<std::string>().empty())
    return Status::InvalidArgument("facilities.policy_id_required", "id");
  policy.id = input["id"].get<std::string>();
  for (char c : policy.id) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') {
      return Status::InvalidArgument("facilities.policy_id_invalid", "id");
    }
  }
  policy.title = input.value("title", policy.id);
  if (input.contains("version")) {
    Result<int64_t> version = integer(input, "version", 1, 1000000, "");
    if (!version.ok()) return version.status();
    policy.version = static_cast<int>(*version);
  }
  if (!input.contains("cycle") || !input["cycle"].is_array() || input["cycle"].empty()) {
    return Status::InvalidArgument("facilities.cycle_required", "cycle");
  }
  int previous_age = 0;
  for (size_t i = 0; i < input["cycle"].size(); ++i) {
    const json& item = input["cycle"][i];
    const std::string where = "cycle[" + std::to_string(i) + "].";
    if (!item.is_object()) return Status::InvalidArgument("facilities.object_required", where);
    CycleWork work;
    Result<WorkKind> kind = ParseWorkKind(item.value("kind", ""));
    if (!kind.ok()) return kind.status().WithField(where + "kind");
    work.kind = *kind;
    Result<int64_t> age = integer(item, "at_age", 1, 200, where);
    if (!age.ok()) return age.status();
    work.at_age = static_cast<int>(*age);
    if (work.at_age <= previous_age) {
      return Status::InvalidArgument("facilities.cycle_ages_increase", where + "at_age");
    }
    previous_age = work.at_age;
    Result<int64_t> duration = integer(item, "duration_years", 1, 10, where);
    if (!duration.ok()) return duration.status();
    work.duration_years = static_cast<int>(*duration);
    const std::string basis = item.value("basis", "rebuild");
    if (basis != "rebuild" && basis != "renovation") {
      return Status::InvalidArgument("facilities.basis_invalid", where + "basis");
    }
    work.basis =
        basis == "renovation" ? CostBasis::kRenovationUnitCost : CostBasis::kRebuildUnitCost;
    if (!item.contains("cost_ratio") || !item["cost_ratio"].is_number() ||
        item["cost_ratio"].get<double>() <= 0 || item["cost_ratio"].get<double>() > 2) {
      return Status::InvalidArgument("facilities.cost_ratio_invalid", where + "cost_ratio");
    }
    work.cost_ratio = item["cost_ratio"].get<double>();
    Result<int64_t> advance = integer(item, "max_advance_years", 0, 30, where);
    if (!advance.ok()) return advance.status();
    Result<int64_t> delay = integer(item, "max_delay_years", 0, 30, where);
    if (!delay.ok()) return delay.status();
    work.max_advance_years = static_cast<int>(*advance);
    work.max_delay_years = static_cast<int>(*delay);
    policy.cycle.push_back(work);
  }
  if (policy.cycle.back().kind != WorkKind::kRebuild) {
    return Status::InvalidArgument("facilities.cycle_ends_in_rebuild", "cycle");
  }
  policy.unit_costs = SoumuUnitCosts();
  if (input.contains("unit_costs")) {
    if (!input["unit_costs"].is_object())
      return Status::InvalidArgument("facilities.object_required", "unit_costs");
    for (const auto& [name, cost] : input["unit_costs"].items()) {
      Result<Category> category = ParseCategory(name);
      if (!category.ok()) return category.status().WithField("unit_costs");
      const std::string where = "unit_costs." + name + ".";
      Result<int64_t> renovation = integer(cost, "renovation_yen_per_sqm", 0, 100000000, where);
      if (!renovation.ok()) return renovation.status();
      Result<int64_t> rebuild = integer(cost, "rebuild_yen_per_sqm", 1, 100000000, where);
      if (!rebuild.ok()) return rebuild.status();
      policy.unit_costs[static_cast<size_t>(*category)] = {*renovation, *rebuild};
    }
  }
  Result<int64_t> routine = integer(input, "routine_yen_per_sqm_year", 0, 1000000, "");
  if (!routine.ok()) return routine.status();
  policy.routine_yen_per_sqm_year = *routine;
  Result<int64_t> backlog = integer(input, "backlog_spread_years", 1, 30, "");
  if (!backlog.ok()) return backlog.status();
  policy.backlog_spread_years = static_cast<int>(*backlog);
  Result<int64_t> skip = integer(input, "skip_overdue_within_years", 0, 100, "");
  if (!skip.ok()) return skip.status();
  policy.skip_overdue_within_years = static_cast<int>(*skip);
  return policy;
}

std::vector<PlannedWork> ScheduleWorks(const std::vector<Facility>& facilities,
                                       const LifecyclePolicy& policy,
                                       const ProjectionOptions& options) {
  std::vector<PlannedWork> works;
  works.reserve(facilities.size() * (policy.cycle.size() + 1));
  const int end_year = options.from_year + options.years;  // exclusive
  const size_t rebuild_index = policy.cycle.size() - 1;
  for (size_t f = 0; f < facilities.size(); ++f) {
    const Facility& facility = facilities[f];
    if (!Projectable(facility)) continue;
    // The cycle in force starts at the construction or the last recorded rebuild.
    int base = facility.year_built;
    for (const WorkRecord& record : facility.history) {
      if (record.kind == WorkKind::kRebuild && record.year > base) base = record.year;
    }
    const int life = facility.rebuild_age.value_or(policy.service_life());
    auto planned = [&](size_t step, int due, int start, bool overdue) {
      const CycleWork& work = policy.cycle[step];
      PlannedWork item;
      item.facility = f;
      item.kind = work.kind;
      item.due_year = due;
      item.start_year = start;
      item.duration_years = work.duration_years;
      item.cost_yen = WorkCost(facility, work, policy);
      item.overdue = overdue;
      item.earliest_start =
          overdue ? start : std::max(options.from_year, start - work.max_advance_years);
      item.latest_start = overdue ? start : start + work.max_delay_years;
      return item;
    };

    // The latest recorded work of this cycle marks its step done, and moves the later steps by
    // as many years as it came early or late; the rebuild stays at the service life.
    size_t next_step = 0;
    int shift = 0;
    const WorkRecord* latest = nullptr;
    for (const WorkRecord& record : facility.history) {
      if (record.kind == WorkKind::kRebuild || record.year < base) continue;
      if (latest == nullptr || record.year >= latest->year) latest = &record;
    }
    if (latest != nullptr) {
      int best_distance = 1 << 30;
      for (size_t step = 0; step < rebuild_index; ++step) {
        if (!SameStep(latest->kind, policy.cycle[step].kind)) continue;
        const int distance = std::abs(latest->year - base - policy.cycle[step].at_age);
        if (distance < best_distance) {
          best_distance = distance;
          next_step = step + 1;
          shift = latest->year - (base + policy.cycle[step].at_age);
        }
      }
    }

    // The first cycle: what is overdue at the start goes to the backlog.
    const int rebuild_due = base + life;
    if (rebuild_due < options.from_year) {
      works.push_back(planned(rebuild_index, rebuild_due, options.from_year, true));
      base = options.from_year + policy.cycle[rebuild_index].duration_years;
    } else {
      const size_t first_of_cycle = works.size();
      const PlannedWork* last_overdue = nullptr;
      PlannedWork overdue_work;
      for (size_t step = next_step; step < rebuild_index; ++step) {
        const int due = base + policy.cycle[step].at_age + shift;
        if (due >= rebuild_due || due >= end_year) break;
        if (due < options.from_year) {
          // Only the latest overdue step is done: it covers the ones missed before it.
          overdue_work = planned(step, due, options.from_year, true);
          last_overdue = &overdue_work;
          continue;
        }
        works.push_back(planned(step, due, due, false));
      }
      if (last_overdue != nullptr &&
          rebuild_due - options.from_year >= policy.skip_overdue_within_years) {
        works.insert(works.begin() + static_cast<long>(first_of_cycle), overdue_work);
      }
      if (rebuild_due >= end_year) continue;
      works.push_back(planned(rebuild_index, rebuild_due, rebuild_due, false));
      base = rebuild_due + policy.cycle[rebuild_index].duration_years;
    }
    // Later cycles of the rebuilt building, on the policy's own ages.
    while (base < end_year) {
      const int cycle_life = facility.rebuild_age.value_or(policy.service_life());
      for (size_t step = 0; step < rebuild_index; ++step) {
        const int due = base + policy.cycle[step].at_age;
        if (due >= end_year || policy.cycle[step].at_age >= cycle_life) break;
        works.push_back(planned(step, due, due, false));
      }
      const int due = base + cycle_life;
      if (due >= end_year) break;
      works.push_back(planned(rebuild_index, due, due, false));
      base = due + policy.cycle[rebuild_index].duration_years;
    }
  }
  return works;
}

void AddWorkCost(const PlannedWork& work, const LifecyclePolicy& policy,
                 const ProjectionOptions& options, std::span<int64_t> row) {
  if (work.overdue) {
    Spread(work.cost_yen, options.from_year, policy.backlog_spread_years, options, row);
  } else {
    Spread(work.cost_yen, work.start_year, work.duration_years, options, row);
  }
}

FacilityYearCosts CostByFacilityAndYear(const std::vector<Facility>& facilities,
                                        const std::vector<PlannedWork>& works,
                                        const LifecyclePolicy& policy,
                                        const ProjectionOptions& options) {
  FacilityYearCosts rows(facilities.size(), static_cast<size_t>(options.years));
  for (size_t f = 0; f < facilities.size(); ++f) {
    if (policy.routine_yen_per_sqm_year == 0) continue;
    const int64_t routine = std::llround(static_cast<double>(policy.routine_yen_per_sqm_year) *
                                         facilities[f].floor_area_sqm);
    std::span<int64_t> row = rows[f];
    std::fill(row.begin(), row.end(), routine);
  }
  for (const PlannedWork& work : works) AddWorkCost(work, policy, options, rows[work.facility]);
  return rows;
}

}  // namespace civicdesk::facilities
