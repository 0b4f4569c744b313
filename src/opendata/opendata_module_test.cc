#include "opendata/opendata_module.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <nlohmann/json.hpp>
#include <set>

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

class OpendataSiteTest : public ::testing::TestWithParam<std::string> {
 protected:
  OpendataSiteTest()
      : site_(GetParam(),
              {http::HttpModule(), text::TextModule(), plan::PlanModule(),
               consultation::ConsultationModule(), OpendataModule(), ManyDatasets(1100)}) {}
  void SetUp() override { CIVICDESK_SKIP_IF_UNAVAILABLE(site_); }

  ClientResponse Get(const std::string& target) { return Send(site_.port(), "GET", target); }

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
  ASSERT_EQ(Get("/opendata/files/plan-kpis.xlsx").status, 200);
  EXPECT_EQ(Send(site_.port(), "HEAD", "/opendata/files/plan-kpis.csv").status,
            200);  // not counted
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

INSTANTIATE_TEST_SUITE_P(Backends, OpendataSiteTest,
                         ::testing::ValuesIn(storage::testing::BackendNames()));

}  // namespace
}  // namespace civicdesk::opendata
