// Issue 24: residents read 「seed 001」, 「資料003」 and 「(0 / 0; 2)」 — the names this project
// gives its source documents and a roll-up's raw counts. Every public page (every GET route
// declared Access::kPublic that answers HTML, with sample parameters, and each policy, measure and
// KPI of the shipped plan), in Japanese and in English, is read as a visitor sees it and must hold
// none.
#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <string>
#include <vector>

#include "app/modules.h"
#include "consultation/store.h"
#include "consultation/workflow.h"
#include "http/testing.h"
#include "plan/actuals.h"
#include "plan/repository.h"

namespace civicdesk::app {
namespace {

using http::testing::ClientResponse;
using http::testing::Send;
using http::testing::TestSite;

// The words of internal origin a resident must never read, each with what it is.
struct InternalWord {
  std::regex pattern;
  std::string what;
};

const std::vector<InternalWord>& InternalWords() {
  static const std::vector<InternalWord> words = {
      // The project's numbers for its source documents (seed 000 … seed 004, seed-001, SEED001);
      // the lottery's own "seed" (シード) is a word of the draw, with no number after it.
      {std::regex(R"(\bseed[ _-]?\d{1,3}\b)", std::regex::icase),
       "a source document's internal number (seed NNN)"},
      {std::regex(R"(資料\s*0\d)"), "a source document's internal number (資料0NN)"},
      // A roll-up's counts printed raw, as "(0 / 0; 2)".
      {std::regex(R"(\(\s*\d+\s*/\s*\d+\s*;\s*\d+\s*\))"), "raw counts (a / b; c)"},
      {std::regex(R"(minato-data)"), "the shipped data's internal actor name"},
  };
  return words;
}

// What a visitor sees or hears of a page: the text between tags and the words of alt, title,
// aria-label and placeholder; scripts, styles and comments dropped.
std::string VisibleText(const std::string& html) {
  static const std::regex hidden(
      R"(<script[\s\S]*?</script>|<style[\s\S]*?</style>|<!--[\s\S]*?-->)", std::regex::icase);
  static const std::regex spoken(R"re(\s(?:alt|title|aria-label|placeholder)="([^"]*)")re",
                                 std::regex::icase);
  static const std::regex tag(R"(<[^>]*>)");
  const std::string page = std::regex_replace(html, hidden, " ");
  std::string text;
  for (auto it = std::sregex_iterator(page.begin(), page.end(), spoken);
       it != std::sregex_iterator(); ++it)
    text += (*it)[1].str() + "\n";
  return text + std::regex_replace(page, tag, " ");
}

class PublicWordsTest : public ::testing::TestWithParam<std::string> {
 protected:
  PublicWordsTest() : site_(GetParam(), AllModules()) {}

  void SetUp() override {
    CIVICDESK_SKIP_IF_UNAVAILABLE(site_);
    storage::Database& database = site_.database();
    Result<std::vector<consultation::Consultation>> consultations =
        consultation::ListConsultations(database);
    ASSERT_TRUE(consultations.ok());
    for (const consultation::Consultation& c : *consultations)
      if (c.kind == "consultation") consultation_id_ = c.id;  // the shipped, published result
    ASSERT_GT(consultation_id_, 0);
    Result<std::vector<consultation::FieldOption>> fields =
        consultation::ListFields(database, consultation_id_);
    ASSERT_TRUE(fields.ok() && !fields->empty());
    field_id_ = fields->front().id;
    Result<int64_t> desk = consultation::VoiceDeskId(database);
    ASSERT_TRUE(desk.ok());
    consultation::NewSubmission submission;
    submission.text = "公園の緑を増やしてください。";
    Result<consultation::Receipt> receipt =
        consultation::Submit(database, *desk, submission, consultation::Settings{},
                             consultation::Actor{0, "test"}, false);
    ASSERT_TRUE(receipt.ok());
    receipt_ = receipt->receipt;
    // Measured KPIs, one below its baseline, so that rates and roll-ups are printed.
    ASSERT_TRUE(plan::SetKpiActual(database, "24-1-1", 2023, 75, "区調べ", {"admin", "", ""}).ok());
    ASSERT_TRUE(plan::SetKpiActual(database, "24-2-1", 2022, 4, "区調べ", {"admin", "", ""}).ok());
  }

  // The pattern with sample values for its parameters.
  std::string Target(const std::string& pattern) const {
    std::string target = pattern;
    auto replace = [&](const std::string& name, const std::string& value) {
      for (size_t at; (at = target.find(name)) != std::string::npos;)
        target.replace(at, name.size(), value);
    };
    if (pattern.rfind("/opendata/datasets/", 0) == 0) replace("{id}", "plan-kpis");
    if (pattern.rfind("/facilities/", 0) == 0) replace("{id}", "SAMPLE-001");
    if (pattern.rfind("/partners/marche/", 0) == 0) replace("{event}", "1.ics");
    if (pattern.rfind("/static/", 0) == 0) replace("{file}", "civicdesk.css");
    replace("{file}", "plan-kpis.csv");
    replace("{year}", "2023");
    replace("{id}", std::to_string(consultation_id_));
    replace("{field}", std::to_string(field_id_));
    replace("{n}", "24");
    replace("{m}", "1");
    replace("{code}", "24-1-1");
    replace("{receipt}", receipt_);
    replace("{action}", "package_list");
    return target;
  }

  // Every public GET route, then each policy, measure and KPI, searches and a receipt lookup.
  std::vector<std::string> Targets() {
    std::vector<std::string> targets;
    for (const http::Route& route : site_.app().router().routes()) {
      if (route.method == "GET" && route.access == http::Access::kPublic)
        targets.push_back(Target(route.pattern));
    }
    Result<plan::PlanData> data = plan::ReadPlan(site_.database());
    EXPECT_TRUE(data.ok());
    if (data.ok()) {
      for (const plan::Policy& policy : data->policies) {
        const std::string address = "/plan/policies/" + std::to_string(policy.number);
        targets.push_back(address);
        Result<plan::PlanData> one = plan::ReadPlan(site_.database(), policy.number);
        if (!one.ok() || one->policies.empty()) continue;
        for (const plan::Kpi& kpi : one->policies.front().kpis)
          targets.push_back("/plan/kpis/" + kpi.code);
        for (const plan::Measure& measure : one->policies.front().measures) {
          targets.push_back(address + "/measures/" + std::to_string(measure.number));
          for (const plan::Kpi& kpi : measure.kpis) targets.push_back("/plan/kpis/" + kpi.code);
        }
      }
    }
    for (const char* query : {"騒音", "オンライン申請", "noise", "online applications", "連携"})
      targets.push_back(std::string("/search?q=") + query);
    targets.push_back("/receipts?number=" + receipt_);
    for (const char* dataset :
         {"plan-kpi-actuals", "plan-structure", "partner-municipalities", "partner-events"})
      targets.push_back(std::string("/opendata/datasets/") + dataset);
    return targets;
  }

  TestSite site_;
  int64_t consultation_id_ = 0;
  int64_t field_id_ = 0;
  std::string receipt_;
};

std::string PercentEncoded(const std::string& target) {
  std::string out;
  for (unsigned char c : target) {
    if (c < 0x80 && c != ' ') {
      out += static_cast<char>(c);
    } else {
      static const char* hex = "0123456789ABCDEF";
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

TEST_P(PublicWordsTest, NoPublicPageShowsInternalWords) {
  std::set<std::string> scanned;
  for (const std::string& target : Targets()) {
    for (const std::string language : {"ja", "en"}) {
      const std::string address = PercentEncoded(target);
      ClientResponse response =
          Send(site_.port(), "GET", address, {},
               {{"Cookie", std::string(http::kLanguageCookie) + "=" + language}});
      EXPECT_LT(response.status, 500) << address;
      if (response.headers["content-type"].rfind("text/html", 0) != 0) continue;
      scanned.insert(target);
      const std::string text = VisibleText(response.body);
      for (const InternalWord& word : InternalWords()) {
        std::smatch found;
        if (!std::regex_search(text, found, word.pattern)) continue;
        const size_t at = static_cast<size_t>(found.position(0));
        const size_t from = at > 60 ? at - 60 : 0;
        ADD_FAILURE() << target << " (" << language << ") shows " << word.what << ": 「"
                      << found.str(0) << "」 in …" << text.substr(from, 160) << "…";
      }
    }
  }
  // The route list answered HTML on the pages residents use; a broken harness scans nothing.
  for (const char* page :
       {"/", "/plan", "/plan/dashboard", "/plan/policies/24", "/plan/policies/24/measures/1",
        "/plan/kpis/24-1-1", "/partners", "/partners/agreements", "/partners/marche", "/workation",
        "/opendata", "/opendata/datasets/plan-kpis", "/facilities"}) {
    EXPECT_TRUE(scanned.count(page)) << page << " was not scanned as HTML";
  }
  EXPECT_GT(scanned.size(), 60u);
}

// The scanner itself: it finds each internal word in the text a visitor reads and only there.
TEST(PublicWordsScanner, FindsInternalWordsInVisibleTextOnly) {
  auto flagged = [](const std::string& html) {
    const std::string text = VisibleText(html);
    for (const InternalWord& word : InternalWords())
      if (std::regex_search(text, word.pattern)) return true;
    return false;
  };
  EXPECT_TRUE(flagged("<p>出典: seed 001 (港区基本計画)</p>"));
  EXPECT_TRUE(flagged("<p>公表数は資料003の値です</p>"));
  EXPECT_TRUE(flagged("<p>割合: <strong>—</strong> (0 / 0; 2)</p>"));
  EXPECT_TRUE(flagged("<a href=\"/x\" aria-label=\"seed-000 の結果\">結果</a>"));
  EXPECT_FALSE(flagged("<p>SHA-256(seed) = commitment ✓ シードの値</p>"));
  EXPECT_FALSE(flagged("<div id=\"seed-hash\" class=\"seed-001\">値</div>"));
  EXPECT_FALSE(flagged("<script>const seed = 1; // seed 001</script><p>ok</p>"));
  EXPECT_FALSE(flagged("<p>令和5(2023)年度 (1 / 2)</p>"));
}

INSTANTIATE_TEST_SUITE_P(Backends, PublicWordsTest,
                         ::testing::ValuesIn(storage::testing::BackendNames()));

}  // namespace
}  // namespace civicdesk::app
