// Issue 17: the workation lottery's seed is committed before the window closes and revealed at
// the draw; one application per business per fiscal year is held by the database.
#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <latch>
#include <nlohmann/json.hpp>
#include <thread>

#include "core/date.h"
#include "core/fiscal_year.h"
#include "core/wareki.h"
#include "http/http_module.h"
#include "http/testing.h"
#include "partners/codes.h"
#include "partners/lottery.h"
#include "partners/partners_module.h"
#include "partners/store.h"
#include "storage/testing.h"

namespace civicdesk::partners {
namespace {

using http::testing::Browser;
using http::testing::ClientResponse;
using http::testing::Send;
using http::testing::TestSite;

std::string CorporateNumber(const std::string& twelve) {
  return std::to_string(CorporateNumberCheckDigit(twelve)) + twelve;
}

Date DaysFromToday(int days) {
  return Date(std::chrono::sys_days(TodayInJapan()) + std::chrono::days(days));
}

// The text of the first <pre><code> after `after` on `page`, HTML entities undone: a command the
// draw page tells readers to run.
std::string CommandOnPage(const std::string& page, const std::string& after) {
  const size_t from = page.find(after);
  const size_t start = page.find("<pre><code>", from == std::string::npos ? 0 : from);
  if (start == std::string::npos) return {};
  const size_t end = page.find("</code></pre>", start);
  std::string text = page.substr(start + 11, end - start - 11);
  for (const auto& [entity, plain] : std::vector<std::pair<std::string, std::string>>{
           {"&#39;", "'"}, {"&quot;", "\""}, {"&lt;", "<"}, {"&gt;", ">"}, {"&amp;", "&"}}) {
    for (size_t at = text.find(entity); at != std::string::npos; at = text.find(entity, at))
      text.replace(at, entity.size(), plain);
  }
  return text;
}

// What a shell prints for `command`, or nullopt when the tool it names is not installed.
std::optional<std::string> Shell(const std::string& command, const std::string& tool) {
  if (std::system(("command -v " + tool + " >/dev/null 2>&1").c_str()) != 0) return std::nullopt;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return std::nullopt;
  std::string output;
  std::array<char, 256> buffer;
  while (fgets(buffer.data(), buffer.size(), pipe) != nullptr) output += buffer.data();
  pclose(pipe);
  return output;
}

TEST(WorkationKeys, SameBusinessSameKey) {
  EXPECT_EQ(BusinessKey("", "ＭＩＮＡＴＯ　商店"), "name:minato商店");
  EXPECT_EQ(BusinessKey("", " minato 商店 "), "name:minato商店");
  EXPECT_EQ(BusinessKey("", "Minato商店"), "name:minato商店");
  EXPECT_EQ(BusinessKey("", "ﾐﾅﾄ商店"), BusinessKey("", "ミナト商店"));
  EXPECT_NE(BusinessKey("", "みなと商店"), BusinessKey("", "みなと書店"));
  const std::string number = CorporateNumber("010401000001");
  EXPECT_EQ(BusinessKey(number, "どんな名前でも"), "corporate:" + number);
  for (const char* name : {"株式会社みなと", "㈱みなと", "（株）みなと", "みなと合同会社",
                           "一般社団法人みなと", "特定非営利活動法人みなと", "Minato Co., Ltd."})
    EXPECT_TRUE(NamesLegalPerson(name)) << name;
  for (const char* name : {"みなと商店", "みなと町会", "芝浦ワーケーション研究会"})
    EXPECT_FALSE(NamesLegalPerson(name)) << name;
}

TEST(WorkationKeys, Sha256AsSha256sumPrintsIt) {
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  const std::string seed = NewSeed();
  EXPECT_EQ(seed.size(), 64u);
  EXPECT_NE(seed, NewSeed());
  EXPECT_TRUE(IsSha256Hex(Sha256Hex(seed)));
  EXPECT_FALSE(IsSha256Hex("ABC"));
}

class WorkationTest : public ::testing::TestWithParam<std::string> {
 protected:
  WorkationTest() : site_(GetParam(), {http::HttpModule(), PartnersModule()}) {}
  void SetUp() override { CIVICDESK_SKIP_IF_UNAVAILABLE(site_); }

  ClientResponse Get(const std::string& target) { return Send(site_.port(), "GET", target); }

  Browser Publisher() {
    return http::testing::SignedInBrowser(site_, "kikaku", http::Role::kPublisher);
  }

  // This fiscal year's programme (seed 003's rules and destinations) with the window given.
  void SaveWindow(Date opens, Date closes, int places, Date today) {
    Result<Programme> programme = FindProgramme(site_.database(), 2023);
    ASSERT_TRUE(programme.ok());
    programme->fiscal_year = year_;
    programme->opens = FormatIsoDate(opens);
    programme->closes = FormatIsoDate(closes);
    programme->places = places;
    ASSERT_TRUE(SaveProgramme(site_.database(), *programme, "kikaku", today).ok());
  }

  Application Applicant(const std::string& name, const std::string& corporate_number) {
    return {
        0,        "", year_, name,          corporate_number, "港 太郎", "東京都港区芝公園1-5-25",
        "015199", 3,  2,     "a@example.jp"};
  }

  std::vector<std::string> Apply(int count, Date on) {
    std::vector<std::string> numbers;
    for (int i = 0; i < count; ++i) {
      Result<Application> applied =
          SubmitApplication(site_.database(),
                            Applicant("事業者" + std::to_string(i),
                                      CorporateNumber("01040100010" + std::to_string(i))),
                            on);
      EXPECT_TRUE(applied.ok()) << applied.status().ToString();
      if (applied.ok()) numbers.push_back(applied->number);
    }
    return numbers;
  }

  std::string StoredSeed() {
    Result<storage::QueryResult> rows = site_.database().Query(
        "SELECT seed FROM workation_seed WHERE fiscal_year = ?", {int64_t{year_}});
    return rows.ok() && !rows->empty() ? storage::AsText(rows->rows[0][0]) : "";
  }

  const int year_ = FiscalYear::Containing(TodayInJapan()).year();
  TestSite site_;
};

TEST_P(WorkationTest, SeedCommittedBeforeTheWindowClosesIsRevealedAndCheckedAtTheDraw) {
  SaveWindow(DaysFromToday(-20), DaysFromToday(-10), 2, DaysFromToday(-20));
  Result<std::optional<SeedCommitment>> committed = FindCommitment(site_.database(), year_);
  ASSERT_TRUE(committed.ok() && committed->has_value());
  const std::string commitment = (*committed)->commitment;
  ASSERT_TRUE(IsSha256Hex(commitment)) << commitment;
  const std::string seed = StoredSeed();
  ASSERT_EQ(Sha256Hex(seed), commitment);

  // Before the draw the commitment is public, the seed nowhere.
  const std::string page = Get("/workation").body;
  EXPECT_NE(page.find(commitment), std::string::npos);
  EXPECT_EQ(page.find(seed), std::string::npos);
  ClientResponse api = Get("/api/v1/workation/programmes/" + std::to_string(year_));
  ASSERT_EQ(api.status, 200) << api.body;
  nlohmann::json lottery = nlohmann::json::parse(api.body)["lottery"];
  EXPECT_EQ(lottery["commitment"], commitment);
  EXPECT_EQ(lottery["commitment_algorithm"], "SHA-256");
  EXPECT_TRUE(lottery["seed"].is_null());
  EXPECT_EQ(api.body.find(seed), std::string::npos);
  Browser publisher = Publisher();
  EXPECT_EQ(publisher.Get("/staff/workation").body.find(seed), std::string::npos);
  EXPECT_EQ(Get("/api/v1/workation/programmes/1999").status, 404);
  EXPECT_EQ(Get("/api/v1/workation/programmes/2199").status, 404);

  // Saving the programme again (even after the window) keeps the commitment.
  SaveWindow(DaysFromToday(-20), DaysFromToday(-10), 2, TodayInJapan());
  EXPECT_EQ((*FindCommitment(site_.database(), year_))->commitment, commitment);

  std::vector<std::string> numbers = Apply(5, DaysFromToday(-15));
  ASSERT_EQ(numbers.size(), 5u);
  const std::string token = http::testing::CsrfTokenIn(publisher.Get("/staff/workation").body);
  ClientResponse drawn = publisher.PostForm(
      "/staff/workation/select", {{"year", std::to_string(year_)}, {"csrf_token", token}});
  ASSERT_EQ(drawn.status, 303) << drawn.body;

  Result<std::optional<Draw>> draw = FindDraw(site_.database(), year_);
  ASSERT_TRUE(draw.ok() && draw->has_value());
  EXPECT_EQ((*draw)->seed, seed);
  EXPECT_EQ((*draw)->commitment, commitment);
  // Reproducible: the revealed seed and the numbers give the recorded draw, and its winners were
  // the ones selected.
  const std::vector<DrawTicket> again = DrawLottery(seed, numbers, 2);
  ASSERT_EQ(again.size(), (*draw)->tickets.size());
  for (size_t i = 0; i < again.size(); ++i) {
    EXPECT_EQ(again[i].applicant, (*draw)->tickets[i].applicant);
    EXPECT_EQ(again[i].hash_hex, (*draw)->tickets[i].hash_hex);
    EXPECT_EQ(again[i].won, (*draw)->tickets[i].won);
  }
  Result<std::vector<Application>> after = ListApplications(site_.database(), year_);
  ASSERT_TRUE(after.ok());
  for (const Application& application : *after) {
    const bool won = std::any_of(again.begin(), again.end(), [&](const DrawTicket& ticket) {
      return ticket.won && ticket.applicant == application.number;
    });
    EXPECT_EQ(application.status,
              won ? ApplicationStatus::kSelected : ApplicationStatus::kNotSelected);
  }

  const std::string record = Get("/workation/draws/" + std::to_string(year_)).body;
  EXPECT_NE(record.find(commitment), std::string::npos);
  EXPECT_NE(record.find(seed), std::string::npos);
  EXPECT_NE(record.find("SHA-256(seed) = commitment ✓"), std::string::npos);
  EXPECT_NE(record.find("記録と一致しました"), std::string::npos);
  EXPECT_NE(record.find("printf %s " + seed + " | sha256sum"), std::string::npos);
  EXPECT_NE(record.find("だれでもできる確かめ方"), std::string::npos);
  EXPECT_NE(Get("/workation/draws/" + std::to_string(year_) + "?lang=en")
                .body.find("How anyone can check it"),
            std::string::npos);
  lottery = nlohmann::json::parse(
      Get("/api/v1/workation/programmes/" + std::to_string(year_)).body)["lottery"];
  EXPECT_EQ(lottery["seed"], seed);
  EXPECT_EQ(lottery["seed_matches_commitment"], true);

  // The commands the page gives print the commitment and the first ticket's hash.
  if (std::optional<std::string> printed =
          Shell(CommandOnPage(record, "check-heading"), "sha256sum")) {
    EXPECT_EQ(printed->substr(0, 64), commitment);
  }
  if (std::optional<std::string> printed = Shell(CommandOnPage(record, "BLAKE2b-256"), "b2sum")) {
    EXPECT_EQ(printed->substr(0, 64), (*draw)->tickets.front().hash_hex);
  }
}

TEST_P(WorkationTest, CommitmentAfterTheWindowClosedIsRefused) {
  // Saved only after its window closed: no commitment is made, and none can be.
  SaveWindow(DaysFromToday(-20), DaysFromToday(-10), 2, TodayInJapan());
  EXPECT_FALSE(FindCommitment(site_.database(), year_)->has_value());
  Result<SeedCommitment> late = CommitDrawSeed(site_.database(), year_, TodayInJapan(), "kikaku");
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.status().code(), StatusCode::kConflict);
  EXPECT_EQ(late.status().message_id(), "partners.commitment_after_window");
  EXPECT_EQ(late.status().field(), "commitment");
  EXPECT_FALSE(FindCommitment(site_.database(), year_)->has_value());
  EXPECT_NE(Get("/workation").body.find("まだ公表していません"), std::string::npos);
  EXPECT_TRUE(nlohmann::json::parse(Get("/api/v1/workation/programmes/" + std::to_string(year_))
                                        .body)["lottery"]["commitment"]
                  .is_null());

  // So an oversubscribed year cannot be drawn, on the page either.
  ASSERT_EQ(Apply(3, DaysFromToday(-15)).size(), 3u);
  Browser publisher = Publisher();
  const std::string token = http::testing::CsrfTokenIn(publisher.Get("/staff/workation").body);
  ClientResponse refused = publisher.PostForm(
      "/staff/workation/select", {{"year", std::to_string(year_)}, {"csrf_token", token}});
  EXPECT_EQ(refused.status, 409);
  EXPECT_NE(refused.body.find("<code>commitment</code>"), std::string::npos);
  EXPECT_FALSE(FindDraw(site_.database(), year_)->has_value());

  // The same form for a year whose window is still to close commits at once.
  const std::string next = std::to_string(year_ + 1);
  ASSERT_EQ(
      publisher
          .PostForm("/staff/workation/programme", {{"year", next},
                                                   {"opens", FormatIsoDate(TodayInJapan())},
                                                   {"closes", FormatIsoDate(DaysFromToday(30))},
                                                   {"places", "2"},
                                                   {"csrf_token", token}})
          .status,
      303);
  EXPECT_TRUE(FindCommitment(site_.database(), year_ + 1)->has_value());
}

TEST_P(WorkationTest, SeedChangedAfterItsCommitmentIsRefused) {
  SaveWindow(DaysFromToday(-20), DaysFromToday(-10), 1, DaysFromToday(-20));
  const std::vector<std::string> numbers = Apply(3, DaysFromToday(-15));
  ASSERT_EQ(numbers.size(), 3u);
  // Someone with the database finds a seed that makes the last application win and writes it in.
  std::string chosen;
  for (int i = 0; chosen.empty(); ++i) {
    const std::string candidate = "chosen-" + std::to_string(i);
    for (const DrawTicket& ticket : DrawLottery(candidate, numbers, 1))
      if (ticket.won && ticket.applicant == numbers.back()) chosen = candidate;
  }
  ASSERT_TRUE(site_.database()
                  .Query("UPDATE workation_seed SET seed = ? WHERE fiscal_year = ?",
                         {chosen, int64_t{year_}})
                  .ok());
  Browser publisher = Publisher();
  const std::string token = http::testing::CsrfTokenIn(publisher.Get("/staff/workation").body);
  ClientResponse refused = publisher.PostForm(
      "/staff/workation/select", {{"year", std::to_string(year_)}, {"csrf_token", token}});
  EXPECT_EQ(refused.status, 409);
  EXPECT_NE(refused.body.find("<code>seed</code>"), std::string::npos);
  EXPECT_NE(refused.body.find("公表後にシードが変えられている"), std::string::npos);
  Result<std::optional<Draw>> drawn =
      SelectParticipants(site_.database(), year_, "kikaku", TodayInJapan());
  ASSERT_FALSE(drawn.ok());
  EXPECT_EQ(drawn.status().message_id(), "partners.seed_mismatch");
  EXPECT_EQ(drawn.status().field(), "seed");
  EXPECT_FALSE(FindDraw(site_.database(), year_)->has_value());
  Result<std::vector<Application>> untouched = ListApplications(site_.database(), year_);
  ASSERT_TRUE(untouched.ok());
  for (const Application& application : *untouched)
    EXPECT_EQ(application.status, ApplicationStatus::kReceived);
}

TEST_P(WorkationTest, SecondApplicationOfABusinessGets409NamingTheBusinessAndYear) {
  SaveWindow(TodayInJapan(), DaysFromToday(30), 2, TodayInJapan());
  Browser visitor(site_.port());
  std::string token = http::testing::CsrfTokenIn(visitor.Get("/workation").body);
  std::map<std::string, std::string> form = {{"business_name", "ＭＩＮＡＴＯ　商店"},
                                             {"corporate_number", ""},
                                             {"representative", "港 太郎"},
                                             {"address", "東京都港区芝公園1-5-25"},
                                             {"destination", "015199"},
                                             {"staff_count", "3"},
                                             {"planned_nights", "2"},
                                             {"email", "shop@example.jp"},
                                             {"agree", "yes"},
                                             {"csrf_token", token}};
  ASSERT_EQ(visitor.PostForm("/workation/apply", form).status, 201);
  const std::string year_label = FormatWarekiFiscalYear(FiscalYear(year_));
  form["business_name"] = "minato商店";
  ClientResponse again = visitor.PostForm("/workation/apply", form);
  EXPECT_EQ(again.status, 409);
  EXPECT_NE(again.body.find("<a href=\"#business_name\">事業者名："), std::string::npos)
      << again.body;
  EXPECT_NE(again.body.find("aria-invalid=\"true\" aria-describedby=\"business_name-error\""),
            std::string::npos);
  EXPECT_NE(again.body.find("minato商店は" + year_label + "にすでに申請しています"),
            std::string::npos)
      << year_label;
  Result<Application> third =
      SubmitApplication(site_.database(), Applicant("Minato 商店", ""), TodayInJapan());
  ASSERT_FALSE(third.ok());
  EXPECT_EQ(third.status().code(), StatusCode::kConflict);
  EXPECT_EQ(third.status().message_id(), "partners.already_applied");
  EXPECT_NE(site_.app().messages().Format("en", third.status()).find("has already applied for"),
            std::string::npos);

  // With a 法人番号, the number is the business, whatever the name and however it is typed.
  const std::string number = CorporateNumber("010401000001");
  form["business_name"] = "株式会社みなと試験";
  form["corporate_number"] = number;
  ASSERT_EQ(visitor.PostForm("/workation/apply", form).status, 201);
  form["business_name"] = "みなと試験";
  form["corporate_number"] = number.substr(0, 1) + "-" + number.substr(1, 4) + "-" +
                             number.substr(5, 4) + "-" + number.substr(9);
  ClientResponse repeat = visitor.PostForm("/workation/apply", form);
  EXPECT_EQ(repeat.status, 409);
  EXPECT_NE(repeat.body.find("<a href=\"#corporate_number\">法人番号（13桁）："), std::string::npos)
      << repeat.body;

  // A 法人's name without its number is refused: seed 003 lets only bodies without legal
  // personality apply without one.
  form["business_name"] = "㈱みなと別会社";
  form["corporate_number"] = "";
  ClientResponse legal = visitor.PostForm("/workation/apply", form);
  EXPECT_EQ(legal.status, 422);
  EXPECT_NE(legal.body.find("<a href=\"#corporate_number\">法人番号（13桁）："), std::string::npos)
      << legal.body;
  EXPECT_EQ(ListApplications(site_.database(), year_)->size(), 2u);
}

TEST_P(WorkationTest, EightConcurrentApplicationsOfOneBusinessGiveOne) {
  SaveWindow(TodayInJapan(), DaysFromToday(30), 2, TodayInJapan());
  const std::string number = CorporateNumber("010401000007");
  for (const bool with_number : {true, false}) {
    std::latch start(8);
    std::atomic<int> received = 0, refused = 0, other = 0;
    std::vector<std::thread> threads;
    for (int i = 0; i < 8; ++i) {
      threads.emplace_back([&, i] {
        // The same business typed eight ways.
        Application application = with_number
                                      ? Applicant("株式会社並行" + std::to_string(i), number)
                                      : Applicant(i % 2 ? "並行 商店" : "並行商店", "");
        start.arrive_and_wait();
        Result<Application> stored =
            SubmitApplication(site_.database(), application, TodayInJapan());
        if (stored.ok()) {
          ++received;
        } else if (stored.status().message_id() == "partners.already_applied") {
          ++refused;
        } else {
          ++other;
          ADD_FAILURE() << stored.status().ToString();
        }
      });
    }
    for (std::thread& thread : threads) thread.join();
    EXPECT_EQ(received.load(), 1) << (with_number ? "法人番号" : "name");
    EXPECT_EQ(refused.load(), 7);
    EXPECT_EQ(other.load(), 0);
  }
  EXPECT_EQ(ListApplications(site_.database(), year_)->size(), 2u);
}

// A database from before the constraint, with the duplicates the review found, migrates; the
// earlier applications get their keys and the duplicates are marked, not deleted.
TEST_P(WorkationTest, DuplicatesStoredBeforeTheConstraintDoNotStopTheMigration) {
  storage::testing::TestDatabase database(GetParam());
  CIVICDESK_SKIP_IF_UNAVAILABLE(database);
  storage::ModuleMigrations first = PartnersMigrations();
  first.migrations.resize(1);
  ASSERT_TRUE(storage::Migrate(*database, {first}).ok());
  const std::string number = CorporateNumber("010401000001");
  struct Row {
    const char* number;
    int year;
    const char* name;
    std::string corporate;
    const char* status;
    const char* note;
  };
  const std::vector<Row> rows = {
      {"WK2025-0001", 2025, "みなと商店", "", "ineligible", "所在地が港区内ではありません"},
      {"WK2025-0002", 2025, "みなと　商店", "", "received", ""},
      {"WK2025-0003", 2025, "みなと商店", "", "received", ""},
      {"WK2025-0004", 2025, "株式会社みなと", number, "received", ""},
      {"WK2025-0005", 2025, "株式会社みなと", number, "ineligible",
       "同じ年度に申請済みです（WK2025-0004）"},
      {"WK2025-0006", 2025, "みなと", number, "selected", ""},
      {"WK2026-0007", 2026, "株式会社みなと", number, "received", ""},
  };
  for (const Row& row : rows) {
    ASSERT_TRUE(database
                    ->Query("INSERT INTO workation_application (number, fiscal_year,"
                            " business_name, corporate_number, representative, address,"
                            " destination_code, staff_count, planned_nights, email, submitted_at,"
                            " status, eligibility_note, report, subsidy_yen, report_url) VALUES"
                            " (?, ?, ?, ?, '港 太郎', '東京都港区芝公園1-5-25', '015199', 3, 2,"
                            " 'a@example.jp', '2025-05-01T00:00:00Z', ?, ?, '[]', NULL, '')",
                            {std::string(row.number), int64_t{row.year}, std::string(row.name),
                             row.corporate, std::string(row.status), std::string(row.note)})
                    .ok());
  }
  Result<int> migrated = storage::Migrate(*database, {PartnersMigrations()});
  ASSERT_TRUE(migrated.ok()) << migrated.status().ToString();
  // Every later migration applies, the one-application constraint among them.
  EXPECT_EQ(*migrated, static_cast<int>(PartnersMigrations().migrations.size()) - 1);
  Result<int> marked = KeyEarlierApplications(*database);
  ASSERT_TRUE(marked.ok()) << marked.status().ToString();
  EXPECT_EQ(*marked, 4);
  EXPECT_EQ(*KeyEarlierApplications(*database), 0);

  std::map<std::string, Application> by_number;
  for (int year : {2025, 2026}) {
    Result<std::vector<Application>> listed = ListApplications(*database, year);
    ASSERT_TRUE(listed.ok());
    for (const Application& application : *listed) by_number[application.number] = application;
  }
  // The name's key goes to the first application that was not 対象外.
  EXPECT_EQ(by_number["WK2025-0002"].duplicate_of, "");
  EXPECT_EQ(by_number["WK2025-0002"].status, ApplicationStatus::kReceived);
  EXPECT_EQ(by_number["WK2025-0001"].duplicate_of, "WK2025-0002");
  EXPECT_EQ(by_number["WK2025-0001"].eligibility_note, "所在地が港区内ではありません");
  EXPECT_EQ(by_number["WK2025-0003"].duplicate_of, "WK2025-0002");
  EXPECT_EQ(by_number["WK2025-0003"].status, ApplicationStatus::kIneligible);
  EXPECT_EQ(by_number["WK2025-0003"].eligibility_note, "同じ年度に申請済みです（WK2025-0002）");
  EXPECT_EQ(by_number["WK2025-0004"].duplicate_of, "");
  EXPECT_EQ(by_number["WK2025-0005"].duplicate_of, "WK2025-0004");
  // A decision already made stays; the row says whose duplicate it is.
  EXPECT_EQ(by_number["WK2025-0006"].duplicate_of, "WK2025-0004");
  EXPECT_EQ(by_number["WK2025-0006"].status, ApplicationStatus::kSelected);
  EXPECT_EQ(by_number["WK2026-0007"].duplicate_of, "");

  // From now on the database refuses another.
  Result<storage::QueryResult> another = database->Query(
      "INSERT INTO workation_application (number, fiscal_year, business_name, corporate_number,"
      " representative, address, destination_code, staff_count, planned_nights, email,"
      " submitted_at, status, eligibility_note, report, subsidy_yen, report_url, business_key)"
      " VALUES ('WK2025-0099', 2025, 'ミナト商店', '', '', '', '', 1, 1, '', '', 'received', '',"
      " '[]', NULL, '', ?)",
      {BusinessKey("", "みなと 商店")});
  ASSERT_FALSE(another.ok());
  EXPECT_EQ(another.status().code(), StatusCode::kConflict);
}

INSTANTIATE_TEST_SUITE_P(Backends, WorkationTest,
                         ::testing::ValuesIn(storage::testing::BackendNames()));

}  // namespace
}  // namespace civicdesk::partners
