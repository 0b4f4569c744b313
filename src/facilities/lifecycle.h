#ifndef CIVICDESK_FACILITIES_LIFECYCLE_H_
#define CIVICDESK_FACILITIES_LIFECYCLE_H_

#include <array>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace civicdesk::facilities {

// The 総務省 facility categories (公共施設等更新費用試算ソフト), in its order.
enum class Category {
  kCivicCulture,      // 市民文化系施設
  kSocialEducation,   // 社会教育系施設
  kSportsRecreation,  // スポーツ・レクリエーション系施設
  kIndustry,          // 産業系施設
  kSchool,            // 学校教育系施設
  kChildcare,         // 子育て支援施設
  kHealthWelfare,     // 保健・福祉施設
  kMedical,           // 医療施設
  kAdministration,    // 行政系施設
  kPublicHousing,     // 公営住宅
  kPark,              // 公園
  kSupplyTreatment,   // 供給処理施設
  kOther,             // その他
};
inline constexpr size_t kCategoryCount = 13;
inline constexpr std::array<Category, kCategoryCount> kAllCategories = {Category::kCivicCulture,
                                                                        Category::kSocialEducation,
                                                                        Category::kSportsRecreation,
                                                                        Category::kIndustry,
                                                                        Category::kSchool,
                                                                        Category::kChildcare,
                                                                        Category::kHealthWelfare,
                                                                        Category::kMedical,
                                                                        Category::kAdministration,
                                                                        Category::kPublicHousing,
                                                                        Category::kPark,
                                                                        Category::kSupplyTreatment,
                                                                        Category::kOther};

std::string_view CategoryName(Category category);    // 行政系施設
std::string_view CategoryNameEn(Category category);  // Administration
// Accepts the full name or its short form (行政系, 保健福祉, スポーツ・レクリエーション系);
// InvalidArgument listing the categories otherwise.
Result<Category> ParseCategory(std::string_view text);

enum class WorkKind {
  kMidRepair,      // 中規模修繕
  kRenovation,     // 大規模改修
  kLifeExtension,  // 長寿命化改修
  kRebuild,        // 建替え
};
std::string_view WorkKindName(WorkKind kind);
std::string_view WorkKindNameEn(WorkKind kind);
Result<WorkKind> ParseWorkKind(std::string_view text);

// One work done in the past, from the facility's works history.
struct WorkRecord {
  int year = 0;
  WorkKind kind = WorkKind::kRenovation;
  int64_t cost_yen = 0;
};

struct Facility {
  std::string id;
  std::string name;
  Category category = Category::kOther;
  std::string district;
  double floor_area_sqm = 0;
  int year_built = 0;
  std::string structure;   // RC, SRC, S, W ...
  std::string department;  // owning department (部); with `section`, who records its works
  std::string section;     // owning section (課)
  std::vector<WorkRecord> history;
  // Per-facility overrides of the policy: the age at rebuild, and the rebuild cost per ㎡.
  std::optional<int> rebuild_age;
  std::optional<int64_t> rebuild_yen_per_sqm;
};

// A facility whose floor area and build year are known (an imported 公共施設一覧 may give
// neither: 0 stands for unknown). Only these are projected; the others have no works and cost.
inline bool Projectable(const Facility& facility) {
  return facility.floor_area_sqm > 0 && facility.year_built > 0;
}

// Unit costs of one category, 円/㎡.
struct UnitCost {
  int64_t renovation_yen_per_sqm = 0;
  int64_t rebuild_yen_per_sqm = 0;
};

// What a work's cost is a share of.
enum class CostBasis { kRenovationUnitCost, kRebuildUnitCost };

// One work of the policy's life cycle.
struct CycleWork {
  WorkKind kind = WorkKind::kRenovation;
  int at_age = 0;          // years after construction (or the last rebuild)
  int duration_years = 1;  // its cost is spread evenly over these years
  CostBasis basis = CostBasis::kRebuildUnitCost;
  double cost_ratio = 1.0;  // of the basis unit cost
  // Levelling window: the work may start this many years earlier or later than due. The latest
  // is the safety limit, never exceeded.
  int max_advance_years = 0;
  int max_delay_years = 0;
};

// A policy for future works: the life cycle, the unit costs and how overdue works are handled.
// The last cycle work is the rebuild; its age is the service life.
struct LifecyclePolicy {
  std::string id;  // "soumu", "longlife80", or a ward's own
  int version = 1;
  std::string title;
  std::vector<CycleWork> cycle;  // ordered by age; the last is kRebuild
  std::array<UnitCost, kCategoryCount> unit_costs{};
  int64_t routine_yen_per_sqm_year = 0;  // 日常的な修繕, every year
  int backlog_spread_years = 10;  // 積み残し: overdue works are spread over this many years
  // An overdue work other than the rebuild is dropped when the rebuild is due within this many
  // years of the start (as 総務省's software skips the renovation of buildings over 50).
  int skip_overdue_within_years = 10;

  int service_life() const { return cycle.empty() ? 0 : cycle.back().at_age; }
  const UnitCost& unit_cost(Category category) const {
    return unit_costs[static_cast<size_t>(category)];
  }
};

// 総務省 default: 大規模改修 at 30 years over 2 years, 建替え at 60 over 3, its unit-cost table,
// overdue works spread over 10 years.
LifecyclePolicy SoumuPolicy();
// 80-year long life: 中規模修繕 at 20 and 60 (30% of rebuild), 長寿命化改修 at 40 (40%), 建替え at
// 80; routine repairs 1,000円/㎡ a year.
LifecyclePolicy LongLife80Policy();

// Policies as JSON (the stored, versioned form) and back; FromJson checks every field and names
// the first bad one.
nlohmann::json PolicyToJson(const LifecyclePolicy& policy);
Result<LifecyclePolicy> PolicyFromJson(const nlohmann::json& json);

// One future work of one facility.
struct PlannedWork {
  size_t facility = 0;  // index into the projected facilities
  WorkKind kind = WorkKind::kRenovation;
  int due_year = 0;    // when the cycle says it is due
  int start_year = 0;  // when its cost starts (the levelling may move it)
  int duration_years = 1;
  int64_t cost_yen = 0;
  bool overdue = false;  // 積み残し: spread over the policy's backlog years from the start year
  int earliest_start = 0;  // levelling window (equal to start_year for overdue works)
  int latest_start = 0;
};

struct ProjectionOptions {
  int from_year = 2025;
  int years = 40;
};

// The future works of `facilities` under `policy` that start before the end of the horizon.
// REQUIRES: the policy is valid (PolicyFromJson or the built-in ones).
std::vector<PlannedWork> ScheduleWorks(const std::vector<Facility>& facilities,
                                       const LifecyclePolicy& policy,
                                       const ProjectionOptions& options);

// Yearly costs of every facility in one block: costs[f][y] is facility f's cost in year
// from_year + y.
class FacilityYearCosts {
 public:
  FacilityYearCosts() = default;
  FacilityYearCosts(size_t facilities, size_t years)
      : facilities_(facilities), years_(years), cells_(facilities * years, 0) {}
  size_t size() const { return facilities_; }
  size_t years() const { return years_; }
  std::span<int64_t> operator[](size_t facility) {
    return {cells_.data() + facility * years_, years_};
  }
  std::span<const int64_t> operator[](size_t facility) const {
    return {cells_.data() + facility * years_, years_};
  }

 private:
  size_t facilities_ = 0;
  size_t years_ = 0;
  std::vector<int64_t> cells_;
};

// Yearly cost in yen of each facility. Each work's
// cost is split in whole yen over its years (the remainder on the last), overdue works over the
// backlog years; routine repairs are added every year.
FacilityYearCosts CostByFacilityAndYear(const std::vector<Facility>& facilities,
                                        const std::vector<PlannedWork>& works,
                                        const LifecyclePolicy& policy,
                                        const ProjectionOptions& options);

// Adds one work's yearly cost into `row` (indexed from options.from_year).
void AddWorkCost(const PlannedWork& work, const LifecyclePolicy& policy,
                 const ProjectionOptions& options, std::span<int64_t> row);

}  // namespace civicdesk::facilities

#endif  // CIVICDESK_FACILITIES_LIFECYCLE_H_
