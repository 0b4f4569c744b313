#ifndef CIVICDESK_SURVEYS_SURVEYS_MODULE_H_
#define CIVICDESK_SURVEYS_SURVEYS_MODULE_H_

#include "http/app.h"

namespace civicdesk::surveys {

// Resident surveys (区民意識調査 and others): staff define a survey by uploading its definition
// (docs/surveys.md) and open it; residents answer at /surveys/{id} without JavaScript; results
// per question and by district, age band and 在住/在勤, weighted to the population table the
// ward imports (the import page, `survey-population`), with the margin of error, as a page, CSV,
// XLSX and open data. A question may feed a plan KPI: the dataset survey-kpi-feeds
// (core/kpi_feed.h) gives each closed survey's share, n and margin of error, which the plan shows
// as the KPI's actual with fed_by. Ships seed 001's 令和元年度 answer shares as the published
// baseline survey of the three satisfaction KPIs (data/minato/surveys.json).
http::Module SurveysModule();

}  // namespace civicdesk::surveys

#endif  // CIVICDESK_SURVEYS_SURVEYS_MODULE_H_
