#include "opendata/opendata_module.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "consultation/consultation_module.h"
#include "core/wareki.h"
#include "http/http_module.h"
#include "http/table_response.h"
#include "http/testing.h"
#include "opendata/downloads.h"
#include "plan/plan_module.h"
#include "text/text_module.h"

namespace civicdesk::opendata {
namespace {

using http::PercentEncode;
using http::testing::ClientResponse;
using http::testing::Send;
using http::testing::TestSite;
using nlohmann::json;

// A module with many small datasets, to see package_search clamp rows.
http::Module ManyDatasets(int count) {
  http::Module module;
  module.name = "many";
  module.public_datasets = [count](http::App&) -> Result<std::vector<http::PublicDataset>> {
    std::vector<http::PublicDataset> datasets;
    for (int i = 0; i < count; ++i) {
      http::PublicDataset dataset;
      dataset.id = "sample-" + std::to_string(10000 + i);
      dataset.title = "試験用データ " + std::to_string(i);
      dataset.tags = {"試験"};
      dataset.columns = {"n"};
      dataset.rows = [i](http::App&, const http::DatasetRowWriter& write) {
        return write({std::to_string(i)});
      };
      datasets.push_back(std::move(dataset));
    }
    return datasets;
  };
  return module;
}

// One GET sent from the local address `from` (127.0.0.2, …: the whole of 127/8 is the loopback
// interface), so that the server sees another client. Returns the status, or -1 when the
// connection failed.
int GetFromAddress(uint16_t port, const std::string& from, const std::string& target,
                   const std::string& user_agent = {}) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  sockaddr_in local{};
  local.sin_family = AF_INET;
  inet_pton(AF_INET, from.c_str(), &local.sin_addr);
  sockaddr_in server{};
  server.sin_family = AF_INET;
  server.sin_port = htons(port);
  inet_pton(AF_INET, "127.0.0.1", &server.sin_addr);
  if (bind(fd, reinterpret_cast<sockaddr*>(&local), sizeof(local)) != 0 ||
      connect(fd, reinterpret_cast<sockaddr*>(&server), sizeof(server)) != 0) {
    close(fd);
    return -1;
  }
  std::string request = "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
  if (!user_agent.empty()) request += "User-Agent: " + user_agent + "\r\n";
  request += "\r\n";
  for (size_t sent = 0; sent < request.size();) {
    const ssize_t n = ::send(fd, request.data() + sent, request.size() - sent, 0);
    if (n <= 0) break;
    sent += static_cast<size_t>(n);
  }
  std::string answer;
  char buffer[4096];
  for (ssize_t n; (n = ::recv(fd, buffer, sizeof(buffer), 0)) > 0;)
    answer.append(buffer, static_cast<size_t>(n));
  close(fd);
  if (answer.rfind("HTTP/1.1 ", 0) != 0) return -1;
  return std::atoi(answer.c_str() + 9);
}

class OpendataSiteTest : public ::testing::TestWithParam<std::string> {
 protected:
  OpendataSiteTest()
      : site_(GetParam(),
              {http::HttpModule(), text::TextModule(), plan::PlanModule(),
               consultation::ConsultationModule(), OpendataModule(), ManyDatasets(1100)}) {}
  void SetUp() override { CIVICDESK_SKIP_IF_UNAVAILABLE(site_); }

  ClientResponse Get(const std::string& target) { return Send(site_.port(), "GET", target); }
  int GetFrom(const std::string& from, const std::string& target,
              const std::string& user_agent = {}) {
    return GetFromAddress(site_.port(), from, target, user_agent);
  }

  // This month's downloads of `dataset`.
  int64_t DownloadsThisMonth(const std::string& dataset) {
    Result<std::map<std::string, int64_t>> monthly = MonthlyDownloads(site_.database(), dataset);
    EXPECT_TRUE(monthly.ok());
    int64_t total = 0;
    if (monthly.ok())
      for (const auto& [month, count] : *monthly) total += count;
    return total;
  }

  json Api(const std::string& target, int expected_status = 200) {
    ClientResponse response = Get(target);
    EXPECT_EQ(response.status, expected_status) << target << ": " << response.body;
    return json::parse(response.body, nullptr, false);
  }

  // The path of an absolute URL the API gave.
  static std::string PathOf(const std::string& url) {
    const size_t scheme = url.find("://");
    return url.substr(url.find('/', scheme + 3));
  }

  TestSite site_;
};

TEST_P(OpendataSiteTest, PackageSearchFindsTheKpisWithTheirResources) {
  json found = Api("/api/3/action/package_search?q=" + PercentEncode("成果指標"));
  ASSERT_EQ(found["success"], true) << found.dump();
  EXPECT_GE(found["result"]["count"], 2);  // plan-kpis, plan-kpi-actuals, opendata-downloads
  bool kpis = false;
  for (const json& package : found["result"]["results"]) {
    EXPECT_EQ(package["num_resources"], 3);
    EXPECT_EQ(package["license_id"], "cc-by-4.0");
    kpis = kpis || package["name"] == "plan-kpis";
  }
  EXPECT_TRUE(kpis);

  json filtered =
      Api("/api/3/action/package_search?fq=" + PercentEncode("tags:成果指標") + "&rows=1&start=1");
  EXPECT_EQ(filtered["result"]["count"], found["result"]["count"]);
  EXPECT_EQ(filtered["result"]["results"].size(), 1u);
  EXPECT_EQ(Api("/api/3/action/package_search?fq=organization:tokyo")["result"]["count"], 0);
}

TEST_P(OpendataSiteTest, ActionsAlsoTakeAJsonPostAsCkanapiSends) {
  ClientResponse posted =
      Send(site_.port(), "POST", "/api/3/action/package_search",
           json({{"q", "成果指標"}, {"rows", 2}, {"fq", "organization:minatoku"}}).dump(),
           {{"Content-Type", "application/json"}});
  ASSERT_EQ(posted.status, 200) << posted.body;
  json result = json::parse(posted.body)["result"];
  EXPECT_GE(result["count"], 2);
  EXPECT_EQ(result["results"].size(), 2u);
  ClientResponse shown = Send(site_.port(), "POST", "/api/3/action/package_show",
                              R"({"id": "plan-kpis"})", {{"Content-Type", "application/json"}});
  EXPECT_EQ(json::parse(shown.body)["result"]["name"], "plan-kpis");
  ClientResponse broken = Send(site_.port(), "POST", "/api/3/action/package_show", "[1, 2",
                               {{"Content-Type", "application/json"}});
  EXPECT_EQ(broken.status, 409);
  EXPECT_EQ(json::parse(broken.body)["error"]["__type"], "Validation Error");
}

TEST_P(OpendataSiteTest, RowsOverAThousandAreClamped) {
  json all = Api("/api/3/action/package_search?rows=5000");
  EXPECT_GT(all["result"]["count"], 1100);
  EXPECT_EQ(all["result"]["results"].size(), 1000u);
  EXPECT_EQ(Api("/api/3/action/package_search")["result"]["results"].size(), 10u);
  json bad = Api("/api/3/action/package_search?rows=-1", 409);
  EXPECT_EQ(bad["success"], false);
  EXPECT_EQ(bad["error"]["__type"], "Validation Error");
  EXPECT_EQ(bad["error"]["rows"][0], "rows は0以上の整数で指定してください");
  EXPECT_EQ(Api("/api/3/action/package_search?fq=res_format:CSV", 409)["error"]["__type"],
            "Validation Error");
}

TEST_P(OpendataSiteTest, ErrorsHaveCkansShape) {
  json missing = Api("/api/3/action/package_show?id=no-such-dataset", 404);
  EXPECT_EQ(missing["success"], false);
  EXPECT_EQ(missing["error"]["__type"], "Not Found Error");
  EXPECT_EQ(missing["error"]["message"], "データセットが見つかりません");
  EXPECT_EQ(Api("/api/3/action/package_show?id=no-such-dataset&lang=en", 404)["error"]["message"],
            "Not found");  // the catalog's words, in the request's language
  EXPECT_EQ(Api("/api/3/action/resource_show?id=plan-kpis-pdf", 404)["error"]["__type"],
            "Not Found Error");
  EXPECT_EQ(Api("/api/3/action/package_show", 409)["error"]["__type"], "Validation Error");
  EXPECT_EQ(Api("/api/3/action/package_create", 400)["success"], false);
  EXPECT_EQ(Get("/opendata/files/no-such-dataset.csv").status, 404);
  EXPECT_EQ(Get("/opendata/files/plan-kpis.pdf").status, 404);
  ClientResponse encoding = Get("/opendata/files/plan-kpis.csv?encoding=euc-jp");
  EXPECT_EQ(encoding.status, 400);
  EXPECT_NE(encoding.body.find("encoding は utf-8 か cp932 です"), std::string::npos);
  EXPECT_EQ(Get("/opendata/files/plan-kpis.json?encoding=cp932").status, 400);
  EXPECT_EQ(Get("/opendata/datasets/no-such-dataset").status, 404);
}

// What a CKAN client such as ckanapi does: list every package, show each, and download every
// resource by its URL.
TEST_P(OpendataSiteTest, AClientListsEveryPackageAndDownloadsEveryResource) {
  json list = Api("/api/3/action/package_list");
  ASSERT_EQ(list["success"], true);
  std::set<std::string> names;
  for (const json& name : list["result"]) {
    if (name.get<std::string>().rfind("sample-", 0) != 0) names.insert(name);
  }
  for (const char* expected : {"plan-kpis", "plan-kpi-actuals", "plan-structure",
                               "organisation-sections", "opendata-list", "opendata-downloads"}) {
    EXPECT_TRUE(names.count(expected)) << expected;
  }
  bool consultation = false;
  for (const std::string& name : names)
    consultation = consultation || name.rfind("consultation-", 0) == 0;
  EXPECT_TRUE(consultation) << "the published result of seed 000";

  for (const std::string& name : names) {
    json package = Api("/api/3/action/package_show?id=" + name);
    ASSERT_EQ(package["success"], true) << name;
    for (const json& resource : package["result"]["resources"]) {
      json shown = Api("/api/3/action/resource_show?id=" + resource["id"].get<std::string>());
      EXPECT_EQ(shown["result"]["url"], resource["url"]);
      ClientResponse file = Get(PathOf(resource["url"]));
      ASSERT_EQ(file.status, 200) << resource["url"];
      EXPECT_EQ(file.headers["transfer-encoding"], "chunked") << "exports stream";
      const std::string format = resource["format"];
      if (format == "CSV") {
        EXPECT_EQ(file.body.substr(0, 3), "\xEF\xBB\xBF") << name;
        EXPECT_NE(file.body.find("\r\n"), std::string::npos) << name;
      } else if (format == "JSON") {
        json rows = json::parse(file.body, nullptr, false);
        ASSERT_TRUE(rows.is_array()) << name;
      } else {
        EXPECT_EQ(file.body.substr(0, 2), "PK") << name;
      }
    }
  }
}

TEST_P(OpendataSiteTest, CsvInUtf8OrCp932KeepsTheJapanese) {
  ClientResponse utf8 = Get("/opendata/files/plan-structure.csv");
  ASSERT_EQ(utf8.status, 200);
  EXPECT_EQ(utf8.headers["content-type"], "text/csv; charset=utf-8");
  EXPECT_NE(utf8.body.find("先端技術の活用により利便性の高い区民生活を実現する"),
            std::string::npos);
  ClientResponse cp932 = Get("/opendata/files/plan-structure.csv?encoding=cp932");
  ASSERT_EQ(cp932.status, 200);
  EXPECT_EQ(cp932.headers["content-type"], "text/csv; charset=Shift_JIS");
  Result<std::string> expected =
      http::ToCp932("先端技術の活用により利便性の高い区民生活を実現する");
  ASSERT_TRUE(expected.ok());
  EXPECT_NE(cp932.body.find(*expected), std::string::npos);
  EXPECT_NE(cp932.body.substr(0, 3), "\xEF\xBB\xBF");

  // The standard オープンデータ一覧 starts with the 全国地方公共団体コード of Minato.
  ClientResponse list = Get("/opendata/files/opendata-list.csv");
  EXPECT_EQ(
      list.body.substr(3, list.body.find("\r\n") - 3),
      "全国地方公共団体コード,ID,地方公共団体名,名称,名称_英語,概要,キーワード,ライセンス,URL,"
      "最終更新日");
  EXPECT_NE(list.body.find("\r\n131032,1,港区,"), std::string::npos);
}

TEST_P(OpendataSiteTest, ADownloadCountsForTheMonthAndFeedsThePlanKpi) {
  Result<std::map<std::string, int64_t>> before = MonthlyDownloads(site_.database(), "plan-kpis");
  ASSERT_TRUE(before.ok());
  EXPECT_TRUE(before->empty());
  json kpi = Api("/api/v1/plan/kpis/24-2-1");
  EXPECT_TRUE(kpi["actuals"].empty()) << kpi.dump();

  ASSERT_EQ(Get("/opendata/files/plan-kpis.csv").status, 200);
  ASSERT_EQ(Get("/opendata/files/plan-kpis.xlsx").status, 200);  // the same client: not again
  EXPECT_EQ(Send(site_.port(), "HEAD", "/opendata/files/plan-kpis.csv").status,
            200);                                                          // not counted
  ASSERT_EQ(GetFrom("127.0.0.2", "/opendata/files/plan-kpis.json"), 200);  // another client
  Result<std::map<std::string, int64_t>> after = MonthlyDownloads(site_.database(), "plan-kpis");
  ASSERT_TRUE(after.ok());
  ASSERT_EQ(after->size(), 1u);
  const Date today = TodayInJapan();
  char month[8];
  std::snprintf(month, sizeof(month), "%04d-%02u", static_cast<int>(today.year()),
                static_cast<unsigned>(today.month()));
  EXPECT_EQ(after->begin()->first, month);
  EXPECT_EQ(after->begin()->second, 2);

  // 24-2-1 「月平均のオープンデータダウンロード数」 now has this fiscal year's actual.
  kpi = Api("/api/v1/plan/kpis/24-2-1");
  ASSERT_EQ(kpi["actuals"].size(), 1u) << kpi.dump();
  EXPECT_EQ(kpi["actuals"][0]["value"], 2);
  EXPECT_NE(kpi["actuals"][0]["source"].get<std::string>().find("自動集計"), std::string::npos);
  EXPECT_EQ(kpi["evaluation"]["status"], "behind");

  std::string page = Get("/opendata/datasets/plan-kpis").body;
  EXPECT_NE(page.find(FormatWarekiYear(static_cast<int>(today.year())) +
                      std::to_string(static_cast<unsigned>(today.month())) + "月"),
            std::string::npos);  // the month in 和暦
}

TEST_P(OpendataSiteTest, PagesListSearchAndPreview) {
  ClientResponse catalog = Get("/opendata?q=" + PercentEncode("成果指標"));
  ASSERT_EQ(catalog.status, 200);
  EXPECT_NE(catalog.body.find("/opendata/datasets/plan-kpis"), std::string::npos);
  EXPECT_EQ(catalog.body.find("/opendata/datasets/organisation-sections"), std::string::npos);
  ClientResponse page = Get("/opendata/datasets/plan-structure");
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("<th scope=\"col\">title</th>"), std::string::npos);
  EXPECT_NE(page.body.find("/opendata/files/plan-structure.xlsx"), std::string::npos);
  EXPECT_NE(page.body.find("CC BY 4.0"), std::string::npos);
  ClientResponse english = Get("/opendata?lang=en");
  EXPECT_NE(english.body.find("Open data catalog"), std::string::npos);

  ClientResponse dcat = Get("/opendata/catalog.jsonld");
  ASSERT_EQ(dcat.status, 200);
  EXPECT_EQ(dcat.headers["content-type"], "application/ld+json; charset=utf-8");
  json catalog_json = json::parse(dcat.body, nullptr, false);
  EXPECT_EQ(catalog_json["@type"], "dcat:Catalog");
  EXPECT_GT(catalog_json["dcat:dataset"].size(), 6u);
}

// Issue 17: 300 anonymous GETs of one file in half a second moved KPI 24-2-1 from 4 to 305.
TEST_P(OpendataSiteTest, ThreeHundredRequestsFromOneAddressCountOnce) {
  const int64_t before = DownloadsThisMonth("plan-structure");
  std::vector<std::thread> clients;
  std::atomic<int> ok{0};
  for (int t = 0; t < 6; ++t) {
    clients.emplace_back([&] {
      for (int i = 0; i < 50; ++i)
        ok += Get(i % 2 ? "/opendata/files/plan-structure.csv"
                        : "/opendata/files/plan-structure.csv?encoding=cp932")
                  .status == 200;
    });
  }
  for (std::thread& client : clients) client.join();
  ASSERT_EQ(ok.load(), 300);
  EXPECT_EQ(DownloadsThisMonth("plan-structure"), before + 1);

  // A second address adds one, once.
  ASSERT_EQ(GetFrom("127.0.0.2", "/opendata/files/plan-structure.csv"), 200);
  ASSERT_EQ(GetFrom("127.0.0.2", "/opendata/files/plan-structure.xlsx"), 200);
  EXPECT_EQ(DownloadsThisMonth("plan-structure"), before + 2);
  // Another dataset is another count for the same client.
  ASSERT_EQ(GetFrom("127.0.0.2", "/opendata/files/plan-kpis.csv"), 200);
  EXPECT_EQ(DownloadsThisMonth("plan-kpis"), 1);

  // A crawler adds none, from a new address too.
  for (const char* crawler :
       {"Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
        "Mozilla/5.0 (compatible; Baiduspider/2.0)", "Mozilla/5.0 (compatible; Yahoo! Slurp)"}) {
    ASSERT_EQ(GetFrom("127.0.0.3", "/opendata/files/plan-structure.csv", crawler), 200);
  }
  EXPECT_EQ(DownloadsThisMonth("plan-structure"), before + 2);

  // The addresses are not stored: only one keyed hash per client, dataset and day.
  Result<storage::QueryResult> stored =
      site_.database().Query("SELECT dataset, day, client_hash FROM opendata_download_client");
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->rows.size(), 3u);
  for (const auto& row : stored->rows) {
    const std::string hash = storage::AsText(row[2]);
    EXPECT_EQ(hash.size(), 32u);
    EXPECT_EQ(hash.find_first_not_of("0123456789abcdef"), std::string::npos) << hash;
    for (const auto& cell : row)
      EXPECT_EQ(storage::AsText(cell).find("127.0.0."), std::string::npos);
    EXPECT_EQ(storage::AsText(row[1]), FormatIsoDate(TodayInJapan()));
  }
  Result<storage::QueryResult> keys =
      site_.database().Query("SELECT COUNT(*) FROM opendata_download_salt");
  ASSERT_TRUE(keys.ok());
  EXPECT_EQ(storage::AsInt(keys->rows[0][0]), 1);
}

TEST_P(OpendataSiteTest, TheCountingRuleIsOnTheDatasetPageAndTheKpiPage) {
  ClientResponse dataset = Get("/opendata/datasets/plan-kpis");
  ASSERT_EQ(dataset.status, 200);
  EXPECT_NE(dataset.body.find("1日（日本時間）に1回と数えます"), std::string::npos);
  EXPECT_NE(dataset.body.find("クローラー"), std::string::npos);
  ClientResponse english = Get("/opendata/datasets/plan-kpis?lang=en");
  EXPECT_NE(english.body.find("count once a day (Japan time)"), std::string::npos);
  // Before anything was downloaded, too: the KPI page says how it is measured.
  ClientResponse kpi = Get("/plan/kpis/24-2-1");
  ASSERT_EQ(kpi.status, 200);
  EXPECT_NE(kpi.body.find("同じデータセットのダウンロードは1日1回と数え"), std::string::npos);
  EXPECT_NE(kpi.body.find("クローラーは数えない"), std::string::npos);
  ClientResponse other = Get("/plan/kpis/24-1-1");
  EXPECT_EQ(other.body.find("クローラーは数えない"), std::string::npos);
}

// Issue 17: absolute URLs in CKAN/DCAT answers came from the Host header.
TEST_P(OpendataSiteTest, HostHeaderNeverMakesTheAbsoluteUrls) {
  const std::map<std::string, std::string> evil = {{"Host", "evil.example"}};
  for (const char* target :
       {"/api/3/action/package_show?id=plan-kpis", "/api/3/action/resource_show?id=plan-kpis-csv",
        "/api/3/action/package_search?q="
        "plan",
        "/api/3/action/package_list", "/api/3/action/package_show?id=no-such-dataset",
        "/opendata/catalog.jsonld"}) {
    ClientResponse answer = Send(site_.port(), "GET", target, {}, evil);
    EXPECT_NE(answer.status, 0) << target;
    EXPECT_EQ(answer.body.find("evil.example"), std::string::npos) << target << answer.body;
  }
  ClientResponse shown =
      Send(site_.port(), "GET", "/api/3/action/package_show?id=plan-kpis", {}, evil);
  json package = json::parse(shown.body);
  EXPECT_EQ(package["result"]["resources"][0]["url"],
            "http://localhost/opendata/files/plan-kpis.csv");
}

TEST_P(OpendataSiteTest, TheConfiguredPublicUrlMakesEveryAbsoluteUrl) {
  http::AppOptions options;
  options.public_url = "https://opendata.example.jp/";
  TestSite site(GetParam(),
                {http::HttpModule(), text::TextModule(), plan::PlanModule(), OpendataModule()},
                options);
  const std::map<std::string, std::string> evil = {{"Host", "evil.example"}};
  ClientResponse shown =
      Send(site.port(), "GET", "/api/3/action/package_show?id=plan-kpis", {}, evil);
  ASSERT_EQ(shown.status, 200) << shown.body;
  json package = json::parse(shown.body);
  EXPECT_EQ(package["help"],
            "https://opendata.example.jp/api/3/action/help_show?name=package_show");
  EXPECT_EQ(package["result"]["url"], "https://opendata.example.jp/opendata/datasets/plan-kpis");
  for (const json& resource : package["result"]["resources"]) {
    EXPECT_EQ(resource["url"].get<std::string>().rfind(
                  "https://opendata.example.jp/opendata/files/plan-kpis.", 0),
              0u)
        << resource.dump();
  }
  ClientResponse dcat = Send(site.port(), "GET", "/opendata/catalog.jsonld", {}, evil);
  json catalog = json::parse(dcat.body);
  EXPECT_EQ(catalog["@id"], "https://opendata.example.jp/opendata/catalog.jsonld");
  for (const json& dataset : catalog["dcat:dataset"]) {
    EXPECT_EQ(dataset["@id"].get<std::string>().rfind("https://opendata.example.jp/", 0), 0u);
    for (const json& distribution : dataset["dcat:distribution"]) {
      EXPECT_EQ(distribution["dcat:downloadURL"]["@id"].get<std::string>().rfind(
                    "https://opendata.example.jp/opendata/files/", 0),
                0u);
    }
  }
  EXPECT_EQ(dcat.body.find("evil.example"), std::string::npos);
}

TEST(DownloadRule, CrawlersAreNamedByTheirUserAgent) {
  for (const char* crawler :
       {"Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; bingbot/2.0)",
        "DuckDuckBot/1.1; (+http://duckduckgo.com/duckduckbot.html)",
        "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)",
        "Mozilla/5.0 (compatible; Yahoo! Slurp; http://help.yahoo.com/help/us/ysearch/slurp)",
        "facebookexternalhit/1.1", "Scrapy/2.11 (+https://scrapy.org)", "ia_archiver",
        "CCBot/2.0 (https://commoncrawl.org/faq/)", "SOMECRAWLER/1.0"}) {
    EXPECT_TRUE(IsCrawler(crawler)) << crawler;
  }
  for (const char* person :
       {"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/120.0 Safari/537.36",
        "Mozilla/5.0 (Linux; Android 10; CUBOT X30) AppleWebKit/537.36 Chrome/96.0 Mobile",
        "curl/8.5.0", "Wget/1.21", "python-requests/2.31", "ckanapi/4.7", ""}) {
    EXPECT_FALSE(IsCrawler(person)) << person;
  }
}

TEST(DownloadRule, AClientIsItsIpv4AddressOrItsIpv6Network) {
  EXPECT_EQ(ClientOf("192.0.2.7"), ClientOf("::ffff:192.0.2.7"));
  EXPECT_NE(ClientOf("192.0.2.7"), ClientOf("192.0.2.8"));
  EXPECT_EQ(ClientOf("2001:db8:1:2::1"), ClientOf("2001:db8:1:2:ffff:ffff:ffff:ffff"));
  EXPECT_NE(ClientOf("2001:db8:1:2::1"), ClientOf("2001:db8:1:3::1"));
}

INSTANTIATE_TEST_SUITE_P(Backends, OpendataSiteTest,
                         ::testing::ValuesIn(storage::testing::BackendNames()));

}  // namespace
}  // namespace civicdesk::opendata
