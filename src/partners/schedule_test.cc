// Issue 24: the marché list showed its 2023–24 dates as 開催予定 in 2026, its calendar could only
// be taken whole, and the workation page did not say whether the programme was open.
#include "partners/schedule.h"

#include <gtest/gtest.h>

#include <chrono>

#include "core/date.h"
#include "core/wareki.h"
#include "http/http_module.h"
#include "http/testing.h"
#include "partners/partners_module.h"

namespace civicdesk::partners {
namespace {

using http::testing::ClientResponse;
using http::testing::Send;
using http::testing::TestSite;

Date Shifted(int days) {
  return Date{std::chrono::sys_days{TodayInJapan()} + std::chrono::days(days)};
}

size_t Count(const std::string& text, const std::string& needle) {
  size_t count = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1))
    ++count;
  return count;
}

TEST(EventTiming, ADayBeforeTodayIsHeldTodayIsTodayLaterIsUpcoming) {
  const Date today = MakeDate(2026, 12, 1);
  Event event;
  event.date = "2024-03-24";
  EXPECT_EQ(TimingOf(event, today), EventTiming::kHeld);
  event.date = "2026-11-30";
  EXPECT_EQ(TimingOf(event, today), EventTiming::kHeld);
  event.date = "2026-12-01";
  EXPECT_EQ(TimingOf(event, today), EventTiming::kToday);
  event.date = "2026-12-02";
  EXPECT_EQ(TimingOf(event, today), EventTiming::kUpcoming);
  event.date = "2026-13-01";  // never hidden for a bad date
  EXPECT_EQ(TimingOf(event, today), EventTiming::kUpcoming);
  EXPECT_STREQ(EventTimingName(EventTiming::kHeld), "held");
}

TEST(WindowState, BeforeOpenAndClosedCountBothEndDaysAsOpen) {
  Programme programme;
  programme.opens = "2023-05-01";
  programme.closes = "2023-06-07";
  EXPECT_EQ(WindowStateOf(programme, MakeDate(2023, 4, 30)), WindowState::kBefore);
  EXPECT_EQ(WindowStateOf(programme, MakeDate(2023, 5, 1)), WindowState::kOpen);
  EXPECT_EQ(WindowStateOf(programme, MakeDate(2023, 6, 7)), WindowState::kOpen);
  EXPECT_EQ(WindowStateOf(programme, MakeDate(2023, 6, 8)), WindowState::kClosed);
  programme.closes = "";
  EXPECT_FALSE(WindowStateOf(programme, MakeDate(2023, 6, 8)).has_value());
}

class ScheduleSiteTest : public ::testing::TestWithParam<std::string> {
 protected:
  ScheduleSiteTest() : site_(GetParam(), {http::HttpModule(), PartnersModule()}) {}
  void SetUp() override { CIVICDESK_SKIP_IF_UNAVAILABLE(site_); }
  ClientResponse Get(const std::string& target) { return Send(site_.port(), "GET", target); }
  TestSite site_;
};

// The shipped dates (2023-05-27 … 2024-03-24) are all past: each says 開催済み, none 開催予定 or
// （予定）, and the page says no date is to come.
TEST_P(ScheduleSiteTest, PastMarcheDatesAreHeldNotPlanned) {
  const std::string page = Get("/partners/marche").body;
  EXPECT_EQ(Count(page, "<span class=\"status status-held\">開催済み</span>"), 12u);
  EXPECT_EQ(page.find("status-upcoming"), std::string::npos);
  EXPECT_EQ(page.find("（予定）"), std::string::npos);
  EXPECT_NE(page.find("id=\"marche-none-to-come\""), std::string::npos);
  EXPECT_NE(page.find("令和6(2024)年3月24日（日）"), std::string::npos);
  EXPECT_EQ(Count(Get("/partners/marche?lang=en").body, ">Held</span>"), 12u);
  // The open-data イベント一覧 says （予定） only of a date still to come.
  Result<std::vector<http::PublicDataset>> datasets = PartnersModule().public_datasets(site_.app());
  ASSERT_TRUE(datasets.ok());
  std::string titles;
  for (const http::PublicDataset& dataset : *datasets) {
    if (dataset.id != "partner-events") continue;
    EXPECT_EQ(dataset.title, "全国連携マルシェの開催日程");
    ASSERT_TRUE(dataset
                    .rows(site_.app(),
                          [&](const std::vector<std::string>& cells) {
                            titles += cells[0] + "\n";
                            return Status::Ok();
                          })
                    .ok());
  }
  EXPECT_EQ(Count(titles, "全国連携マルシェin芝浦\n"), 12u);
  EXPECT_EQ(titles.find("（予定）"), std::string::npos);

  // A date added for next month is 開催予定 (and tentative, 予定, as the data says); one today is
  // 本日開催.
  const std::string later = FormatIsoDate(Shifted(30));
  const std::string today = FormatIsoDate(Shifted(0));
  for (const auto& [date, planned] : {std::pair{later, 1}, std::pair{today, 0}}) {
    ASSERT_TRUE(
        site_.database()
            .Query("INSERT INTO partner_event (title, event_date, planned, venue, address,"
                   " opens, closes, stalls, participants_text, participants) VALUES"
                   " ('全国連携マルシェin芝浦', ?, ?, '区立プラタナス公園', '港区芝浦4-20-56',"
                   " '11:00', '16:00', '', '', '[]')",
                   {date, int64_t{planned}})
            .ok());
  }
  const std::string after = Get("/partners/marche?after=insert").body;
  EXPECT_EQ(Count(after, ">開催済み</span>"), 12u);
  EXPECT_EQ(Count(after, ">開催予定</span>"), 1u);
  EXPECT_EQ(Count(after, ">本日開催</span>"), 1u);
  EXPECT_EQ(Count(after, "（予定）"), 1u);
  EXPECT_EQ(after.find("id=\"marche-none-to-come\""), std::string::npos);
}

TEST_P(ScheduleSiteTest, EachMarcheDateHasItsOwnCalendar) {
  Result<std::vector<Event>> events = ListEvents(site_.database());
  ASSERT_TRUE(events.ok() && events->size() == 12u);
  const Event& last = events->back();  // 2024-03-24
  const std::string id = std::to_string(last.id);
  const std::string page = Get("/partners/marche").body;
  EXPECT_NE(page.find("href=\"/partners/marche/" + id + ".ics\""), std::string::npos);
  EXPECT_NE(page.find("href=\"/partners/marche.ics\""), std::string::npos);  // the whole schedule
  ClientResponse one = Get("/partners/marche/" + id + ".ics");
  ASSERT_EQ(one.status, 200) << one.body;
  EXPECT_EQ(one.headers["content-type"], "text/calendar; charset=utf-8");
  EXPECT_NE(one.headers["content-disposition"].find("marche-2024-03-24-" + id + ".ics"),
            std::string::npos);
  EXPECT_EQ(Count(one.body, "BEGIN:VEVENT"), 1u);
  EXPECT_NE(one.body.find("DTSTART;TZID=Asia/Tokyo:20240324T110000\r\n"), std::string::npos);
  // The same UID as in the full calendar: added both ways, it is one event.
  const std::string uid = "UID:partner-event-" + id + "@civicdesk.minato\r\n";
  EXPECT_NE(one.body.find(uid), std::string::npos);
  EXPECT_NE(Get("/partners/marche.ics").body.find(uid), std::string::npos);
  // Anything else is a 404 naming the address, never a 500.
  for (const char* bad :
       {"/partners/marche/999999.ics", "/partners/marche/0.ics", "/partners/marche/abc.ics",
        "/partners/marche/1.ical", "/partners/marche/.ics",
        "/partners/marche/99999999999999999999999.ics", "/partners/marche/-1.ics"}) {
    ClientResponse refused = Get(bad);
    EXPECT_EQ(refused.status, 404) << bad;
  }
}

// The shipped programme is fiscal 2023's, closed on 2023-06-07: the page says 受付終了 with the
// dates in 和暦 with the Western year. A programme open today says 受付中; one to come, 受付前.
TEST_P(ScheduleSiteTest, WorkationPageSaysWhetherTheProgrammeIsOpenNow) {
  const std::string closed = Get("/workation").body;
  EXPECT_NE(closed.find("<span class=\"status status-closed\">受付終了</span>"), std::string::npos)
      << closed.substr(0, 2000);
  EXPECT_NE(closed.find("令和5(2023)年5月1日から令和5(2023)年6月7日までの受付は終了しました"),
            std::string::npos);
  EXPECT_NE(Get("/workation?lang=en").body.find(">Closed</span>"), std::string::npos);

  Result<Programme> shipped = FindProgramme(site_.database(), 2023);
  ASSERT_TRUE(shipped.ok());
  Programme open = *shipped;
  open.fiscal_year = 2100;  // the latest year is the one the page shows
  open.opens = FormatIsoDate(Shifted(-3));
  open.closes = FormatIsoDate(Shifted(10));
  ASSERT_TRUE(SaveProgramme(site_.database(), open, "tester", TodayInJapan()).ok());
  const std::string now_open = Get("/workation").body;
  EXPECT_NE(now_open.find("<span class=\"status status-open\">受付中</span>"), std::string::npos);
  EXPECT_NE(now_open.find(FormatWarekiDate(Shifted(10)) + "まで受け付けています"),
            std::string::npos);

  Programme later = open;
  later.fiscal_year = 2101;
  later.opens = FormatIsoDate(Shifted(20));
  later.closes = FormatIsoDate(Shifted(40));
  ASSERT_TRUE(SaveProgramme(site_.database(), later, "tester", TodayInJapan()).ok());
  const std::string before = Get("/workation").body;
  EXPECT_NE(before.find("<span class=\"status status-before\">受付前</span>"), std::string::npos);
  EXPECT_NE(before.find(FormatWarekiDate(Shifted(20)) + "から"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Backends, ScheduleSiteTest,
                         ::testing::ValuesIn(storage::testing::BackendNames()));

}  // namespace
}  // namespace civicdesk::partners
