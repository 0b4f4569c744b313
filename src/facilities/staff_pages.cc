#include <cstdio>
#include <map>

#include "core/date.h"
#include "core/number_format.h"
#include "facilities/access.h"
#include "facilities/handlers.h"
#include "facilities/levelling.h"
#include "facilities/views.h"

namespace civicdesk::facilities {

using http::RequestContext;
using http::Response;
using nlohmann::json;

Result<Response> LevellingPage(RequestContext& context) {
  CIVICDESK_ASSIGN_OR_RETURN(ProjectionQuery query, ParseQuery(context.request()));
  CIVICDESK_ASSIGN_OR_RETURN(Projection projection, Project(context.app().database(), query));
  LevellingOptions options;
  options.yearly_cap_yen = query.cap_yen;
  options.exact_time_limit_seconds = 2;  // a page: CBC improves on the heuristic for 2 s
  const LevellingResult result = LevelWorks(projection.works, projection.facility_years,
                                            projection.policy.policy, query.options, options);
  GroupedCosts before{
      query.options.from_year, {context.Message("facilities_before")}, {result.before}};
  GroupedCosts after{
      query.options.from_year, {context.Message("facilities_after")}, {result.after}};
  json rows = json::array();
  for (size_t y = 0; y < result.before.size(); ++y) {
    rows.push_back({{"year", FiscalYearLabel(query.options.from_year + static_cast<int>(y))},
                    {"before", OkuYen(result.before[y])},
                    {"after", OkuYen(result.after[y])}});
  }
  json moves = json::array();
  for (const LevellingMove& move : result.moves) {
    const PlannedWork& work = projection.works[move.work];
    const Facility& facility = projection.registry.facilities[work.facility];
    moves.push_back({{"facility_id", facility.id},
                     {"facility", facility.name},
                     {"kind", WorkKindLabel(context, work.kind)},
                     {"from", FiscalYearLabel(move.from_year)},
                     {"to", FiscalYearLabel(move.to_year)},
                     {"shift", (move.to_year > move.from_year ? "+" : "") +
                                   std::to_string(move.to_year - move.from_year)},
                     {"latest", FiscalYearLabel(move.latest_allowed)},
                     {"cost", GroupThousands(work.cost_yen)},
                     {"year_before", OkuYen(move.from_year_total_before)},
                     {"year_after", OkuYen(move.from_year_total_after)}});
  }
  char gap[32];
  std::snprintf(gap, sizeof(gap), "%.1f", result.gap * 100);
  return context.Page("facilities/levelling", context.Message("facilities_levelling_title"),
                      {{"sample", projection.registry.sample},
                       {"policy_title", projection.policy.policy.title},
                       {"policies", PolicyChoices(context.app().database(), query.policy_id)},
                       {"from", query.options.from_year},
                       {"years", query.options.years},
                       {"cap", context.request().QueryParam("cap").value_or("")},
                       {"has_cap", query.cap_yen.has_value()},
                       {"method_cbc", result.method == "cbc"},
                       {"optimal", result.proven_optimal},
                       {"gap", gap},
                       {"peak_before", OkuYen(result.peak_before)},
                       {"peak_after", OkuYen(result.peak_after)},
                       {"excess_before", OkuYen(result.excess_before)},
                       {"excess_after", OkuYen(result.excess_after)},
                       {"bound", OkuYen(result.lower_bound)},
                       {"chart_before", StackedBarSvg(before, context.Message("facilities_before"),
                                                      "levelling-table", context.language())},
                       {"chart_after", StackedBarSvg(after, context.Message("facilities_after"),
                                                     "levelling-table", context.language())},
                       {"rows", rows},
                       {"moves", moves},
                       {"has_moves", !moves.empty()}});
}

Result<Response> SavePolicyForm(RequestContext& context) {
  const std::string text = context.request().Form()["policy_json"];
  // A rejected policy goes back into its editor with the error above it.
  json parsed = json::parse(text, nullptr, false);
  if (parsed.is_discarded()) {
    return PoliciesPageWithError(
        context, Status::InvalidArgument("facilities.policy_json_invalid", "policy_json"), text);
  }
  Result<LifecyclePolicy> policy = PolicyFromJson(parsed);
  if (!policy.ok()) return PoliciesPageWithError(context, policy.status(), text);
  CIVICDESK_RETURN_IF_ERROR(
      SavePolicy(context.app().database(), *policy, context.principal()->login).status());
  return http::RedirectResponse("/facilities/policies#policy-" + policy->id);
}

Result<Response> RecordWorkForm(RequestContext& context) {
  const std::string id = context.request().PathParam("id");
  CIVICDESK_ASSIGN_OR_RETURN(Registry registry, LoadRegistry(context.app().database()));
  const Facility* facility = nullptr;
  for (const Facility& candidate : registry.facilities)
    if (candidate.id == id) facility = &candidate;
  if (facility == nullptr) return Status::NotFound("facilities.facility_not_found", {{"id", id}});
  CIVICDESK_RETURN_IF_ERROR(MayRecordWorks(context, *facility));
  std::map<std::string, std::string> form = context.request().Form();
  WorkRecord work;
  CIVICDESK_ASSIGN_OR_RETURN(work.kind, ParseWorkKind(form["kind"]));
  if (!form["cost_yen"].empty()) {
    std::optional<int64_t> cost = ParseWholeNumber(form["cost_yen"], 0);
    if (!cost) return Status::InvalidArgument("facilities.cost_yen_invalid", "cost_yen");
    work.cost_yen = *cost;
  }
  std::optional<int64_t> year = ParseWholeNumber(form["year"], 1868, 2200);
  if (!year) return Status::InvalidArgument("facilities.work_year_invalid", "year");
  work.year = static_cast<int>(*year);
  CIVICDESK_RETURN_IF_ERROR(AddWorkRecord(context.app().database(), id, work,
                                          static_cast<int>(TodayInJapan().year()),
                                          context.principal()->login));
  return http::RedirectResponse("/facilities/" + id);
}

}  // namespace civicdesk::facilities
