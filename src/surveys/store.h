#ifndef CIVICDESK_SURVEYS_STORE_H_
#define CIVICDESK_SURVEYS_STORE_H_

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "http/public_data.h"
#include "storage/database.h"
#include "storage/migrations.h"
#include "surveys/survey.h"

// The tables surveys_*: surveys (their definition kept as JSON), responses with the segment each
// respondent is in (district, age band, 在住/在勤) and nothing else about them, their answers, the
// published answer shares of surveys known only by their report, the population tables the ward
// imports for weighting, and the module's audit trail.
namespace civicdesk::surveys {

storage::ModuleMigrations SurveysMigrations();

// Stores `survey` under its key: a new survey, or the definition of the survey with that key
// replaced (its status kept unless the file names one). Conflict (surveys.has_responses) when
// that survey has responses already and its questions would change. Returns the survey's id.
Result<int64_t> SaveSurvey(storage::Database& database, const Survey& survey,
                           const std::string& login);

// Every survey, newest fiscal year first.
Result<std::vector<Survey>> ListSurveys(storage::Database& database);
// NotFound (surveys.not_found) for an unknown id.
Result<Survey> GetSurvey(storage::Database& database, int64_t id);

// Opens or closes a survey (kOpen, kClosed, kDraft). A published survey keeps its status:
// InvalidArgument (surveys.status_invalid).
Status SetStatus(storage::Database& database, int64_t id, const std::string& status,
                 const std::string& login);

// One respondent's answers, as they will be stored.
struct ResponseInput {
  std::string channel;  // "web", "paper"
  std::string district;
  std::string age_band;
  std::string residence;
  std::vector<std::pair<std::string, std::string>> answers;  // (question, value); several for one
                                                             // multiple-choice question
  std::string token;  // the form's one-time token: a second response with it is refused
};

// Stores one response durably (committed before this returns Ok). Conflict
// (surveys.already_answered) when `input.token` was used before.
Result<int64_t> StoreResponse(storage::Database& database, int64_t survey_id,
                              const ResponseInput& input);
// True when a response was stored with `token`.
Result<bool> TokenUsed(storage::Database& database, int64_t survey_id, const std::string& token);

// How many responses a survey has.
Result<int64_t> CountResponses(storage::Database& database, int64_t survey_id);

// Streams every answer of a survey (of the question `only_question` when it is not empty)
// ordered by response: (response id, district, age band, residence, question, value).
struct AnswerRow {
  int64_t response = 0;
  std::string district;
  std::string age_band;
  std::string residence;
  std::string question;
  std::string value;
};
Status ForEachAnswer(storage::Database& database, int64_t survey_id, std::string_view only_question,
                     const std::function<Status(const AnswerRow&)>& on_row);

// The published shares of a survey known by its report: question → [(choice, share %)].
Result<std::map<std::string, std::vector<std::pair<std::string, double>>>> PublishedShares(
    storage::Database& database, int64_t survey_id);

// A population table (the ward's, for post-stratification): each cell's population. An empty
// dimension in a cell means the table does not split by it.
struct PopulationCell {
  std::string district;
  std::string age_band;
  std::string residence;
  int64_t population = 0;
};
struct Population {
  int64_t id = 0;
  std::string label;  // 「令和7年1月1日現在 住民基本台帳」
  std::string imported_at;
  std::vector<PopulationCell> cells;
};
// The latest population table imported; nullopt when none.
Result<std::optional<Population>> LatestPopulation(storage::Database& database);
Result<int64_t> SavePopulation(storage::Database& database, const Population& population,
                               const std::string& login);

// How many respondents each (district, age band, residence) cell holds (in `population`).
Result<std::vector<PopulationCell>> RespondentsByCell(storage::Database& database,
                                                      int64_t survey_id);

// Loads the surveys shipped in data/minato/surveys.json, each by its key when missing (with its
// published shares): a second start adds nothing.
Status LoadShippedSurveys(storage::Database& database, std::string_view json_text);

Result<std::vector<http::AuditEntry>> SurveysAuditTrail(storage::Database& database,
                                                        const http::AuditQuery& query);

}  // namespace civicdesk::surveys

#endif  // CIVICDESK_SURVEYS_STORE_H_
