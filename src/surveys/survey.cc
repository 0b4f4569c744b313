#include "surveys/survey.h"

#include <nlohmann/json.hpp>
#include <regex>
#include <set>

#include "core/tabular_import.h"

namespace civicdesk::surveys {

using nlohmann::json;

namespace {

// `id` names what is wrong (a catalog id), `where` the place in the file.
Status Bad(const std::string& where, std::string id) {
  return Status::InvalidArgument(std::move(id), where);
}

bool IsKey(const std::string& key, bool dashes) {
  static const std::regex plain("[a-z0-9_]{1,40}");
  static const std::regex dashed("[a-z0-9][a-z0-9-]{0,79}");
  return std::regex_match(key, dashes ? dashed : plain);
}

// A text member: "" when absent; InvalidArgument when present and not a string.
Result<std::string> Text(const json& object, const char* name, const std::string& where,
                         bool required) {
  auto found = object.find(name);
  if (found == object.end() || found->is_null()) {
    if (required) return Bad(where + "." + name, "surveys.definition_required");
    return std::string();
  }
  if (!found->is_string()) return Bad(where + "." + name, "surveys.definition_text");
  std::string text = found->get<std::string>();
  if (required && text.empty()) return Bad(where + "." + name, "surveys.definition_required");
  return text;
}

Result<std::optional<double>> Number(const json& object, const char* name,
                                     const std::string& where) {
  auto found = object.find(name);
  if (found == object.end() || found->is_null()) return std::optional<double>();
  if (!found->is_number()) return Bad(where + "." + name, "surveys.definition_number");
  return std::optional<double>(found->get<double>());
}

Result<QuestionType> TypeOf(const std::string& name, const std::string& where) {
  for (QuestionType type :
       {QuestionType::kSingle, QuestionType::kMultiple, QuestionType::kSatisfaction,
        QuestionType::kAgreement, QuestionType::kNumber, QuestionType::kText})
    if (TypeName(type) == name) return type;
  return Bad(where + ".type", "surveys.definition_type");
}

Result<std::vector<Choice>> ChoicesOf(const json& question, const std::string& where) {
  auto found = question.find("choices");
  if (found == question.end() || !found->is_array() || found->size() < 2)
    return Bad(where + ".choices", "surveys.definition_choices");
  std::vector<Choice> choices;
  std::set<std::string> seen;
  for (size_t i = 0; i < found->size(); ++i) {
    const json& item = (*found)[i];
    const std::string at = where + ".choices[" + std::to_string(i) + "]";
    Choice choice;
    if (item.is_string()) {
      choice.value = item.get<std::string>();
    } else if (item.is_object()) {
      CIVICDESK_ASSIGN_OR_RETURN(choice.value, Text(item, "value", at, true));
      CIVICDESK_ASSIGN_OR_RETURN(choice.en, Text(item, "en", at, false));
    } else {
      return Bad(at, "surveys.definition_choice");
    }
    if (choice.value.empty() || choice.value.size() > 200)
      return Bad(at, "surveys.definition_choice");
    if (!seen.insert(choice.value).second) return Bad(at, "surveys.definition_duplicate");
    choices.push_back(std::move(choice));
  }
  return choices;
}

Result<Question> QuestionOf(const json& item, const std::string& where,
                            const std::map<std::string, const Question*>& earlier) {
  if (!item.is_object()) return Bad(where, "surveys.definition_object");
  Question question;
  CIVICDESK_ASSIGN_OR_RETURN(question.key, Text(item, "key", where, true));
  if (!IsKey(question.key, false)) return Bad(where + ".key", "surveys.definition_key");
  if (earlier.count(question.key) > 0) return Bad(where + ".key", "surveys.definition_duplicate");
  CIVICDESK_ASSIGN_OR_RETURN(std::string type, Text(item, "type", where, true));
  CIVICDESK_ASSIGN_OR_RETURN(question.type, TypeOf(type, where));
  CIVICDESK_ASSIGN_OR_RETURN(question.text, Text(item, "text", where, true));
  CIVICDESK_ASSIGN_OR_RETURN(question.text_en, Text(item, "text_en", where, false));
  CIVICDESK_ASSIGN_OR_RETURN(question.help, Text(item, "help", where, false));
  CIVICDESK_ASSIGN_OR_RETURN(question.help_en, Text(item, "help_en", where, false));
  CIVICDESK_ASSIGN_OR_RETURN(question.unit, Text(item, "unit", where, false));
  if (auto required = item.find("required"); required != item.end()) {
    if (!required->is_boolean()) return Bad(where + ".required", "surveys.definition_boolean");
    question.required = required->get<bool>();
  }
  switch (question.type) {
    case QuestionType::kSingle:
    case QuestionType::kMultiple: {
      CIVICDESK_ASSIGN_OR_RETURN(question.choices, ChoicesOf(item, where));
      break;
    }
    case QuestionType::kSatisfaction:
      question.choices = SatisfactionScale();
      break;
    case QuestionType::kAgreement:
      question.choices = AgreementScale();
      break;
    case QuestionType::kNumber: {
      CIVICDESK_ASSIGN_OR_RETURN(question.min, Number(item, "min", where));
      CIVICDESK_ASSIGN_OR_RETURN(question.max, Number(item, "max", where));
      if (question.min && question.max && *question.min > *question.max)
        return Bad(where + ".max", "surveys.definition_range");
      break;
    }
    case QuestionType::kText: {
      CIVICDESK_ASSIGN_OR_RETURN(std::optional<double> length, Number(item, "max_length", where));
      if (length) {
        if (*length < 1 || *length > 10000)
          return Bad(where + ".max_length", "surveys.definition_range");
        question.max_length = static_cast<size_t>(*length);
      }
      break;
    }
  }
  CIVICDESK_ASSIGN_OR_RETURN(question.segment, Text(item, "segment", where, false));
  if (!question.segment.empty()) {
    if (question.segment != kDistrict && question.segment != kAgeBand &&
        question.segment != kResidence)
      return Bad(where + ".segment", "surveys.definition_segment");
    if (question.type != QuestionType::kSingle)
      return Bad(where + ".segment", "surveys.definition_segment_single");
  }
  if (auto condition = item.find("show_if"); condition != item.end() && !condition->is_null()) {
    const std::string at = where + ".show_if";
    if (!condition->is_object()) return Bad(at, "surveys.definition_object");
    Condition show_if;
    CIVICDESK_ASSIGN_OR_RETURN(show_if.question, Text(*condition, "question", at, true));
    auto on = earlier.find(show_if.question);
    if (on == earlier.end() || !on->second->HasChoices())
      return Bad(at + ".question", "surveys.definition_earlier");
    auto any_of = condition->find("any_of");
    if (any_of == condition->end() || !any_of->is_array() || any_of->empty())
      return Bad(at + ".any_of", "surveys.definition_choices");
    for (const json& value : *any_of) {
      if (!value.is_string()) return Bad(at + ".any_of", "surveys.definition_text");
      const std::string answer = value.get<std::string>();
      bool offered = false;
      for (const Choice& choice : on->second->choices) offered |= choice.value == answer;
      if (!offered) return Bad(at + ".any_of", "surveys.definition_not_offered");
      show_if.any_of.push_back(answer);
    }
    question.show_if = std::move(show_if);
  }
  return question;
}

}  // namespace

std::string_view TypeName(QuestionType type) {
  switch (type) {
    case QuestionType::kSingle:
      return "single";
    case QuestionType::kMultiple:
      return "multiple";
    case QuestionType::kSatisfaction:
      return "satisfaction";
    case QuestionType::kAgreement:
      return "agreement";
    case QuestionType::kNumber:
      return "number";
    case QuestionType::kText:
      return "text";
  }
  return "single";
}

const std::vector<Choice>& SatisfactionScale() {
  static const std::vector<Choice> scale = {
      {"満足", "", "surveys_scale_satisfied"},
      {"まあ満足", "", "surveys_scale_somewhat_satisfied"},
      {"どちらともいえない", "", "surveys_scale_neither"},
      {"あまり満足ではない", "", "surveys_scale_not_very_satisfied"},
      {"満足ではない", "", "surveys_scale_not_satisfied"},
      {"不明", "", "surveys_scale_unknown"}};
  return scale;
}

const std::vector<Choice>& AgreementScale() {
  static const std::vector<Choice> scale = {
      {"そう思う", "", "surveys_scale_agree"},
      {"ややそう思う", "", "surveys_scale_somewhat_agree"},
      {"どちらともいえない", "", "surveys_scale_neither"},
      {"あまりそう思わない", "", "surveys_scale_somewhat_disagree"},
      {"そう思わない", "", "surveys_scale_disagree"},
      {"不明", "", "surveys_scale_unknown"}};
  return scale;
}

const Question* Survey::Find(std::string_view key) const {
  for (const Section& section : sections)
    for (const Question& question : section.questions)
      if (question.key == key) return &question;
  return nullptr;
}

std::vector<const Question*> Survey::Questions() const {
  std::vector<const Question*> all;
  for (const Section& section : sections)
    for (const Question& question : section.questions) all.push_back(&question);
  return all;
}

const Question* Survey::SegmentQuestion(std::string_view segment) const {
  for (const Question* question : Questions())
    if (question->segment == segment) return question;
  return nullptr;
}

Result<Survey> ParseDefinition(std::string_view json_text) {
  json root = json::parse(json_text, nullptr, false);
  if (root.is_discarded() || !root.is_object()) return Bad("definition", "surveys.definition_json");
  Survey survey;
  CIVICDESK_ASSIGN_OR_RETURN(survey.key, Text(root, "key", "definition", true));
  if (!IsKey(survey.key, true)) return Bad("key", "surveys.definition_key");
  CIVICDESK_ASSIGN_OR_RETURN(survey.title, Text(root, "title", "definition", true));
  CIVICDESK_ASSIGN_OR_RETURN(survey.title_en, Text(root, "title_en", "definition", false));
  CIVICDESK_ASSIGN_OR_RETURN(survey.description, Text(root, "description", "definition", false));
  CIVICDESK_ASSIGN_OR_RETURN(survey.description_en,
                             Text(root, "description_en", "definition", false));
  CIVICDESK_ASSIGN_OR_RETURN(survey.source, Text(root, "source", "definition", false));
  auto year = root.find("fiscal_year");
  if (year == root.end()) return Bad("fiscal_year", "surveys.definition_required");
  if (year->is_number_integer()) {
    survey.fiscal_year = year->get<int>();
  } else if (year->is_string()) {
    survey.fiscal_year = tabular::ReadFiscalYear(year->get<std::string>());
  }
  if (survey.fiscal_year < 1989 || survey.fiscal_year > 2200)
    return Bad("fiscal_year", "surveys.definition_year");
  CIVICDESK_ASSIGN_OR_RETURN(std::string status, Text(root, "status", "definition", false));
  if (!status.empty()) {
    if (status != kDraft && status != kOpen && status != kClosed)
      return Bad("status", "surveys.definition_status");
    survey.status = status;
  }
  auto sections = root.find("sections");
  if (sections == root.end() || !sections->is_array() || sections->empty())
    return Bad("sections", "surveys.definition_required");
  std::map<std::string, const Question*> earlier;
  std::set<std::string> section_keys;
  survey.sections.reserve(sections->size());
  for (size_t s = 0; s < sections->size(); ++s) {
    const json& item = (*sections)[s];
    const std::string where = "sections[" + std::to_string(s) + "]";
    if (!item.is_object()) return Bad(where, "surveys.definition_object");
    Section section;
    CIVICDESK_ASSIGN_OR_RETURN(section.key, Text(item, "key", where, true));
    if (!IsKey(section.key, false)) return Bad(where + ".key", "surveys.definition_key");
    if (!section_keys.insert(section.key).second)
      return Bad(where + ".key", "surveys.definition_duplicate");
    CIVICDESK_ASSIGN_OR_RETURN(section.title, Text(item, "title", where, true));
    CIVICDESK_ASSIGN_OR_RETURN(section.title_en, Text(item, "title_en", where, false));
    auto questions = item.find("questions");
    if (questions == item.end() || !questions->is_array() || questions->empty())
      return Bad(where + ".questions", "surveys.definition_required");
    survey.sections.push_back(std::move(section));
    std::vector<Question>& list = survey.sections.back().questions;
    list.reserve(questions->size());
    for (size_t q = 0; q < questions->size(); ++q) {
      CIVICDESK_ASSIGN_OR_RETURN(
          Question question,
          QuestionOf((*questions)[q], where + ".questions[" + std::to_string(q) + "]", earlier));
      list.push_back(std::move(question));
      earlier[list.back().key] = &list.back();
    }
  }
  std::set<std::string_view> segments;
  for (const Question* question : survey.Questions())
    if (!question->segment.empty() && !segments.insert(question->segment).second)
      return Bad("segment", "surveys.definition_duplicate");
  if (auto feeds = root.find("feeds"); feeds != root.end() && !feeds->is_null()) {
    if (!feeds->is_array()) return Bad("feeds", "surveys.definition_array");
    const Question* residence = survey.SegmentQuestion(kResidence);
    for (size_t f = 0; f < feeds->size(); ++f) {
      const json& item = (*feeds)[f];
      const std::string where = "feeds[" + std::to_string(f) + "]";
      if (!item.is_object()) return Bad(where, "surveys.definition_object");
      Feed feed;
      CIVICDESK_ASSIGN_OR_RETURN(feed.kpi, Text(item, "kpi", where, true));
      static const std::regex code("[0-9]{1,2}-[0-9]{1,2}-[0-9]{1,2}");
      if (!std::regex_match(feed.kpi, code)) return Bad(where + ".kpi", "surveys.definition_kpi");
      CIVICDESK_ASSIGN_OR_RETURN(feed.question, Text(item, "question", where, true));
      const Question* question = survey.Find(feed.question);
      if (question == nullptr || !question->HasChoices())
        return Bad(where + ".question", "surveys.definition_feed");
      auto choices = item.find("choices");
      if (choices == item.end() || !choices->is_array() || choices->empty())
        return Bad(where + ".choices", "surveys.definition_required");
      for (const json& value : *choices) {
        bool offered = false;
        if (value.is_string())
          for (const Choice& choice : question->choices) offered |= choice.value == value;
        if (!offered) return Bad(where + ".choices", "surveys.definition_not_offered");
        feed.choices.push_back(value.get<std::string>());
      }
      CIVICDESK_ASSIGN_OR_RETURN(feed.segment, Text(item, "segment", where, false));
      if (!feed.segment.empty()) {
        bool offered = false;
        if (residence != nullptr)
          for (const Choice& choice : residence->choices) offered |= choice.value == feed.segment;
        if (!offered) return Bad(where + ".segment", "surveys.definition_not_offered");
      }
      survey.feeds.push_back(std::move(feed));
    }
  }
  return survey;
}

std::string DefinitionJson(const Survey& survey) {
  json sections = json::array();
  for (const Section& section : survey.sections) {
    json questions = json::array();
    for (const Question& question : section.questions) {
      json item = {{"key", question.key},
                   {"type", std::string(TypeName(question.type))},
                   {"text", question.text}};
      if (!question.text_en.empty()) item["text_en"] = question.text_en;
      if (!question.help.empty()) item["help"] = question.help;
      if (!question.help_en.empty()) item["help_en"] = question.help_en;
      if (question.required) item["required"] = true;
      if (question.type == QuestionType::kSingle || question.type == QuestionType::kMultiple) {
        json choices = json::array();
        for (const Choice& choice : question.choices)
          choices.push_back(choice.en.empty() ? json(choice.value)
                                              : json{{"value", choice.value}, {"en", choice.en}});
        item["choices"] = choices;
      }
      if (!question.segment.empty()) item["segment"] = question.segment;
      if (question.min) item["min"] = *question.min;
      if (question.max) item["max"] = *question.max;
      if (!question.unit.empty()) item["unit"] = question.unit;
      if (question.type == QuestionType::kText) item["max_length"] = question.max_length;
      if (question.show_if)
        item["show_if"] = {{"question", question.show_if->question},
                           {"any_of", question.show_if->any_of}};
      questions.push_back(std::move(item));
    }
    json entry = {{"key", section.key}, {"title", section.title}, {"questions", questions}};
    if (!section.title_en.empty()) entry["title_en"] = section.title_en;
    sections.push_back(std::move(entry));
  }
  json feeds = json::array();
  for (const Feed& feed : survey.feeds) {
    json item = {{"kpi", feed.kpi}, {"question", feed.question}, {"choices", feed.choices}};
    if (!feed.segment.empty()) item["segment"] = feed.segment;
    feeds.push_back(std::move(item));
  }
  json root = {{"key", survey.key},
               {"title", survey.title},
               {"fiscal_year", survey.fiscal_year},
               {"sections", sections},
               {"feeds", feeds}};
  if (!survey.title_en.empty()) root["title_en"] = survey.title_en;
  if (!survey.description.empty()) root["description"] = survey.description;
  if (!survey.description_en.empty()) root["description_en"] = survey.description_en;
  if (!survey.source.empty()) root["source"] = survey.source;
  return root.dump();
}

}  // namespace civicdesk::surveys
