#ifndef CIVICDESK_SURVEYS_ANSWERS_H_
#define CIVICDESK_SURVEYS_ANSWERS_H_

#include <map>
#include <string>
#include <vector>

#include "core/result.h"
#include "surveys/store.h"
#include "surveys/survey.h"

// Reading one respondent's answer form. The form names each question's control "q_<key>"; a
// multiple-choice question has one checkbox per choice, "q_<key>__<n>" (n from 0), since a form
// field holds one value.
namespace civicdesk::surveys {

std::string ControlName(const Question& question);
std::string ChoiceControlName(const Question& question, size_t choice);

// True when `question` is asked given the answers read so far (its condition holds, or it has
// none).
bool IsAsked(const Question& question,
             const std::map<std::string, std::vector<std::string>>& so_far);

// The answers of `form` to `survey`, checked question by question: each problem goes to
// `errors` as InvalidArgument whose field is the question's key (surveys.answer_required,
// surveys.answer_invalid, surveys.answer_range, surveys.answer_too_long, surveys.answer_number).
// A question whose condition does not hold is not asked: what the form sends for it is left
// out. The segment questions' answers fill district, age band and residence.
ResponseInput ReadAnswers(const Survey& survey, const std::map<std::string, std::string>& form,
                          std::vector<Status>& errors);

}  // namespace civicdesk::surveys

#endif  // CIVICDESK_SURVEYS_ANSWERS_H_
