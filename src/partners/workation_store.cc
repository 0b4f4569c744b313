// The workation's applications (one per business per fiscal year, held by a unique index), the
// lottery seed's commitment and the draw that reveals it. Declared in store.h.
#include <sodium.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>

#include "core/fiscal_year.h"
#include "core/text_normalize.h"
#include "core/wareki.h"
#include "partners/codes.h"
#include "partners/store.h"
#include "partners/store_support.h"
#include "text/normalize.h"

namespace civicdesk::partners {
namespace {

using internal::Audit;
using internal::Trim;
using nlohmann::json;
using storage::AsInt;
using storage::AsText;

// What a 法人's name carries, after folding (NFKC turns ㈱ and （株） into "(株)", case folded):
// the kinds of 会社, every kind of 法人 (一般社団法人, 特定非営利活動法人, 医療法人, …) and their
// usual abbreviations.
constexpr std::string_view kLegalPersonMarks[] = {
    "会社",   "法人",   "(株)",   "(有)",    "(同)",     "(資)", "(名)", "(一社)",
    "(一財)", "(公社)", "(公財)", "(特非)",  "(医)",     "(福)", "(学)", "(宗)",
    "(独)",   "(財)",   "(社)",   "co.,ltd", "co., ltd", "inc.", "k.k.", "llc"};

std::string FiscalYearLabel(int fiscal_year) {
  return FormatWarekiFiscalYear(FiscalYear(fiscal_year));
}

// The application window of `programme`; Internal when its dates are unreadable (SaveProgramme
// checks them).
Result<std::pair<Date, Date>> Window(const Programme& programme) {
  Result<Date> opens = ParseIsoDate(programme.opens);
  Result<Date> closes = ParseIsoDate(programme.closes);
  if (!opens.ok() || !closes.ok()) return Status::Internal("programme window unreadable");
  return std::pair<Date, Date>(*opens, *closes);
}

// The application of the business with `key` in `fiscal_year`, or nothing.
Result<std::optional<std::string>> HolderOf(storage::Database& database, int fiscal_year,
                                            const std::string& key) {
  Result<storage::QueryResult> rows = database.Query(
      "SELECT number FROM workation_application WHERE fiscal_year = ? AND business_key = ?",
      {int64_t{fiscal_year}, key});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::optional<std::string>();
  return std::optional<std::string>(AsText(rows->rows[0][0]));
}

}  // namespace

namespace internal {

Result<SeedCommitment> CommitSeedIn(storage::Connection& connection, int fiscal_year,
                                    const std::string& user) {
  const std::string seed = NewSeed();
  if (seed.empty()) return Status::Internal("libsodium failed to start");
  const std::string commitment = Sha256Hex(seed);
  // A concurrent save may commit first: its seed stands, and this one is never stored.
  Result<storage::QueryResult> inserted = connection.Query(
      "INSERT INTO workation_seed (fiscal_year, seed, commitment, committed_at, committed_by)"
      " VALUES (?, ?, ?, ?, ?) ON CONFLICT (fiscal_year) DO NOTHING RETURNING fiscal_year",
      {int64_t{fiscal_year}, seed, commitment, NowIso8601Utc(), user});
  if (!inserted.ok()) return inserted.status();
  Result<storage::QueryResult> stored =
      connection.Query("SELECT commitment, committed_at FROM workation_seed WHERE fiscal_year = ?",
                       {int64_t{fiscal_year}});
  if (!stored.ok()) return stored.status();
  if (stored->empty()) return Status::Internal("seed commitment not stored");
  SeedCommitment result{fiscal_year, AsText(stored->rows[0][0]), AsText(stored->rows[0][1])};
  if (!inserted->empty()) {
    CIVICDESK_RETURN_IF_ERROR(Audit(connection, user, "commit_seed",
                                    "workation " + std::to_string(fiscal_year), "",
                                    "SHA-256 " + result.commitment));
  }
  return result;
}

}  // namespace internal

std::string BusinessKey(const std::string& corporate_number, const std::string& business_name) {
  if (!corporate_number.empty()) return "corporate:" + corporate_number;
  std::string folded = text::FoldForMatching(
      IsValidUtf8(business_name) ? business_name : NormalizeNfkc(business_name));
  std::erase(folded, ' ');
  return "name:" + folded;
}

bool NamesLegalPerson(const std::string& business_name) {
  const std::string folded = text::FoldForMatching(
      IsValidUtf8(business_name) ? business_name : NormalizeNfkc(business_name));
  return std::any_of(std::begin(kLegalPersonMarks), std::end(kLegalPersonMarks),
                     [&](std::string_view mark) { return folded.find(mark) != std::string::npos; });
}

Status CheckWindowOpen(const Programme& programme, Date today) {
  CIVICDESK_ASSIGN_OR_RETURN(auto window, Window(programme));
  const auto [opens, closes] = window;
  if (opens <= today && today <= closes) return Status::Ok();
  return Status::Conflict("partners.window_closed", {{"opens", FormatWarekiDate(opens)},
                                                     {"closes", FormatWarekiDate(closes)},
                                                     {"today", FormatWarekiDate(today)},
                                                     {"opens_iso", programme.opens},
                                                     {"closes_iso", programme.closes}});
}

Result<Application> SubmitApplication(storage::Database& database, Application application,
                                      Date today) {
  Result<Programme> programme = FindProgramme(database, application.fiscal_year);
  if (!programme.ok()) {
    return Status(StatusCode::kInvalidArgument, programme.status().message_id(),
                  programme.status().args(), "fiscal_year");
  }
  CIVICDESK_RETURN_IF_ERROR(CheckWindowOpen(*programme, today));
  application.business_name = Trim(application.business_name);
  application.address = Trim(application.address);
  application.representative = Trim(application.representative);
  application.email = Trim(application.email);
  if (application.business_name.size() > 300 ||
      !text::NormalizeInput(application.business_name, "business_name").ok())
    return Status::InvalidArgument("partners.business_name_required", "business_name");
  if (application.address.empty() || application.address.size() > 500)
    return Status::InvalidArgument("partners.address_required", "address");
  if (!Trim(application.corporate_number).empty()) {
    CIVICDESK_ASSIGN_OR_RETURN(application.corporate_number,
                               ValidateCorporateNumber(application.corporate_number));
  } else if (NamesLegalPerson(application.business_name)) {
    // Seed 003: 法人格を持たない場合は、規約等に代表者の定めがあること — a 法人 gives its number.
    return Status::InvalidArgument("partners.corporate_number_required",
                                   {{"business", application.business_name}}, "corporate_number");
  } else {
    application.corporate_number.clear();
    if (application.representative.empty()) {
      return Status::InvalidArgument("partners.representative_required", "representative");
    }
  }
  if (application.staff_count < 1 || application.staff_count > 100)
    return Status::InvalidArgument("partners.staff_count_invalid", "staff_count");
  if (application.planned_nights < 1 || application.planned_nights > 60)
    return Status::InvalidArgument("partners.planned_nights_invalid", "planned_nights");
  if (application.email.find('@') == std::string::npos || application.email.size() > 254)
    return Status::InvalidArgument("partners.email_required", "email");

  std::vector<std::string> reasons;
  if (application.address.find("港区") == std::string::npos)
    reasons.push_back("所在地が港区内ではありません");
  if (std::find(programme->destinations.begin(), programme->destinations.end(),
                application.destination_code) == programme->destinations.end())
    reasons.push_back("行先がこの年度の体験プログラムにありません");
  std::string note;
  for (const std::string& reason : reasons) note += (note.empty() ? "" : "。") + reason;
  application.status =
      reasons.empty() ? ApplicationStatus::kReceived : ApplicationStatus::kIneligible;
  application.eligibility_note = note;
  application.submitted_at = NowIso8601Utc();
  const std::string key = BusinessKey(application.corporate_number, application.business_name);
  Status saved = database.Transaction([&](storage::Connection& connection) -> Status {
    // The number comes from the row's own id, so concurrent applications never share one: a
    // random placeholder first, then WK<year>-<id>.
    if (sodium_init() < 0) return Status::Internal("libsodium failed to start");
    unsigned char random[16];
    randombytes_buf(random, sizeof(random));
    char placeholder[33];
    sodium_bin2hex(placeholder, sizeof(placeholder), random, sizeof(random));
    // The unique index on (fiscal_year, business_key) refuses a second application of the
    // business, whatever runs at the same time.
    Result<storage::QueryResult> inserted = connection.Query(
        "INSERT INTO workation_application (number, fiscal_year, business_name, corporate_number,"
        " representative, address, destination_code, staff_count, planned_nights, email,"
        " submitted_at, status, eligibility_note, report, subsidy_yen, report_url, business_key)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '[]', NULL, '', ?) RETURNING id",
        {std::string(placeholder), int64_t{application.fiscal_year}, application.business_name,
         application.corporate_number, application.representative, application.address,
         application.destination_code, int64_t{application.staff_count},
         int64_t{application.planned_nights}, application.email, application.submitted_at,
         std::string(StatusKey(application.status)), application.eligibility_note, key});
    if (!inserted.ok()) return inserted.status();
    application.id = AsInt(inserted->rows[0][0]);
    char number[40];
    std::snprintf(number, sizeof(number), "WK%d-%04lld", application.fiscal_year,
                  static_cast<long long>(application.id));
    application.number = number;
    if (Result<storage::QueryResult> numbered =
            connection.Query("UPDATE workation_application SET number = ? WHERE id = ?",
                             {application.number, application.id});
        !numbered.ok())
      return numbered.status();
    return Audit(connection, "public", "apply", "application " + application.number, "",
                 std::string(StatusKey(application.status)));
  });
  if (saved.code() == StatusCode::kConflict) {
    // The transaction is over; whether the business's key is what collided is read afresh.
    CIVICDESK_ASSIGN_OR_RETURN(std::optional<std::string> holder,
                               HolderOf(database, application.fiscal_year, key));
    if (holder) {
      return Status(StatusCode::kConflict, "partners.already_applied",
                    {{"business", application.business_name},
                     {"corporate_number", application.corporate_number},
                     {"year", FiscalYearLabel(application.fiscal_year)}},
                    application.corporate_number.empty() ? "business_name" : "corporate_number");
    }
  }
  if (!saved.ok()) return saved;
  return application;
}

Result<int> KeyEarlierApplications(storage::Database& database) {
  struct Row {
    int64_t id;
    std::string number, status, note;
  };
  int marked = 0;
  auto run = [&]() -> Status {
    marked = 0;
    return database.Transaction([&](storage::Connection& connection) -> Status {
      Result<storage::QueryResult> pending = connection.Query(
          "SELECT COUNT(*) FROM workation_application WHERE business_key IS NULL AND"
          " duplicate_of = ''");
      if (!pending.ok()) return pending.status();
      if (AsInt(pending->rows[0][0]) == 0) return Status::Ok();
      Result<storage::QueryResult> rows = connection.Query(
          "SELECT id, number, fiscal_year, business_name, corporate_number, status,"
          " eligibility_note, business_key, duplicate_of FROM workation_application"
          " ORDER BY fiscal_year, id");
      if (!rows.ok()) return rows.status();
      std::map<std::pair<int64_t, std::string>, std::string> holders;
      std::map<std::pair<int64_t, std::string>, std::vector<Row>> unkeyed;
      for (const auto& row : rows->rows) {
        const int64_t year = AsInt(row[2]);
        if (!storage::IsNull(row[7])) {
          holders[{year, AsText(row[7])}] = AsText(row[1]);
        } else if (AsText(row[8]).empty()) {
          unkeyed[{year, BusinessKey(AsText(row[4]), AsText(row[3]))}].push_back(
              {AsInt(row[0]), AsText(row[1]), AsText(row[5]), AsText(row[6])});
        }
      }
      const std::string ineligible(StatusKey(ApplicationStatus::kIneligible));
      for (auto& [year_key, group] : unkeyed) {
        if (!holders.contains(year_key)) {
          auto first = std::find_if(group.begin(), group.end(),
                                    [&](const Row& row) { return row.status != ineligible; });
          if (first == group.end()) first = group.begin();
          Result<storage::QueryResult> keyed =
              connection.Query("UPDATE workation_application SET business_key = ? WHERE id = ?",
                               {year_key.second, first->id});
          if (!keyed.ok()) return keyed.status();
          holders[year_key] = first->number;
          group.erase(first);
        }
        const std::string& holder = holders[year_key];
        for (const Row& row : group) {
          const bool received = row.status == StatusKey(ApplicationStatus::kReceived);
          const std::string status = received ? ineligible : row.status;
          const std::string note = received ? row.note + (row.note.empty() ? "" : "。") +
                                                  "同じ年度に申請済みです（" + holder + "）"
                                            : row.note;
          Result<storage::QueryResult> marked_row = connection.Query(
              "UPDATE workation_application SET duplicate_of = ?, status = ?,"
              " eligibility_note = ? WHERE id = ?",
              {holder, status, note, row.id});
          if (!marked_row.ok()) return marked_row.status();
          CIVICDESK_RETURN_IF_ERROR(Audit(connection, "system", "duplicate",
                                          "application " + row.number, row.status,
                                          status + ", duplicate of " + holder));
          ++marked;
        }
      }
      return Status::Ok();
    });
  };
  Status done = run();
  // Two servers starting at once: the one that lost the race finds the work done.
  if (done.code() == StatusCode::kConflict) done = run();
  if (!done.ok()) return done;
  return marked;
}

Result<SeedCommitment> CommitDrawSeed(storage::Database& database, int fiscal_year, Date today,
                                      const std::string& user) {
  CIVICDESK_ASSIGN_OR_RETURN(Programme programme, FindProgramme(database, fiscal_year));
  CIVICDESK_ASSIGN_OR_RETURN(auto window, Window(programme));
  Result<SeedCommitment> result = Status::Internal("not committed");
  CIVICDESK_RETURN_IF_ERROR(database.Transaction([&](storage::Connection& connection) -> Status {
    Result<storage::QueryResult> existing = connection.Query(
        "SELECT commitment, committed_at FROM workation_seed WHERE fiscal_year = ?",
        {int64_t{fiscal_year}});
    if (!existing.ok()) return existing.status();
    if (!existing->empty()) {
      result =
          SeedCommitment{fiscal_year, AsText(existing->rows[0][0]), AsText(existing->rows[0][1])};
      return Status::Ok();
    }
    if (window.second < today) {
      return Status(
          StatusCode::kConflict, "partners.commitment_after_window",
          {{"year", FiscalYearLabel(fiscal_year)}, {"closes", FormatWarekiDate(window.second)}},
          "commitment");
    }
    result = internal::CommitSeedIn(connection, fiscal_year, user);
    return result.status();
  }));
  return result;
}

Result<std::optional<SeedCommitment>> FindCommitment(storage::Database& database, int fiscal_year) {
  Result<storage::QueryResult> rows =
      database.Query("SELECT commitment, committed_at FROM workation_seed WHERE fiscal_year = ?",
                     {int64_t{fiscal_year}});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::optional<SeedCommitment>();
  return std::optional<SeedCommitment>(
      SeedCommitment{fiscal_year, AsText(rows->rows[0][0]), AsText(rows->rows[0][1])});
}

Result<int> CommitOpenProgrammes(storage::Database& database, Date today) {
  CIVICDESK_ASSIGN_OR_RETURN(std::vector<Programme> programmes, ListProgrammes(database));
  int committed = 0;
  for (const Programme& programme : programmes) {
    Result<std::pair<Date, Date>> window = Window(programme);
    if (!window.ok() || window->second < today) continue;
    CIVICDESK_ASSIGN_OR_RETURN(std::optional<SeedCommitment> existing,
                               FindCommitment(database, programme.fiscal_year));
    if (existing) continue;
    CIVICDESK_RETURN_IF_ERROR(
        CommitDrawSeed(database, programme.fiscal_year, today, "system").status());
    ++committed;
  }
  return committed;
}

Result<std::optional<Draw>> SelectParticipants(storage::Database& database, int fiscal_year,
                                               const std::string& user, Date today) {
  CIVICDESK_ASSIGN_OR_RETURN(Programme programme, FindProgramme(database, fiscal_year));
  const std::optional<int> capacity = programme.Capacity();
  if (!capacity) return Status::Conflict("partners.capacity_unset");
  CIVICDESK_ASSIGN_OR_RETURN(auto window, Window(programme));
  if (!(window.second < today)) {
    return Status::Conflict("partners.select_before_close",
                            {{"closes", FormatWarekiDate(window.second)}});
  }
  std::optional<Draw> result;
  Status done = database.Transaction([&](storage::Connection& connection) -> Status {
    Result<storage::QueryResult> drawn = connection.Query(
        "SELECT COUNT(*) FROM workation_draw WHERE fiscal_year = ?", {int64_t{fiscal_year}});
    if (!drawn.ok()) return drawn.status();
    if (AsInt(drawn->rows[0][0]) > 0) return Status::Conflict("partners.already_drawn");
    Result<storage::QueryResult> eligible = connection.Query(
        "SELECT number FROM workation_application WHERE fiscal_year = ? AND status = 'received'"
        " ORDER BY number",
        {int64_t{fiscal_year}});
    if (!eligible.ok()) return eligible.status();
    if (eligible->empty()) return Status::Conflict("partners.nothing_to_select");
    std::vector<std::string> numbers;
    for (const auto& row : eligible->rows) numbers.push_back(AsText(row[0]));
    std::vector<std::string> winners = numbers;
    if (numbers.size() > static_cast<size_t>(*capacity)) {
      Result<storage::QueryResult> committed = connection.Query(
          "SELECT seed, commitment, committed_at FROM workation_seed WHERE fiscal_year = ?",
          {int64_t{fiscal_year}});
      if (!committed.ok()) return committed.status();
      if (committed->empty()) {
        return Status(StatusCode::kConflict, "partners.commitment_missing",
                      {{"year", FiscalYearLabel(fiscal_year)}}, "commitment");
      }
      Draw draw;
      draw.fiscal_year = fiscal_year;
      draw.seed = AsText(committed->rows[0][0]);
      draw.commitment = AsText(committed->rows[0][1]);
      draw.committed_at = AsText(committed->rows[0][2]);
      // The seed revealed must be the one committed to: one changed in the database after the
      // commitment was published (chosen to make an application win) is refused.
      if (Sha256Hex(draw.seed) != draw.commitment) {
        return Status(StatusCode::kConflict, "partners.seed_mismatch",
                      {{"commitment", draw.commitment}}, "seed");
      }
      draw.places = *capacity;
      draw.tickets = DrawLottery(draw.seed, numbers, static_cast<size_t>(*capacity));
      draw.drawn_at = NowIso8601Utc();
      draw.drawn_by = user;
      json tickets = json::array();
      winners.clear();
      for (const DrawTicket& ticket : draw.tickets) {
        tickets.push_back(
            {{"applicant", ticket.applicant}, {"hash", ticket.hash_hex}, {"won", ticket.won}});
        if (ticket.won) winners.push_back(ticket.applicant);
      }
      Result<storage::QueryResult> saved = connection.Query(
          "INSERT INTO workation_draw (fiscal_year, seed, places, tickets, drawn_at, drawn_by,"
          " commitment, committed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
          {int64_t{fiscal_year}, draw.seed, int64_t{*capacity}, tickets.dump(), draw.drawn_at, user,
           draw.commitment, draw.committed_at});
      if (!saved.ok()) return saved.status();
      result = draw;
    }
    for (const std::string& number : numbers) {
      const bool won = std::find(winners.begin(), winners.end(), number) != winners.end();
      Result<storage::QueryResult> updated =
          connection.Query("UPDATE workation_application SET status = ? WHERE number = ?",
                           {std::string(StatusKey(won ? ApplicationStatus::kSelected
                                                      : ApplicationStatus::kNotSelected)),
                            number});
      if (!updated.ok()) return updated.status();
    }
    return Audit(connection, user, result ? "lottery" : "select_all",
                 "workation " + std::to_string(fiscal_year), "",
                 (result ? "seed " + result->seed + ", " : std::string()) +
                     std::to_string(winners.size()) + " of " + std::to_string(numbers.size()) +
                     " selected");
  });
  if (!done.ok()) return done;
  return result;
}

Result<std::optional<Draw>> FindDraw(storage::Database& database, int fiscal_year) {
  Result<storage::QueryResult> rows = database.Query(
      "SELECT seed, places, tickets, drawn_at, drawn_by, commitment, committed_at FROM"
      " workation_draw WHERE fiscal_year = ?",
      {int64_t{fiscal_year}});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::optional<Draw>();
  const auto& row = rows->rows[0];
  Draw draw;
  draw.fiscal_year = fiscal_year;
  draw.seed = AsText(row[0]);
  draw.places = static_cast<int>(AsInt(row[1]));
  json tickets = json::parse(AsText(row[2]), nullptr, false);
  if (tickets.is_array()) {
    for (const json& ticket : tickets) {
      draw.tickets.push_back(
          {ticket.value("applicant", ""), ticket.value("hash", ""), ticket.value("won", false)});
    }
  }
  draw.drawn_at = AsText(row[3]);
  draw.drawn_by = AsText(row[4]);
  draw.commitment = AsText(row[5]);
  draw.committed_at = AsText(row[6]);
  return std::optional<Draw>(draw);
}

}  // namespace civicdesk::partners
