#include <cmath>
#include <cstdio>
#include <map>

#include "core/date.h"
#include "core/number_format.h"
#include "core/wareki.h"
#include "facilities/access.h"
#include "facilities/handlers.h"
#include "facilities/views.h"

namespace civicdesk::facilities {
namespace {

using http::RequestContext;
using http::Response;
using nlohmann::json;

// The policies page; `error` (when failed) shown above the editor that holds `draft`.
Result<Response> RenderPolicies(RequestContext& context, const Status& error,
                                const std::string& draft, int status) {
  CIVICDESK_ASSIGN_OR_RETURN(std::vector<StoredPolicy> policies,
                             LatestPolicies(context.app().database()));
  const bool editable = context.HasAccess(http::Access::kPublisher);
  const std::string error_field = error.ok() ? "" : error.field();
  json items = json::array();
  for (const StoredPolicy& stored : policies) {
    const LifecyclePolicy& policy = stored.policy;
    json cycle = json::array();
    for (const CycleWork& work : policy.cycle) {
      char ratio[16];
      std::snprintf(ratio, sizeof(ratio), "%.0f", work.cost_ratio * 100);
      cycle.push_back({{"kind", WorkKindLabel(context, work.kind)},
                       {"age", work.at_age},
                       {"duration", work.duration_years},
                       {"basis_renovation", work.basis == CostBasis::kRenovationUnitCost},
                       {"ratio", ratio},
                       {"advance", work.max_advance_years},
                       {"delay", work.max_delay_years}});
    }
    json units = json::array();
    for (Category category : kAllCategories) {
      const UnitCost& cost = policy.unit_cost(category);
      units.push_back({{"category", CategoryName(category)},
                       {"renovation", GroupThousands(cost.renovation_yen_per_sqm)},
                       {"rebuild", GroupThousands(cost.rebuild_yen_per_sqm)}});
    }
    Result<std::vector<StoredPolicy>> history = PolicyHistory(context.app().database(), policy.id);
    json versions = json::array();
    if (history.ok()) {
      for (const StoredPolicy& old : *history) {
        versions.push_back({{"version", old.policy.version},
                            {"saved_at", FormatWarekiTimestamp(old.saved_at)},
                            {"saved_by", old.saved_by}});
      }
    }
    // The rejected text goes back into the form it came from (the first one when unreadable).
    const json parsed_draft = json::parse(draft, nullptr, false);
    const std::string draft_id =
        parsed_draft.is_object() && parsed_draft.contains("id") && parsed_draft["id"].is_string()
            ? parsed_draft["id"].get<std::string>()
            : (policies.empty() ? "" : policies.front().policy.id);
    const bool failed_here = !draft.empty() && !error_field.empty() && draft_id == policy.id;
    items.push_back({{"id", policy.id},
                     {"title", policy.title},
                     {"version", policy.version},
                     {"cycle", cycle},
                     {"units", units},
                     {"routine", GroupThousands(policy.routine_yen_per_sqm_year)},
                     {"backlog", policy.backlog_spread_years},
                     {"skip", policy.skip_overdue_within_years},
                     {"versions", versions},
                     {"editable", editable},
                     {"json", failed_here ? draft : PolicyToJson(policy).dump(2)}});
  }
  return context.Page("facilities/policies", context.Message("facilities_policies_title"),
                      {{"policies", items},
                       {"csrf_token", editable ? context.csrf_token() : ""},
                       {"has_error", !error.ok()},
                       {"error_field", error_field},
                       {"error_message", error.ok() ? "" : context.Format(error)}},
                      status);
}

// Area and build year as shown; "—" where the imported register did not give them.
std::string AreaText(const Facility& facility) {
  return facility.floor_area_sqm > 0 ? GroupThousands(std::llround(facility.floor_area_sqm)) : "—";
}
std::string BuiltText(const Facility& facility) {
  return facility.year_built > 0 ? FormatWarekiYear(facility.year_built) : "—";
}

}  // namespace

Result<Response> IndexPage(RequestContext& context) {
  CIVICDESK_ASSIGN_OR_RETURN(Registry registry, LoadRegistry(context.app().database()));
  std::map<std::string, std::pair<int, double>> by_category;
  std::map<std::string, std::pair<int, double>> by_district;
  json facilities = json::array();
  const int this_year = static_cast<int>(TodayInJapan().year());
  for (const Facility& facility : registry.facilities) {
    auto& category = by_category[std::string(CategoryName(facility.category))];
    category.first++;
    category.second += facility.floor_area_sqm;
    auto& district = by_district[facility.district];
    district.first++;
    district.second += facility.floor_area_sqm;
    facilities.push_back(
        {{"id", facility.id},
         {"name", facility.name},
         {"category", CategoryName(facility.category)},
         {"district", facility.district},
         {"area", AreaText(facility)},
         {"built", BuiltText(facility)},
         {"age", facility.year_built > 0 ? std::to_string(this_year - facility.year_built) : "—"}});
  }
  auto counts = [](const std::map<std::string, std::pair<int, double>>& groups) {
    json rows = json::array();
    for (const auto& [label, figures] : groups) {
      rows.push_back({{"label", label},
                      {"count", figures.first},
                      {"area", GroupThousands(std::llround(figures.second))}});
    }
    return rows;
  };
  return context.Page("facilities/facilities_index", context.Message("facilities_title"),
                      {{"sample", registry.sample},
                       {"count", registry.facilities.size()},
                       {"by_category", counts(by_category)},
                       {"by_district", counts(by_district)},
                       {"facilities", facilities}});
}

Result<Response> FacilityPage(RequestContext& context) {
  const std::string id = context.request().PathParam("id");
  CIVICDESK_ASSIGN_OR_RETURN(ProjectionQuery query, ParseQuery(context.request()));
  CIVICDESK_ASSIGN_OR_RETURN(Projection projection, Project(context.app().database(), query));
  const std::vector<Facility>& facilities = projection.registry.facilities;
  size_t index = facilities.size();
  for (size_t f = 0; f < facilities.size(); ++f) {
    if (facilities[f].id == id) index = f;
  }
  if (index == facilities.size())
    return Status::NotFound("facilities.facility_not_found", {{"id", id}});
  const Facility& facility = facilities[index];
  std::vector<PlannedWork> own;
  for (const PlannedWork& work : projection.works)
    if (work.facility == index) own.push_back(work);
  json history = json::array();
  for (const WorkRecord& record : facility.history) {
    history.push_back({{"year", FormatWarekiYear(record.year)},
                       {"kind", WorkKindLabel(context, record.kind)},
                       {"cost", record.cost_yen > 0 ? GroupThousands(record.cost_yen) : "—"}});
  }
  int64_t total = 0;
  for (int64_t cost : projection.facility_years[index]) total += cost;
  const bool may_record = MayRecordWorks(context, facility).ok();
  return context.Page(
      "facilities/facility", facility.name,
      {{"sample", projection.registry.sample},
       {"facility",
        {{"id", facility.id},
         {"name", facility.name},
         {"category", CategoryName(facility.category)},
         {"district", facility.district},
         {"area", AreaText(facility)},
         {"built", BuiltText(facility)},
         {"structure", facility.structure},
         {"department", facility.department},
         {"section", facility.section},
         {"rebuild_age", facility.rebuild_age ? std::to_string(*facility.rebuild_age) : ""},
         {"rebuild_unit",
          facility.rebuild_yen_per_sqm ? GroupThousands(*facility.rebuild_yen_per_sqm) : ""}}},
       {"history", history},
       {"has_history", !history.empty()},
       {"works", WorkRows(context, projection, own)},
       {"has_works", !own.empty()},
       {"policy_title", projection.policy.policy.title},
       {"policies", PolicyChoices(context.app().database(), query.policy_id)},
       {"from", query.options.from_year},
       {"years", query.options.years},
       {"total", GroupThousands(total)},
       {"may_record", may_record},
       {"csrf_token", may_record ? context.csrf_token() : ""},
       {"kinds", WorkKindChoices(context)},
       {"this_year", static_cast<int>(TodayInJapan().year())}});
}

Result<Response> ProjectionPage(RequestContext& context) {
  CIVICDESK_ASSIGN_OR_RETURN(ProjectionQuery query, ParseQuery(context.request()));
  CIVICDESK_ASSIGN_OR_RETURN(Projection projection, Project(context.app().database(), query));
  const GroupedCosts costs = Group(projection, query);
  const std::vector<int64_t> totals = costs.Totals();
  int64_t sum = 0;
  size_t peak = 0;
  for (size_t y = 0; y < totals.size(); ++y) {
    sum += totals[y];
    if (totals[y] > totals[peak]) peak = y;
  }
  const std::string title = context.Message("facilities_projection_title");
  json labels = json::array();
  for (const std::string& label : costs.labels) labels.push_back(label);
  return context.Page(
      "facilities/projection", title,
      {{"sample", projection.registry.sample},
       {"policy_title", projection.policy.policy.title},
       {"policy_version", projection.policy.policy.version},
       {"policies", PolicyChoices(context.app().database(), query.policy_id)},
       {"groupings", GroupingChoices(context, query.by)},
       {"from", query.options.from_year},
       {"years", query.options.years},
       {"from_wareki", FiscalYearLabel(query.options.from_year)},
       {"to_wareki", FiscalYearLabel(query.options.from_year + query.options.years - 1)},
       {"chart", StackedBarSvg(costs, title, "projection-table", context.language())},
       {"labels", labels},
       {"rows", CostTable(costs)},
       {"sum", OkuYen(sum)},
       {"average", OkuYen(totals.empty() ? 0 : sum / static_cast<int64_t>(totals.size()))},
       {"peak_year", FiscalYearLabel(query.options.from_year + static_cast<int>(peak))},
       {"peak", OkuYen(totals.empty() ? 0 : totals[peak])},
       {"facility_count", projection.registry.facilities.size()},
       {"query", QueryString(query)}});
}

Result<Response> PoliciesPage(RequestContext& context) {
  return RenderPolicies(context, Status::Ok(), "", 200);
}

Result<Response> PoliciesPageWithError(RequestContext& context, const Status& error,
                                       const std::string& draft) {
  return RenderPolicies(context, error, draft, 422);
}

}  // namespace civicdesk::facilities
