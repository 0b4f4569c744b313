#ifndef CIVICDESK_SURVEYS_SURVEY_H_
#define CIVICDESK_SURVEYS_SURVEY_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

// A resident survey as staff define it (docs/surveys.md): sections of questions, each question
// one of six kinds, with Japanese text and our English beside it, conditions on earlier
// answers, the answers that place a respondent in a segment (district, age band, 在住/在勤) and
// the KPIs a question feeds.
namespace civicdesk::surveys {

enum class QuestionType { kSingle, kMultiple, kSatisfaction, kAgreement, kNumber, kText };

// "single", "multiple", "satisfaction", "agreement", "number", "text".
std::string_view TypeName(QuestionType type);

struct Choice {
  std::string value;  // Japanese, as stored with the answers and printed in reports
  std::string en;     // our English; "" where none (English pages then show the Japanese)
  // For the scales: the catalog key of the label in the reader's language ("" otherwise).
  std::string message;
};

// The five points of the satisfaction scale (満足 … 満足ではない) and 不明, as seed 001 reports
// them; the agreement scale (そう思う … そう思わない) and 不明.
const std::vector<Choice>& SatisfactionScale();
const std::vector<Choice>& AgreementScale();

// Ask this question only when the answer to `question` (an earlier one) is one of `any_of`.
struct Condition {
  std::string question;
  std::vector<std::string> any_of;
};

// What a segment question places a respondent in: kDistrict (the five 総合支所 areas),
// kAgeBand, kResidence (在住 / 在勤).
inline constexpr std::string_view kDistrict = "district";
inline constexpr std::string_view kAgeBand = "age_band";
inline constexpr std::string_view kResidence = "residence";

struct Question {
  std::string key;  // [a-z0-9_]+, unique in its survey
  QuestionType type = QuestionType::kSingle;
  std::string text;
  std::string text_en;
  std::string help;
  std::string help_en;
  bool required = false;
  std::vector<Choice> choices;  // single, multiple and the scales
  std::string segment;          // "" or kDistrict / kAgeBand / kResidence (single only)
  std::optional<double> min;    // number
  std::optional<double> max;
  std::string unit;
  size_t max_length = 2000;  // text
  std::optional<Condition> show_if;

  bool HasChoices() const { return type != QuestionType::kNumber && type != QuestionType::kText; }
};

struct Section {
  std::string key;
  std::string title;
  std::string title_en;
  std::vector<Question> questions;
};

// A question that feeds a plan KPI: the share of respondents who chose one of `choices` (満足 +
// まあ満足), among those in `segment` (在住 or 在勤) when it is set.
struct Feed {
  std::string kpi;  // "24-0-1"
  std::string question;
  std::vector<std::string> choices;
  std::string segment;  // "" (everyone), or a value of the residence question
};

inline constexpr std::string_view kDraft = "draft";
inline constexpr std::string_view kOpen = "open";
inline constexpr std::string_view kClosed = "closed";
// A survey known only by its published answer shares (seed 001's 令和元年度 区民意識調査).
inline constexpr std::string_view kPublished = "published";

struct Survey {
  int64_t id = 0;
  std::string key;  // [a-z0-9-]+: the definition file's identity; a second import replaces it
  std::string title;
  std::string title_en;
  std::string description;
  std::string description_en;
  int fiscal_year = 0;  // Western starting year
  std::string status = std::string(kDraft);
  std::string source;  // for a published survey: the report its shares come from
  std::vector<Section> sections;
  std::vector<Feed> feeds;

  // The question with `key`, or nullptr.
  const Question* Find(std::string_view key) const;
  // Every question in order.
  std::vector<const Question*> Questions() const;
  // The question placing respondents in `segment`, or nullptr.
  const Question* SegmentQuestion(std::string_view segment) const;
};

// Reads a definition (JSON, docs/surveys.md). Every problem is InvalidArgument naming its place
// ("sections[1].questions[2].choices") as the field: an unknown type, a duplicate or malformed
// key, a condition on a later or unknown question or an answer it does not offer, a feed of an
// unknown question or choice, a segment question that is not single choice.
Result<Survey> ParseDefinition(std::string_view json_text);

// The definition as JSON text, as ParseDefinition reads it (ids and status aside).
std::string DefinitionJson(const Survey& survey);

}  // namespace civicdesk::surveys

#endif  // CIVICDESK_SURVEYS_SURVEY_H_
