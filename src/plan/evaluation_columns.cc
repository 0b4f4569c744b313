#include "plan/evaluation_columns.h"

#include <utility>
#include <vector>

#include "core/text_normalize.h"

namespace civicdesk::plan {

const tabular::ImporterSpec& EvaluationColumns() {
  // {field, headers, required, number, repeated}
  static const tabular::ImporterSpec spec{
      "evaluation",
      {
          {"sheet_number", {"No.", "No", "番号", "通し番号", "連番", "項番"}, false, false},
          {"policy", {"政策", "政策名", "基本政策", "基本政策名", "政策分野"}, false, false},
          {"policy_number", {"政策番号", "政策コード", "政策No.", "政策No"}, false, false},
          {"measure", {"施策", "施策名"}, false, false},
          {"measure_number", {"施策番号", "施策コード", "施策No.", "施策No"}, false, false},
          {"basic_project", {"基本事業", "基本事業名"}, false, false},
          {"basic_project_number",
           {"基本事業番号", "基本事業コード", "基本事業No.", "基本事業No"},
           false,
           false},
          {"project", {"事務事業", "事務事業名", "事業名", "事業", "事業の名称"}, true, false},
          {"project_number",
           {"事業番号", "事業コード", "事務事業番号", "事務事業コード", "事業No.", "事業No",
            "事業ID"},
           false,
           false},
          {"department",
           {"担当課", "所管課", "担当部署", "所管部署", "担当部課", "課名"},
           false,
           false},
          {"fiscal_year", {"年度", "評価年度", "対象年度", "実施年度", "事業年度"}, false, false},
          {"cost_national",
           {"国庫支出金", "国", "国支出金", "国庫補助金", "国庫"},
           false,
           true,
           true},
          {"cost_prefecture",
           {"都道府県支出金", "都支出金", "県支出金", "道支出金", "府支出金", "都道府県", "都",
            "県", "都補助金", "県補助金"},
           false,
           true,
           true},
          {"cost_bonds", {"地方債", "市債", "区債", "町債", "村債", "起債"}, false, true, true},
          {"cost_other",
           {"その他特定財源", "その他", "その他財源", "特定財源その他", "その他の特定財源"},
           false,
           true,
           true},
          {"cost_general", {"一般財源"}, false, true, true},
          {"cost_total",
           {"事業費", "総事業費", "合計", "事業費計", "事業費合計", "決算額", "決算",
            "トータルコスト", "総コスト"},
           false,
           true,
           true},
          {"cost_budget", {"予算額", "当初予算額", "予算現額", "予算"}, false, true, true},
          {"staff",
           {"人員", "職員数", "従事職員数", "正規職員", "人工", "従事人員", "所要人員"},
           false,
           true,
           true},
          {"hours", {"従事時間", "時間", "業務時間", "従事時間数"}, false, true, true},
          {"activity_indicator", {"活動指標", "活動指標名"}, false, false, true},
          {"outcome_indicator", {"成果指標", "成果指標名"}, false, false, true},
          {"target_indicator", {"対象指標", "対象指標名"}, false, false, true},
          {"indicator_unit",
           {"単位", "指標単位", "活動指標単位", "成果指標単位", "対象指標単位"},
           false,
           false,
           true},
          {"indicator_target",
           {"目標", "目標値", "活動指標目標値", "成果指標目標値", "対象指標目標値", "活動目標",
            "成果目標"},
           false,
           true,
           true},
          {"indicator_actual",
           {"実績", "実績値", "活動実績", "成果実績", "対象実績", "活動指標実績値",
            "成果指標実績値", "対象指標実績値", "活動指標実績", "成果指標実績"},
           false,
           true,
           true},
          {"direction",
           {"方向性", "今後の方向性", "今後の方向", "事業の方向性", "評価結果",
            "今後の事業の方向性", "改革改善の方向性", "総合評価"},
           false,
           false},
          {"comment",
           {"コメント", "評価コメント", "所見", "評価理由", "方向性の理由", "今後の方向性の理由",
            "改善内容", "課題", "評価"},
           false,
           false},
          {"note", {"備考", "特記事項"}, false, false},
      }};
  return spec;
}

namespace {

// The wordings cities write, each with its normalised direction (docs/import.md).
const std::vector<std::pair<std::string, std::string>>& DirectionSynonyms() {
  static const std::vector<std::pair<std::string, std::string>> synonyms = {
      {"拡充", "拡充"},
      {"拡大", "拡充"},
      {"充実", "拡充"},
      {"重点化", "拡充"},
      {"拡充・強化", "拡充"},
      {"強化", "拡充"},
      {"継続", "継続"},
      {"現状維持", "継続"},
      {"維持", "継続"},
      {"現行どおり", "継続"},
      {"現行通り", "継続"},
      {"継続実施", "継続"},
      {"現状のまま継続", "継続"},
      {"改善", "改善"},
      {"見直し", "改善"},
      {"改善・見直し", "改善"},
      {"見直し・改善", "改善"},
      {"要改善", "改善"},
      {"改善して継続", "改善"},
      {"見直して継続", "改善"},
      {"手法見直し", "改善"},
      {"改革・改善", "改善"},
      {"縮小", "縮小"},
      {"規模縮小", "縮小"},
      {"縮減", "縮小"},
      {"統合", "統合"},
      {"統廃合", "統合"},
      {"事業統合", "統合"},
      {"休止・廃止", "休止・廃止"},
      {"廃止・休止", "休止・廃止"},
      {"廃止", "休止・廃止"},
      {"休止", "休止・廃止"},
      {"中止", "休止・廃止"},
      {"廃止・統合", "休止・廃止"},
      {"完了", "完了"},
      {"終了", "完了"},
      {"事業完了", "完了"},
      {"事業終了", "完了"},
  };
  return synonyms;
}

std::string Mapped(const std::string& key) {
  for (const auto& [wording, direction] : DirectionSynonyms())
    if (tabular::HeaderKey(wording) == key) return direction;
  return "";
}

}  // namespace

std::string NormalizeDirection(std::string_view wording) {
  std::string key = tabular::HeaderKey(wording);
  if (key.empty()) return "";
  if (std::string found = Mapped(key); !found.empty()) return found;
  // 「拡充（重点化）」: the remark in brackets away.
  if (size_t open = key.find('('); open != std::string::npos && open > 0 && key.ends_with(")")) {
    if (std::string found = Mapped(key.substr(0, open)); !found.empty()) return found;
  }
  // 「A:拡充」「b 継続」: a grade in front away.
  if (key.size() > 2 && key[0] >= 'a' && key[0] <= 'e' && (key[1] == ':' || key[1] == '.')) {
    if (std::string found = Mapped(key.substr(2)); !found.empty()) return found;
  }
  // The one normalised word the wording contains (「継続して実施」 → 継続).
  std::string only;
  for (std::string_view direction :
       {"拡充", "継続", "改善", "縮小", "統合", "廃止", "休止", "完了"}) {
    if (key.find(direction) == std::string::npos) continue;
    const std::string mapped = Mapped(std::string(direction));
    if (!only.empty() && only != mapped) return std::string(kDirectionOther);
    only = mapped;
  }
  return only.empty() ? std::string(kDirectionOther) : only;
}

}  // namespace civicdesk::plan
