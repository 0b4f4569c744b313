#ifndef CIVICDESK_FACILITIES_VIEWS_H_
#define CIVICDESK_FACILITIES_VIEWS_H_

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "facilities/lifecycle.h"
#include "facilities/report.h"
#include "facilities/store.h"
#include "http/app.h"

// What the pages, the staff pages and the downloads share: the projection a query string asks
// for, and the pieces of page data built from it.
namespace civicdesk::facilities {

// What a projection page, file or levelling is asked for, from the query string.
struct ProjectionQuery {
  std::string policy_id = "soumu";
  ProjectionOptions options;
  Grouping grouping = Grouping::kCategory;
  std::string by = "category";
  std::optional<int64_t> cap_yen;
};

// policy, from (a Western year, this fiscal year when absent), years (1-100, 40), by and cap
// (億円, positive, possibly with a decimal); InvalidArgument naming the parameter otherwise.
Result<ProjectionQuery> ParseQuery(const http::Request& request);
// The query string that asks for `query` again: "policy=soumu&from=2025&years=40&by=category".
std::string QueryString(const ProjectionQuery& query);

// Everything a projection needs, loaded once per request.
struct Projection {
  Registry registry;
  StoredPolicy policy;
  std::vector<PlannedWork> works;
  FacilityYearCosts facility_years;
};

// The registry under the query's policy; an unknown policy is InvalidArgument naming "policy".
Result<Projection> Project(storage::Database& database, const ProjectionQuery& query);
// The projection's yearly costs grouped as the query asks.
GroupedCosts Group(const Projection& projection, const ProjectionQuery& query);
// The name of the group column in files: "category", "district", "facility" or "kind".
std::string GroupColumn(Grouping grouping);

// Costs fall in fiscal years: 2025 → 令和7(2025)年度.
std::string FiscalYearLabel(int year);
// The kind of work in the request's language.
std::string WorkKindLabel(const http::RequestContext& context, WorkKind kind);

// The years × groups table of a page: one row per year with each group's cost in 億円.
nlohmann::json CostTable(const GroupedCosts& costs);
// The stored policies as <select> options, `selected` chosen.
nlohmann::json PolicyChoices(storage::Database& database, const std::string& selected);
// The groupings as <select> options, `selected` chosen.
nlohmann::json GroupingChoices(const http::RequestContext& context, const std::string& selected);
// The planned `works` of a projection as table rows.
nlohmann::json WorkRows(const http::RequestContext& context, const Projection& projection,
                        const std::vector<PlannedWork>& works);
// The kinds of work a recorded work may be, as <select> options.
nlohmann::json WorkKindChoices(const http::RequestContext& context);

}  // namespace civicdesk::facilities

#endif  // CIVICDESK_FACILITIES_VIEWS_H_
