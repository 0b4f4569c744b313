// The public pages: the list, the answer form and its thanks, the results.

#include "surveys/answers.h"
#include "surveys/handlers.h"
#include "surveys/results.h"
#include "surveys/store.h"
#include "surveys/views.h"

namespace civicdesk::surveys {

using http::RequestContext;
using http::Response;
using nlohmann::json;

namespace {

// The survey of the path when the public may see it at all: a draft is not found.
Result<Survey> PublicSurvey(RequestContext& context) {
  CIVICDESK_ASSIGN_OR_RETURN(int64_t id, context.PathId("id"));
  Result<Survey> survey = GetSurvey(context.app().database(), id);
  if (!survey.ok()) return survey.status();
  if (survey->status == kDraft)
    return Status::NotFound("surveys.not_found", {{"id", std::to_string(id)}});
  return survey;
}

std::string FormAddress(const Survey& survey) { return "/surveys/" + std::to_string(survey.id); }

Response RenderForm(RequestContext& context, const Survey& survey,
                    std::map<std::string, std::string> form, const std::vector<Status>& errors,
                    const Status& banner) {
  return RenderAnswerForm(context, survey, std::move(form), errors, banner, false);
}

}  // namespace

Result<Response> IndexPage(RequestContext& context) {
  CIVICDESK_ASSIGN_OR_RETURN(std::vector<Survey> surveys, ListSurveys(context.app().database()));
  json open = json::array(), done = json::array();
  for (const Survey& survey : surveys) {
    if (survey.status == kOpen) open.push_back(SurveySummary(context, survey));
    if (survey.status == kClosed || survey.status == kPublished)
      done.push_back(SurveySummary(context, survey));
  }
  return context.Page(
      "surveys/index", context.Message("surveys_title"),
      {{"open", open}, {"has_open", !open.empty()}, {"done", done}, {"has_done", !done.empty()}});
}

Result<Response> FormPage(RequestContext& context) {
  CIVICDESK_ASSIGN_OR_RETURN(Survey survey, PublicSurvey(context));
  std::map<std::string, std::string> form;
  // The language switch posts what was chosen so far here, to show it again in the other
  // language; nothing is stored.
  if (context.request().method == "POST") form = context.request().Form();
  form.erase("website");
  return RenderForm(context, survey, std::move(form), {}, Status::Ok());
}

Result<Response> SubmitAnswers(RequestContext& context) {
  CIVICDESK_ASSIGN_OR_RETURN(Survey survey, PublicSurvey(context));
  std::map<std::string, std::string> form = context.request().Form();
  if (survey.status != kOpen) return Status::InvalidArgument("surveys.not_open");
  // The honeypot filled: a person (an autofill) keeps the answers and is asked to send again.
  if (!form["website"].empty()) {
    form.erase("website");
    return RenderForm(context, survey, std::move(form), {},
                      Status::InvalidArgument("surveys.form_check_again"));
  }
  const std::string token = form["form_token"];
  if (!IsFormToken(token)) {
    form.erase("form_token");
    return RenderForm(context, survey, std::move(form), {},
                      Status::InvalidArgument("surveys.form_check_again"));
  }
  // The same form sent again (a reload, a double click): its answers are stored already.
  CIVICDESK_ASSIGN_OR_RETURN(bool used, TokenUsed(context.app().database(), survey.id, token));
  if (used) return http::RedirectResponse(FormAddress(survey) + "/thanks");
  std::vector<Status> errors;
  ResponseInput input = ReadAnswers(survey, form, errors);
  if (!errors.empty()) return RenderForm(context, survey, std::move(form), errors, Status::Ok());
  if (input.answers.empty())
    return RenderForm(context, survey, std::move(form), {},
                      Status::InvalidArgument("surveys.nothing_answered"));
  if (Status allowed = context.app().CheckSubmissionRate(context.request()); !allowed.ok())
    return RenderForm(context, survey, std::move(form), {}, allowed);
  input.channel = "web";
  input.token = token;
  Result<int64_t> stored = StoreResponse(context.app().database(), survey.id, input);
  // Sent twice at once: the second finds the first's token and lands where the first did.
  if (!stored.ok() && stored.status().code() != StatusCode::kConflict) return stored.status();
  return http::RedirectResponse(FormAddress(survey) + "/thanks");
}

Result<Response> ThanksPage(RequestContext& context) {
  CIVICDESK_ASSIGN_OR_RETURN(Survey survey, PublicSurvey(context));
  return context.Page("surveys/thanks", context.Message("surveys_thanks_title"),
                      {{"survey", SurveySummary(context, survey)}});
}

Result<Survey> PublicResultsSurvey(RequestContext& context) {
  CIVICDESK_ASSIGN_OR_RETURN(Survey survey, PublicSurvey(context));
  if (survey.status != kClosed && survey.status != kPublished)
    return Status::NotFound("surveys.results_not_public");
  return survey;
}

Result<Response> ResultsPage(RequestContext& context) {
  CIVICDESK_ASSIGN_OR_RETURN(Survey survey, PublicResultsSurvey(context));
  CIVICDESK_ASSIGN_OR_RETURN(std::optional<Population> population,
                             LatestPopulation(context.app().database()));
  CIVICDESK_ASSIGN_OR_RETURN(SurveyResults results,
                             ComputeResults(context.app().database(), survey, population));
  json data = ResultsView(context, survey, results);
  data["downloads"] = true;
  return context.Page("surveys/results", data["survey"]["title"]["text"].get<std::string>(), data);
}

}  // namespace civicdesk::surveys
