# The real published files of other governments (tests/real, issue 19): each is imported with
# --dry-run as its clerk published it and the printed report compared with the golden
# <file>.report.golden beside it (tests/real/check_report.sh; UPDATE_GOLDEN=1 rewrites one).
# A column the importer has no field for is left out by name here, so that the golden lists it;
# a <file>.mapping.json beside a file names what no synonym does (tests/real/README.md says why).
function(civicdesk_real_file name file)
  add_test(NAME real_${name}
           COMMAND sh "${PROJECT_SOURCE_DIR}/tests/real/check_report.sh"
                   "${PROJECT_SOURCE_DIR}/tests/real/${file}.report.golden"
                   $<TARGET_FILE:civicdesk> ${ARGN})
endfunction()

set(real_dir "${PROJECT_SOURCE_DIR}/tests/real")

# 自治体標準オープンデータセット 公共施設一覧 (焼津市): 団体名 holds the owning section.
foreach(yaizu public_facilities sports_facilities)
  civicdesk_real_file(facilities_yaizu_${yaizu} facilities/yaizu_${yaizu}.csv
    facilities import "${real_dir}/facilities/yaizu_${yaizu}.csv" --dry-run
    --mapping "${real_dir}/facilities/yaizu_${yaizu}.csv.mapping.json"
    --ignore-column 都道府県コード又は市区町村コード --ignore-column 都道府県名
    --ignore-column 市区町村名 --ignore-column 名称_カナ --ignore-column 住所
    --ignore-column 緯度 --ignore-column 経度 --ignore-column 利用可能日時特記事項
    --ignore-column 備考)
endforeach()

# 高松市 コミュニティセンター一覧: an English header; #property numbers the rows.
civicdesk_real_file(facilities_takamatsu facilities/takamatsu_community_centers.csv
  facilities import "${real_dir}/facilities/takamatsu_community_centers.csv" --dry-run
  --mapping "${real_dir}/facilities/takamatsu_community_centers.csv.mapping.json"
  --ignore-column latitude --ignore-column longitude --ignore-column address
  --ignore-column telephoneNumber)

# 飯田市 保育施設一覧 (自治体標準オープンデータセット 子育て施設一覧): 種別 is the kind of
# childcare (認定こども園…), not one of the 総務省 categories, so it is left out like the rest.
civicdesk_real_file(facilities_iida facilities/iida_childcare_facilities.csv
  facilities import "${real_dir}/facilities/iida_childcare_facilities.csv" --dry-run
  --ignore-column 全国地方公共団体コード --ignore-column 地方公共団体名 --ignore-column 名称_カナ
  --ignore-column 種別 --ignore-column 所在地_全国地方公共団体コード --ignore-column 町字ID
  --ignore-column 所在地_連結表記 --ignore-column 所在地_都道府県 --ignore-column 所在地_市区町村
  --ignore-column 所在地_町字 --ignore-column 所在地_番地以下 --ignore-column "建物名等(方書)"
  --ignore-column 緯度 --ignore-column 経度 --ignore-column 電話番号 --ignore-column 郵便番号
  --ignore-column 法人番号 --ignore-column 団体名 --ignore-column 収容定員 --ignore-column 受入年齢
  --ignore-column 利用可能曜日 --ignore-column 開始時間 --ignore-column 終了時間
  --ignore-column 利用可能日時特記事項 --ignore-column 一時預かりの有無
  --ignore-column 子供預かり料金種別 --ignore-column 病児保育の有無 --ignore-column 備考)

# Real consultations with their official answers (tests/real/consultations, issue 20): each
# eval.csv is what its derive.py writes from the file kept as published.
add_test(NAME real_consultations_derived
         COMMAND /usr/bin/python3 "${real_dir}/consultations/check_derived.py")
