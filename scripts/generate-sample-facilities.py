#!/usr/bin/env python3
"""Writes data/sample/facilities.csv: about 200 plausible, invented ward facilities.

The registry is SAMPLE data for trying the future-cost estimator: the names follow the kinds of
facility a Tokyo ward owns, spread over Minato's five districts, but none of the figures are
Minato's. Deterministic (fixed seed), so the file only changes when this script does.
"""
import csv
import random
import sys

random.seed(131032)

DISTRICTS = ["芝", "麻布", "赤坂", "高輪", "芝浦港南"]
SECTIONS = {
    "芝": "芝地区総合支所管理課", "麻布": "麻布地区総合支所管理課", "赤坂": "赤坂地区総合支所管理課",
    "高輪": "高輪地区総合支所管理課", "芝浦港南": "芝浦港南地区総合支所管理課",
}
# (kind of facility, 総務省 category, floor area range ㎡, structure, how many per district)
KINDS = [
    ("区民センター", "市民文化系施設", (1500, 6000), "RC", 1),
    ("いきいきプラザ", "保健・福祉施設", (800, 3000), "RC", 2),
    ("図書館", "社会教育系施設", (1200, 5000), "SRC", 1),
    ("小学校", "学校教育系施設", (6000, 12000), "RC", 4),
    ("中学校", "学校教育系施設", (7000, 13000), "RC", 2),
    ("幼稚園", "子育て支援施設", (600, 1500), "RC", 1),
    ("保育園", "子育て支援施設", (500, 1800), "RC", 4),
    ("児童館", "子育て支援施設", (300, 900), "RC", 2),
    ("区営住宅", "公営住宅", (1500, 9000), "RC", 4),
    ("公園管理棟", "公園", (60, 300), "S", 3),
    ("スポーツセンター", "スポーツ・レクリエーション系施設", (3000, 9000), "SRC", 1),
    ("防災備蓄倉庫", "その他", (150, 800), "RC", 2),
    ("地区総合支所", "行政系施設", (2000, 6000), "SRC", 1),
    ("清掃作業所", "供給処理施設", (800, 3000), "RC", 1),
    ("産業振興施設", "産業系施設", (500, 2500), "RC", 1),
    ("障害者福祉施設", "保健・福祉施設", (600, 2500), "RC", 1),
    ("高齢者在宅サービスセンター", "保健・福祉施設", (400, 1500), "RC", 1),
    ("コミュニティぷらざ", "市民文化系施設", (1000, 3500), "RC", 1),
    ("自転車駐車場", "その他", (200, 1200), "S", 2),
    ("公衆便所", "その他", (20, 80), "RC", 2),
    ("シルバーピア", "公営住宅", (1200, 4000), "RC", 2),
]
SECTION_OF_CATEGORY = {
    "学校教育系施設": "教育委員会事務局学校施設担当", "子育て支援施設": "子ども家庭支援部保育課",
    "公営住宅": "街づくり支援部住宅課", "公園": "環境リサイクル支援部公園課",
}

writer = csv.writer(sys.stdout, lineterminator="\n")
writer.writerow(["id", "name", "category", "district", "floor_area_sqm", "year_built",
                 "structure", "section", "works", "rebuild_age", "rebuild_yen_per_sqm"])
number = 0
for district in DISTRICTS:
    for kind, category, (low, high), structure, count in KINDS:
        for i in range(count):
            number += 1
            built = random.choice([random.randint(1962, 1985), random.randint(1986, 2020)])
            area = round(random.uniform(low, high), -1)
            works = []
            age = 2025 - built
            if age >= 22 and random.random() < 0.5:
                year = built + random.randint(18, min(24, age))
                works.append(f"{year}:中規模修繕:{int(area * 90000)}")
            if age >= 35 and random.random() < 0.45:
                year = built + random.randint(28, min(age, 42))
                works.append(f"{year}:大規模改修:{int(area * 220000)}")
            name = f"{district}{kind}" + (f"第{i + 1}" if count > 1 else "")
            section = SECTION_OF_CATEGORY.get(category, SECTIONS[district])
            rebuild_age = "70" if structure == "SRC" and random.random() < 0.2 else ""
            writer.writerow([f"SAMPLE-{number:03d}", name, category, district, f"{area:.0f}",
                             built, structure, section, ";".join(works), rebuild_age, ""])
