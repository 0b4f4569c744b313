#include <gtest/gtest.h>

#include <deque>

#include "core/digest.h"
#include "mail/address.h"
#include "mail/announcements.h"
#include "mail/message.h"
#include "mail/outbox.h"
#include "mail/smtp.h"
#include "storage/testing.h"

namespace civicdesk::mail {
namespace {

using std::chrono::seconds;
using std::chrono::sys_seconds;

TEST(CheckAddress, TakesAnOrdinaryAddressAndFoldsWidthAndDomainCase) {
  EXPECT_EQ(*CheckAddress("taro.yamada@Example.JP", "notify_email"), "taro.yamada@example.jp");
  // Typed on a Japanese keyboard in full width.
  EXPECT_EQ(*CheckAddress("　ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ ", "notify_email"), "taro@example.jp");
}

TEST(CheckAddress, RefusesHeaderInjectionAndEverythingButOneAddress) {
  for (const char* typed :
       {"taro@example.jp\r\nBcc: victim@example.com", "taro@example.jp\nBcc: x@y.jp",
        "taro@example.jp%0d%0aBcc:x@y.jp", "a@example.jp, b@example.jp",
        "a@example.jp;b@example.jp", "Taro <taro@example.jp>", "\"taro\"@example.jp",
        "taro@localhost", "taro@@example.jp", "taro@exa mple.jp", ".taro@example.jp",
        "ta..ro@example.jp", "taro@-example.jp", "@example.jp", "taro@", "", "山田@example.jp",
        "taro@exam\tple.jp"}) {
    Result<std::string> checked = CheckAddress(typed, "notify_email");
    ASSERT_FALSE(checked.ok()) << typed;
    EXPECT_EQ(checked.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(checked.status().field(), "notify_email") << typed;
  }
}

TEST(MaskAddress, ShowsNeitherThePersonNorTheirDomain) {
  EXPECT_EQ(MaskAddress("taro.yamada@example.co.jp"), "t***@e***.jp");
  EXPECT_EQ(MaskAddress("a@b.jp"), "a***@b***.jp");
  EXPECT_EQ(MaskAddress("broken"), "***");
}

TEST(FormatMessage, EncodesTheSubjectAndBodyAndKeepsHeadersOneLine) {
  Mail mail{"taro@example.jp", "「港区環境基本計画」の意見募集の結果を公表しました",
            "本文です。\nhttps://example.jp/consultations/1/result#item-3\n",
            "https://example.jp/notifications/abc"};
  const std::string message =
      FormatMessage(mail, "civicdesk@example.jp", "outbox.1.2@example.jp", sys_seconds{seconds{0}});
  EXPECT_NE(message.find("Date: Thu, 01 Jan 1970 00:00:00 +0000\r\n"), std::string::npos);
  EXPECT_NE(message.find("To: taro@example.jp\r\n"), std::string::npos);
  EXPECT_NE(message.find("Subject: =?UTF-8?B?"), std::string::npos);
  EXPECT_NE(message.find("List-Unsubscribe: <https://example.jp/notifications/abc>\r\n"),
            std::string::npos);
  EXPECT_NE(message.find("Content-Type: text/plain; charset=UTF-8\r\n"), std::string::npos);
  // No bare LF anywhere: every line ends CRLF.
  for (size_t i = 0; i < message.size(); ++i) {
    if (message[i] == '\n') ASSERT_EQ(message[i - 1], '\r') << i;
  }
  // Whatever a caller passes, a header stays one line.
  mail.to = "taro@example.jp\r\nBcc: victim@example.com";
  const std::string forced =
      FormatMessage(mail, "civicdesk@example.jp", "x@example.jp", sys_seconds{seconds{0}});
  EXPECT_EQ(forced.find("\r\nBcc:"), std::string::npos);
}

TEST(ParseSmtpUrl, TakesSmtpAndSmtpsAndRequiresTlsForCredentials) {
  Result<RelaySettings> plain = ParseSmtpUrl("smtp://127.0.0.1:2525", "--smtp-url");
  ASSERT_TRUE(plain.ok());
  EXPECT_FALSE(plain->implicit_tls);
  EXPECT_FALSE(plain->require_tls);
  Result<RelaySettings> auth = ParseSmtpUrl("smtp://user:p%40ss@mail.example.jp:587", "--smtp-url");
  ASSERT_TRUE(auth.ok());
  EXPECT_TRUE(auth->require_tls);
  EXPECT_TRUE(ParseSmtpUrl("smtps://mail.example.jp", "--smtp-url")->implicit_tls);
  for (const char* bad : {"http://mail.example.jp", "smtp://", "smtp://host/path",
                          "smtp://host?x=1", "smtp://ho st", "mail.example.jp"}) {
    Result<RelaySettings> refused = ParseSmtpUrl(bad, "--smtp-url");
    ASSERT_FALSE(refused.ok()) << bad;
    EXPECT_EQ(refused.status().field(), "--smtp-url");
  }
}

// A relay that answers as told, and keeps what it was given.
class FakeRelay : public Relay {
 public:
  Delivery Send(const std::string& from, const std::string& to,
                const std::string& message) override {
    Delivery delivery;
    if (!answers.empty()) {
      delivery = answers.front();
      answers.pop_front();
    } else {
      delivery.sent = true;
    }
    if (delivery.sent) received.push_back({to, message});
    ++calls;
    return delivery;
  }
  std::deque<Delivery> answers;
  std::vector<std::pair<std::string, std::string>> received;
  int calls = 0;
};

class OutboxTest : public ::testing::TestWithParam<std::string> {
 protected:
  OutboxTest() : database_(GetParam()) {}
  void SetUp() override {
    CIVICDESK_SKIP_IF_UNAVAILABLE(database_);
    ASSERT_TRUE(storage::Migrate(*database_, {MailMigrations()}).ok());
  }
  bool Add(const std::string& reference, const std::string& to) {
    bool added = false;
    EXPECT_TRUE(database_
                    ->Transaction([&](storage::Connection& connection) -> Status {
                      CIVICDESK_ASSIGN_OR_RETURN(
                          added, Enqueue(connection, {reference, {to, "件名", "本文\n", ""}}));
                      return Status::Ok();
                    })
                    .ok());
    return added;
  }
  sys_seconds Now(int64_t later = 0) {
    return std::chrono::floor<seconds>(std::chrono::system_clock::now()) + seconds{later};
  }
  storage::testing::TestDatabase database_;
  SenderOptions options_{"civicdesk@example.jp", seconds{60}, seconds{600}, seconds{120}};
};

TEST_P(OutboxTest, SendsOnceAndKeepsOnlyTheMaskedAddress) {
  ASSERT_TRUE(Add("test.1", "taro@example.jp"));
  EXPECT_FALSE(Add("test.1", "taro@example.jp"));  // the same notification decided twice
  FakeRelay relay;
  Result<SendReport> report = SendDue(*database_, relay, options_, Now());
  ASSERT_TRUE(report.ok()) << report.status().message();
  EXPECT_EQ(report->sent, 1);
  ASSERT_EQ(relay.received.size(), 1u);
  EXPECT_EQ(relay.received[0].first, "taro@example.jp");
  EXPECT_EQ(SendDue(*database_, relay, options_, Now(10000))->sent, 0);
  Result<storage::QueryResult> kept =
      database_->Query("SELECT recipient, body FROM mail_outbox", {});
  EXPECT_EQ(storage::AsText(kept->rows[0][0]), "t***@e***.jp");
  EXPECT_EQ(storage::AsText(kept->rows[0][1]), "");
}

TEST_P(OutboxTest, ARelayThatIsDownLosesNothingAndIsTriedAgainWithBackoff) {
  ASSERT_TRUE(Add("test.2", "hanako@example.jp"));
  FakeRelay relay;
  relay.answers = {{false, false, "connection refused"}, {false, false, "connection refused"}};
  EXPECT_EQ(SendDue(*database_, relay, options_, Now())->retried, 1);
  // Not before the first retry (60 s), then after it; the second wait is doubled.
  EXPECT_EQ(SendDue(*database_, relay, options_, Now(59))->retried, 0);
  EXPECT_EQ(SendDue(*database_, relay, options_, Now(61))->retried, 1);
  EXPECT_EQ(SendDue(*database_, relay, options_, Now(61 + 119))->sent, 0);
  EXPECT_EQ(SendDue(*database_, relay, options_, Now(61 + 121))->sent, 1);
  EXPECT_EQ(relay.calls, 3);
  EXPECT_EQ(CountOutbox(*database_)->sent, 1);
}

TEST_P(OutboxTest, APermanentRefusalEndsItAndAHeldMailIsNotTakenTwice) {
  ASSERT_TRUE(Add("test.3", "nobody@example.jp"));
  FakeRelay relay;
  relay.answers = {{false, true, "550 no such user"}};
  EXPECT_EQ(SendDue(*database_, relay, options_, Now())->failed, 1);
  EXPECT_EQ(SendDue(*database_, relay, options_, Now(100000))->sent, 0);
  EXPECT_EQ(CountOutbox(*database_)->failed, 1);
  // A mail under another sender's lease waits for the lease to end (a killed sender).
  ASSERT_TRUE(Add("test.4", "jiro@example.jp"));
  ASSERT_TRUE(database_
                  ->Query("UPDATE mail_outbox SET claimed_until = ? WHERE reference = 'test.4'",
                          {Now(120).time_since_epoch().count()})
                  .ok());
  EXPECT_EQ(SendDue(*database_, relay, options_, Now())->sent, 0);
  EXPECT_EQ(SendDue(*database_, relay, options_, Now(121))->sent, 1);
}

TEST_P(OutboxTest, ForgettingDeletesWhatWaitsAndMasksWhatWasSent) {
  ASSERT_TRUE(Add("consultation.notify.7.result", "taro@example.jp"));
  ASSERT_TRUE(Add("consultation.notify.7.policy.1", "taro@example.jp"));
  ASSERT_TRUE(Add("consultation.notify.70.result", "other@example.jp"));
  FakeRelay relay;
  relay.answers = {{true, false, ""}};
  ASSERT_TRUE(database_
                  ->Query("UPDATE mail_outbox SET next_attempt_at = next_attempt_at + 1000"
                          " WHERE reference <> 'consultation.notify.7.result'",
                          {})
                  .ok());
  EXPECT_EQ(SendDue(*database_, relay, options_, Now())->sent, 1);
  ASSERT_TRUE(database_
                  ->Transaction([](storage::Connection& connection) {
                    return Forget(connection, "consultation.notify.7.");
                  })
                  .ok());
  Result<storage::QueryResult> rows =
      database_->Query("SELECT reference, recipient FROM mail_outbox ORDER BY reference", {});
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ(storage::AsText(rows->rows[0][0]), "consultation.notify.7.result");
  EXPECT_EQ(storage::AsText(rows->rows[0][1]), "t***@e***.jp");
  EXPECT_EQ(storage::AsText(rows->rows[1][1]), "other@example.jp");  // another's mail untouched
}

TEST_P(OutboxTest, AnAnnouncementReachesEachListenerOnce) {
  ASSERT_TRUE(database_
                  ->Transaction([](storage::Connection& connection) {
                    return Announce(connection, {0, kPolicyReport, "24", 2025, "施策24",
                                                 "/plan/policies/24/report/2025"});
                  })
                  .ok());
  std::vector<std::string> seen;
  auto listen = [&](storage::Connection&, const Announcement& announcement) {
    seen.push_back(announcement.subject + "/" + std::to_string(announcement.fiscal_year));
    return Status::Ok();
  };
  ASSERT_TRUE(ForEachNewAnnouncement(*database_, "consultation", listen).ok());
  ASSERT_TRUE(ForEachNewAnnouncement(*database_, "consultation", listen).ok());
  ASSERT_TRUE(ForEachNewAnnouncement(*database_, "another", listen).ok());
  EXPECT_EQ(seen, (std::vector<std::string>{"24/2025", "24/2025"}));
  Status refused = database_->Transaction([](storage::Connection& connection) {
    return Announce(connection, {0, kPolicyReport, "24", 2025, "", "no-slash"});
  });
  EXPECT_EQ(refused.code(), StatusCode::kInvalidArgument);
}

INSTANTIATE_TEST_SUITE_P(Backends, OutboxTest,
                         ::testing::ValuesIn(storage::testing::BackendNames()));

}  // namespace
}  // namespace civicdesk::mail
