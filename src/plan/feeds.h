#ifndef CIVICDESK_PLAN_FEEDS_H_
#define CIVICDESK_PLAN_FEEDS_H_

#include <nlohmann/json.hpp>

#include "core/result.h"
#include "http/app.h"

namespace civicdesk::plan {

// Atom feeds of KPI updates (feeds.cc), and the links a page's <head> carries to them (the
// policy's own too when `policy` > 0).
Result<http::Response> KpisFeed(http::RequestContext& context);  // /plan/kpis.atom
Result<http::Response> PolicyKpisFeed(
    http::RequestContext& context);  // /plan/policies/{n}/kpis.atom
nlohmann::json PlanFeedLinks(http::RequestContext& context, int policy);

}  // namespace civicdesk::plan

#endif  // CIVICDESK_PLAN_FEEDS_H_
