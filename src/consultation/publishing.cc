#include "consultation/publishing.h"

#include <nlohmann/json.hpp>

#include "consultation/corrections.h"
#include "consultation/publication.h"
#include "consultation/search_documents.h"
#include "consultation/workflow.h"
#include "core/date.h"
#include "core/wareki.h"

namespace civicdesk::consultation {
namespace {

using storage::AsInt;
using storage::AsText;
using storage::Connection;
using storage::QueryResult;

constexpr char kPublishedItemSql[] =
    "SELECT 1 FROM consultation_item i JOIN consultation c ON c.id = i.consultation_id"
    " WHERE i.id = ? AND i.in_result = 1 AND c.state = 'published'";

// An ISO date in a message: 和暦 with the Western year.
std::string Wareki(const std::string& iso) {
  Result<Date> date = ParseIsoDate(iso.substr(0, 10));
  return date.ok() ? FormatWarekiDate(*date) : iso;
}

Status ItemPublishedConflict() {
  return Status::Conflict("consultation.item_published").WithField("correction_reason");
}

// The items a refusal names: "No 3, No 7" (each once, in table order), or "—".
std::string NumbersOf(const std::vector<PublicationProblem>& problems) {
  std::string numbers;
  int last = 0;
  for (const PublicationProblem& problem : problems) {
    if (problem.number <= 0 || problem.number == last) continue;
    last = problem.number;
    numbers += (numbers.empty() ? "" : ", ") + ("No " + std::to_string(problem.number));
  }
  return numbers.empty() ? "—" : numbers;
}

// The early close asked for, checked: a date from the opening day to today, before the
// announced closing day.
Result<std::string> EarlyClosingDay(const Consultation& consultation, const std::string& asked,
                                    const Date& today) {
  const std::string today_iso = FormatIsoDate(today);
  Result<Date> day = ParseIsoDate(asked);
  if (!day.ok() || asked < consultation.opens_on || asked > today_iso ||
      asked >= consultation.closes_on) {
    return Status::InvalidArgument("consultation.close_early_invalid",
                                   {{"opens", Wareki(consultation.opens_on)},
                                    {"today", Wareki(today_iso)},
                                    {"closes", Wareki(consultation.closes_on)}},
                                   "close_early_on");
  }
  return FormatIsoDate(*day);
}

// Inside the publication's transaction: marks the table's items, checks their approval again
// (an answer changed since CheckPublication takes it away) and freezes their order.
Status MarkAndFreeze(Connection& connection, int64_t consultation_id, bool imported) {
  CIVICDESK_ASSIGN_OR_RETURN(
      QueryResult marked,
      connection.Query("UPDATE consultation_item SET in_result = 1 WHERE consultation_id = ? AND "
                       "active = 1",
                       {consultation_id}));
  (void)marked;
  if (!imported) {
    CIVICDESK_ASSIGN_OR_RETURN(
        QueryResult unready,
        connection.Query("SELECT COUNT(*) FROM consultation_item WHERE consultation_id = ? AND "
                         "in_result = 1 AND (approved = 0 OR response_id IS NULL OR status IS "
                         "NULL)",
                         {consultation_id}));
    if (AsInt(unready.rows[0][0]) > 0) return Status::Conflict("consultation.publish_changed");
  }
  // The published numbering stays as it is: corrections of a status or a field must not move
  // rows, and a 訂正履歴 names its row by No.
  CIVICDESK_ASSIGN_OR_RETURN(
      QueryResult frozen,
      connection.Query(
          "UPDATE consultation_item SET publication_position = ranked.n FROM (SELECT i.id AS id,"
          " ROW_NUMBER() OVER (ORDER BY " +
              std::string(kPublishedOrder) +
              ") AS n FROM consultation_item i WHERE i.consultation_id = ? AND i.active = 1 AND"
              " i.in_result = 1) AS ranked WHERE consultation_item.id = ranked.id",
          {consultation_id}));
  (void)frozen;
  return Status::Ok();
}

}  // namespace

bool PeriodOver(const Consultation& consultation, const Date& today) {
  return consultation.closes_on.empty() || FormatIsoDate(today) > consultation.closes_on;
}

Status Publish(storage::Database& database, int64_t consultation_id, const Actor& actor) {
  return Publish(database, consultation_id, actor, PublishOptions{});
}

Status Publish(storage::Database& database, int64_t consultation_id, const Actor& actor,
               const PublishOptions& options) {
  CIVICDESK_ASSIGN_OR_RETURN(Consultation consultation, GetConsultation(database, consultation_id));
  if (consultation.state == "published") {
    return Status::Conflict("consultation.already_published",
                            {{"date", JapaneseDateOf(consultation.published_at)}});
  }
  CIVICDESK_ASSIGN_OR_RETURN(std::vector<PublicationProblem> problems,
                             CheckPublication(database, consultation_id, !options.imported));
  if (!problems.empty()) {
    // The words of each problem are the publish page's; the message names the items.
    return Status::InvalidArgument(
        "consultation.publish_blocked",
        {{"count", std::to_string(problems.size())}, {"numbers", NumbersOf(problems)}}, "items");
  }
  const Date today = TodayInJapan();
  std::string close_early;
  if (!options.imported && !PeriodOver(consultation, today)) {
    if (options.close_early_on.empty()) {
      return Status::Conflict("consultation.publish_before_close",
                              {{"closes", Wareki(consultation.closes_on)}})
          .WithField("close_early_on");
    }
    CIVICDESK_ASSIGN_OR_RETURN(close_early,
                               EarlyClosingDay(consultation, options.close_early_on, today));
  }
  const std::string now = NowIso8601Utc();
  std::vector<int64_t> held_back;
  Status published = database.Transaction([&](Connection& connection) -> Status {
    held_back.clear();
    if (!close_early.empty()) {
      CIVICDESK_ASSIGN_OR_RETURN(
          QueryResult closed,
          connection.Query("UPDATE consultation SET closes_on = ?, original_closes_on = ?,"
                           " closed_early_at = ? WHERE id = ? AND state <> 'published'",
                           {close_early, consultation.closes_on, now, consultation_id}));
      (void)closed;
      CIVICDESK_RETURN_IF_ERROR(Audit(connection, actor, "close_early", "consultation",
                                      consultation_id, consultation.closes_on, close_early));
    }
    CIVICDESK_ASSIGN_OR_RETURN(
        QueryResult state,
        connection.Query("UPDATE consultation SET state = 'published', published_at = ? WHERE id "
                         "= ? AND state <> 'published'",
                         {now, consultation_id}));
    // Two publishers at once: the second finds it done.
    if (state.affected_rows != 1)
      return Status::Conflict("consultation.already_published", {{"date", JapaneseDateOf(now)}});
    CIVICDESK_RETURN_IF_ERROR(MarkAndFreeze(connection, consultation_id, options.imported));
    // The published result's documents commit with it (texts checked for personal data are
    // public at once); IndexItems below checks those not checked yet.
    CIVICDESK_RETURN_IF_ERROR(
        WriteConsultationDocuments(database, connection, consultation_id, &held_back));
    return Audit(connection, actor, "publish", "consultation", consultation_id, "open",
                 "published");
  });
  if (published.ok() && !held_back.empty()) IndexItems(database, held_back);
  return published;
}

Status RefuseIfPublished(storage::Database& database, int64_t item_id) {
  CIVICDESK_ASSIGN_OR_RETURN(bool published, InPublishedResult(database, item_id));
  return published ? ItemPublishedConflict() : Status::Ok();
}

Status RefuseIfPublished(storage::Connection& connection, int64_t item_id) {
  CIVICDESK_ASSIGN_OR_RETURN(QueryResult rows, connection.Query(kPublishedItemSql, {item_id}));
  return rows.empty() ? Status::Ok() : ItemPublishedConflict();
}

Result<bool> InPublishedResult(storage::Database& database, int64_t item_id) {
  CIVICDESK_ASSIGN_OR_RETURN(QueryResult rows, database.Query(kPublishedItemSql, {item_id}));
  return !rows.empty();
}

Status RefuseSubmissionIfPublished(storage::Database& database, int64_t submission_id) {
  CIVICDESK_ASSIGN_OR_RETURN(
      QueryResult rows,
      database.Query("SELECT 1 FROM consultation_item i JOIN consultation c ON c.id = "
                     "i.consultation_id WHERE i.submission_id = ? AND i.in_result = 1 AND "
                     "c.state = 'published'",
                     {submission_id}));
  if (rows.empty()) return Status::Ok();
  return Status::Conflict("consultation.submission_published");
}

Status RefuseIfConsultationPublished(storage::Database& database, int64_t consultation_id,
                                     const std::string& message_id) {
  CIVICDESK_ASSIGN_OR_RETURN(Consultation consultation, GetConsultation(database, consultation_id));
  if (consultation.state != "published") return Status::Ok();
  return Status::Conflict(message_id);
}

Result<std::set<int64_t>> ItemsAfterPublication(storage::Database& database,
                                                int64_t consultation_id) {
  CIVICDESK_ASSIGN_OR_RETURN(
      QueryResult rows,
      database.Query("SELECT i.id FROM consultation_item i JOIN consultation c ON c.id = "
                     "i.consultation_id WHERE i.consultation_id = ? AND i.active = 1 AND "
                     "i.in_result = 0 AND c.state = 'published'",
                     {consultation_id}));
  std::set<int64_t> ids;
  for (const auto& row : rows.rows) ids.insert(AsInt(row[0]));
  return ids;
}

}  // namespace civicdesk::consultation
