#include "partners/import_columns.h"

namespace civicdesk::partners {

const tabular::ImporterSpec& PartnersColumns() {
  static const tabular::ImporterSpec spec{
      "partners",
      {
          {"code",
           {"全国地方公共団体コード", "地方公共団体コード", "団体コード", "自治体コード",
            "市区町村コード", "都道府県コード又は市区町村コード"},
           true,
           false},
          {"prefecture", {"都道府県", "都道府県名"}, false, false},
          {"name",
           {"自治体名", "市区町村名", "団体名", "地方公共団体名", "連携自治体", "連携自治体名",
            "連携先", "名称"},
           true,
           false},
          {"agreement_type",
           {"協定種別", "協定の種類", "連携の種類", "種別", "連携分野"},
           false,
           false},
          {"agreement_title", {"協定名", "協定名称", "協定の名称"}, false, false},
          {"signed_on", {"締結日", "協定締結日", "締結年月日", "締結年", "提携日"}, false, false},
          {"note", {"備考", "メモ"}, false, false},
      }};
  return spec;
}

}  // namespace civicdesk::partners
