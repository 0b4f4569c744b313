#ifndef CIVICDESK_PARTNERS_STORE_H_
#define CIVICDESK_PARTNERS_STORE_H_

#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/result.h"
#include "http/public_data.h"
#include "partners/lottery.h"
#include "partners/subsidy.h"
#include "storage/database.h"
#include "storage/migrations.h"

namespace civicdesk::partners {

storage::ModuleMigrations PartnersMigrations();

struct Partner {
  std::string code;  // 全国地方公共団体コード, six digits with the check digit
  std::string prefecture;
  std::string name;
  std::string note;
};

struct Agreement {
  std::string partner_code;
  std::string type;  // 商店街友好都市, 災害時相互協力, 国産材活用, 連携協定, …
  std::string title;
  std::string signed_on;  // ISO 8601 at year, month or day precision: 2008, 2016-04, 2014-10-31
  std::string status;     // active | ended
  std::string source;
};

struct PublishedCount {  // a count the ward has published (seed 003), shown beside ours
  std::string type;
  std::string title;
  int count = 0;
  std::string as_of;
};

struct Exchange {
  std::string partner_code;
  std::string office;  // 芝, 麻布, 赤坂, 高輪, 芝浦港南, 本庁, or empty when not stated
  std::string title;
  std::string on;  // ISO 8601, any precision; empty when ongoing
  std::string source;
};

struct Event {
  int64_t id = 0;
  std::string title;
  std::string date;      // YYYY-MM-DD
  bool planned = false;  // 予定
  std::string venue, address, opens, closes, stalls, participants_text;
  std::vector<std::string> participants;  // partner codes
};

// The workation programme of one fiscal year (seed 003's rules).
struct Programme {
  int fiscal_year = 0;
  std::string title;
  std::string opens, closes;  // application window, ISO dates, inclusive
  std::optional<int64_t> budget_yen;
  std::optional<int> places;  // businesses that can take part
  SubsidyRules rules;
  std::vector<std::string> conditions;
  std::string eligibility;
  std::vector<std::string> destinations;  // partner codes offering a programme
  std::string contact;
  // How many businesses can take part: `places`, else the budget over the cap per business.
  std::optional<int> Capacity() const;
};

enum class ApplicationStatus {
  kReceived,
  kIneligible,
  kSelected,
  kNotSelected,
  kApproved,
  kReported,
  kPublished
};
std::string_view StatusKey(ApplicationStatus status);  // "received", …
Result<ApplicationStatus> ParseStatusKey(std::string_view key);

struct Application {
  int64_t id = 0;
  std::string number;  // WK2023-0001
  int fiscal_year = 0;
  std::string business_name;
  std::string corporate_number;  // empty for an association without one
  std::string representative;    // required without a corporate number
  std::string address;
  std::string destination_code;
  int staff_count = 0;
  int planned_nights = 0;
  std::string email;
  std::string submitted_at;
  ApplicationStatus status = ApplicationStatus::kReceived;
  std::string eligibility_note;      // why it is ineligible
  std::vector<StaffExpense> report;  // the actual expenses reported
  std::optional<int64_t> subsidy_yen;
  std::string report_url;  // where the experience report is published
  // The number of the same business's earlier application in the year, for the duplicates
  // stored before the database held one application per business (KeyEarlierApplications).
  std::string duplicate_of;
};

// The lottery's commitment for one fiscal year: the SHA-256 of a seed the system drew at random
// (NewSeed) when the programme was saved with its application window not yet closed. The
// commitment is public at once (/workation, GET /api/v1/workation/programmes/{year}); the seed
// stays in the table workation_seed, shown on no page, until the draw reveals it. So nobody
// chooses the seed, nobody can pick one after seeing the application numbers, and the draw
// refuses a stored seed whose SHA-256 is not the published commitment.
struct SeedCommitment {
  int fiscal_year = 0;
  std::string commitment;    // SHA-256 of the seed, 64 hex digits
  std::string committed_at;  // ISO 8601 UTC
};

struct Draw {
  int fiscal_year = 0;
  std::string seed;
  std::string commitment;    // empty for a draw made before seeds were committed
  std::string committed_at;  // when the commitment was published
  int places = 0;
  std::vector<DrawTicket> tickets;
  std::string drawn_at, drawn_by;
};

// Loads the shipped partners, agreements, published counts, exchanges, marché dates and programme
// (data/minato/partners.json, from 『港区の全国連携』), each record looked for by its own key and
// added when missing: what the database already holds (partners imported first, a programme
// saved by staff) is kept as it is and stops nothing; loading again adds nothing.
Status LoadShippedPartners(storage::Database& database, std::string_view json_text);

// Adds or replaces partners (and their agreements when given) in one transaction, audited.
Status ImportPartners(storage::Database& database, const std::vector<Partner>& partners,
                      const std::vector<Agreement>& agreements, const std::string& user);

// Records an exchange or an agreement with a registered partner. InvalidArgument naming the field:
// an unknown partner code (or one failing its check digit), an office not among 芝, 麻布, 赤坂,
// 高輪, 芝浦港南 and 本庁, an empty title or type, a date that is not ISO 8601 at year, month or
// day precision. Audited.
Status AddExchange(storage::Database& database, const Exchange& exchange, const std::string& user);
Status AddAgreement(storage::Database& database, const Agreement& agreement,
                    const std::string& user);

Result<std::vector<Partner>> ListPartners(storage::Database& database);
Result<std::vector<Agreement>> ListAgreements(storage::Database& database);
Result<std::vector<PublishedCount>> ListPublishedCounts(storage::Database& database);
Result<std::vector<Exchange>> ListExchanges(storage::Database& database);
Result<std::vector<Event>> ListEvents(storage::Database& database);

Result<std::vector<Programme>> ListProgrammes(storage::Database& database);
Result<Programme> FindProgramme(storage::Database& database, int fiscal_year);
// Saves the programme on `today`, audited. When its window has not closed by `today` and the year
// has no commitment yet, the seed is drawn and committed in the same transaction; a commitment,
// once made, never changes.
Status SaveProgramme(storage::Database& database, const Programme& programme,
                     const std::string& user, Date today);

// Draws and commits the year's seed on `today`, audited; the existing commitment when there is
// one. kConflict naming "commitment" when the programme's window closed before `today` (a
// commitment published after the application numbers are known proves nothing); NotFound
// without a programme.
Result<SeedCommitment> CommitDrawSeed(storage::Database& database, int fiscal_year, Date today,
                                      const std::string& user);
Result<std::optional<SeedCommitment>> FindCommitment(storage::Database& database, int fiscal_year);

// Commits seeds for the programmes whose window has not closed by `today` and have none (those
// saved before commitments existed). Returns how many.
Result<int> CommitOpenProgrammes(storage::Database& database, Date today);

// What makes two applications the same business within a fiscal year: "corporate:" and the
// 法人番号 when there is one; otherwise "name:" and the business name folded for matching (NFKC,
// case, IME dashes: text::FoldForMatching) with every space removed, so 「みなと　商店」,
// 「ミナト商店」 in half-width kana and 「みなと商店」 differ only where the words do.
std::string BusinessKey(const std::string& corporate_number, const std::string& business_name);

// True when `business_name` names a 法人 (株式会社, 合同会社, 一般社団法人, （株） and the like).
// Every 法人 has a 法人番号, and seed 003 lets only bodies without legal personality (with a
// representative in their rules) apply without one.
bool NamesLegalPerson(const std::string& business_name);

// Ok when `programme`'s window is open on `today`; otherwise kConflict partners.window_closed
// naming both dates in 和暦 (HTTP 409: the application conflicts with the state of the
// programme, and the same request succeeds while the window is open; nothing in it is wrong).
// The application form asks this first, before any field is checked.
Status CheckWindowOpen(const Programme& programme, Date today);

// Checks and stores an application made on `today`. A window not open that day is kConflict
// naming both dates in 和暦; bad fields are InvalidArgument naming the field (an invalid 法人番号
// included, and a missing one for a name that is a 法人's). A second application of the same
// business (BusinessKey) in the fiscal year is kConflict naming the business and the year
// (field corporate_number, or business_name without one): a unique index on both backends holds
// it, so concurrent applications cannot slip past. Other eligibility failures (not in the ward,
// a destination not in the programme) are stored as 対象外 with the reason rather than refused,
// so staff see them.
Result<Application> SubmitApplication(storage::Database& database, Application application,
                                      Date today);

// Gives business keys to the applications stored before the database held one per business
// (partners migration 3), year by year. Of several from one business the key goes to the
// earliest that is not 対象外 (or the earliest); the others get none, name it in duplicate_of,
// and those still 申請受付 become 対象外 with the reason, audited. Idempotent; returns how many
// duplicates it marked. Run at start-up with the shipped data (load_initial_data).
Result<int> KeyEarlierApplications(storage::Database& database);
Result<std::vector<Application>> ListApplications(storage::Database& database, int fiscal_year);
Result<Application> FindApplication(storage::Database& database, int64_t id);

// Decides the participants on `today`, after the application window has closed: draws the
// lottery when the eligible applications exceed the capacity, or selects them all otherwise (no
// draw is recorded then). The draw reveals the committed seed: kConflict naming "commitment"
// when none was committed, and naming "seed" when the stored seed's SHA-256 is not the
// commitment (it was changed after being committed). kConflict also when already decided, when
// the window has not closed, or when the capacity is not set.
Result<std::optional<Draw>> SelectParticipants(storage::Database& database, int fiscal_year,
                                               const std::string& user, Date today);
Result<std::optional<Draw>> FindDraw(storage::Database& database, int fiscal_year);

// Status steps, each allowed only from the one before: approve (選定 → 交付決定), report the
// actual expenses (交付決定 → 実績報告済, subsidy calculated), publish the experience report's URL
// (実績報告済 → 公表済). kConflict from any other status.
Status ApproveApplication(storage::Database& database, int64_t id, const std::string& user);
Result<SubsidyEstimate> ReportExpenses(storage::Database& database, int64_t id,
                                       const std::vector<StaffExpense>& staff,
                                       const std::string& user);
Status PublishExperienceReport(storage::Database& database, int64_t id, const std::string& url,
                               const std::string& user);

Result<std::vector<http::AuditEntry>> PartnersAuditTrail(storage::Database& database,
                                                         const http::AuditQuery& query);

}  // namespace civicdesk::partners

#endif  // CIVICDESK_PARTNERS_STORE_H_
