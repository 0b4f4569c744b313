#include "facilities/views.h"

#include <cmath>
#include <cstdlib>

#include "core/date.h"
#include "core/fiscal_year.h"
#include "core/number_format.h"
#include "core/wareki.h"

namespace civicdesk::facilities {
namespace {

using nlohmann::json;

constexpr int kMaxYears = 100;

Result<int> QueryInt(const http::Request& request, const char* name, int fallback, int low,
                     int high) {
  std::optional<std::string> text = request.QueryParam(name);
  if (!text || text->empty()) return fallback;
  std::optional<int64_t> value = ParseWholeNumber(*text, low, high);
  if (!value) {
    return Status::InvalidArgument("facilities.query_integer_range",
                                   {{"low", std::to_string(low)}, {"high", std::to_string(high)}},
                                   name);
  }
  return static_cast<int>(*value);
}

}  // namespace

Result<ProjectionQuery> ParseQuery(const http::Request& request) {
  ProjectionQuery query;
  query.policy_id = request.QueryParam("policy").value_or("soumu");
  if (query.policy_id.empty()) query.policy_id = "soumu";
  const int this_year = FiscalYear::Containing(TodayInJapan()).year();
  CIVICDESK_ASSIGN_OR_RETURN(const int from, QueryInt(request, "from", this_year, 1990, 2200));
  CIVICDESK_ASSIGN_OR_RETURN(const int years, QueryInt(request, "years", 40, 1, kMaxYears));
  query.options = {from, years};
  query.by = request.QueryParam("by").value_or("category");
  if (query.by.empty()) query.by = "category";
  CIVICDESK_ASSIGN_OR_RETURN(query.grouping, ParseGrouping(query.by));
  // The cap is given in 億円 (what staff think in), possibly with a decimal.
  if (std::optional<std::string> cap = request.QueryParam("cap"); cap && !cap->empty()) {
    char* end = nullptr;
    const double oku = std::strtod(cap->c_str(), &end);
    if (end != cap->c_str() + cap->size() || !(oku > 0) || oku > 1e6)
      return Status::InvalidArgument("facilities.cap_invalid", "cap");
    query.cap_yen = std::llround(oku * 1e8);
  }
  return query;
}

std::string QueryString(const ProjectionQuery& query) {
  return "policy=" + query.policy_id + "&from=" + std::to_string(query.options.from_year) +
         "&years=" + std::to_string(query.options.years) + "&by=" + query.by;
}

Result<Projection> Project(storage::Database& database, const ProjectionQuery& query) {
  Projection projection;
  CIVICDESK_ASSIGN_OR_RETURN(projection.registry, LoadRegistry(database));
  Result<StoredPolicy> policy = FindPolicy(database, query.policy_id);
  if (!policy.ok()) {
    const Status& missing = policy.status();
    // A policy the query names that does not exist is bad input, not a missing page.
    if (missing.code() == StatusCode::kNotFound)
      return Status(StatusCode::kInvalidArgument, missing.message_id(), missing.args(), "policy");
    return missing;
  }
  projection.policy = std::move(*policy);
  projection.works =
      ScheduleWorks(projection.registry.facilities, projection.policy.policy, query.options);
  projection.facility_years = CostByFacilityAndYear(
      projection.registry.facilities, projection.works, projection.policy.policy, query.options);
  return projection;
}

GroupedCosts Group(const Projection& projection, const ProjectionQuery& query) {
  if (query.grouping == Grouping::kWorkKind) {
    return GroupCostsByWorkKind(projection.registry.facilities, projection.works,
                                projection.policy.policy, query.options);
  }
  return GroupCosts(projection.registry.facilities, projection.facility_years, query.grouping,
                    query.options);
}

std::string GroupColumn(Grouping grouping) {
  switch (grouping) {
    case Grouping::kCategory:
      return "category";
    case Grouping::kDistrict:
      return "district";
    case Grouping::kFacility:
      return "facility";
    case Grouping::kWorkKind:
      return "kind";
  }
  return "category";
}

std::string FiscalYearLabel(int year) { return FormatWarekiFiscalYear(FiscalYear(year)); }

std::string WorkKindLabel(const http::RequestContext& context, WorkKind kind) {
  return std::string(context.language() == "en" ? WorkKindNameEn(kind) : WorkKindName(kind));
}

json CostTable(const GroupedCosts& costs) {
  json rows = json::array();
  const std::vector<int64_t> totals = costs.Totals();
  for (size_t y = 0; y < totals.size(); ++y) {
    json cells = json::array();
    for (const auto& series : costs.series) cells.push_back(OkuYen(series[y]));
    const int year = costs.from_year + static_cast<int>(y);
    rows.push_back(
        {{"year", FiscalYearLabel(year)}, {"cells", cells}, {"total", OkuYen(totals[y])}});
  }
  return rows;
}

json PolicyChoices(storage::Database& database, const std::string& selected) {
  json choices = json::array();
  Result<std::vector<StoredPolicy>> policies = LatestPolicies(database);
  if (!policies.ok()) return choices;
  for (const StoredPolicy& stored : *policies) {
    choices.push_back({{"id", stored.policy.id},
                       {"title", stored.policy.title},
                       {"selected", stored.policy.id == selected}});
  }
  return choices;
}

json GroupingChoices(const http::RequestContext& context, const std::string& selected) {
  json choices = json::array();
  for (const char* by : {"category", "district", "kind", "facility"}) {
    choices.push_back({{"value", by},
                       {"label", context.Message(std::string("facilities_by_") + by)},
                       {"selected", selected == by}});
  }
  return choices;
}

json WorkRows(const http::RequestContext& context, const Projection& projection,
              const std::vector<PlannedWork>& works) {
  json rows = json::array();
  for (const PlannedWork& work : works) {
    const Facility& facility = projection.registry.facilities[work.facility];
    rows.push_back({{"facility_id", facility.id},
                    {"facility", facility.name},
                    {"kind", WorkKindLabel(context, work.kind)},
                    {"due", FiscalYearLabel(work.due_year)},
                    {"start", work.overdue ? context.Message("facilities_backlog_years")
                                           : FiscalYearLabel(work.start_year)},
                    {"overdue", work.overdue},
                    {"years", work.overdue ? projection.policy.policy.backlog_spread_years
                                           : work.duration_years},
                    {"cost", GroupThousands(work.cost_yen)}});
  }
  return rows;
}

json WorkKindChoices(const http::RequestContext& context) {
  json kinds = json::array();
  for (WorkKind kind : {WorkKind::kMidRepair, WorkKind::kRenovation, WorkKind::kLifeExtension,
                        WorkKind::kRebuild}) {
    kinds.push_back({{"value", WorkKindName(kind)}, {"label", WorkKindLabel(context, kind)}});
  }
  return kinds;
}

}  // namespace civicdesk::facilities
