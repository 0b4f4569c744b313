// Every route × every role, against the declared matrix in tests/permissions.tsv. A route that
// is not in the matrix fails the test, so a new route must be given its permissions.
//
// Outcomes: "allow" — answered (anything but 401, 403 or a redirect to the sign-in page, and
// never 5xx; a 400 for an empty form still means the role got in); "login" — 401, or a 303 to
// /login; "deny" — 403.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "app/modules.h"
#include "consultation/store.h"
#include "consultation/workflow.h"
#include "core/date.h"
#include "http/testing.h"
#include "plan/actuals.h"

namespace civicdesk::app {
namespace {

using http::testing::Browser;
using http::testing::ClientResponse;
using http::testing::CsrfTokenIn;
using http::testing::TestSite;

constexpr char kPassword[] = "correct horse battery staple";
const std::vector<std::string> kRoles = {"anonymous", "section", "other_section", "publisher",
                                         "admin"};

std::string Outcome(const ClientResponse& response) {
  if (response.status == 401) return "login";
  if (response.status == 303 && response.headers.count("location") &&
      response.headers.at("location").rfind("/login", 0) == 0)
    return "login";
  if (response.status == 403) return "deny";
  if (response.status >= 500 || response.status == 0)
    return "error " + std::to_string(response.status);
  return "allow";
}

// method, pattern → outcome per role, from tests/permissions.tsv.
std::map<std::pair<std::string, std::string>, std::map<std::string, std::string>> Matrix() {
  std::ifstream file(std::string(CIVICDESK_SOURCE_DIR) + "/tests/permissions.tsv");
  std::map<std::pair<std::string, std::string>, std::map<std::string, std::string>> matrix;
  std::string line;
  std::vector<std::string> header;
  while (std::getline(file, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> cells;
    std::stringstream stream(line);
    std::string cell;
    while (std::getline(stream, cell, '\t')) cells.push_back(cell);
    if (header.empty()) {
      header = cells;
      continue;
    }
    std::map<std::string, std::string> outcomes;
    for (size_t c = 2; c < cells.size() && c < header.size(); ++c) outcomes[header[c]] = cells[c];
    matrix[{cells[0], cells[1]}] = outcomes;
  }
  return matrix;
}

class PermissionsTest : public ::testing::TestWithParam<std::string> {
 protected:
  PermissionsTest() : site_(GetParam(), AllModules()) {}

  void SetUp() override {
    CIVICDESK_SKIP_IF_UNAVAILABLE(site_);
    http::Accounts& accounts = site_.app().accounts();
    ASSERT_TRUE(accounts.Add({"admin", "管理 者", kPassword, http::Role::kAdmin, "", ""}).ok());
    ASSERT_TRUE(
        accounts.Add({"publisher", "公表 担当", kPassword, http::Role::kPublisher, "", ""}).ok());
    storage::Database& database = site_.database();
    Result<std::vector<consultation::Consultation>> consultations =
        consultation::ListConsultations(database);
    ASSERT_TRUE(consultations.ok());
    for (const consultation::Consultation& c : *consultations)
      if (c.kind == "consultation") consultation_id_ = c.id;
    Result<std::vector<consultation::Item>> items =
        consultation::ListItems(database, consultation_id_);
    ASSERT_TRUE(items.ok() && !items->empty());
    const consultation::Item& item = items->front();
    ASSERT_FALSE(item.sections.empty());
    item_id_ = item.id;
    // "section" staff belong to the item's section; "other_section" to another one.
    const consultation::SectionRef own = item.sections.front();
    ASSERT_TRUE(accounts
                    .Add({"section", "担当 課員", kPassword, http::Role::kSectionStaff, own.first,
                          own.second})
                    .ok());
    Result<std::vector<consultation::SectionRef>> units = consultation::ListOrgUnits(database);
    ASSERT_TRUE(units.ok());
    for (const consultation::SectionRef& unit : *units) {
      if (unit == own) continue;
      ASSERT_TRUE(accounts
                      .Add({"other_section", "他課 課員", kPassword, http::Role::kSectionStaff,
                            unit.first, unit.second})
                      .ok());
      break;
    }
    Result<int64_t> desk = consultation::VoiceDeskId(database);
    ASSERT_TRUE(desk.ok());
    consultation::NewSubmission submission;
    submission.text = "公園の緑を増やしてください。";
    Result<consultation::Receipt> receipt =
        consultation::Submit(database, *desk, submission, consultation::Settings{},
                             consultation::Actor{0, "test"}, false);
    ASSERT_TRUE(receipt.ok());
    receipt_ = receipt->receipt;
    Result<std::vector<consultation::Submission>> submissions =
        consultation::ListSubmissions(database, *desk);
    ASSERT_TRUE(submissions.ok() && !submissions->empty());
    submission_id_ = submissions->front().id;
    Result<std::vector<consultation::FieldOption>> fields =
        consultation::ListFields(database, consultation_id_);
    ASSERT_TRUE(fields.ok() && !fields->empty());
    field_id_ = fields->front().id;
    // The result routes are checked on a result that is not published yet: only publishers and
    // admins may see it (a published one is open to everyone).
    Result<int64_t> unpublished = consultation::CreateConsultation(
        database,
        {"港区権限確認計画（素案）", "権限確認計画", "2026-01-05", "2026-02-05", {"全般"}},
        consultation::Settings{});
    ASSERT_TRUE(unpublished.ok()) << unpublished.status().message();
    unpublished_id_ = *unpublished;
  }

  // The pattern with sample values for its parameters.
  std::string Target(const std::string& pattern) const {
    std::string target = pattern;
    auto replace = [&](const std::string& name, const std::string& value) {
      for (size_t at; (at = target.find(name)) != std::string::npos;)
        target.replace(at, name.size(), value);
    };
    if (pattern.rfind("/staff/items/", 0) == 0) replace("{id}", std::to_string(item_id_));
    if (pattern.rfind("/staff/submissions/", 0) == 0)
      replace("{id}", std::to_string(submission_id_));
    if (pattern.rfind("/opendata/datasets/", 0) == 0) replace("{id}", "plan-kpis");
    if (pattern.rfind("/consultations/{id}/result", 0) == 0)
      replace("{id}", std::to_string(unpublished_id_));
    if (pattern.rfind("/facilities/", 0) == 0 || pattern.rfind("/staff/facilities/", 0) == 0)
      replace("{id}", "SAMPLE-001");
    if (pattern.rfind("/staff/workation/", 0) == 0) replace("{action}", "approve");
    // The shipped survey (seed 001's published shares) is survey 1.
    if (pattern.rfind("/surveys/", 0) == 0 || pattern.rfind("/staff/surveys/", 0) == 0)
      replace("{id}", "1");
    replace("{event}", "1.ics");  // /partners/marche/{event}: one marché date's calendar
    replace("{year}", "2023");
    if (pattern.rfind("/static/", 0) == 0) replace("{file}", "civicdesk.css");
    replace("{file}", "plan-kpis.csv");
    replace("{id}", std::to_string(consultation_id_));
    replace("{field}", std::to_string(field_id_));
    replace("{n}", "24");
    replace("{m}", "1");
    replace("{code}", "24-1-1");
    replace("{receipt}", receipt_);
    replace("{action}", "package_list");
    return target;
  }

  Browser SignedIn(const std::string& role) {
    Browser browser(site_.port());
    if (role == "anonymous") return browser;
    std::string token = CsrfTokenIn(browser.Get("/login").body);
    ClientResponse response = browser.PostForm(
        "/login", {{"login", role}, {"password", kPassword}, {"csrf_token", token}});
    EXPECT_EQ(response.status, 303) << role;
    return browser;
  }

  ClientResponse Request(Browser& browser, const http::Route& route, const std::string& target) {
    if (route.method == "GET") return browser.Get(target);
    if (route.csrf == http::CsrfPolicy::kJsonOnly) {
      std::string cookies;
      for (const auto& [name, value] : browser.cookies())
        cookies += (cookies.empty() ? "" : "; ") + name + "=" + value;
      return http::testing::Send(site_.port(), "POST", target, "{}",
                                 {{"Content-Type", "application/json"}, {"Cookie", cookies}});
    }
    // A form with a valid token and nothing else: the role either gets in (and the empty form
    // is refused, 400) or does not.
    std::string token = CsrfTokenIn(browser.Get("/voice").body);  // a page with a form
    return browser.PostForm(target, {{"csrf_token", token}});
  }

  TestSite site_;
  int64_t consultation_id_ = 0;
  int64_t unpublished_id_ = 0;
  int64_t item_id_ = 0;
  int64_t submission_id_ = 0;
  int64_t field_id_ = 0;
  std::string receipt_;
};

TEST_P(PermissionsTest, EveryRouteAndRoleMatchesTheMatrix) {
  const auto matrix = Matrix();
  ASSERT_FALSE(matrix.empty()) << "tests/permissions.tsv is missing";
  std::vector<const http::Route*> routes;
  for (const http::Route& route : site_.app().router().routes()) {
    if (route.pattern == "/logout") continue;  // checked last: it ends the session
    routes.push_back(&route);
  }
  for (const http::Route& route : site_.app().router().routes())
    if (route.pattern == "/logout") routes.push_back(&route);

  std::ostringstream actual_table;
  std::vector<std::string> mismatches;
  for (const std::string& role : kRoles) {
    Browser browser = SignedIn(role);
    for (const http::Route* route : routes) {
      const auto expected = matrix.find({route->method, route->pattern});
      ClientResponse response = Request(browser, *route, Target(route->pattern));
      const std::string outcome = Outcome(response);
      if (expected == matrix.end()) {
        mismatches.push_back("not in tests/permissions.tsv: " + route->method + " " +
                             route->pattern + " (" + role + ": " + outcome + ")");
        continue;
      }
      const std::string wanted = expected->second.count(role) ? expected->second.at(role) : "?";
      if (outcome != wanted) {
        mismatches.push_back(route->method + " " + route->pattern + " as " + role + ": " + outcome +
                             " (" + std::to_string(response.status) + "), expected " + wanted);
      }
    }
  }
  for (const auto& [key, outcomes] : matrix) {
    bool installed = false;
    for (const http::Route& route : site_.app().router().routes())
      installed = installed || (route.method == key.first && route.pattern == key.second);
    if (!installed) mismatches.push_back("no such route: " + key.first + " " + key.second);
  }
  for (const std::string& mismatch : mismatches) ADD_FAILURE() << mismatch;
}

// The pages tests/browser/accessibility.test.mjs checks with axe-core: every string of its
// publicPages and staffPages lists, as the route it reaches. `${…}` stands for any one segment;
// "first item of X" is an item page and "first split of X" a submission's split page, both reached
// from X; "mapping of X" is the mapping step of an upload; "confirm of" and "too long on" answer
// a POST, not a GET.
std::vector<std::string> AxePages() {
  std::ifstream file(std::string(CIVICDESK_SOURCE_DIR) + "/tests/browser/accessibility.test.mjs");
  std::stringstream bytes;
  bytes << file.rdbuf();
  const std::string text = bytes.str();
  const size_t begin = text.find("const publicPages");
  const size_t end = text.find("async function check", begin);
  std::vector<std::string> pages;
  if (begin == std::string::npos || end == std::string::npos) return pages;
  const std::string lists = text.substr(begin, end - begin);
  const std::regex literal("['`]([^'`]*)['`]");
  for (auto it = std::sregex_iterator(lists.begin(), lists.end(), literal);
       it != std::sregex_iterator(); ++it) {
    std::string page = (*it)[1];
    if (page.rfind("confirm of ", 0) == 0 || page.rfind("too long on ", 0) == 0) continue;
    if (page.rfind("first item of ", 0) == 0) page = "/staff/items/${item}";
    if (page.rfind("first split of ", 0) == 0) page = "/staff/submissions/${submission}/split";
    if (page.rfind("mapping of ", 0) == 0) page = page.substr(11) + "/${token}";
    if (page.empty() || page[0] != '/') continue;
    page = page.substr(0, page.find_first_of("?#"));
    page = std::regex_replace(page, std::regex(R"(\$\{[^}]*\})"), "1");
    pages.push_back(page);
  }
  return pages;
}

// Issue 23 (5): the axe suite missed three pages (/staff/submissions/{id}/split,
// /workation/draws/{year}, /workation/estimate). Every GET route that answers with an HTML page
// (as an administrator, with the sample values of Target) must be in the suite's lists.
TEST_P(PermissionsTest, EveryHtmlGetRouteIsInTheAxeSuite) {
  const std::vector<std::string> pages = AxePages();
  ASSERT_GT(pages.size(), 20u) << "the lists of tests/browser/accessibility.test.mjs not found";
  Browser admin = SignedIn("admin");
  int html_routes = 0;
  for (const http::Route& route : site_.app().router().routes()) {
    if (route.method != "GET") continue;
    ClientResponse response = admin.Get(Target(route.pattern));
    const std::string type = response.headers.count("content-type") != 0
                                 ? response.headers.at("content-type")
                                 : std::string();
    // A download that is missing answers with the HTML error page: not a page of its own.
    const std::string last = route.pattern.substr(route.pattern.rfind('/') + 1);
    const bool download = last.find('.') != std::string::npos;
    if (type.rfind("text/html", 0) != 0 || (download && response.status >= 400)) continue;
    ++html_routes;
    std::string pattern = std::regex_replace(route.pattern, std::regex(R"(\{[^}]*\})"), "[^/]+");
    const std::regex matches(pattern);
    const bool listed = std::any_of(pages.begin(), pages.end(), [&](const std::string& page) {
      return std::regex_match(page, matches);
    });
    EXPECT_TRUE(listed) << "GET " << route.pattern << " answers with an HTML page ("
                        << response.status
                        << ") and is not in tests/browser/accessibility.test.mjs";
  }
  EXPECT_GT(html_routes, 30);
}

// The access each route declares (http::Access, enforced by App) and the matrix say the same:
// every role below the declared level is refused (anonymous: sent to sign in), a public route
// lets anonymous visitors in, and some role at or above the level gets in. A role at or above
// the level may still be refused by the route's own check on the object (another section's
// item, a KPI it does not own).
TEST_P(PermissionsTest, DeclaredAccessAgreesWithTheMatrix) {
  const auto matrix = Matrix();
  const std::map<std::string, int> role_level = {
      {"anonymous", 0}, {"section", 1}, {"other_section", 1}, {"publisher", 2}, {"admin", 3}};
  const std::map<http::Access, int> access_level = {{http::Access::kPublic, 0},
                                                    {http::Access::kStaff, 1},
                                                    {http::Access::kPublisher, 2},
                                                    {http::Access::kAdmin, 3}};
  for (const http::Route& route : site_.app().router().routes()) {
    const auto row = matrix.find({route.method, route.pattern});
    if (row == matrix.end()) continue;  // reported by EveryRouteAndRoleMatchesTheMatrix
    const int declared = access_level.at(route.access);
    const std::string name = route.method + " " + route.pattern + " (declared " +
                             std::string(http::AccessName(route.access)) + ")";
    bool someone_allowed = false;
    for (const auto& [role, level] : role_level) {
      const std::string outcome = row->second.count(role) ? row->second.at(role) : "?";
      if (level < declared) {
        const std::string refused = role == "anonymous" ? "login" : "deny";
        EXPECT_EQ(outcome, refused) << name << " as " << role;
      } else if (outcome == "allow") {
        someone_allowed = true;
      }
      if (role == "anonymous" && declared == 0) {
        EXPECT_NE(outcome, "login") << name << ": a public route never asks to sign in";
      }
    }
    EXPECT_TRUE(someone_allowed) << name << ": no role gets in";
  }
}

TEST_P(PermissionsTest, AdminsReadTheAuditTrailOfEveryModule) {
  ASSERT_TRUE(
      plan::SetKpiActual(site_.database(), "24-1-1", 2023, 71.5, "区調べ", {"publisher", "", ""})
          .ok());
  Browser admin = SignedIn("admin");
  ClientResponse page = admin.Get("/staff/audit");
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("24-1-1"), std::string::npos);  // plan_audit
  EXPECT_NE(page.body.find("consultation"),
            std::string::npos);  // the seed's import and publication
  ClientResponse filtered = admin.Get("/staff/audit?user=publisher");
  EXPECT_NE(filtered.body.find("24-1-1"), std::string::npos);
  EXPECT_EQ(filtered.body.find("minato-data"), std::string::npos);
  Browser publisher = SignedIn("publisher");
  EXPECT_EQ(publisher.Get("/staff/audit").status, 403);
}

TEST_P(PermissionsTest, HomeShowsOpenConsultationsLatestResultsAndKpiHighlights) {
  const std::string later =
      FormatIsoDate(Date{std::chrono::sys_days{TodayInJapan()} + std::chrono::days(40)});
  const std::string earlier =
      FormatIsoDate(Date{std::chrono::sys_days{TodayInJapan()} - std::chrono::days(1)});
  Result<int64_t> open = consultation::CreateConsultation(
      site_.database(), {"港区ホーム確認計画（素案）", "ホーム確認計画", earlier, later, {"全般"}},
      consultation::Settings{});
  ASSERT_TRUE(open.ok()) << open.status().message();
  ClientResponse home = http::testing::Send(site_.port(), "GET", "/");
  ASSERT_EQ(home.status, 200);
  EXPECT_NE(home.body.find("href=\"/consultations/" + std::to_string(*open) + "\""),
            std::string::npos);
  EXPECT_NE(
      home.body.find("href=\"/consultations/" + std::to_string(consultation_id_) + "/result\""),
      std::string::npos);  // the seed's published result
  EXPECT_NE(home.body.find("成果指標の進み具合"), std::string::npos);
  EXPECT_NE(home.body.find("status-not_measured"), std::string::npos);
  EXPECT_NE(home.body.find("href=\"/plan/dashboard\""), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Backends, PermissionsTest,
                         ::testing::ValuesIn(storage::testing::BackendNames()));

}  // namespace
}  // namespace civicdesk::app
