#include "plan/kpi_progress.h"

#include <algorithm>
#include <map>

#include "plan/actuals.h"

namespace civicdesk::plan {

namespace {

// The module of an indicator id: "opendata" for "opendata.monthly_average_downloads".
std::string ModuleOf(const std::string& indicator) {
  return indicator.substr(0, indicator.find('.'));
}

Result<std::vector<KpiActual>> ActualsWith(http::App& app, const Kpi& kpi,
                                           const std::vector<kpi_feed::Row>& feeds,
                                           std::vector<kpi_feed::Row>* fed) {
  Result<std::vector<KpiActual>> actuals = ListKpiActuals(app.database(), kpi.code);
  if (!actuals.ok()) return actuals;
  // A year (and segment) someone entered, or an earlier source filled, is left as it is.
  auto known = [&](int fiscal_year, const std::string& segment) {
    return std::any_of(actuals->begin(), actuals->end(), [&](const KpiActual& actual) {
      return actual.fiscal_year == fiscal_year && (segment.empty() || actual.segment == segment);
    });
  };
  const http::Indicator* indicator =
      kpi.measured_by.empty() ? nullptr : app.FindIndicator(kpi.measured_by);
  if (indicator != nullptr) {
    CIVICDESK_ASSIGN_OR_RETURN(auto measured, indicator->by_fiscal_year(app.database()));
    for (const auto& [fiscal_year, value] : measured) {
      if (known(fiscal_year, "")) continue;
      actuals->push_back({fiscal_year, value, indicator->source});
      if (fed != nullptr)
        fed->push_back({kpi.code, fiscal_year, "", value, ModuleOf(indicator->id),
                        indicator->source, indicator->id, "", std::nullopt, std::nullopt});
    }
  }
  for (const kpi_feed::Row& row : feeds) {
    if (row.kpi != kpi.code || known(row.fiscal_year, row.segment)) continue;
    actuals->push_back({row.fiscal_year, row.value, row.source, row.segment});
    if (fed != nullptr) fed->push_back(row);
  }
  std::stable_sort(actuals->begin(), actuals->end(), [](const KpiActual& a, const KpiActual& b) {
    return a.fiscal_year < b.fiscal_year;
  });
  return actuals;
}

}  // namespace

Result<std::vector<kpi_feed::Row>> ReadKpiFeeds(http::App& app) {
  CIVICDESK_ASSIGN_OR_RETURN(std::vector<http::PublicDataset> datasets, app.PublicDatasets());
  std::vector<kpi_feed::Row> rows;
  for (const http::PublicDataset& dataset : datasets) {
    if (dataset.columns != kpi_feed::Columns() || !dataset.rows) continue;
    CIVICDESK_RETURN_IF_ERROR(dataset.rows(app, [&](const std::vector<std::string>& cells) {
      CIVICDESK_ASSIGN_OR_RETURN(kpi_feed::Row row, kpi_feed::FromCells(cells));
      rows.push_back(std::move(row));
      return Status::Ok();
    }));
  }
  return rows;
}

Result<std::vector<KpiActual>> ActualsOf(http::App& app, const Kpi& kpi,
                                         std::vector<kpi_feed::Row>* fed) {
  CIVICDESK_ASSIGN_OR_RETURN(std::vector<kpi_feed::Row> feeds, ReadKpiFeeds(app));
  return ActualsWith(app, kpi, feeds, fed);
}

std::vector<kpi_feed::Row> FedByOf(const http::App& app, const Kpi& kpi,
                                   const std::vector<kpi_feed::Row>& fed) {
  std::vector<kpi_feed::Row> sources;
  auto add = [&](const kpi_feed::Row& row) {
    for (const kpi_feed::Row& known : sources)
      if (known.module == row.module && known.reference == row.reference &&
          known.source == row.source)
        return;
    sources.push_back(row);
  };
  const http::Indicator* indicator =
      kpi.measured_by.empty() ? nullptr : app.FindIndicator(kpi.measured_by);
  if (indicator != nullptr)
    add({kpi.code, 0, "", 0, ModuleOf(indicator->id), indicator->source, indicator->id, "",
         std::nullopt, std::nullopt});
  for (const kpi_feed::Row& row : fed) add(row);
  return sources;
}

const kpi_feed::Row* FedRowOf(const std::vector<kpi_feed::Row>& fed, const KpiActual& actual) {
  for (const kpi_feed::Row& row : fed)
    if (row.fiscal_year == actual.fiscal_year && row.segment == actual.segment) return &row;
  return nullptr;
}

Result<std::vector<EvaluatedKpi>> EvaluateAll(http::App& app, const PlanData& data) {
  std::vector<EvaluatedKpi> all;
  CIVICDESK_ASSIGN_OR_RETURN(std::vector<kpi_feed::Row> feeds, ReadKpiFeeds(app));
  for (const Policy& policy : data.policies) {
    std::vector<const Kpi*> kpis;
    for (const Kpi& kpi : policy.kpis) kpis.push_back(&kpi);
    for (const Measure& measure : policy.measures)
      for (const Kpi& kpi : measure.kpis) kpis.push_back(&kpi);
    for (const Kpi* kpi : kpis) {
      CIVICDESK_ASSIGN_OR_RETURN(std::vector<KpiActual> actuals,
                                 ActualsWith(app, *kpi, feeds, nullptr));
      KpiEvaluation evaluation = EvaluateKpi(*kpi, actuals);
      all.push_back({&policy, kpi, std::move(actuals), evaluation});
    }
  }
  return all;
}

}  // namespace civicdesk::plan
