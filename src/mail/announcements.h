#ifndef CIVICDESK_MAIL_ANNOUNCEMENTS_H_
#define CIVICDESK_MAIL_ANNOUNCEMENTS_H_

#include <cstdint>
#include <functional>
#include <string>

#include "core/result.h"
#include "storage/database.h"

// What one module tells whoever has people to notify, without knowing them: the plan says "the
// yearly report of policy 24 for fiscal 2025 is published" (Announce), and the consultation,
// which holds the addresses of those whose opinions are classified to policy 24, mails them
// (ForEachNewAnnouncement). Stored in table mail_announcement, so nothing is missed while no
// server runs.
namespace civicdesk::mail {

inline constexpr char kPolicyReport[] = "policy_report";

struct Announcement {
  int64_t id = 0;
  std::string kind;     // kPolicyReport
  std::string subject;  // the policy's code ("24")
  int fiscal_year = 0;
  std::string title;  // as the page titles it, in Japanese
  std::string path;   // the public page ("/plan/policies/24/report/2025"), from the site root
};

// Records `announcement` on the caller's transaction (it is announced when that commits).
// InvalidArgument mail.announcement_invalid when kind, subject or path is empty or the path does
// not start with "/".
Status Announce(storage::Connection& connection, const Announcement& announcement);

// Hands `listener` each announcement recorded since it last asked, oldest first, each in one
// transaction with the listener's place moved past it: what `handle` writes commits with that
// move, exactly once even with several servers asking at once (the second finds the place moved
// and stops).
Status ForEachNewAnnouncement(
    storage::Database& database, const std::string& listener,
    const std::function<Status(storage::Connection&, const Announcement&)>& handle);

}  // namespace civicdesk::mail

#endif  // CIVICDESK_MAIL_ANNOUNCEMENTS_H_
