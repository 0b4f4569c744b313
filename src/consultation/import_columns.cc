#include "consultation/import_columns.h"

namespace civicdesk::consultation {

const tabular::ImporterSpec& OpinionsColumns() {
  static const tabular::ImporterSpec spec{
      "opinions",
      {
          {"id", {"番号", "No.", "No", "通し番号", "整理番号", "意見番号", "項番"}, true, false},
          {"text",
           {"意見", "意見の概要", "意見の内容", "ご意見", "意見要旨", "意見の要旨", "提出意見",
            "区民意見", "市民意見", "県民意見", "都民意見", "町民意見", "村民意見", "国民意見"},
           true,
           false},
          {"channel", {"区分", "提出方法", "受付方法", "提出手段", "受付区分"}, false, false},
          {"field",
           {"分野", "項目", "該当箇所", "主な該当分野", "該当項目", "該当分野"},
           false,
           false},
          {"section", {"担当課", "所管課", "課", "回答部署", "担当部署"}, false, false},
          {"group", {"グループ", "分類"}, false, false},
      }};
  return spec;
}

const tabular::ImporterSpec& ResultsColumns() {
  static const tabular::ImporterSpec spec{
      "results",
      {
          {"number", {"No.", "No", "番号", "通し番号", "整理番号", "意見番号", "項番"}, true, true},
          {"field",
           {"主な該当分野", "分野", "項目", "該当箇所", "該当項目", "該当分野"},
           false,
           false},
          {"opinion",
           {"区民意見", "意見", "意見の概要", "意見の内容", "ご意見", "意見要旨", "意見の要旨",
            "提出意見", "市民意見", "県民意見", "都民意見", "町民意見", "村民意見", "国民意見",
            "意見の要約"},
           true,
           false},
          {"channel", {"区分", "提出方法", "受付方法", "提出手段"}, false, false},
          {"department", {"部", "回答部署", "担当部"}, false, false},
          {"section", {"課", "担当課", "所管課"}, false, false},
          {"response",
           {"区の考え方", "市の考え方", "県の考え方", "国の考え方", "都の考え方", "町の考え方",
            "村の考え方", "府の考え方", "道の考え方", "対応", "回答", "考え方",
            "意見に対する考え方", "ご意見に対する考え方", "意見に対する区の考え方",
            "意見に対する市の考え方"},
           true,
           false},
          {"status", {"対応状況", "対応区分", "反映状況", "反映区分"}, false, true},
      }};
  return spec;
}

}  // namespace civicdesk::consultation
