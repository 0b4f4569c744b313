#ifndef CIVICDESK_SURVEYS_VIEWS_H_
#define CIVICDESK_SURVEYS_VIEWS_H_

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "http/app.h"
#include "surveys/results.h"
#include "surveys/survey.h"

// View builders shared by the pages, the staff pages and the downloads.
namespace civicdesk::surveys {

// {text, lang}: the English where the page is English and one is written, else the Japanese
// (marked lang="ja" on an English page).
nlohmann::json Localized(const http::RequestContext& context, const std::string& japanese,
                         const std::string& english);

// A survey in a list: id, title, fiscal year (和暦 with the Western year), status label.
nlohmann::json SurveySummary(const http::RequestContext& context, const Survey& survey);

// The answer form: sections and questions with the values `form` sent (checked choices, typed
// text) and each question's error from `errors` beside it, plus the error summary.
nlohmann::json FormView(const http::RequestContext& context, const Survey& survey,
                        const std::map<std::string, std::string>& form,
                        const std::vector<Status>& errors);

// The answer form page: the public form (`paper` false: honeypot, posted to /surveys/{id}) or
// the staff's paper-entry form (posted to /staff/surveys/{id}/paper), with what `form` sent,
// each question's error beside it, `banner` for an error that names no question and `entered`
// (the paper form: what was just saved) above the form. A form token
// is made when `form` has none. 422 when refused for what was sent.
http::Response RenderAnswerForm(http::RequestContext& context, const Survey& survey,
                                std::map<std::string, std::string> form,
                                const std::vector<Status>& errors, const Status& banner, bool paper,
                                const std::string& entered = "");

// True for a form token as RenderAnswerForm makes them (64 hex digits).
bool IsFormToken(std::string_view token);

// The results: per question, the table of counts and shares (weighted and with the margin of
// error when weighted), a bar chart (SVG, the table beside it is the same figures), and the
// tables by segment with small cells suppressed.
nlohmann::json ResultsView(const http::RequestContext& context, const Survey& survey,
                           const SurveyResults& results);

// A choice's label in the reader's language.
nlohmann::json ChoiceLabel(const http::RequestContext& context, const Choice& choice);

// The download table of `results` (one row per question × segment × choice; suppressed cells
// without their figures).
std::vector<std::string> ResultColumns();
std::vector<std::vector<std::string>> ResultRows(const Survey& survey,
                                                 const SurveyResults& results);

}  // namespace civicdesk::surveys

#endif  // CIVICDESK_SURVEYS_VIEWS_H_
