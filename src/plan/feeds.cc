// The plan's Atom feeds (http/atom.h): KPI updates — each fiscal year's actual as staff or an
// import entered it, newest first — for the whole plan (/plan/kpis.atom) and per policy
// (/plan/policies/{n}/kpis.atom). An entry's id is its KPI and fiscal year, so a corrected
// value is the same entry, updated. The plan, dashboard and policy pages link to them.
#include "plan/feeds.h"

#include <map>

#include "core/date.h"
#include "core/fiscal_year.h"
#include "core/wareki.h"
#include "http/atom.h"
#include "plan/handlers.h"
#include "plan/repository.h"
#include "plan/views.h"

namespace civicdesk::plan {
namespace {

using http::RequestContext;
using http::Response;

constexpr int kFeedEntries = 100;

std::string Figure(double value) {
  char text[32];
  std::snprintf(text, sizeof(text), "%g", value);
  return text;
}

// The feed of the KPIs in `data` (the whole plan, or one policy read alone), at `path`.
Result<Response> KpiFeed(RequestContext& context, const PlanData& data, const std::string& path,
                         const std::string& page, const std::string& name,
                         const std::string& title) {
  std::map<std::string, const Kpi*> kpis;
  for (const Policy& policy : data.policies) {
    for (const Kpi& kpi : policy.kpis) kpis[kpi.code] = &kpi;
    for (const Measure& measure : policy.measures)
      for (const Kpi& kpi : measure.kpis) kpis[kpi.code] = &kpi;
  }
  const std::string base = context.app().PublicUrl();
  http::AtomFeed feed;
  feed.id = http::AtomTag(base, "plan/" + name);
  feed.title = title + " | " + context.Message("site_name");
  feed.language = context.language();
  feed.author = context.Message("site_owner");
  feed.self = base + path;
  feed.page = base + page;
  feed.updated = NowIso8601Utc();
  CIVICDESK_ASSIGN_OR_RETURN(storage::QueryResult rows,
                             context.app().database().Query(
                                 "SELECT code, fiscal_year, value, entered_at FROM plan_kpi_actual"
                                 " ORDER BY entered_at DESC, code, fiscal_year",
                                 {}));
  for (const auto& row : rows.rows) {
    if (static_cast<int>(feed.entries.size()) >= kFeedEntries) break;
    const std::string code = storage::AsText(row[0]);
    auto found = kpis.find(code);
    if (found == kpis.end()) continue;  // another policy's
    const Kpi& kpi = *found->second;
    const int year = static_cast<int>(storage::AsInt(row[1]));
    nlohmann::json named;
    PutName(context, named, "name", kpi.name, kpi.name_en);
    const std::string fiscal_year = FormatFiscalYearIn(context.language(), FiscalYear(year));
    feed.entries.push_back({http::AtomTag(base, "plan/kpi/" + code + "/" + std::to_string(year)),
                            code + " " + named["name"].get<std::string>() + ": " + fiscal_year +
                                " " + Figure(storage::AsDouble(row[2])) + kpi.unit,
                            http::Rfc3339Of(storage::AsText(row[3])), base + "/plan/kpis/" + code,
                            context.Message("feed_kpi_actual") + " " + fiscal_year});
    if (feed.entries.size() == 1) feed.updated.clear();
  }
  return http::AtomResponse(feed);
}

}  // namespace

nlohmann::json PlanFeedLinks(RequestContext& context, int policy) {
  nlohmann::json links = nlohmann::json::array(
      {{{"href", "/plan/kpis.atom"}, {"title", context.Message("feed_kpis_title")}}});
  if (policy > 0) {
    links.push_back({{"href", "/plan/policies/" + std::to_string(policy) + "/kpis.atom"},
                     {"title", context.Message("policy_label") + std::to_string(policy) + " " +
                                   context.Message("feed_kpis_title")}});
  }
  return links;
}

Result<Response> KpisFeed(RequestContext& context) {
  CIVICDESK_ASSIGN_OR_RETURN(PlanData data, ReadPlan(context.app().database()));
  return KpiFeed(context, data, "/plan/kpis.atom", "/plan/dashboard", "kpis",
                 context.Message("feed_kpis_title"));
}

Result<Response> PolicyKpisFeed(RequestContext& context) {
  CIVICDESK_ASSIGN_OR_RETURN(PlanData data, ReadPolicyOfPath(context));
  const std::string n = std::to_string(data.policies.front().number);
  return KpiFeed(context, data, "/plan/policies/" + n + "/kpis.atom", "/plan/policies/" + n,
                 "policies/" + n + "/kpis",
                 context.Message("policy_label") + n + " " + context.Message("feed_kpis_title"));
}

}  // namespace civicdesk::plan
