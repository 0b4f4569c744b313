#!/usr/bin/env python3
"""Writes the seed corpora under fuzz/corpus/TARGET/ from small real inputs.

Sources: the shipped Minato result table (data/minato/consultations), the sample facility
registry (data/sample), other governments' files (tests/real), the golden 和暦 cases
(tests/golden/wareki), the bad-input corpus (tests/badinput: its raw HTTP requests and the
files of its command lines), every route of tests/permissions.tsv as a request (staff routes
signed in through @SESSION@ / @CSRF@, see fuzz/http_request.cc), and a few hand-made files
in the encodings and layouts clerks use (CP932, UTF-16, TSV, XLSX, notes around the table).
Run from anywhere; it replaces the seed files it writes and leaves other files (inputs the
fuzzers found and were merged in) alone.
"""
import base64
import hashlib
import io
import json
import pathlib
import zipfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
CORPUS = ROOT / "fuzz" / "corpus"


def put(target, name, data):
    if isinstance(data, str):
        data = data.encode("utf-8")
    directory = CORPUS / target
    directory.mkdir(parents=True, exist_ok=True)
    (directory / ("seed-" + name)).write_bytes(data)


def xlsx(rows, compress=True):
    """A minimal workbook as Excel lays it out: shared strings, numbers as numbers."""
    strings = []
    index = {}
    sheet_rows = []
    for r, row in enumerate(rows, start=1):
        cells = []
        for c, value in enumerate(row):
            ref = chr(ord("A") + c) + str(r)
            if isinstance(value, (int, float)):
                cells.append(f'<c r="{ref}"><v>{value}</v></c>')
            else:
                if value not in index:
                    index[value] = len(strings)
                    strings.append(value)
                cells.append(f'<c r="{ref}" t="s"><v>{index[value]}</v></c>')
        sheet_rows.append(f'<row r="{r}">' + "".join(cells) + "</row>")
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    escape = lambda s: s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    files = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
        "xl/workbook.xml": f'<?xml version="1.0" encoding="UTF-8"?><workbook {ns} xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/sharedStrings.xml": f'<?xml version="1.0" encoding="UTF-8"?><sst {ns} count="{len(strings)}" uniqueCount="{len(strings)}">'
        + "".join(f"<si><t>{escape(s)}</t></si>" for s in strings) + "</sst>",
        "xl/worksheets/sheet1.xml": f'<?xml version="1.0" encoding="UTF-8"?><worksheet {ns}><sheetData>'
        + "".join(sheet_rows) + "</sheetData></worksheet>",
    }
    buffer = io.BytesIO()
    method = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, text in files.items():
            info = zipfile.ZipInfo(name, date_time=(2026, 12, 1, 0, 0, 0))
            info.compress_type = method
            archive.writestr(info, text)
    return buffer.getvalue()


def cli_files():
    """(args, bytes) of every command line in the bad-input corpus."""
    for line in (ROOT / "tests" / "badinput" / "cli.jsonl").read_text().splitlines():
        case = json.loads(line)
        yield case["args"], case.get("suffix", ""), base64.b64decode(case.get("input", ""))


def short(data):
    return hashlib.sha1(data).hexdigest()[:12]


# Results: Minato's table in full and its head, another government's wording, encodings, XLSX.
minato = (ROOT / "data" / "minato" / "consultations" / "kankyo-kihon-keikaku-soan.txt").read_bytes()
put("results", "minato-full.txt", minato)
put("results", "minato-head.txt", b"\n".join(minato.split(b"\n")[:45]) + b"\n")
city = ("○○市総合計画（案）に寄せられた意見と市の考え方\n\n"
        "No.,意見,市の考え方\n"
        "1,公園を増やしてほしい。,計画に反映しました。\n"
        '2,"駅前の駐輪場について\n台数が足りない。",既存事業で対応します。\n'
        "No.,意見,市の考え方\n"
        "3,－,ご意見として承ります。\n"
        "※ 意見は要旨です。\n")
put("results", "city.csv", city)
put("results", "city-cp932.csv", city.replace("－", "-").encode("cp932"))
put("results", "city-utf16.csv", b"\xff\xfe" + city.encode("utf-16-le"))
put("results", "ministry.tsv",
    "番号\t意見の概要\t国の考え方\t主な該当分野\t区分\t部\t課\t対応状況\n"
    "1\t制度の周知が不十分。\t周知に努めます。\t環境\t区民説明会（芝）\t環境リサイクル支援部\t環境課\t2\n"
    "2\t36（1）\t—\t\tパブリックコメント\t\t\t5\n")
put("results", "city.xlsx", xlsx([["No.", "意見", "市の考え方"], [1, "公園を増やしてほしい。", "反映しました。"],
                                  [2, "駐輪場", "対応します。"]], compress=False))
for args, suffix, data in cli_files():
    if args[:2] == ["import", "results"]:
        put("results", "badinput-" + short(data) + suffix, data)

# Opinions.
opinions = ("id,text,channel,field,section\n"
            "A-1,騒音がひどいので対策をお願いします。,web,環境,環境課\n"
            'A-2,"保育園を\r\n増やしてください。",mail,子育て,\n'
            "A-3,同上,,—,\n")
put("opinions", "plain.csv", opinions)
put("opinions", "japanese-headers.csv",
    "番号,ご意見,受付方法,分野,部,課\n1,公園の遊具を新しくしてほしい。,郵送,,,\n2,－,持参,,,\n\n注：個人情報は除いています。\n")
put("opinions", "cp932.csv", "番号,意見\n1,ﾃｽﾄ 半角カナの意見\n2,二件目\n".encode("cp932"))
put("opinions", "utf16be.csv", b"\xfe\xff" + "id\ttext\n1\t意見\n".encode("utf-16-be"))
put("opinions", "bom.csv", b"\xef\xbb\xbf" + opinions.encode())
put("opinions", "opinions.xlsx", xlsx([["id", "text", "channel"], ["1", "意見です。", "web"], [2, "二つ目", "mail"]], compress=False))
for args, suffix, data in cli_files():
    if args[:2] == ["import", "opinions"]:
        put("opinions", "badinput-" + short(data) + suffix, data)

# KPI actuals (code,fiscal_year,value[,source]); 24-1-1 is a shipped KPI.
put("kpi_csv", "actuals.csv", "code,fiscal_year,value,source\n24-1-1,2023,71.9,区民意識調査\n24-1-1,2024,72.5,\n")
put("kpi_csv", "bad-rows.csv", "code,fiscal_year,value\n24-1-1,2023,150\n99-9-9,2023,1\n24-1-1,令和5年度,1,x\n")
put("kpi_xlsx", "actuals.xlsx", xlsx([["code", "fiscal_year", "value", "source"], ["24-1-1", 2023, 71.9, "調査"],
                                      ["24-1-1", 2024, 72.5, ""]], compress=False))
put("kpi_xlsx", "actuals-deflated.xlsx", xlsx([["code", "fiscal_year", "value"], ["24-1-1", 2022, 70]]))
for args, suffix, data in cli_files():
    if args[:2] == ["kpi", "import"]:
        put("kpi_xlsx" if suffix == ".xlsx" else "kpi_csv", "badinput-" + short(data) + suffix, data)

# Evaluation sheets.
put("evaluation_csv", "another-city.csv", (ROOT / "tests" / "golden" / "evaluation" / "another_city.csv").read_bytes())
put("evaluation_csv", "english.csv",
    "policy,measure,project,fiscal_year,cost_national,cost_general,personnel,direction,comment\n"
    "P,M,Project A,2022,100,200.5,1.5,継続,ok\nP,M,Project A,令和4年度,,,,,\n")
for args, suffix, data in cli_files():
    if args[:2] == ["evaluation", "import"]:
        put("evaluation_csv", "badinput-" + short(data) + suffix, data)

# Facilities: the sample registry's head, other governments' registries' heads.
sample = (ROOT / "data" / "sample" / "facilities.csv").read_bytes()
put("facilities_csv", "sample-head.csv", b"\n".join(sample.split(b"\n")[:12]) + b"\n")
for path in sorted((ROOT / "tests" / "real" / "facilities").glob("*.csv")):
    put("facilities_csv", "real-" + path.stem + ".csv", b"\n".join(path.read_bytes().split(b"\n")[:8]) + b"\n")
for args, suffix, data in cli_files():
    if args[0] == "facilities" and suffix == ".csv" and data:
        put("facilities_csv", "badinput-" + short(data) + suffix, data)
header = ["施設番号", "施設名", "施設分類", "地区", "延床面積", "建築年", "構造", "所管部", "所管課", "工事履歴"]
put("facilities_xlsx", "registry.xlsx", xlsx([header, ["F-1", "芝区民センター", "市民文化系施設", "芝", 4510, 1967, "RC", "芝地区総合支所", "管理課", "1991:中規模修繕:405900000"]], compress=False))
put("facilities_xlsx", "registry-deflated.xlsx", xlsx([["name", "category", "floor_area_sqm", "year_built"], ["X", "保健・福祉施設", 1970.5, 1999]]))

# Partners.
put("partners_csv", "partners.csv",
    "code,prefecture,name,agreement_type,agreement_title,signed_on\n"
    "015113,北海道,猿払村,友好都市,港区と猿払村の友好に関する協定,2023-04-01\n"
    "\ufeff132039,東京都,武蔵野市,,,\n")
put("partners_csv", "bom.csv", "\ufeffcode,prefecture,name\n01511,北海道,猿払村\n")
for args, suffix, data in cli_files():
    if args[:2] == ["partners", "import"]:
        put("partners_csv", "badinput-" + short(data) + suffix, data)

# 和暦: every golden input, one file each.
for line in (ROOT / "tests" / "golden" / "wareki" / "parse.tsv").read_text().splitlines():
    if line.startswith("#") or "\t" not in line:
        continue
    text = line.split("\t")[1]
    put("wareki", short(text.encode()) + ".txt", text)

# HTTP: the bad-input requests, then every route of the permission matrix, signed out and in.
for line in (ROOT / "tests" / "badinput" / "http.jsonl").read_text().splitlines():
    data = base64.b64decode(json.loads(line)["raw"])
    if len(data) > 65536:  # the fuzzers' -max_len; the body-limit cases stay in tests/badinput
        continue
    put("http_request", "badinput-" + short(data), data)
values = {"{id}": "1", "{code}": "24-1-1", "{n}": "1", "{m}": "1", "{receipt}": "CD-0000-0000-0000",
          "{token}": "x", "{action}": "package_list", "{file}": "civicdesk.css", "{field}": "1",
          "{event}": "1", "{year}": "2026"}
for line in (ROOT / "tests" / "permissions.tsv").read_text().splitlines():
    if line.startswith("#") or line.startswith("method"):
        continue
    method, pattern = line.split("\t")[:2]
    # Seconds per request (the levelling solver, PDF fonts): they would slow every run of the
    # fuzzer down; their tests are in the facilities and consultation modules.
    if pattern in ("/staff/facilities/levelling", "/consultations/{id}/result.pdf"):
        continue
    target = pattern
    for key, value in values.items():
        target = target.replace(key, value)
    for signed_in in (False, True):
        cookie = "Cookie: civicdesk_session=@SESSION@\r\n" if signed_in else ""
        if method == "GET":
            request = f"GET {target}?lang=en HTTP/1.1\r\nHost: t\r\n{cookie}\r\n"
        else:
            body = "csrf_token=@CSRF@&text=%E6%84%8F%E8%A6%8B&title=x" if signed_in else \
                "csrf_token=abc&text=x"
            if not signed_in:
                cookie = "Cookie: civicdesk_csrf=abc\r\n"
            request = (f"POST {target} HTTP/1.1\r\nHost: t\r\n{cookie}"
                       "Content-Type: application/x-www-form-urlencoded\r\n"
                       f"Content-Length: {len(body)}\r\n\r\n{body}")
        data = request.encode()
        put("http_request", ("staff-" if signed_in else "") + method.lower() + "-" + short(data), data)
