#ifndef CIVICDESK_PLAN_PLAN_MODULE_H_
#define CIVICDESK_PLAN_PLAN_MODULE_H_

#include <nlohmann/json.hpp>

#include "http/app.h"
#include "plan/model.h"

namespace civicdesk::plan {

// The master plan: tables plan_*, the Minato plan loaded on first start (and indexed for search),
// the public pages (/, /plan, /plan/policies/{n}, /plan/policies/{n}/measures/{m},
// /plan/kpis/{code}, /plan/evaluations, /plan/versions, /plan/dashboard), the KPI downloads
// (/plan/kpis.csv, /plan/kpis.xlsx), actual entry by the owning section
// (POST /plan/kpis/{code}/actuals), the JSON API under /api/v1/plan, three public datasets and
// the plan's audit trail.
http::Module PlanModule();

// The API shape of one KPI: {code, name, unit, note, baseline: {value, fiscal_year, label,
// kind}, targets: [{value, fiscal_year, kind, end_of_year, condition, label, min, max}]}.
// `kind` of a target is "mid_term" or "final"; `value` is null where the plan gives none
// (「減少」, a band, a value split by population).
nlohmann::json KpiJson(const Kpi& kpi);

}  // namespace civicdesk::plan

#endif  // CIVICDESK_PLAN_PLAN_MODULE_H_
