// Issue 19 #1 and #2, the web half: the staff import page. Upload (multipart, CSRF, size),
// the mapping step with a preview, a column that carries data and maps to nothing refused until
// it is mapped or ignored (by the server, whatever the form sends), check (never writes),
// confirm (once), and who may do each: publishers and admins, the upload its uploader's only.
#include <gtest/gtest.h>

#include <algorithm>
#include <regex>
#include <thread>

#include "consultation/consultation_module.h"
#include "consultation/store.h"
#include "core/tabular_import.h"
#include "http/http_module.h"
#include "http/testing.h"
#include "text/text_module.h"

namespace civicdesk::consultation {
namespace {

using http::testing::Browser;
using http::testing::ClientResponse;
using http::testing::CsrfTokenIn;
using http::testing::Send;
using http::testing::TestSite;

constexpr char kPassword[] = "correct horse battery";

bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::string Cp932(const std::string& utf8) {
  std::string out;
  EXPECT_TRUE(tabular::ConvertEncoding(utf8, "UTF-8", "CP932", out));
  return out;
}

// Excel's CSV on Japanese Windows: CP932, CRLF; 番号 / ご意見 and one more column with data.
std::string OpinionsFile() {
  return Cp932(
      "番号,ご意見,受付日\r\n"
      "1,公園の木陰を増やしてください。,2026-01-10\r\n"
      "2,自転車の駐輪場が足りません。,2026-01-11\r\n");
}

class StaffImportTest : public ::testing::TestWithParam<std::string> {
 protected:
  StaffImportTest()
      : site_(GetParam(), {http::HttpModule(), text::TextModule(), ConsultationModule()}) {}

  void SetUp() override {
    CIVICDESK_SKIP_IF_UNAVAILABLE(site_);
    http::Accounts& accounts = site_.app().accounts();
    ASSERT_TRUE(
        accounts.Add({"publisher", "公表 担当", kPassword, http::Role::kPublisher, "", ""}).ok());
    ASSERT_TRUE(
        accounts.Add({"publisher2", "公表 担当2", kPassword, http::Role::kPublisher, "", ""}).ok());
    ASSERT_TRUE(accounts.Add({"admin", "管理者", kPassword, http::Role::kAdmin, "", ""}).ok());
    ASSERT_TRUE(accounts
                    .Add({"kankyo", "環境 課員", kPassword, http::Role::kSectionStaff,
                          "環境リサイクル支援部", "環境課"})
                    .ok());
    Result<int64_t> id = CreateConsultation(
        site_.database(),
        {"港区取込確認計画（素案）", "取込確認計画", "2026-01-05", "2026-02-05", {"全般"}},
        Settings{});
    ASSERT_TRUE(id.ok()) << id.status().message();
    id_ = *id;
  }

  Browser SignedIn(const std::string& login) {
    Browser browser(site_.port());
    std::string token = CsrfTokenIn(browser.Get("/login").body);
    ClientResponse response = browser.PostForm(
        "/login", {{"login", login}, {"password", kPassword}, {"csrf_token", token}});
    EXPECT_EQ(response.status, 303) << login;
    return browser;
  }

  static std::string Cookies(const Browser& browser) {
    std::string cookies;
    for (const auto& [name, value] : browser.cookies())
      cookies += (cookies.empty() ? "" : "; ") + name + "=" + value;
    return cookies;
  }

  // POST /staff/imports as the upload form sends it (multipart/form-data).
  ClientResponse Upload(Browser& browser, const std::string& kind, const std::string& bytes,
                        const std::string& csrf = "") {
    const std::string token = csrf.empty() ? CsrfTokenIn(browser.Get("/staff/imports").body) : csrf;
    const std::string boundary = "----civicdeskTestBoundary7MA4YWxk";
    std::string body;
    auto field = [&](const std::string& name, const std::string& value) {
      body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name +
              "\"\r\n\r\n" + value + "\r\n";
    };
    field("csrf_token", token);
    field("kind", kind);
    field("consultation", std::to_string(id_));
    body += "--" + boundary +
            "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"iken.csv\"\r\n"
            "Content-Type: text/csv\r\n\r\n" +
            bytes + "\r\n--" + boundary + "--\r\n";
    return Send(site_.port(), "POST", "/staff/imports", body,
                {{"Content-Type", "multipart/form-data; boundary=" + boundary},
                 {"Cookie", Cookies(browser)}});
  }

  // The mapping page's address after a successful upload.
  std::string Uploaded(Browser& browser, const std::string& kind, const std::string& bytes) {
    ClientResponse response = Upload(browser, kind, bytes);
    EXPECT_EQ(response.status, 303) << response.body;
    const std::string location = response.headers["location"];
    EXPECT_TRUE(location.rfind("/staff/imports/", 0) == 0) << location;
    return location;
  }

  ClientResponse Post(Browser& browser, const std::string& address,
                      std::map<std::string, std::string> form) {
    form["csrf_token"] = CsrfTokenIn(browser.Get("/voice").body);  // a page with a form
    return browser.PostForm(address, form);
  }

  int64_t Items() {
    Result<storage::QueryResult> rows = site_.database().Query(
        "SELECT COUNT(*) FROM consultation_item WHERE consultation_id = ?", {id_});
    EXPECT_TRUE(rows.ok());
    return rows.ok() ? storage::AsInt(rows->rows[0][0]) : -1;
  }

  TestSite site_;
  int64_t id_ = 0;
};

TEST_P(StaffImportTest, Cp932OpinionsAreMappedCheckedAndImportedOnce) {
  CIVICDESK_SKIP_IF_UNAVAILABLE(site_);
  Browser publisher = SignedIn("publisher");
  const std::string address = Uploaded(publisher, "opinions", OpinionsFile());

  // The mapping page: encoding and format detected, each column with its field, the extra one
  // flagged, the first rows shown.
  ClientResponse page = publisher.Get(address);
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_TRUE(Has(page.body, "CP932")) << page.body;
  EXPECT_TRUE(Has(page.body, "「受付日」"));
  EXPECT_TRUE(Has(page.body, "公園の木陰を増やしてください。"));
  EXPECT_TRUE(Has(page.body, "<option value=\"field:id\" selected>"));
  EXPECT_TRUE(Has(page.body, "<option value=\"field:text\" selected>"));
  EXPECT_TRUE(Has(page.body, "id=\"column_3-needs\"")) << "the data column mapped to nothing";

  // Confirming without a decision on 受付日 is refused by the server, naming it; nothing written.
  ClientResponse refused = Post(publisher, address,
                                {{"action", "confirm"},
                                 {"column_1", "field:id"},
                                 {"column_2", "field:text"},
                                 {"column_3", ""}});
  EXPECT_EQ(refused.status, 422) << refused.body;
  EXPECT_TRUE(Has(refused.body, "受付日"));
  EXPECT_EQ(Items(), 0);

  // A check with the column ignored: the dry run's report, still nothing written.
  ClientResponse checked = Post(publisher, address,
                                {{"action", "check"},
                                 {"column_1", "field:id"},
                                 {"column_2", "field:text"},
                                 {"column_3", "ignore"}});
  EXPECT_EQ(checked.status, 200) << checked.body;
  EXPECT_TRUE(Has(checked.body, "確かめただけで、何も書き込んでいません。"));
  EXPECT_EQ(Items(), 0);

  // Confirmed: both opinions in the consultation, the report shown.
  const std::map<std::string, std::string> confirm = {{"action", "confirm"},
                                                      {"column_1", "field:id"},
                                                      {"column_2", "field:text"},
                                                      {"column_3", "ignore"}};
  ClientResponse done = Post(publisher, address, confirm);
  ASSERT_EQ(done.status, 200) << done.body;
  EXPECT_TRUE(Has(done.body, "読まないと指定")) << "the ignored column is in the report";
  EXPECT_FALSE(Has(done.body, "指定による")) << "番号 and ご意見 are the synonyms' own";
  EXPECT_EQ(Items(), 2);
  ClientResponse queue = publisher.Get("/staff/consultations/" + std::to_string(id_));
  EXPECT_TRUE(Has(queue.body, "自転車の駐輪場が足りません。"));

  // Replayed: 409, nothing imported twice; the page says it was imported.
  ClientResponse again = Post(publisher, address, confirm);
  EXPECT_EQ(again.status, 409) << again.body;
  EXPECT_EQ(Items(), 2);
  EXPECT_TRUE(Has(publisher.Get(address).body, "取り込み済み"));
}

TEST_P(StaffImportTest, AnotherStaffMembersUploadIsNotFoundAndSectionStaffCannotImport) {
  CIVICDESK_SKIP_IF_UNAVAILABLE(site_);
  Browser publisher = SignedIn("publisher");
  const std::string address = Uploaded(publisher, "opinions", OpinionsFile());
  const std::map<std::string, std::string> confirm = {{"action", "confirm"},
                                                      {"column_1", "field:id"},
                                                      {"column_2", "field:text"},
                                                      {"column_3", "ignore"}};
  // Another publisher, and an admin, replaying the token: as if there were none.
  for (const std::string login : {"publisher2", "admin"}) {
    Browser other = SignedIn(login);
    EXPECT_EQ(other.Get(address).status, 404) << login;
    EXPECT_EQ(Post(other, address, confirm).status, 404) << login;
  }
  EXPECT_EQ(Items(), 0);
  // Section staff: 403 on every import route; signed out: sent to sign in.
  Browser section = SignedIn("kankyo");
  EXPECT_EQ(section.Get("/staff/imports").status, 403);
  EXPECT_EQ(section.Get(address).status, 403);
  EXPECT_EQ(Post(section, address, confirm).status, 403);
  EXPECT_EQ(
      Upload(section, "opinions", OpinionsFile(), CsrfTokenIn(section.Get("/voice").body)).status,
      403);
  Browser stranger(site_.port());
  EXPECT_EQ(stranger.Get(address).status, 303);
  EXPECT_EQ(Items(), 0);
  // A made-up token: 404.
  EXPECT_EQ(publisher.Get("/staff/imports/" + std::string(64, 'a')).status, 404);
}

TEST_P(StaffImportTest, AnExpiredUploadIsGoneAndConfirmationsRacingImportOnce) {
  CIVICDESK_SKIP_IF_UNAVAILABLE(site_);
  Browser publisher = SignedIn("publisher");
  const std::string expired = Uploaded(publisher, "opinions", OpinionsFile());
  ASSERT_TRUE(
      site_.database()
          .Query("UPDATE consultation_import_upload SET expires_at = '2000-01-01T00:00:00Z'", {})
          .ok());
  EXPECT_EQ(publisher.Get(expired).status, 404);

  // Two confirmations sent at once: one imports, the other is 409.
  const std::string address = Uploaded(publisher, "opinions", OpinionsFile());
  const std::string token = CsrfTokenIn(publisher.Get("/voice").body);
  const std::map<std::string, std::string> confirm = {{"action", "confirm"},
                                                      {"column_1", "field:id"},
                                                      {"column_2", "field:text"},
                                                      {"column_3", "ignore"},
                                                      {"csrf_token", token}};
  std::vector<int> statuses(2);
  std::vector<std::thread> threads;
  for (int i = 0; i < 2; ++i) {
    threads.emplace_back([&, i] {
      Browser copy = publisher;
      statuses[i] = copy.PostForm(address, confirm).status;
    });
  }
  for (std::thread& thread : threads) thread.join();
  std::sort(statuses.begin(), statuses.end());
  EXPECT_EQ(statuses, (std::vector<int>{200, 409}));
  EXPECT_EQ(Items(), 2);
}

TEST_P(StaffImportTest, UploadWithoutTheFormsTokenIsRefused) {
  CIVICDESK_SKIP_IF_UNAVAILABLE(site_);
  Browser publisher = SignedIn("publisher");
  EXPECT_EQ(Upload(publisher, "opinions", OpinionsFile(), "not-the-token").status, 403);
}

TEST_P(StaffImportTest, BadFilesAreRefusedNamingRowAndColumn) {
  CIVICDESK_SKIP_IF_UNAVAILABLE(site_);
  Browser publisher = SignedIn("publisher");
  // An empty file: 400 naming the file field.
  ClientResponse empty = Upload(publisher, "opinions", "");
  EXPECT_EQ(empty.status, 400);
  EXPECT_TRUE(Has(empty.body, "ファイルを選んでください"));
  // A body over the server's limit: 413.
  EXPECT_EQ(Upload(publisher, "opinions", std::string(1100 * 1000, 'a')).status, 413);
  // The second opinion (the file's row 3) has no text: the check and the confirmation name
  // the row and the column.
  const std::string address =
      Uploaded(publisher, "opinions", "番号,意見\n1,歩道を広げてください。\n2,\n");
  ClientResponse checked =
      Post(publisher, address,
           {{"action", "check"}, {"column_1", "field:id"}, {"column_2", "field:text"}});
  EXPECT_EQ(checked.status, 422) << checked.body;
  EXPECT_TRUE(Has(checked.body, "row 3, text")) << checked.body;
  ClientResponse confirmed =
      Post(publisher, address,
           {{"action", "confirm"}, {"column_1", "field:id"}, {"column_2", "field:text"}});
  EXPECT_EQ(confirmed.status, 422);
  EXPECT_TRUE(Has(confirmed.body, "3行目: text が空です"));
  EXPECT_EQ(Items(), 0);
  // A field the importer does not have: 422 naming the column.
  ClientResponse unknown =
      Post(publisher, address, {{"action", "confirm"}, {"column_2", "field:nonsense"}});
  EXPECT_EQ(unknown.status, 422);
  EXPECT_TRUE(Has(unknown.body, "column_2"));
}

TEST_P(StaffImportTest, AHeaderTheSynonymsDoNotKnowIsMappedOnThePage) {
  CIVICDESK_SKIP_IF_UNAVAILABLE(site_);
  Browser publisher = SignedIn("publisher");
  const std::string address = Uploaded(
      publisher, "opinions", "番号,寄せられた声\n1,図書館の開館時間を延ばしてください。\n");
  ClientResponse page = publisher.Get(address);
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_TRUE(Has(page.body, "「text」の列が見つかりません"));
  EXPECT_EQ(Post(publisher, address, {{"action", "confirm"}, {"column_1", "field:id"}}).status,
            422);
  ClientResponse done =
      Post(publisher, address,
           {{"action", "confirm"}, {"column_1", "field:id"}, {"column_2", "field:text"}});
  EXPECT_EQ(done.status, 200) << done.body;
  EXPECT_TRUE(Has(done.body, "指定による"));
  EXPECT_EQ(Items(), 1);
}

TEST_P(StaffImportTest, APublishedResultBecomesANewConsultation) {
  CIVICDESK_SKIP_IF_UNAVAILABLE(site_);
  Browser admin = SignedIn("admin");
  const std::string address = Uploaded(
      admin, "results",
      "市の意見募集の結果\nNo.,意見,市の考え方\n1,公園を増やしてほしい。,計画に記載しています。\n"
      "※ 意見は要旨です。\n");
  ClientResponse page = admin.Get(address);
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_TRUE(Has(page.body, "市の意見募集の結果")) << "the note above the table";
  ClientResponse done = Post(admin, address,
                             {{"action", "confirm"},
                              {"column_1", "field:number"},
                              {"column_2", "field:opinion"},
                              {"column_3", "field:response"}});
  ASSERT_EQ(done.status, 200) << done.body;
  std::smatch match;
  ASSERT_TRUE(std::regex_search(done.body, match, std::regex("/staff/consultations/([0-9]+)")));
  const int64_t created = std::stoll(match[1].str());
  EXPECT_NE(created, id_);
  Result<storage::QueryResult> rows = site_.database().Query(
      "SELECT COUNT(*) FROM consultation_item WHERE consultation_id = ?", {created});
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(storage::AsInt(rows->rows[0][0]), 1);
}

TEST_P(StaffImportTest, APublishedConsultationTakesNoImport) {
  CIVICDESK_SKIP_IF_UNAVAILABLE(site_);
  ASSERT_TRUE(site_.database()
                  .Query("UPDATE consultation SET state = 'published' WHERE id = ?", {id_})
                  .ok());
  Browser publisher = SignedIn("publisher");
  EXPECT_EQ(Upload(publisher, "opinions", OpinionsFile()).status, 409);
}

INSTANTIATE_TEST_SUITE_P(Backends, StaffImportTest,
                         ::testing::ValuesIn(storage::testing::BackendNames()));

}  // namespace
}  // namespace civicdesk::consultation
