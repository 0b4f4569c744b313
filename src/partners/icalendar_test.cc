#include "partners/icalendar.h"

#include <gtest/gtest.h>

namespace civicdesk::partners {
namespace {

std::string Calendar(const std::vector<Event>& events) {
  std::string text;
  Status written = WriteMarcheCalendar(events, {"全国連携マルシェ", "（予定）", "参加自治体等："},
                                       "2026-11-22T05:04:03Z", [&](std::string_view piece) {
                                         text.append(piece);
                                         return Status::Ok();
                                       });
  EXPECT_TRUE(written.ok());
  return text;
}

Event Marche(int64_t id, bool planned) {
  Event event;
  event.id = id;
  event.title = "全国連携マルシェin芝浦";
  event.date = "2023-05-27";
  event.planned = planned;
  event.venue = "区立プラタナス公園";
  event.address = "港区芝浦4-20";
  event.opens = "11:00";
  event.closes = "16:00";
  event.stalls = "野菜, 果物; 加工品\\その他";
  event.participants_text =
      "北海道豊富町、岐阜県郡上市、長野県飯山市、新潟県南魚沼市、宮城県気仙沼市";
  return event;
}

TEST(MarcheCalendar, EventsInTokyoTimeFoldedAndEscaped) {
  const std::string ics = Calendar({Marche(1, false), Marche(2, true)});
  EXPECT_EQ(ics.rfind("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n", 0), 0u);
  EXPECT_NE(ics.find("X-WR-CALNAME:全国連携マルシェ\r\n"), std::string::npos);
  EXPECT_NE(ics.find("DTSTAMP:20261122T050403Z\r\n"), std::string::npos);
  EXPECT_NE(ics.find("DTSTART;TZID=Asia/Tokyo:20230527T110000\r\n"), std::string::npos);
  EXPECT_NE(ics.find("DTEND;TZID=Asia/Tokyo:20230527T160000\r\n"), std::string::npos);
  EXPECT_NE(ics.find("SUMMARY:全国連携マルシェin芝浦（予定）\r\n"), std::string::npos);
  EXPECT_NE(ics.find("STATUS:CONFIRMED\r\n"), std::string::npos);
  EXPECT_NE(ics.find("STATUS:TENTATIVE\r\n"), std::string::npos);
  std::string unfolded = ics;
  for (size_t at; (at = unfolded.find("\r\n ")) != std::string::npos;) unfolded.erase(at, 3);
  EXPECT_NE(unfolded.find("\\n野菜\\, 果物\\; 加工品\\\\その他\r\n"), std::string::npos);
  EXPECT_EQ(ics.substr(ics.size() - 15), "END:VCALENDAR\r\n");
  // Lines of at most 75 octets; a fold never splits a UTF-8 character.
  size_t folds = 0;
  for (size_t start = 0, end; (end = ics.find("\r\n", start)) != std::string::npos;
       start = end + 2) {
    EXPECT_LE(end - start, 75u);
    if (ics[start] == ' ') {
      ++folds;
      EXPECT_NE(static_cast<unsigned char>(ics[start + 1]) & 0xC0, 0x80) << "split character";
    }
  }
  EXPECT_GT(folds, 0u);
}

}  // namespace
}  // namespace civicdesk::partners
