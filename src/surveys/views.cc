#include "surveys/views.h"

#include <cmath>
#include <cstdio>

#include "core/fiscal_year.h"
#include "core/wareki.h"
#include "http/sessions.h"
#include "surveys/answers.h"

namespace civicdesk::surveys {

using nlohmann::json;

namespace {

bool English(const http::RequestContext& context) { return context.language() == "en"; }

std::string OneDecimal(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", value);
  return text;
}

std::string DimensionMessage(const std::string& dimension) {
  return "surveys_segment_" + dimension;
}

json ChartView(const http::RequestContext& context, const QuestionResult& result,
               const std::string& id) {
  // Horizontal bars, 0–100 %: the weighted share when weighted.
  json bars = json::array();
  int y = 0;
  for (size_t c = 0; c < result.choices.size(); ++c) {
    const ChoiceResult& choice = result.choices[c];
    const double share = choice.weighted_share.value_or(choice.share);
    json label = result.question != nullptr && c < result.question->choices.size()
                     ? ChoiceLabel(context, result.question->choices[c])
                     : json{{"text", choice.value}, {"lang", "ja"}};
    bars.push_back({{"y", y},
                    {"text_y", y + 14},
                    {"width", OneDecimal(share * 3)},
                    {"value_x", OneDecimal(share * 3 + 184)},
                    {"share", OneDecimal(share)},
                    {"label", label}});
    y += 22;
  }
  return {{"id", id}, {"bars", bars}, {"height", y + 4}};
}

}  // namespace

json Localized(const http::RequestContext& context, const std::string& japanese,
               const std::string& english) {
  if (English(context) && !english.empty()) return {{"text", english}, {"lang", "en"}};
  return {{"text", japanese}, {"lang", "ja"}};
}

json ChoiceLabel(const http::RequestContext& context, const Choice& choice) {
  if (!choice.message.empty())
    return {{"text", context.Message(choice.message)}, {"lang", context.language()}};
  return Localized(context, choice.value, choice.en);
}

json SurveySummary(const http::RequestContext& context, const Survey& survey) {
  return {{"id", survey.id},
          {"key", survey.key},
          {"title", Localized(context, survey.title, survey.title_en)},
          {"fiscal_year", FormatFiscalYearIn(context.language(), FiscalYear(survey.fiscal_year))},
          {"status", survey.status},
          {"status_label", context.Message("surveys_status_" + survey.status)},
          {"open", survey.status == kOpen},
          {"has_results", survey.status == kClosed || survey.status == kPublished},
          {"feeds", survey.feeds.size()}};
}

json FormView(const http::RequestContext& context, const Survey& survey,
              const std::map<std::string, std::string>& form, const std::vector<Status>& errors) {
  auto sent = [&](const std::string& name) {
    auto found = form.find(name);
    return found == form.end() ? std::string() : found->second;
  };
  std::map<std::string, std::string> error_of;
  for (const Status& error : errors) error_of.emplace(error.field(), context.Format(error));
  json summary_items = json::array();
  json sections = json::array();
  int number = 0;
  for (const Section& section : survey.sections) {
    json questions = json::array();
    for (const Question& question : section.questions) {
      ++number;
      const std::string id = ControlName(question);
      json view = {{"key", question.key},
                   {"id", id},
                   {"number", number},
                   {"text", Localized(context, question.text, question.text_en)},
                   {"required", question.required},
                   {"is_choice", question.type != QuestionType::kMultiple && question.HasChoices()},
                   {"is_multiple", question.type == QuestionType::kMultiple},
                   {"is_number", question.type == QuestionType::kNumber},
                   {"is_text", question.type == QuestionType::kText},
                   {"value", sent(id)},
                   {"unit", question.unit},
                   {"max_length", question.max_length}};
      if (!question.help.empty())
        view["help"] = Localized(context, question.help, question.help_en);
      if (question.min) view["min"] = *question.min;
      if (question.max) view["max"] = *question.max;
      json choices = json::array();
      for (size_t c = 0; c < question.choices.size(); ++c) {
        const Choice& choice = question.choices[c];
        const bool multiple = question.type == QuestionType::kMultiple;
        const std::string name = multiple ? ChoiceControlName(question, c) : id;
        const bool checked = multiple ? !sent(name).empty() : sent(id) == choice.value;
        choices.push_back({{"id", id + "-" + std::to_string(c)},
                           {"name", name},
                           {"value", multiple ? std::string("1") : choice.value},
                           {"label", ChoiceLabel(context, choice)},
                           {"checked", checked}});
      }
      view["choices"] = choices;
      if (!choices.empty()) view["first_id"] = choices[0]["id"];
      if (question.show_if) {
        const Question* on = survey.Find(question.show_if->question);
        std::string answers;
        for (const std::string& answer : question.show_if->any_of) {
          std::string label = answer;
          if (on != nullptr)
            for (const Choice& choice : on->choices)
              if (choice.value == answer) label = ChoiceLabel(context, choice)["text"];
          answers += (answers.empty() ? "" : context.Message("surveys_or")) + label;
        }
        std::string on_text =
            on != nullptr ? Localized(context, on->text, on->text_en)["text"].get<std::string>()
                          : "";
        view["condition"] = context.Format(Status(StatusCode::kOk, "surveys.condition_note",
                                                  {{"question", on_text}, {"answers", answers}}));
      }
      if (auto found = error_of.find(question.key); found != error_of.end()) {
        view["error"] = found->second;
        const std::string target = choices.empty() ? id : choices[0]["id"].get<std::string>();
        summary_items.push_back(
            {{"id", target}, {"label", view["text"]["text"]}, {"message", found->second}});
      }
      questions.push_back(std::move(view));
    }
    sections.push_back({{"key", section.key},
                        {"title", Localized(context, section.title, section.title_en)},
                        {"questions", questions}});
  }
  json data = {{"sections", sections}};
  if (!summary_items.empty()) data["error_summary"] = {{"items", summary_items}};
  return data;
}

bool IsFormToken(std::string_view token) {
  if (token.size() != 64) return false;
  for (char c : token)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

http::Response RenderAnswerForm(http::RequestContext& context, const Survey& survey,
                                std::map<std::string, std::string> form,
                                const std::vector<Status>& errors, const Status& banner, bool paper,
                                const std::string& entered) {
  if (!IsFormToken(form["form_token"])) form["form_token"] = http::RandomToken();
  const std::string address = paper ? "/staff/surveys/" + std::to_string(survey.id) + "/paper"
                                    : "/surveys/" + std::to_string(survey.id);
  json data = FormView(context, survey, form, errors);
  data["survey"] = SurveySummary(context, survey);
  data["description"] = Localized(context, survey.description, survey.description_en);
  data["form_token"] = form["form_token"];
  data["action"] = address;
  data["paper"] = paper;
  data["entered"] = entered;
  data["accepting"] = paper ? survey.status != kPublished : survey.status == kOpen;
  if (!paper) data["lang_form"] = {{"form", "survey-form"}, {"action", address + "/edit"}};
  if (!banner.ok()) data["error_banner"] = context.Format(banner);
  // A form refused for what was sent is a 422; too many sends keeps its own code.
  int status = errors.empty() ? 200 : 422;
  if (!banner.ok())
    status = banner.code() == StatusCode::kInvalidArgument ? 422 : HttpStatusFor(banner.code());
  const std::string title = data["survey"]["title"]["text"].get<std::string>();
  return context.Page("surveys/form",
                      paper ? context.Message("surveys_paper_title") + " " + title : title, data,
                      status);
}

json ResultsView(const http::RequestContext& context, const Survey& survey,
                 const SurveyResults& results) {
  json questions = json::array();
  int number = 0;
  for (const QuestionResult& result : results.questions) {
    ++number;
    const Question& question = *result.question;
    json view = {{"number", number},
                 {"key", question.key},
                 {"text", Localized(context, question.text, question.text_en)},
                 {"n", result.n},
                 {"published", result.published},
                 {"weighted", results.weighted && !result.published},
                 {"is_text", question.type == QuestionType::kText},
                 {"is_number", question.type == QuestionType::kNumber}};
    if (result.mean) view["mean"] = OneDecimal(*result.mean);
    if (result.minimum) view["minimum"] = OneDecimal(*result.minimum);
    if (result.maximum) view["maximum"] = OneDecimal(*result.maximum);
    if (result.n_effective) view["n_effective"] = OneDecimal(*result.n_effective);
    json rows = json::array();
    for (size_t c = 0; c < result.choices.size(); ++c) {
      const ChoiceResult& choice = result.choices[c];
      json label = c < question.choices.size() && question.choices[c].value == choice.value
                       ? ChoiceLabel(context, question.choices[c])
                       : json{{"text", choice.value}, {"lang", "ja"}};
      json row = {{"label", label}, {"count", choice.count}, {"share", OneDecimal(choice.share)}};
      if (choice.weighted_share) row["weighted_share"] = OneDecimal(*choice.weighted_share);
      if (choice.margin) row["margin"] = "±" + OneDecimal(*choice.margin);
      rows.push_back(std::move(row));
    }
    view["rows"] = rows;
    view["has_rows"] = !rows.empty();
    if (!rows.empty()) view["chart"] = ChartView(context, result, "chart-" + question.key);
    // By segment: one table per dimension, a suppressed cell without its figures.
    json dimensions = json::array();
    for (const std::string dimension : {"district", "age_band", "residence"}) {
      json segments = json::array();
      for (const SegmentResult& segment : result.segments) {
        if (segment.dimension != dimension) continue;
        json cells = json::array();
        for (size_t c = 0; c < segment.counts.size(); ++c)
          cells.push_back({{"count", segment.counts[c]},
                           {"share", OneDecimal(segment.n > 0 ? 100.0 * segment.counts[c] /
                                                                    static_cast<double>(segment.n)
                                                              : 0)}});
        segments.push_back(
            {{"value", segment.value.empty() ? context.Message("surveys_segment_unanswered")
                                             : segment.value},
             {"n", segment.suppressed ? json() : json(segment.n)},
             {"suppressed", segment.suppressed},
             {"cells", cells}});
      }
      if (segments.size() < 2 || question.type == QuestionType::kText ||
          question.type == QuestionType::kNumber)
        continue;  // one segment says nothing the whole does not
      json headers = json::array();
      for (const Choice& choice : question.choices) headers.push_back(ChoiceLabel(context, choice));
      dimensions.push_back({{"name", context.Message(DimensionMessage(dimension))},
                            {"id", "seg-" + question.key + "-" + dimension},
                            {"headers", headers},
                            {"columns", headers.size() + 2},
                            {"segments", segments}});
    }
    view["dimensions"] = dimensions;
    view["has_dimensions"] = !dimensions.empty();
    questions.push_back(std::move(view));
  }
  json data = {{"survey", SurveySummary(context, survey)},
               {"respondents", results.respondents},
               {"weighted", results.weighted},
               {"population_label", results.population_label},
               {"unweighted", results.unweighted},
               {"published", survey.status == kPublished},
               {"source", survey.source},
               {"minimum_cell", kMinimumCell},
               {"questions", questions}};
  json dimensions = json::array();
  for (const std::string& dimension : results.weighting_dimensions)
    dimensions.push_back(context.Message(DimensionMessage(dimension)));
  data["weighting_dimensions"] = dimensions;
  return data;
}

std::vector<std::string> ResultColumns() {
  return {"調査", "年度", "設問番号",         "設問", "区分", "区分の値", "選択肢", "回答者数",
          "件数", "割合", "重み付け後の割合", "誤差"};
}

std::vector<std::vector<std::string>> ResultRows(const Survey& survey,
                                                 const SurveyResults& results) {
  std::vector<std::vector<std::string>> rows;
  const std::string year = std::to_string(survey.fiscal_year);
  for (const QuestionResult& result : results.questions) {
    const Question& question = *result.question;
    if (question.type == QuestionType::kText) continue;  // free text is never published here
    const std::string n = result.published ? "" : std::to_string(result.n);
    if (question.type == QuestionType::kNumber) {
      rows.push_back({survey.title, year, question.key, question.text, "全体", "", "平均", n, "",
                      result.mean ? OneDecimal(*result.mean) : "", "", ""});
      continue;
    }
    for (const ChoiceResult& choice : result.choices) {
      rows.push_back({survey.title, year, question.key, question.text, "全体", "", choice.value, n,
                      result.published ? "" : std::to_string(choice.count),
                      OneDecimal(choice.share),
                      choice.weighted_share ? OneDecimal(*choice.weighted_share) : "",
                      choice.margin ? OneDecimal(*choice.margin) : ""});
    }
    for (const SegmentResult& segment : result.segments) {
      const std::string dimension = segment.dimension == kDistrict  ? "地区"
                                    : segment.dimension == kAgeBand ? "年齢区分"
                                                                    : "在住・在勤";
      for (size_t c = 0; c < question.choices.size(); ++c) {
        if (segment.suppressed) {
          // A small cell: neither its number of respondents nor its answers.
          rows.push_back({survey.title, year, question.key, question.text, dimension, segment.value,
                          "", "", "", "", "", ""});
          break;
        }
        rows.push_back(
            {survey.title, year, question.key, question.text, dimension, segment.value,
             question.choices[c].value, std::to_string(segment.n),
             std::to_string(segment.counts[c]),
             OneDecimal(segment.n > 0 ? 100.0 * segment.counts[c] / static_cast<double>(segment.n)
                                      : 0),
             "", ""});
      }
    }
  }
  return rows;
}

}  // namespace civicdesk::surveys
