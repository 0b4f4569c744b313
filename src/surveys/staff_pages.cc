// The staff pages: every survey, a definition's upload, one survey, its status and results.

#include "core/text_normalize.h"
#include "http/multipart.h"
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

constexpr size_t kMaxDefinitionBytes = 1'000'000;

Response RenderSurveys(RequestContext& context, const Status& error) {
  json data = json::object();
  Result<std::vector<Survey>> surveys = ListSurveys(context.app().database());
  json list = json::array();
  if (surveys.ok()) {
    for (const Survey& survey : *surveys) {
      json item = SurveySummary(context, survey);
      Result<int64_t> responses = CountResponses(context.app().database(), survey.id);
      item["responses"] = responses.ok() ? *responses : 0;
      list.push_back(std::move(item));
    }
  }
  data["surveys"] = list;
  Result<std::optional<Population>> population = LatestPopulation(context.app().database());
  if (population.ok() && population->has_value()) {
    int64_t total = 0;
    for (const PopulationCell& cell : (*population)->cells) total += cell.population;
    data["population"] = {
        {"label", (*population)->label}, {"cells", (*population)->cells.size()}, {"total", total}};
  }
  data["can_define"] = context.HasAccess(http::Access::kPublisher);
  if (!error.ok()) {
    data["error_summary"] = {
        {"items", json::array({{{"id", "definition-file"},
                                {"label", context.Message("surveys_definition_file")},
                                {"message", context.Format(error)}}})}};
    data["error"] = context.Format(error);
    data["error_field"] = error.field();
  }
  return context.Page("surveys/staff_surveys", context.Message("surveys_staff_title"), data,
                      error.ok()                                     ? 200
                      : error.code() == StatusCode::kInvalidArgument ? 422
                                                                     : HttpStatusFor(error.code()));
}

Result<Survey> PathSurvey(RequestContext& context) {
  CIVICDESK_ASSIGN_OR_RETURN(int64_t id, context.PathId("id"));
  return GetSurvey(context.app().database(), id);
}

}  // namespace

Result<Response> StaffSurveysPage(RequestContext& context) {
  return RenderSurveys(context, Status::Ok());
}

Result<Response> UploadDefinition(RequestContext& context) {
  const http::Request& request = context.request();
  CIVICDESK_ASSIGN_OR_RETURN(std::vector<http::FormPart> parts,
                             http::ParseMultipart(request.body, request.Header("content-type")));
  std::string bytes;
  for (http::FormPart& part : parts)
    if (part.name == "file" && part.is_file) bytes = std::move(part.body);
  if (bytes.empty())
    return RenderSurveys(context,
                         Status::InvalidArgument("surveys.definition_file_required", "file"));
  if (bytes.size() > kMaxDefinitionBytes)
    return RenderSurveys(context, Status::InvalidArgument("surveys.definition_too_large", "file"));
  if (!IsValidUtf8(bytes))
    return RenderSurveys(context, Status::InvalidArgument("surveys.definition_not_utf8", "file"));
  Result<Survey> survey = ParseDefinition(bytes);
  if (!survey.ok()) return RenderSurveys(context, survey.status());
  Result<int64_t> id = SaveSurvey(context.app().database(), *survey, context.principal()->login);
  if (!id.ok()) return RenderSurveys(context, id.status());
  return http::RedirectResponse("/staff/surveys/" + std::to_string(*id));
}

Result<Response> StaffSurveyPage(RequestContext& context) {
  CIVICDESK_ASSIGN_OR_RETURN(Survey survey, PathSurvey(context));
  CIVICDESK_ASSIGN_OR_RETURN(int64_t responses,
                             CountResponses(context.app().database(), survey.id));
  json sections = json::array();
  for (const Section& section : survey.sections) {
    json questions = json::array();
    for (const Question& question : section.questions) {
      json choices = json::array();
      for (const Choice& choice : question.choices) choices.push_back(ChoiceLabel(context, choice));
      json item = {
          {"key", question.key},
          {"type", context.Message("surveys_type_" + std::string(TypeName(question.type)))},
          {"text", question.text},
          {"text_en", question.text_en},
          {"required", question.required},
          {"choices", choices},
          {"has_choices", !choices.empty()},
          {"segment", question.segment.empty()
                          ? std::string()
                          : context.Message("surveys_segment_" + question.segment)}};
      if (question.show_if) {
        std::string any_of;
        for (const std::string& answer : question.show_if->any_of)
          any_of += (any_of.empty() ? "" : context.Message("surveys_or")) + answer;
        item["condition"] = question.show_if->question + " = " + any_of;
      }
      questions.push_back(std::move(item));
    }
    sections.push_back(
        {{"title", section.title}, {"title_en", section.title_en}, {"questions", questions}});
  }
  json feeds = json::array();
  for (const Feed& feed : survey.feeds) {
    std::string choices;
    for (const std::string& choice : feed.choices)
      choices += (choices.empty() ? "" : " + ") + choice;
    feeds.push_back({{"kpi", feed.kpi},
                     {"question", feed.question},
                     {"choices", choices},
                     {"has_choices", !choices.empty()},
                     {"segment", feed.segment}});
  }
  json data = {
      {"survey", SurveySummary(context, survey)},
      {"title_ja", survey.title},
      {"title_en", survey.title_en},
      {"responses", responses},
      {"sections", sections},
      {"feeds", feeds},
      {"has_feeds", !feeds.empty()},
      {"published", survey.status == kPublished},
      {"source", survey.source},
      {"can_change", context.HasAccess(http::Access::kPublisher) && survey.status != kPublished},
      {"is_open", survey.status == kOpen}};
  return context.Page("surveys/staff_survey", survey.title, data);
}

Result<Response> ChangeStatus(RequestContext& context) {
  CIVICDESK_ASSIGN_OR_RETURN(Survey survey, PathSurvey(context));
  std::map<std::string, std::string> form = context.request().Form();
  CIVICDESK_RETURN_IF_ERROR(
      SetStatus(context.app().database(), survey.id, form["status"], context.principal()->login));
  return http::RedirectResponse("/staff/surveys/" + std::to_string(survey.id));
}

Result<Response> PaperForm(RequestContext& context) {
  CIVICDESK_ASSIGN_OR_RETURN(Survey survey, PathSurvey(context));
  std::string entered;
  if (std::optional<std::string> count = context.request().QueryParam("entered")) {
    CIVICDESK_ASSIGN_OR_RETURN(int64_t responses,
                               CountResponses(context.app().database(), survey.id));
    entered = context.Format(
        Status(StatusCode::kOk, "surveys.paper_entered", {{"count", std::to_string(responses)}}));
  }
  return RenderAnswerForm(context, survey, {}, {}, Status::Ok(), true, entered);
}

Result<Response> SavePaper(RequestContext& context) {
  CIVICDESK_ASSIGN_OR_RETURN(Survey survey, PathSurvey(context));
  if (survey.status == kPublished) return Status::InvalidArgument("surveys.status_invalid");
  std::map<std::string, std::string> form = context.request().Form();
  const std::string address = "/staff/surveys/" + std::to_string(survey.id) + "/paper";
  const std::string token = form["form_token"];
  if (!IsFormToken(token)) return Status::InvalidArgument("surveys.form_check_again");
  // Saved already (a double press of Enter): the next blank form.
  CIVICDESK_ASSIGN_OR_RETURN(bool used, TokenUsed(context.app().database(), survey.id, token));
  if (used) return http::RedirectResponse(address + "?entered=1");
  std::vector<Status> errors;
  ResponseInput input = ReadAnswers(survey, form, errors);
  if (errors.empty() && input.answers.empty())
    return RenderAnswerForm(context, survey, std::move(form), {},
                            Status::InvalidArgument("surveys.nothing_answered"), true);
  if (!errors.empty())
    return RenderAnswerForm(context, survey, std::move(form), errors, Status::Ok(), true);
  input.channel = "paper";
  input.token = token;
  Result<int64_t> stored = StoreResponse(context.app().database(), survey.id, input);
  if (!stored.ok() && stored.status().code() != StatusCode::kConflict) return stored.status();
  return http::RedirectResponse(address + "?entered=1");
}

Result<Response> StaffResultsPage(RequestContext& context) {
  CIVICDESK_ASSIGN_OR_RETURN(Survey survey, PathSurvey(context));
  CIVICDESK_ASSIGN_OR_RETURN(std::optional<Population> population,
                             LatestPopulation(context.app().database()));
  CIVICDESK_ASSIGN_OR_RETURN(SurveyResults results,
                             ComputeResults(context.app().database(), survey, population));
  json data = ResultsView(context, survey, results);
  data["staff"] = true;
  data["downloads"] = survey.status == kClosed || survey.status == kPublished;
  return context.Page("surveys/results", survey.title, data);
}

}  // namespace civicdesk::surveys
