#ifndef CIVICDESK_SURVEYS_HANDLERS_H_
#define CIVICDESK_SURVEYS_HANDLERS_H_

#include <vector>

#include "core/result.h"
#include "http/app.h"
#include "http/public_data.h"
#include "surveys/survey.h"

// The handlers the route table of surveys_module.cc names. Access (public, staff, publisher)
// is declared on the routes and checked by App before any of these runs.
namespace civicdesk::surveys {

// pages.cc: /surveys (open surveys, and the results of closed and published ones), the answer
// form /surveys/{id} (server-rendered, no script needed; errors beside each question), its POST
// (honeypot, the submission rate limit, a one-time form token: a resend lands on the thanks
// page and stores nothing twice), /surveys/{id}/thanks, and the public results
// /surveys/{id}/results of a closed or published survey.
Result<http::Response> IndexPage(http::RequestContext& context);
Result<http::Response> FormPage(http::RequestContext& context);
Result<http::Response> SubmitAnswers(http::RequestContext& context);
Result<http::Response> ThanksPage(http::RequestContext& context);
Result<http::Response> ResultsPage(http::RequestContext& context);

// staff_pages.cc: /staff/surveys (every survey, the definition upload, the population table in
// use), POST /staff/surveys/definitions (a definition file, docs/surveys.md), /staff/surveys/{id}
// (its questions, feeds and responses; any staff member), POST /staff/surveys/{id}/status
// (open, close), and /staff/surveys/{id}/results (the results while the survey is open too).
Result<http::Response> StaffSurveysPage(http::RequestContext& context);
Result<http::Response> UploadDefinition(http::RequestContext& context);
Result<http::Response> StaffSurveyPage(http::RequestContext& context);
Result<http::Response> ChangeStatus(http::RequestContext& context);
Result<http::Response> StaffResultsPage(http::RequestContext& context);
// /staff/surveys/{id}/paper: a paper answer typed in by staff (any staff member), the same form
// without the honeypot or the rate limit; saved with channel "paper", then a blank form again
// saying how many responses the survey holds. A double submit saves once (the form token).
Result<http::Response> PaperForm(http::RequestContext& context);
Result<http::Response> SavePaper(http::RequestContext& context);

// datasets.cc: /surveys/{id}/results.{csv,xlsx} (closed or published surveys; small cells
// without their figures) and the module's public datasets (each such survey's results).
Result<http::Response> ResultsDownload(http::RequestContext& context);
Result<std::vector<http::PublicDataset>> Datasets(http::App& app);

// The survey of the path's {id} when the public may see its results (closed or published);
// NotFound otherwise, as for an unknown id.
Result<Survey> PublicResultsSurvey(http::RequestContext& context);

}  // namespace civicdesk::surveys

#endif  // CIVICDESK_SURVEYS_HANDLERS_H_
