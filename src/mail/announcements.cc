#include "mail/announcements.h"

#include "core/date.h"

namespace civicdesk::mail {

using storage::AsInt;
using storage::AsText;
using storage::QueryResult;

Status Announce(storage::Connection& connection, const Announcement& announcement) {
  if (announcement.kind.empty() || announcement.subject.empty() ||
      announcement.path.rfind("/", 0) != 0)
    return Status::InvalidArgument("mail.announcement_invalid");
  return connection
      .Query(
          "INSERT INTO mail_announcement (kind, subject, fiscal_year, title, path, announced_at)"
          " VALUES (?, ?, ?, ?, ?, ?)",
          {announcement.kind, announcement.subject, static_cast<int64_t>(announcement.fiscal_year),
           announcement.title, announcement.path, NowIso8601Utc()})
      .status();
}

Status ForEachNewAnnouncement(
    storage::Database& database, const std::string& listener,
    const std::function<Status(storage::Connection&, const Announcement&)>& handle) {
  CIVICDESK_RETURN_IF_ERROR(
      database
          .Query("INSERT INTO mail_announcement_cursor (listener, last_id) VALUES (?, 0)"
                 " ON CONFLICT (listener) DO NOTHING",
                 {listener})
          .status());
  for (;;) {
    bool moved = false;
    CIVICDESK_RETURN_IF_ERROR(database.Transaction([&](storage::Connection& connection) -> Status {
      CIVICDESK_ASSIGN_OR_RETURN(
          QueryResult cursor,
          connection.Query("SELECT last_id FROM mail_announcement_cursor WHERE listener = ?",
                           {listener}));
      const int64_t last = cursor.empty() ? 0 : AsInt(cursor.rows[0][0]);
      CIVICDESK_ASSIGN_OR_RETURN(
          QueryResult next,
          connection.Query("SELECT id, kind, subject, fiscal_year, title, path FROM"
                           " mail_announcement WHERE id > ? ORDER BY id LIMIT 1",
                           {last}));
      if (next.empty()) return Status::Ok();
      const auto& row = next.rows[0];
      Announcement announcement{AsInt(row[0]),  AsText(row[1]),
                                AsText(row[2]), static_cast<int>(AsInt(row[3])),
                                AsText(row[4]), AsText(row[5])};
      CIVICDESK_ASSIGN_OR_RETURN(
          QueryResult updated,
          connection.Query("UPDATE mail_announcement_cursor SET last_id = ? WHERE listener = ?"
                           " AND last_id = ?",
                           {announcement.id, listener, last}));
      if (updated.affected_rows != 1) return Status::Ok();  // another server took it
      CIVICDESK_RETURN_IF_ERROR(handle(connection, announcement));
      moved = true;
      return Status::Ok();
    }));
    if (!moved) return Status::Ok();
  }
}

}  // namespace civicdesk::mail
