// The results as downloads and as open data: aggregated figures only, never a small cell's.

#include <memory>

#include "http/table_response.h"
#include "surveys/handlers.h"
#include "surveys/results.h"
#include "surveys/store.h"
#include "surveys/views.h"

namespace civicdesk::surveys {

using http::RequestContext;
using http::Response;

namespace {

const std::vector<std::string>& NumberColumns() {
  static const std::vector<std::string> columns = {"年度", "回答者数",         "件数",
                                                   "割合", "重み付け後の割合", "誤差"};
  return columns;
}

Result<std::vector<std::vector<std::string>>> RowsOf(storage::Database& database,
                                                     const Survey& survey) {
  CIVICDESK_ASSIGN_OR_RETURN(std::optional<Population> population, LatestPopulation(database));
  CIVICDESK_ASSIGN_OR_RETURN(SurveyResults results, ComputeResults(database, survey, population));
  return ResultRows(survey, results);
}

}  // namespace

Result<Response> ResultsDownload(RequestContext& context) {
  CIVICDESK_ASSIGN_OR_RETURN(Survey survey, PublicResultsSurvey(context));
  const std::string& path = context.request().path;
  const bool xlsx = path.size() > 5 && path.compare(path.size() - 5, 5, ".xlsx") == 0;
  // The figures are aggregated before the file starts: a survey's results are a few hundred
  // rows, whatever the number of respondents.
  CIVICDESK_ASSIGN_OR_RETURN(std::vector<std::vector<std::string>> rows,
                             RowsOf(context.app().database(), survey));
  auto shared = std::make_shared<std::vector<std::vector<std::string>>>(std::move(rows));
  http::Table table;
  table.columns = ResultColumns();
  table.number_columns = NumberColumns();
  table.sheet_name = survey.key.substr(0, 31);
  table.rows = [shared](const http::DatasetRowWriter& write) -> Status {
    for (const std::vector<std::string>& row : *shared) CIVICDESK_RETURN_IF_ERROR(write(row));
    return Status::Ok();
  };
  return http::TableResponse(std::move(table),
                             xlsx ? http::TableFormat::kXlsx : http::TableFormat::kCsv,
                             "survey-" + survey.key);
}

Result<std::vector<http::PublicDataset>> Datasets(http::App& app) {
  CIVICDESK_ASSIGN_OR_RETURN(std::vector<Survey> surveys, ListSurveys(app.database()));
  std::vector<http::PublicDataset> datasets;
  for (const Survey& survey : surveys) {
    if (survey.status != kClosed && survey.status != kPublished) continue;
    http::PublicDataset dataset;
    dataset.id = "survey-" + survey.key;
    dataset.title = survey.title + "（集計結果）";
    dataset.title_en = survey.title_en.empty() ? "" : survey.title_en + " (results)";
    dataset.description = survey.status == kPublished
                              ? "報告書が公表した回答の割合。" + survey.source
                              : "設問ごとの回答数と割合（地区・年齢区分・在住在勤別。回答者が10人"
                                "未満の区分は数値を示しません）。母集団の表があるときは事後層化で"
                                "重み付けした割合と95%の誤差を添えています。";
    dataset.tags = {"区民意識調査", "アンケート"};
    dataset.columns = ResultColumns();
    dataset.number_columns = NumberColumns();
    const Survey copy = survey;
    dataset.rows = [copy](http::App& app, const http::DatasetRowWriter& write) -> Status {
      CIVICDESK_ASSIGN_OR_RETURN(std::vector<std::vector<std::string>> rows,
                                 RowsOf(app.database(), copy));
      for (const std::vector<std::string>& row : rows) CIVICDESK_RETURN_IF_ERROR(write(row));
      return Status::Ok();
    };
    datasets.push_back(std::move(dataset));
  }
  // What the surveys feed to plan KPIs, in the columns the plan reads (core/kpi_feed.h).
  http::PublicDataset feeds;
  feeds.id = "survey-kpi-feeds";
  feeds.title = "区民アンケートから成果指標への反映値";
  feeds.title_en = "Survey figures feeding the plan's KPIs";
  feeds.description =
      "アンケートの設問が反映される成果指標ごとの値（選んだ回答の割合）。回答者数と95%の誤差、"
      "出典のアンケートを添えています。報告書の数値として読み込んだ調査は回答者数がありません。";
  feeds.tags = {"成果指標", "区民意識調査"};
  feeds.columns = kpi_feed::Columns();
  feeds.number_columns = kpi_feed::NumberColumns();
  feeds.rows = [](http::App& app, const http::DatasetRowWriter& write) -> Status {
    CIVICDESK_ASSIGN_OR_RETURN(std::vector<kpi_feed::Row> rows, FedValues(app.database(), ""));
    for (const kpi_feed::Row& row : rows) CIVICDESK_RETURN_IF_ERROR(write(kpi_feed::ToCells(row)));
    return Status::Ok();
  };
  datasets.push_back(std::move(feeds));
  return datasets;
}

}  // namespace civicdesk::surveys
