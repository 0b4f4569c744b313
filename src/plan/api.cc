// The plan's JSON API under /api/v1/plan.

#include "plan/actuals.h"
#include "plan/administrative_evaluation.h"
#include "plan/handlers.h"
#include "plan/kpi_progress.h"
#include "plan/plan_module.h"
#include "plan/repository.h"
#include "plan/views.h"

namespace civicdesk::plan {

using http::RequestContext;
using http::Response;
using nlohmann::json;

namespace {

// {module, source, reference, address, n, margin_of_error}: n and the margin null when unknown.
json FedByJson(const kpi_feed::Row& fed_by) {
  return {{"module", fed_by.module},
          {"source", fed_by.source},
          {"reference", fed_by.reference},
          {"address", fed_by.address},
          {"n", fed_by.n ? json(*fed_by.n) : json()},
          {"margin_of_error", fed_by.margin_of_error ? json(*fed_by.margin_of_error) : json()}};
}

}  // namespace

Result<Response> ApiPolicies(RequestContext& context) {
  CIVICDESK_ASSIGN_OR_RETURN(PlanData data, ReadPlan(context.app().database()));
  json policies = json::array();
  for (const Policy& policy : data.policies) {
    const Area* area = FindArea(data, policy.area);
    // The Japanese is the reference; our English beside it, "" where none is written.
    policies.push_back({{"number", policy.number},
                        {"title", policy.title},
                        {"title_en", policy.title_en},
                        {"area", area != nullptr ? area->name : ""},
                        {"area_en", area != nullptr ? area->name_en : ""},
                        {"area_number", policy.area}});
  }
  return context.Json(200, policies);
}

Result<Response> ApiPolicy(RequestContext& context) {
  CIVICDESK_ASSIGN_OR_RETURN(PlanData data, ReadPolicyOfPath(context));
  const Policy& policy = data.policies.front();
  const Area* area = FindArea(data, policy.area);
  json kpis = json::array();
  for (const Kpi& kpi : policy.kpis) kpis.push_back(KpiJson(kpi));
  json measures = json::array();
  for (const Measure& measure : policy.measures) measures.push_back(MeasureJson(measure));
  return context.Json(200, {{"number", policy.number},
                            {"title", policy.title},
                            {"title_en", policy.title_en},
                            {"area", area != nullptr ? area->name : ""},
                            {"area_en", area != nullptr ? area->name_en : ""},
                            {"area_number", policy.area},
                            {"direction", policy.direction},
                            {"kpis", kpis},
                            {"measures", measures},
                            {"source", policy.source}});
}

Result<Response> ApiKpi(RequestContext& context) {
  const std::string code = context.request().PathParam("code");
  CIVICDESK_ASSIGN_OR_RETURN(Kpi kpi, FindKpi(context.app().database(), code));
  std::vector<kpi_feed::Row> fed;
  CIVICDESK_ASSIGN_OR_RETURN(std::vector<KpiActual> actuals, ActualsOf(context.app(), kpi, &fed));
  json body = KpiJson(kpi);
  json list = json::array();
  for (const KpiActual& actual : actuals) {
    list.push_back({{"fiscal_year", actual.fiscal_year},
                    {"label", FiscalYearLabel(actual.fiscal_year)},
                    {"value", actual.value},
                    {"source", actual.source}});
    if (!actual.segment.empty()) list.back()["segment"] = actual.segment;
    if (const kpi_feed::Row* row = FedRowOf(fed, actual)) list.back()["fed_by"] = FedByJson(*row);
  }
  body["actuals"] = list;
  // Which modules feed it, each source once (empty: every actual is entered by staff).
  json fed_by = json::array();
  for (const kpi_feed::Row& source : FedByOf(context.app(), kpi, fed))
    fed_by.push_back(FedByJson(source));
  body["fed_by"] = fed_by;
  body["evaluation"] = EvaluationJson(context, EvaluateKpi(kpi, actuals));
  if (std::optional<double> share = SatisfiedShare(kpi.survey)) body["survey_share"] = *share;
  return context.Json(200, body);
}

Result<Response> ApiEvaluations(RequestContext& context) {
  CIVICDESK_ASSIGN_OR_RETURN(
      std::vector<ProjectEvaluation> evaluations,
      ListProjectEvaluations(context.app().database(), DatasetParam(context)));
  return context.Json(200, {{"evaluations", EvaluationsJson(context, evaluations)}});
}

Result<Response> ApiVersions(RequestContext& context) {
  CIVICDESK_ASSIGN_OR_RETURN(PlanData data, ReadPlan(context.app().database()));
  CIVICDESK_ASSIGN_OR_RETURN(auto editions, EditionsParam(context, data));
  json body = {
      {"from", editions.first},
      {"to", editions.second},
      {"priority_issues",
       IssueChangesJson(context, DiffPriorityIssues(data, editions.first, editions.second))}};
  EditionDiff diff = DiffEditions(data, editions.first, editions.second);
  if (diff.compared) {
    body["policies"] = PolicyChangesJson(context, diff.policies);
    body["kpis"] = KpiChangesJson(context, diff.kpis);
    body["kpis_not_compared"] = diff.kpis_not_compared;  // policy numbers
  } else {
    // An edition whose policies are not transcribed is not compared, rather than reported as
    // having no policies.
    body["not_compared"] = {"policies", "kpis"};
    body["note"] = context.Message("versions_scope");
  }
  // Exactly which parts of each edition are not transcribed, so not compared.
  body["missing"] = EditionGapsJson(context, data, editions.first, editions.second);
  return context.Json(200, body);
}

}  // namespace civicdesk::plan
