#include "facilities/facilities_module.h"

#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/date.h"
#include "core/fiscal_year.h"
#include "core/number_format.h"
#include "core/wareki.h"
#include "core/xlsx_writer.h"
#include "embedded/facilities_files.h"
#include "embedded/facilities_sample.h"
#include "facilities/levelling.h"
#include "facilities/registry_io.h"
#include "facilities/report.h"
#include "facilities/store.h"

namespace civicdesk::facilities {
namespace {

using http::RequestContext;
using http::Response;
using nlohmann::json;

constexpr int kMaxYears = 100;

// Costs fall in fiscal years: 2025 → 令和7(2025)年度.
std::string FiscalYearLabel(int year) { return FormatWarekiFiscalYear(FiscalYear(year)); }

// What a projection page, file or levelling is asked for, from the query string.
struct ProjectionQuery {
  std::string policy_id = "soumu";
  ProjectionOptions options;
  Grouping grouping = Grouping::kCategory;
  std::string by = "category";
  std::optional<int64_t> cap_yen;
};

Result<int> QueryInt(const http::Request& request, const char* name, int fallback, int low,
                     int high) {
  std::optional<std::string> text = request.QueryParam(name);
  if (!text || text->empty()) return fallback;
  std::optional<int64_t> value = ParseWholeNumber(*text, low, high);
  if (!value) {
    return Status::InvalidArgument(std::to_string(low) + "〜" + std::to_string(high) +
                                       " の整数で指定してください / an integer in range",
                                   name);
  }
  return static_cast<int>(*value);
}

Result<ProjectionQuery> ParseQuery(const http::Request& request) {
  ProjectionQuery query;
  query.policy_id = request.QueryParam("policy").value_or("soumu");
  if (query.policy_id.empty()) query.policy_id = "soumu";
  const int this_year = FiscalYear::Containing(TodayInJapan()).year();
  Result<int> from = QueryInt(request, "from", this_year, 1990, 2200);
  if (!from.ok()) return from.status();
  Result<int> years = QueryInt(request, "years", 40, 1, kMaxYears);
  if (!years.ok()) return years.status();
  query.options = {*from, *years};
  query.by = request.QueryParam("by").value_or("category");
  if (query.by.empty()) query.by = "category";
  Result<Grouping> grouping = ParseGrouping(query.by);
  if (!grouping.ok()) return grouping.status();
  query.grouping = *grouping;
  // The cap is given in 億円 (what staff think in), possibly with a decimal.
  if (std::optional<std::string> cap = request.QueryParam("cap"); cap && !cap->empty()) {
    char* end = nullptr;
    const double oku = std::strtod(cap->c_str(), &end);
    if (end != cap->c_str() + cap->size() || !(oku > 0) || oku > 1e6) {
      return Status::InvalidArgument("上限は正の数（億円）で指定してください / cap in 億円", "cap");
    }
    query.cap_yen = std::llround(oku * 1e8);
  }
  return query;
}

std::string QueryString(const ProjectionQuery& query) {
  return "policy=" + query.policy_id + "&from=" + std::to_string(query.options.from_year) +
         "&years=" + std::to_string(query.options.years) + "&by=" + query.by;
}

// Everything a projection needs, loaded once per request.
struct Projection {
  Registry registry;
  StoredPolicy policy;
  std::vector<PlannedWork> works;
  FacilityYearCosts facility_years;
};

Result<Projection> Project(storage::Database& database, const ProjectionQuery& query) {
  Projection projection;
  Result<Registry> registry = LoadRegistry(database);
  if (!registry.ok()) return registry.status();
  projection.registry = std::move(*registry);
  Result<StoredPolicy> policy = FindPolicy(database, query.policy_id);
  if (!policy.ok()) {
    if (policy.status().code() == StatusCode::kNotFound)
      return Status::InvalidArgument(policy.status().message(), "policy");
    return policy.status();
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

// The years × groups table of a page: one row per year with each group's cost in 億円.
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

json GroupingChoices(RequestContext& context, const std::string& selected) {
  json choices = json::array();
  for (const char* by : {"category", "district", "kind", "facility"}) {
    choices.push_back({{"value", by},
                       {"label", context.Message(std::string("facilities_by_") + by)},
                       {"selected", selected == by}});
  }
  return choices;
}

Response IndexPage(RequestContext& context) {
  Result<Registry> registry = LoadRegistry(context.app().database());
  if (!registry.ok()) return context.Error(registry.status());
  std::map<std::string, std::pair<int, double>> by_category;
  std::map<std::string, std::pair<int, double>> by_district;
  json facilities = json::array();
  const int this_year = static_cast<int>(TodayInJapan().year());
  for (const Facility& facility : registry->facilities) {
    auto& category = by_category[std::string(CategoryName(facility.category))];
    category.first++;
    category.second += facility.floor_area_sqm;
    auto& district = by_district[facility.district];
    district.first++;
    district.second += facility.floor_area_sqm;
    facilities.push_back({{"id", facility.id},
                          {"name", facility.name},
                          {"category", CategoryName(facility.category)},
                          {"district", facility.district},
                          {"area", GroupThousands(std::llround(facility.floor_area_sqm))},
                          {"built", FormatWarekiYear(facility.year_built)},
                          {"age", this_year - facility.year_built}});
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
                      {{"sample", registry->sample},
                       {"count", registry->facilities.size()},
                       {"by_category", counts(by_category)},
                       {"by_district", counts(by_district)},
                       {"facilities", facilities}});
}

Response RegistryExport(RequestContext& context, bool xlsx) {
  Result<Registry> registry = LoadRegistry(context.app().database());
  if (!registry.ok()) return context.Error(registry.status());
  Response response;
  if (!xlsx) {
    std::ostringstream csv;
    WriteFacilitiesCsv(registry->facilities, csv);
    response.content_type = "text/csv; charset=utf-8";
    response.body = csv.str();
    response.AddHeader("Content-Disposition", "attachment; filename=\"facilities.csv\"");
    return response;
  }
  XlsxSheet sheet{"施設", {}, FacilityRows(registry->facilities)};
  for (const char* column : kFacilityColumns) sheet.header.emplace_back(column);
  Result<std::string> bytes = XlsxWorkbookBytes({sheet});
  if (!bytes.ok()) return context.Error(bytes.status());
  response.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  response.body = std::move(*bytes);
  response.AddHeader("Content-Disposition", "attachment; filename=\"facilities.xlsx\"");
  return response;
}

json WorkRows(RequestContext& context, const Projection& projection,
              const std::vector<PlannedWork>& works, const std::vector<int>* starts = nullptr) {
  json rows = json::array();
  for (size_t w = 0; w < works.size(); ++w) {
    const PlannedWork& work = works[w];
    const Facility& facility = projection.registry.facilities[work.facility];
    const int start = starts ? (*starts)[w] : work.start_year;
    rows.push_back(
        {{"facility_id", facility.id},
         {"facility", facility.name},
         {"kind", context.language() == "en" ? WorkKindNameEn(work.kind) : WorkKindName(work.kind)},
         {"due", FiscalYearLabel(work.due_year)},
         {"start",
          work.overdue ? context.Message("facilities_backlog_years") : FiscalYearLabel(start)},
         {"overdue", work.overdue},
         {"years",
          work.overdue ? projection.policy.policy.backlog_spread_years : work.duration_years},
         {"cost", GroupThousands(work.cost_yen)}});
  }
  return rows;
}

// Admins, publishers and staff of the facility's owning section record completed works.
bool MayRecordWorks(RequestContext& context, const Facility& facility) {
  if (context.RequireRole({http::Role::kAdmin, http::Role::kPublisher}).ok()) return true;
  return context.principal() && !facility.section.empty() &&
         context.principal()->section == facility.section;
}

json WorkKindChoices(RequestContext& context) {
  json kinds = json::array();
  for (WorkKind kind : {WorkKind::kMidRepair, WorkKind::kRenovation, WorkKind::kLifeExtension,
                        WorkKind::kRebuild}) {
    kinds.push_back(
        {{"value", WorkKindName(kind)},
         {"label", context.language() == "en" ? WorkKindNameEn(kind) : WorkKindName(kind)}});
  }
  return kinds;
}

Response RecordWorkForm(RequestContext& context) {
  if (Status signed_in = context.RequireRole(
          {http::Role::kAdmin, http::Role::kPublisher, http::Role::kSectionStaff});
      !signed_in.ok())
    return context.Error(signed_in);
  const std::string id = context.request().PathParam("id");
  Result<Registry> registry = LoadRegistry(context.app().database());
  if (!registry.ok()) return context.Error(registry.status());
  const Facility* facility = nullptr;
  for (const Facility& candidate : registry->facilities)
    if (candidate.id == id) facility = &candidate;
  if (facility == nullptr)
    return context.Error(Status::NotFound("施設が見つかりません / no such facility"));
  if (!MayRecordWorks(context, *facility)) {
    return context.Error(Status::PermissionDenied(
        "この施設の工事を記録できるのは所管課の職員です / only the owning section records works"));
  }
  std::map<std::string, std::string> form = context.request().Form();
  WorkRecord work;
  Result<WorkKind> kind = ParseWorkKind(form["kind"]);
  if (!kind.ok()) return context.Error(Status::InvalidArgument(kind.status().message(), "kind"));
  work.kind = *kind;
  if (!form["cost_yen"].empty()) {
    std::optional<int64_t> cost = ParseWholeNumber(form["cost_yen"], 0);
    if (!cost)
      return context.Error(
          Status::InvalidArgument("0以上の円の整数で入力してください", "cost_yen"));
    work.cost_yen = *cost;
  }
  std::optional<int64_t> year = ParseWholeNumber(form["year"], 1868, 2200);
  if (!year) return context.Error(Status::InvalidArgument("西暦の年で入力してください", "year"));
  work.year = static_cast<int>(*year);
  if (Status added =
          AddWorkRecord(context.app().database(), id, work, static_cast<int>(TodayInJapan().year()),
                        context.principal()->login);
      !added.ok())
    return context.Error(added);
  return http::RedirectResponse("/facilities/" + id);
}

Response FacilityPage(RequestContext& context) {
  const std::string id = context.request().PathParam("id");
  Result<ProjectionQuery> query = ParseQuery(context.request());
  if (!query.ok()) return context.Error(query.status());
  Result<Projection> projection = Project(context.app().database(), *query);
  if (!projection.ok()) return context.Error(projection.status());
  size_t index = projection->registry.facilities.size();
  for (size_t f = 0; f < projection->registry.facilities.size(); ++f) {
    if (projection->registry.facilities[f].id == id) index = f;
  }
  if (index == projection->registry.facilities.size())
    return context.Error(Status::NotFound("施設が見つかりません / no such facility"));
  const Facility& facility = projection->registry.facilities[index];
  std::vector<PlannedWork> own;
  for (const PlannedWork& work : projection->works)
    if (work.facility == index) own.push_back(work);
  json history = json::array();
  for (const WorkRecord& record : facility.history) {
    history.push_back({{"year", FormatWarekiYear(record.year)},
                       {"kind", context.language() == "en" ? WorkKindNameEn(record.kind)
                                                           : WorkKindName(record.kind)},
                       {"cost", record.cost_yen > 0 ? GroupThousands(record.cost_yen) : "—"}});
  }
  int64_t total = 0;
  for (int64_t cost : projection->facility_years[index]) total += cost;
  return context.Page(
      "facilities/facility", facility.name,
      {{"sample", projection->registry.sample},
       {"facility",
        {{"id", facility.id},
         {"name", facility.name},
         {"category", CategoryName(facility.category)},
         {"district", facility.district},
         {"area", GroupThousands(std::llround(facility.floor_area_sqm))},
         {"built", FormatWarekiYear(facility.year_built)},
         {"structure", facility.structure},
         {"section", facility.section},
         {"rebuild_age", facility.rebuild_age ? std::to_string(*facility.rebuild_age) : ""},
         {"rebuild_unit",
          facility.rebuild_yen_per_sqm ? GroupThousands(*facility.rebuild_yen_per_sqm) : ""}}},
       {"history", history},
       {"has_history", !history.empty()},
       {"works", WorkRows(context, *projection, own)},
       {"has_works", !own.empty()},
       {"policy_title", projection->policy.policy.title},
       {"policies", PolicyChoices(context.app().database(), query->policy_id)},
       {"from", query->options.from_year},
       {"years", query->options.years},
       {"total", GroupThousands(total)},
       {"may_record", MayRecordWorks(context, facility)},
       {"csrf_token", MayRecordWorks(context, facility) ? context.csrf_token() : ""},
       {"kinds", WorkKindChoices(context)},
       {"this_year", static_cast<int>(TodayInJapan().year())}});
}

Response ProjectionPage(RequestContext& context) {
  Result<ProjectionQuery> query = ParseQuery(context.request());
  if (!query.ok()) return context.Error(query.status());
  Result<Projection> projection = Project(context.app().database(), *query);
  if (!projection.ok()) return context.Error(projection.status());
  const GroupedCosts costs = Group(*projection, *query);
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
      {{"sample", projection->registry.sample},
       {"policy_title", projection->policy.policy.title},
       {"policy_version", projection->policy.policy.version},
       {"policies", PolicyChoices(context.app().database(), query->policy_id)},
       {"groupings", GroupingChoices(context, query->by)},
       {"from", query->options.from_year},
       {"years", query->options.years},
       {"from_wareki", FiscalYearLabel(query->options.from_year)},
       {"to_wareki", FiscalYearLabel(query->options.from_year + query->options.years - 1)},
       {"chart", StackedBarSvg(costs, title, "projection-table")},
       {"labels", labels},
       {"rows", CostTable(costs)},
       {"sum", OkuYen(sum)},
       {"average", OkuYen(totals.empty() ? 0 : sum / static_cast<int64_t>(totals.size()))},
       {"peak_year", FiscalYearLabel(query->options.from_year + static_cast<int>(peak))},
       {"peak", OkuYen(totals.empty() ? 0 : totals[peak])},
       {"facility_count", projection->registry.facilities.size()},
       {"query", QueryString(*query)}});
}

Response ProjectionFile(RequestContext& context, bool xlsx) {
  Result<ProjectionQuery> query = ParseQuery(context.request());
  if (!query.ok()) return context.Error(query.status());
  Result<Projection> projection = Project(context.app().database(), *query);
  if (!projection.ok()) return context.Error(projection.status());
  const GroupedCosts costs = Group(*projection, *query);
  const std::string column = GroupColumn(query->grouping);
  Response response;
  if (!xlsx) {
    std::ostringstream csv;
    WriteGroupedCsv(costs, column, csv);
    response.content_type = "text/csv; charset=utf-8";
    response.body = "\xEF\xBB\xBF" + csv.str();
    response.AddHeader("Content-Disposition", "attachment; filename=\"projection.csv\"");
    return response;
  }
  XlsxSheet sheet{"将来経費", {"year", column, "cost_yen"}, {}};
  for (size_t y = 0; y < costs.Totals().size(); ++y) {
    for (size_t s = 0; s < costs.series.size(); ++s) {
      sheet.rows.push_back({std::to_string(costs.from_year + static_cast<int>(y)), costs.labels[s],
                            std::to_string(costs.series[s][y])});
    }
  }
  XlsxSheet works{"工事一覧",
                  {"facility_id", "facility", "kind", "due_year", "start_year", "duration_years",
                   "overdue", "cost_yen"},
                  {}};
  for (const PlannedWork& work : projection->works) {
    const Facility& facility = projection->registry.facilities[work.facility];
    works.rows.push_back(
        {facility.id, facility.name, std::string(WorkKindName(work.kind)),
         std::to_string(work.due_year), std::to_string(work.start_year),
         std::to_string(work.overdue ? projection->policy.policy.backlog_spread_years
                                     : work.duration_years),
         work.overdue ? "1" : "0", std::to_string(work.cost_yen)});
  }
  Result<std::string> bytes = XlsxWorkbookBytes({sheet, works});
  if (!bytes.ok()) return context.Error(bytes.status());
  response.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  response.body = std::move(*bytes);
  response.AddHeader("Content-Disposition", "attachment; filename=\"projection.xlsx\"");
  return response;
}

Response LevellingPage(RequestContext& context) {
  if (Status allowed = context.RequireRole(
          {http::Role::kAdmin, http::Role::kPublisher, http::Role::kSectionStaff});
      !allowed.ok())
    return context.Error(allowed);
  Result<ProjectionQuery> query = ParseQuery(context.request());
  if (!query.ok()) return context.Error(query.status());
  Result<Projection> projection = Project(context.app().database(), *query);
  if (!projection.ok()) return context.Error(projection.status());
  LevellingOptions options;
  options.yearly_cap_yen = query->cap_yen;
  options.exact_time_limit_seconds = 2;  // a page: CBC improves on the heuristic for 2 s
  const LevellingResult result = LevelWorks(projection->works, projection->facility_years,
                                            projection->policy.policy, query->options, options);
  GroupedCosts before{
      query->options.from_year, {context.Message("facilities_before")}, {result.before}};
  GroupedCosts after{
      query->options.from_year, {context.Message("facilities_after")}, {result.after}};
  json rows = json::array();
  for (size_t y = 0; y < result.before.size(); ++y) {
    rows.push_back({{"year", FiscalYearLabel(query->options.from_year + static_cast<int>(y))},
                    {"before", OkuYen(result.before[y])},
                    {"after", OkuYen(result.after[y])}});
  }
  json moves = json::array();
  for (const LevellingMove& move : result.moves) {
    const PlannedWork& work = projection->works[move.work];
    const Facility& facility = projection->registry.facilities[work.facility];
    moves.push_back(
        {{"facility_id", facility.id},
         {"facility", facility.name},
         {"kind", context.language() == "en" ? WorkKindNameEn(work.kind) : WorkKindName(work.kind)},
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
                      {{"sample", projection->registry.sample},
                       {"policy_title", projection->policy.policy.title},
                       {"policies", PolicyChoices(context.app().database(), query->policy_id)},
                       {"from", query->options.from_year},
                       {"years", query->options.years},
                       {"cap", context.request().QueryParam("cap").value_or("")},
                       {"has_cap", query->cap_yen.has_value()},
                       {"method_cbc", result.method == "cbc"},
                       {"optimal", result.proven_optimal},
                       {"gap", gap},
                       {"peak_before", OkuYen(result.peak_before)},
                       {"peak_after", OkuYen(result.peak_after)},
                       {"excess_before", OkuYen(result.excess_before)},
                       {"excess_after", OkuYen(result.excess_after)},
                       {"bound", OkuYen(result.lower_bound)},
                       {"chart_before", StackedBarSvg(before, context.Message("facilities_before"),
                                                      "levelling-table")},
                       {"chart_after", StackedBarSvg(after, context.Message("facilities_after"),
                                                     "levelling-table")},
                       {"rows", rows},
                       {"moves", moves},
                       {"has_moves", !moves.empty()}});
}

bool MayEditPolicies(RequestContext& context) {
  return context.RequireRole({http::Role::kAdmin, http::Role::kPublisher}).ok();
}

Response PoliciesPage(RequestContext& context, const std::string& error_field = {},
                      const std::string& error_message = {}, const std::string& draft = {},
                      int status = 200) {
  Result<std::vector<StoredPolicy>> policies = LatestPolicies(context.app().database());
  if (!policies.ok()) return context.Error(policies.status());
  const bool editable = MayEditPolicies(context);
  json items = json::array();
  for (const StoredPolicy& stored : *policies) {
    const LifecyclePolicy& policy = stored.policy;
    json cycle = json::array();
    for (const CycleWork& work : policy.cycle) {
      char ratio[16];
      std::snprintf(ratio, sizeof(ratio), "%.0f", work.cost_ratio * 100);
      cycle.push_back({{"kind", context.language() == "en" ? WorkKindNameEn(work.kind)
                                                           : WorkKindName(work.kind)},
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
            : (policies->empty() ? "" : policies->front().policy.id);
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
                       {"has_error", !error_message.empty()},
                       {"error_field", error_field},
                       {"error_message", error_message}},
                      status);
}

Response SavePolicyForm(RequestContext& context) {
  if (Status allowed = context.RequireRole({http::Role::kAdmin, http::Role::kPublisher});
      !allowed.ok())
    return context.Error(allowed);
  const std::string text = context.request().Form()["policy_json"];
  json parsed = json::parse(text, nullptr, false);
  if (parsed.is_discarded()) {
    return PoliciesPage(context, "policy_json", "JSON として読めません / not valid JSON", text,
                        422);
  }
  Result<LifecyclePolicy> policy = PolicyFromJson(parsed);
  if (!policy.ok()) {
    return PoliciesPage(context, policy.status().field(), policy.status().message(), text, 422);
  }
  Result<int> version = SavePolicy(context.app().database(), *policy, context.principal()->login);
  if (!version.ok()) return context.Error(version.status());
  return http::RedirectResponse("/facilities/policies#policy-" + policy->id);
}

Status LoadSample(storage::Database& database) {
  Result<storage::QueryResult> existing = database.Query("SELECT COUNT(*) FROM facility_policy");
  if (!existing.ok()) return existing.status();
  if (storage::AsInt(existing->rows[0][0]) > 0) return Status::Ok();
  for (const LifecyclePolicy& policy : {SoumuPolicy(), LongLife80Policy()}) {
    if (Result<int> saved = SavePolicy(database, policy, "system"); !saved.ok())
      return saved.status();
  }
  // A register imported before the first start is the ward's own: no sample beside it.
  Result<storage::QueryResult> facilities_present = database.Query("SELECT COUNT(*) FROM facility");
  if (!facilities_present.ok()) return facilities_present.status();
  if (storage::AsInt(facilities_present->rows[0][0]) > 0) return Status::Ok();
  std::optional<std::string_view> csv = facilities_sample::FindEmbeddedFile("facilities.csv");
  if (!csv) return Status::Internal("the sample registry is not embedded");
  std::istringstream input{std::string(*csv)};
  Result<std::vector<Facility>> facilities =
      ReadFacilitiesCsv(input, static_cast<int>(TodayInJapan().year()));
  if (!facilities.ok())
    return Status::Internal("sample registry: " + facilities.status().ToString());
  return ImportRegistry(database, *facilities, true, "system");
}

Result<std::vector<http::PublicDataset>> Datasets(http::App& app) {
  Result<Registry> registry = LoadRegistry(app.database());
  if (!registry.ok()) return registry.status();
  const std::string sample = registry->sample ? "（サンプルデータ）" : "";
  const std::string sample_en = registry->sample ? " (sample data)" : "";
  const std::string sample_note =
      registry->sample
          ? "試算の機能を試すための架空のサンプルデータであり、港区の施設の実際の値ではありません。"
          : "";
  http::PublicDataset list;
  list.id = "facilities";
  list.title = "公共施設一覧" + sample;
  list.title_en = "Public facilities" + sample_en;
  list.description =
      "区有施設の名称、総務省の施設分類、地区、延床面積、建築年、構造、所管課。" + sample_note;
  list.tags = {"公共施設", "施設マネジメント"};
  list.standard = "公共施設一覧";
  list.columns = {"施設番号",       "名称",   "施設分類", "地区",
                  "延床面積（㎡）", "建築年", "構造",     "所管課"};
  list.rows = [](http::App& app, const http::DatasetRowWriter& write) -> Status {
    Result<Registry> registry = LoadRegistry(app.database());
    if (!registry.ok()) return registry.status();
    for (const std::vector<std::string>& row : FacilityRows(registry->facilities)) {
      if (Status written = write({row[0], row[1], row[2], row[3], row[4], row[5], row[6], row[7]});
          !written.ok())
        return written;
    }
    return Status::Ok();
  };
  http::PublicDataset projection;
  projection.id = "facilities-projection";
  projection.title = "公共施設の将来経費試算（総務省方式・施設分類別）" + sample;
  projection.title_en = "Future cost of public facilities by category" + sample_en;
  projection.description =
      "総務省 公共施設等更新費用試算ソフトの考え方（大規模改修30年・建替え60年、積み残しは10年で"
      "平準化）による今年度からの40年間の年度別・施設分類別の経費（円）。" +
      sample_note;
  projection.tags = {"公共施設", "将来経費"};
  projection.columns = {"年度", "施設分類", "経費（円）"};
  projection.rows = [](http::App& app, const http::DatasetRowWriter& write) -> Status {
    ProjectionQuery query;
    query.options = {FiscalYear::Containing(TodayInJapan()).year(), 40};
    Result<Projection> result = Project(app.database(), query);
    if (!result.ok()) return result.status();
    const GroupedCosts costs = Group(*result, query);
    for (size_t y = 0; y < costs.Totals().size(); ++y) {
      for (size_t s = 0; s < costs.series.size(); ++s) {
        if (Status written = write({std::to_string(costs.from_year + static_cast<int>(y)),
                                    costs.labels[s], std::to_string(costs.series[s][y])});
            !written.ok())
          return written;
      }
    }
    return Status::Ok();
  };
  return std::vector<http::PublicDataset>{list, projection};
}

}  // namespace

http::Module FacilitiesModule() {
  http::Module module;
  module.name = "facilities";
  module.migrations = FacilitiesMigrations();
  module.install = [](http::App& app) -> Status {
    Status added = http::AddEmbeddedTemplatesAndMessages(app, "facilities",
                                                         facilities_files::EmbeddedFilePaths(),
                                                         facilities_files::FindEmbeddedFile);
    if (!added.ok()) return added;
    http::Router& router = app.router();
    router.Get("/facilities", http::PublicCache(http::kPublicPageSeconds, IndexPage));
    router.Get("/facilities/registry.csv",
               [](RequestContext& context) { return RegistryExport(context, false); });
    router.Get("/facilities/registry.xlsx",
               [](RequestContext& context) { return RegistryExport(context, true); });
    router.Get("/facilities/projection", ProjectionPage);
    router.Get("/facilities/projection.csv",
               [](RequestContext& context) { return ProjectionFile(context, false); });
    router.Get("/facilities/projection.xlsx",
               [](RequestContext& context) { return ProjectionFile(context, true); });
    router.Get("/facilities/policies",
               [](RequestContext& context) { return PoliciesPage(context); });
    router.Get("/facilities/{id}", FacilityPage);
    router.Get("/staff/facilities/levelling", LevellingPage);
    router.Post("/staff/facilities/policies", SavePolicyForm);
    router.Post("/staff/facilities/{id}/works", RecordWorkForm);
    return Status::Ok();
  };
  module.load_initial_data = LoadSample;
  module.public_datasets = Datasets;
  module.audit_trail = FacilitiesAuditTrail;
  module.indicators.push_back(
      {std::string(kMaintenanceWorks), "施設台帳の工事履歴（自動集計）",
       [](storage::Database& database) -> Result<std::map<int, double>> {
         Result<storage::QueryResult> rows = database.Query(
             "SELECT w.year, COUNT(*) FROM facility_work w JOIN facility f ON f.id = w.facility_id"
             " WHERE f.sample = 0 AND w.year >= 2021 GROUP BY w.year ORDER BY w.year");
         if (!rows.ok()) return rows.status();
         std::map<int, double> cumulative;
         double running = 0;
         for (const auto& row : rows->rows) {
           running += static_cast<double>(storage::AsInt(row[1]));
           cumulative[static_cast<int>(storage::AsInt(row[0]))] = running;
         }
         return cumulative;
       }});
  return module;
}

}  // namespace civicdesk::facilities
