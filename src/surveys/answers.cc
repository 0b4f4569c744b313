#include "surveys/answers.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "core/text_normalize.h"

namespace civicdesk::surveys {

namespace {

size_t CodePoints(std::string_view text) {
  return static_cast<size_t>(
      std::count_if(text.begin(), text.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

std::string NumberText(double value) {
  if (value == std::floor(value) && std::abs(value) < 1e15)
    return std::to_string(static_cast<int64_t>(value));
  std::string text = std::to_string(value);
  text.erase(text.find_last_not_of('0') + 1);
  return text;
}

Status Problem(const Question& question, std::string id, MessageArgs args = {}) {
  return Status::InvalidArgument(std::move(id), std::move(args), question.key);
}

}  // namespace

std::string ControlName(const Question& question) { return "q_" + question.key; }

std::string ChoiceControlName(const Question& question, size_t choice) {
  return "q_" + question.key + "__" + std::to_string(choice);
}

bool IsAsked(const Question& question,
             const std::map<std::string, std::vector<std::string>>& so_far) {
  if (!question.show_if) return true;
  auto found = so_far.find(question.show_if->question);
  if (found == so_far.end()) return false;
  for (const std::string& answer : found->second)
    if (std::find(question.show_if->any_of.begin(), question.show_if->any_of.end(), answer) !=
        question.show_if->any_of.end())
      return true;
  return false;
}

ResponseInput ReadAnswers(const Survey& survey, const std::map<std::string, std::string>& form,
                          std::vector<Status>& errors) {
  ResponseInput input;
  std::map<std::string, std::vector<std::string>> answered;
  auto field = [&](const std::string& name) {
    auto found = form.find(name);
    return found == form.end() ? std::string() : found->second;
  };
  for (const Question* question : survey.Questions()) {
    if (!IsAsked(*question, answered)) continue;
    std::vector<std::string> values;
    switch (question->type) {
      case QuestionType::kSingle:
      case QuestionType::kSatisfaction:
      case QuestionType::kAgreement: {
        const std::string value = field(ControlName(*question));
        if (value.empty()) break;
        const bool offered =
            std::any_of(question->choices.begin(), question->choices.end(),
                        [&](const Choice& choice) { return choice.value == value; });
        if (!offered) {
          errors.push_back(Problem(*question, "surveys.answer_invalid"));
          continue;
        }
        values.push_back(value);
        break;
      }
      case QuestionType::kMultiple:
        for (size_t c = 0; c < question->choices.size(); ++c)
          if (!field(ChoiceControlName(*question, c)).empty())
            values.push_back(question->choices[c].value);
        break;
      case QuestionType::kNumber: {
        const std::string typed = TrimSpaces(NormalizeNfkc(field(ControlName(*question))));
        if (typed.empty()) break;
        char* end = nullptr;
        const double number = std::strtod(typed.c_str(), &end);
        if (end == typed.c_str() || *end != '\0' || !std::isfinite(number)) {
          errors.push_back(Problem(*question, "surveys.answer_number"));
          continue;
        }
        if ((question->min && number < *question->min) ||
            (question->max && number > *question->max)) {
          errors.push_back(Problem(*question, "surveys.answer_range",
                                   {{"min", question->min ? NumberText(*question->min) : "-"},
                                    {"max", question->max ? NumberText(*question->max) : "-"}}));
          continue;
        }
        values.push_back(NumberText(number));
        break;
      }
      case QuestionType::kText: {
        const std::string text = TrimSpaces(field(ControlName(*question)));
        if (text.empty()) break;
        if (!IsValidUtf8(text)) {
          errors.push_back(Problem(*question, "surveys.answer_invalid"));
          continue;
        }
        if (CodePoints(text) > question->max_length) {
          errors.push_back(Problem(*question, "surveys.answer_too_long",
                                   {{"limit", std::to_string(question->max_length)},
                                    {"count", std::to_string(CodePoints(text))}}));
          continue;
        }
        values.push_back(text);
        break;
      }
    }
    if (values.empty()) {
      if (question->required) errors.push_back(Problem(*question, "surveys.answer_required"));
      continue;
    }
    if (question->segment == kDistrict) input.district = values.front();
    if (question->segment == kAgeBand) input.age_band = values.front();
    if (question->segment == kResidence) input.residence = values.front();
    for (const std::string& value : values) input.answers.emplace_back(question->key, value);
    answered[question->key] = std::move(values);
  }
  return input;
}

}  // namespace civicdesk::surveys
