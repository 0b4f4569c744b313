#include "surveys/store.h"

#include <nlohmann/json.hpp>

#include "core/date.h"

namespace civicdesk::surveys {

using nlohmann::json;
using storage::AsInt;
using storage::AsText;

namespace {

Status Audit(storage::Connection& connection, const std::string& user, const std::string& action,
             const std::string& entity, const std::string& before, const std::string& after) {
  return connection
      .Query(
          "INSERT INTO surveys_audit (at, user_login, action, entity, before_value, after_value)"
          " VALUES (?, ?, ?, ?, ?, ?)",
          {NowIso8601Utc(), user, action, entity, before, after})
      .status();
}

Result<Survey> SurveyOfRow(const std::vector<storage::Value>& row) {
  CIVICDESK_ASSIGN_OR_RETURN(Survey survey, ParseDefinition(AsText(row[1])));
  survey.id = AsInt(row[0]);
  survey.status = AsText(row[2]);
  return survey;
}

constexpr std::string_view kSelectSurvey = "SELECT id, definition, status FROM surveys_survey";

// The questions of a definition without its titles, feeds and status: what responses depend on.
std::string QuestionsOf(const std::string& definition) {
  json root = json::parse(definition, nullptr, false);
  if (!root.is_object() || !root.contains("sections")) return {};
  json keys = json::array();
  for (const json& section : root["sections"])
    for (const json& question : section["questions"])
      keys.push_back({question.value("key", ""), question.value("type", ""),
                      question.value("choices", json::array())});
  return keys.dump();
}

}  // namespace

storage::ModuleMigrations SurveysMigrations() {
  return {
      "surveys",
      {
          {1, "surveys, responses, answers, published shares, population tables, audit",
           "CREATE TABLE surveys_survey (id {{id}}, key TEXT NOT NULL UNIQUE, title TEXT NOT"
           " NULL, fiscal_year BIGINT NOT NULL, status TEXT NOT NULL, definition TEXT NOT NULL,"
           " updated_at TEXT NOT NULL);"
           "CREATE TABLE surveys_response (id {{id}}, survey_id BIGINT NOT NULL REFERENCES"
           " surveys_survey(id), channel TEXT NOT NULL, district TEXT NOT NULL, age_band TEXT"
           " NOT NULL, residence TEXT NOT NULL, token TEXT UNIQUE, received_on TEXT NOT NULL);"
           "CREATE INDEX surveys_response_survey ON surveys_response (survey_id);"
           "CREATE TABLE surveys_answer (response_id BIGINT NOT NULL REFERENCES"
           " surveys_response(id), question TEXT NOT NULL, value TEXT NOT NULL);"
           "CREATE INDEX surveys_answer_response ON surveys_answer (response_id);"
           "CREATE TABLE surveys_published_share (survey_id BIGINT NOT NULL REFERENCES"
           " surveys_survey(id), question TEXT NOT NULL, position BIGINT NOT NULL, choice TEXT"
           " NOT NULL, share DOUBLE PRECISION NOT NULL, PRIMARY KEY (survey_id, question,"
           " choice));"
           "CREATE TABLE surveys_population (id {{id}}, label TEXT NOT NULL, imported_at TEXT"
           " NOT NULL, user_login TEXT NOT NULL);"
           "CREATE TABLE surveys_population_cell (population_id BIGINT NOT NULL REFERENCES"
           " surveys_population(id), district TEXT NOT NULL, age_band TEXT NOT NULL, residence"
           " TEXT NOT NULL, population BIGINT NOT NULL, PRIMARY KEY (population_id, district,"
           " age_band, residence));"
           "CREATE TABLE surveys_audit (id {{id}}, at TEXT NOT NULL, user_login TEXT NOT NULL,"
           " action TEXT NOT NULL, entity TEXT NOT NULL, before_value TEXT NOT NULL, after_value"
           " TEXT NOT NULL)"},
      }};
}

Result<int64_t> SaveSurvey(storage::Database& database, const Survey& survey,
                           const std::string& login) {
  const std::string definition = DefinitionJson(survey);
  int64_t id = 0;
  Status saved = database.Transaction([&](storage::Connection& connection) -> Status {
    CIVICDESK_ASSIGN_OR_RETURN(
        storage::QueryResult found,
        connection.Query("SELECT id, definition, status FROM surveys_survey WHERE key = ?",
                         {survey.key}));
    if (found.empty()) {
      CIVICDESK_ASSIGN_OR_RETURN(
          storage::QueryResult inserted,
          connection.Query("INSERT INTO surveys_survey (key, title, fiscal_year, status,"
                           " definition, updated_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                           {survey.key, survey.title, int64_t{survey.fiscal_year}, survey.status,
                            definition, NowIso8601Utc()}));
      id = AsInt(inserted.rows[0][0]);
      return Audit(connection, login, "survey_define", "survey " + survey.key, "", definition);
    }
    id = AsInt(found.rows[0][0]);
    const std::string before = AsText(found.rows[0][1]);
    if (AsText(found.rows[0][2]) == kPublished)
      return Status::Conflict("surveys.published_fixed", {{"key", survey.key}});
    CIVICDESK_ASSIGN_OR_RETURN(
        storage::QueryResult responses,
        connection.Query("SELECT COUNT(*) FROM surveys_response WHERE survey_id = ?", {id}));
    if (AsInt(responses.rows[0][0]) > 0 && QuestionsOf(before) != QuestionsOf(definition))
      return Status::Conflict(
          "surveys.has_responses",
          {{"key", survey.key}, {"count", std::to_string(AsInt(responses.rows[0][0]))}});
    CIVICDESK_RETURN_IF_ERROR(
        connection
            .Query("UPDATE surveys_survey SET title = ?, fiscal_year = ?, status = ?,"
                   " definition = ?, updated_at = ? WHERE id = ?",
                   {survey.title, int64_t{survey.fiscal_year}, survey.status, definition,
                    NowIso8601Utc(), id})
            .status());
    return Audit(connection, login, "survey_define", "survey " + survey.key, before, definition);
  });
  if (!saved.ok()) return saved;
  return id;
}

Result<std::vector<Survey>> ListSurveys(storage::Database& database) {
  CIVICDESK_ASSIGN_OR_RETURN(
      storage::QueryResult rows,
      database.Query(std::string(kSelectSurvey) + " ORDER BY fiscal_year DESC, id DESC"));
  std::vector<Survey> surveys;
  for (const auto& row : rows.rows) {
    CIVICDESK_ASSIGN_OR_RETURN(Survey survey, SurveyOfRow(row));
    surveys.push_back(std::move(survey));
  }
  return surveys;
}

Result<Survey> GetSurvey(storage::Database& database, int64_t id) {
  CIVICDESK_ASSIGN_OR_RETURN(storage::QueryResult rows,
                             database.Query(std::string(kSelectSurvey) + " WHERE id = ?", {id}));
  if (rows.empty()) return Status::NotFound("surveys.not_found", {{"id", std::to_string(id)}});
  return SurveyOfRow(rows.rows[0]);
}

Status SetStatus(storage::Database& database, int64_t id, const std::string& status,
                 const std::string& login) {
  if (status != kOpen && status != kClosed && status != kDraft)
    return Status::InvalidArgument("surveys.status_invalid", "status");
  return database.Transaction([&](storage::Connection& connection) -> Status {
    CIVICDESK_ASSIGN_OR_RETURN(
        storage::QueryResult found,
        connection.Query("SELECT key, status FROM surveys_survey WHERE id = ?", {id}));
    if (found.empty()) return Status::NotFound("surveys.not_found", {{"id", std::to_string(id)}});
    const std::string before = AsText(found.rows[0][1]);
    if (before == kPublished) return Status::InvalidArgument("surveys.status_invalid", "status");
    if (before == status) return Status::Ok();
    CIVICDESK_RETURN_IF_ERROR(
        connection
            .Query("UPDATE surveys_survey SET status = ?, updated_at = ? WHERE id = ?",
                   {status, NowIso8601Utc(), id})
            .status());
    return Audit(connection, login, "survey_status", "survey " + AsText(found.rows[0][0]), before,
                 status);
  });
}

Result<int64_t> StoreResponse(storage::Database& database, int64_t survey_id,
                              const ResponseInput& input) {
  int64_t id = 0;
  Status stored = database.GroupTransaction([&](storage::Connection& connection) -> Status {
    Result<storage::QueryResult> inserted = connection.Query(
        "INSERT INTO surveys_response (survey_id, channel, district, age_band, residence, token,"
        " received_on) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
        {survey_id, input.channel, input.district, input.age_band, input.residence,
         input.token.empty() ? storage::Null() : storage::Value(input.token),
         FormatIsoDate(TodayInJapan())});
    if (!inserted.ok()) {
      if (inserted.status().code() == StatusCode::kConflict)
        return Status::Conflict("surveys.already_answered");
      return inserted.status();
    }
    id = AsInt(inserted->rows[0][0]);
    for (const auto& [question, value] : input.answers) {
      CIVICDESK_RETURN_IF_ERROR(
          connection
              .Query("INSERT INTO surveys_answer (response_id, question, value) VALUES (?, ?, ?)",
                     {id, question, value})
              .status());
    }
    return Status::Ok();
  });
  if (!stored.ok()) return stored;
  return id;
}

Result<bool> TokenUsed(storage::Database& database, int64_t survey_id, const std::string& token) {
  CIVICDESK_ASSIGN_OR_RETURN(
      storage::QueryResult rows,
      database.Query("SELECT 1 FROM surveys_response WHERE token = ? AND survey_id = ?",
                     {token, survey_id}));
  return !rows.empty();
}

Result<int64_t> CountResponses(storage::Database& database, int64_t survey_id) {
  CIVICDESK_ASSIGN_OR_RETURN(
      storage::QueryResult rows,
      database.Query("SELECT COUNT(*) FROM surveys_response WHERE survey_id = ?", {survey_id}));
  return AsInt(rows.rows[0][0]);
}

Status ForEachAnswer(storage::Database& database, int64_t survey_id, std::string_view only_question,
                     const std::function<Status(const AnswerRow&)>& on_row) {
  AnswerRow answer;
  std::string sql =
      "SELECT r.id, r.district, r.age_band, r.residence, a.question, a.value FROM"
      " surveys_response r JOIN surveys_answer a ON a.response_id = r.id WHERE r.survey_id = ?";
  std::vector<storage::Value> params = {survey_id};
  if (!only_question.empty()) {
    sql += " AND a.question = ?";
    params.emplace_back(std::string(only_question));
  }
  return database.QueryEach(sql + " ORDER BY r.id", params,
                            [&](const std::vector<storage::Value>& row) {
                              answer.response = AsInt(row[0]);
                              answer.district = AsText(row[1]);
                              answer.age_band = AsText(row[2]);
                              answer.residence = AsText(row[3]);
                              answer.question = AsText(row[4]);
                              answer.value = AsText(row[5]);
                              return on_row(answer);
                            });
}

Result<std::vector<PopulationCell>> RespondentsByCell(storage::Database& database,
                                                      int64_t survey_id) {
  CIVICDESK_ASSIGN_OR_RETURN(
      storage::QueryResult rows,
      database.Query("SELECT district, age_band, residence, COUNT(*) FROM surveys_response"
                     " WHERE survey_id = ? GROUP BY district, age_band, residence",
                     {survey_id}));
  std::vector<PopulationCell> cells;
  for (const auto& row : rows.rows)
    cells.push_back({AsText(row[0]), AsText(row[1]), AsText(row[2]), AsInt(row[3])});
  return cells;
}

Result<std::map<std::string, std::vector<std::pair<std::string, double>>>> PublishedShares(
    storage::Database& database, int64_t survey_id) {
  CIVICDESK_ASSIGN_OR_RETURN(
      storage::QueryResult rows,
      database.Query("SELECT question, choice, share FROM surveys_published_share WHERE"
                     " survey_id = ? ORDER BY question, position",
                     {survey_id}));
  std::map<std::string, std::vector<std::pair<std::string, double>>> shares;
  for (const auto& row : rows.rows)
    shares[AsText(row[0])].emplace_back(AsText(row[1]), storage::AsDouble(row[2]));
  return shares;
}

Result<std::optional<Population>> LatestPopulation(storage::Database& database) {
  CIVICDESK_ASSIGN_OR_RETURN(
      storage::QueryResult head,
      database.Query(
          "SELECT id, label, imported_at FROM surveys_population ORDER BY id DESC LIMIT 1"));
  if (head.empty()) return std::optional<Population>();
  Population population{
      AsInt(head.rows[0][0]), AsText(head.rows[0][1]), AsText(head.rows[0][2]), {}};
  CIVICDESK_ASSIGN_OR_RETURN(storage::QueryResult cells,
                             database.Query("SELECT district, age_band, residence, population FROM"
                                            " surveys_population_cell WHERE population_id = ?"
                                            " ORDER BY district, age_band, residence",
                                            {population.id}));
  for (const auto& row : cells.rows)
    population.cells.push_back({AsText(row[0]), AsText(row[1]), AsText(row[2]), AsInt(row[3])});
  return std::optional<Population>(std::move(population));
}

Result<int64_t> SavePopulation(storage::Database& database, const Population& population,
                               const std::string& login) {
  int64_t id = 0;
  Status saved = database.Transaction([&](storage::Connection& connection) -> Status {
    CIVICDESK_ASSIGN_OR_RETURN(
        storage::QueryResult inserted,
        connection.Query("INSERT INTO surveys_population (label, imported_at, user_login)"
                         " VALUES (?, ?, ?) RETURNING id",
                         {population.label, NowIso8601Utc(), login}));
    id = AsInt(inserted.rows[0][0]);
    int64_t total = 0;
    for (const PopulationCell& cell : population.cells) {
      total += cell.population;
      CIVICDESK_RETURN_IF_ERROR(
          connection
              .Query("INSERT INTO surveys_population_cell (population_id, district, age_band,"
                     " residence, population) VALUES (?, ?, ?, ?, ?)",
                     {id, cell.district, cell.age_band, cell.residence, cell.population})
              .status());
    }
    return Audit(connection, login, "population_import", "population " + std::to_string(id), "",
                 population.label + " (" + std::to_string(population.cells.size()) + ", " +
                     std::to_string(total) + ")");
  });
  if (!saved.ok()) return saved;
  return id;
}

Status LoadShippedSurveys(storage::Database& database, std::string_view json_text) {
  json root = json::parse(json_text, nullptr, false);
  if (!root.is_object() || !root["surveys"].is_array())
    return Status::Internal("surveys.shipped_invalid");
  for (const json& entry : root["surveys"]) {
    CIVICDESK_ASSIGN_OR_RETURN(Survey survey, ParseDefinition(entry["definition"].dump()));
    CIVICDESK_RETURN_IF_ERROR(database.Transaction([&](storage::Connection& connection) -> Status {
      CIVICDESK_ASSIGN_OR_RETURN(
          storage::QueryResult found,
          connection.Query("SELECT id FROM surveys_survey WHERE key = ?", {survey.key}));
      if (!found.empty()) return Status::Ok();  // loaded before, or the ward's own by that key
      CIVICDESK_ASSIGN_OR_RETURN(
          storage::QueryResult inserted,
          connection.Query("INSERT INTO surveys_survey (key, title, fiscal_year, status,"
                           " definition, updated_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                           {survey.key, survey.title, int64_t{survey.fiscal_year},
                            std::string(kPublished), DefinitionJson(survey), NowIso8601Utc()}));
      const int64_t id = AsInt(inserted.rows[0][0]);
      for (const auto& [question, shares] : entry["shares"].items()) {
        int64_t position = 0;
        for (const json& share : shares) {
          CIVICDESK_RETURN_IF_ERROR(
              connection
                  .Query("INSERT INTO surveys_published_share (survey_id, question, position,"
                         " choice, share) VALUES (?, ?, ?, ?, ?)",
                         {id, question, position++, share[0].get<std::string>(),
                          share[1].get<double>()})
                  .status());
        }
      }
      return Status::Ok();
    }));
  }
  return Status::Ok();
}

Result<std::vector<http::AuditEntry>> SurveysAuditTrail(storage::Database& database,
                                                        const http::AuditQuery& query) {
  const auto [sql, params] = http::AuditTrailStatement(
      "SELECT at, user_login, action, entity, before_value, after_value, id FROM surveys_audit",
      query);
  CIVICDESK_ASSIGN_OR_RETURN(storage::QueryResult rows, database.Query(sql, params));
  std::vector<http::AuditEntry> entries;
  for (const auto& row : rows.rows) {
    entries.push_back({AsText(row[0]), AsText(row[1]), "surveys", AsText(row[2]), AsText(row[3]),
                       AsText(row[4]), AsText(row[5]), AsInt(row[6])});
  }
  return entries;
}

}  // namespace civicdesk::surveys
