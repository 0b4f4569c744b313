#!/usr/bin/env python3
"""Writes the bad-input corpus (http.jsonl, cli.jsonl) from the families below.

Run once after changing a family; the .jsonl files are what the tests read. Each HTTP case is
a raw request sent on its own connection; each CLI case is a command with an input file.
"""
import base64
import json
import urllib.parse

http_cases = []
cli_cases = []


def raw(name, request, expect="4xx"):
    http_cases.append({"name": name, "raw": base64.b64encode(request).decode(), "expect": expect})


def get(name, target, expect="4xx", headers=b""):
    raw(name, b"GET " + target + b" HTTP/1.1\r\nHost: t\r\n" + headers + b"Connection: close\r\n\r\n",
        expect)


def post(name, target, body, content_type=b"application/json", expect="4xx", headers=b""):
    raw(name, b"POST " + target + b" HTTP/1.1\r\nHost: t\r\nContent-Type: " + content_type +
        b"\r\nContent-Length: " + str(len(body)).encode() + b"\r\n" + headers +
        b"Connection: close\r\n\r\n" + body, expect)


# 1. Malformed HTTP.
raw("no version", b"GET /\r\n\r\n")
raw("bad version", b"GET / HTTP/9.9\r\nHost: t\r\n\r\n")
raw("lower-case version", b"GET / http/1.1\r\nHost: t\r\n\r\n")
raw("garbage request line", b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n")
raw("tls client hello", b"\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03" + b"\x00" * 40)
raw("space in method", b"G ET / HTTP/1.1\r\nHost: t\r\n\r\n")
raw("control char in method", b"GE\x01T / HTTP/1.1\r\nHost: t\r\n\r\n")
raw("empty target", b"GET  HTTP/1.1\r\nHost: t\r\n\r\n")
raw("header without colon", b"GET / HTTP/1.1\r\nHost t\r\n\r\n")
raw("header name with space", b"GET / HTTP/1.1\r\nHo st: t\r\n\r\n")
raw("nul in header value", b"GET / HTTP/1.1\r\nHost: t\x00x\r\n\r\n")
raw("content-length not a number", b"POST /api/v1/voice/opinions HTTP/1.1\r\nHost: t\r\nContent-Length: abc\r\n\r\n")
raw("negative content-length", b"POST /api/v1/voice/opinions HTTP/1.1\r\nHost: t\r\nContent-Length: -5\r\n\r\n")
raw("two different content-lengths", b"POST /api/v1/voice/opinions HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nabcdef")
raw("content-length with transfer-encoding", b"POST /api/v1/voice/opinions HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
raw("bad chunk size", b"POST /api/v1/voice/opinions HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n")
raw("chunk size overflow", b"POST /api/v1/voice/opinions HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFFFF\r\nabc\r\n0\r\n\r\n")
raw("unknown transfer-encoding", b"POST /api/v1/voice/opinions HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: gzip\r\n\r\n")
raw("target without slash", b"GET plan HTTP/1.1\r\nHost: t\r\n\r\n")
raw("absolute-form to elsewhere", b"GET http://evil.example/ HTTP/1.1\r\nHost: t\r\n\r\n")
raw("asterisk-form", b"OPTIONS * HTTP/1.1\r\nHost: t\r\n\r\n")
raw("percent escape broken", b"GET /plan%G1 HTTP/1.1\r\nHost: t\r\n\r\n")
raw("percent escape truncated", b"GET /plan% HTTP/1.1\r\nHost: t\r\n\r\n")
raw("nul escaped in path", b"GET /plan%00 HTTP/1.1\r\nHost: t\r\n\r\n")
raw("nul escaped in query", b"GET /search?q=%00 HTTP/1.1\r\nHost: t\r\n\r\n")
raw("broken escape in query", b"GET /search?q=%ZZ HTTP/1.1\r\nHost: t\r\n\r\n")
raw("unknown method", b"BREW /plan HTTP/1.1\r\nHost: t\r\n\r\n")
raw("delete on a page", b"DELETE /plan HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
raw("put on the api", b"PUT /api/v1/plan/policies HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
raw("patch on a receipt", b"PATCH /api/v1/receipts/CD-0000-0000-0000 HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")

# 2. Oversized headers and bodies.
raw("header of 20 KiB", b"GET / HTTP/1.1\r\nHost: t\r\nX-Big: " + b"a" * 20480 + b"\r\n\r\n")
raw("cookie of 32 KiB", b"GET / HTTP/1.1\r\nHost: t\r\nCookie: c=" + b"b" * 32768 + b"\r\n\r\n")
raw("request line of 20 KiB", b"GET /" + b"p" * 20480 + b" HTTP/1.1\r\nHost: t\r\n\r\n")
raw("three thousand headers", b"GET / HTTP/1.1\r\nHost: t\r\n" + b"".join(b"X-%d: v\r\n" % i for i in range(3000)) + b"\r\n")
raw("declared body of 2 MiB", b"POST /api/v1/voice/opinions HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: 2097152\r\n\r\n{\"text\":\"")
raw("declared body of 1 GiB", b"POST /api/v1/voice/opinions HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: 1073741824\r\n\r\n")
raw("chunked body over the limit", b"POST /api/v1/voice/opinions HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n200000\r\n" + b"a" * 2097152 + b"\r\n0\r\n\r\n")
post("opinion text over 1 MiB", b"/api/v1/voice/opinions", json.dumps({"text": "あ" * 400000}).encode())
post("form field over the limit", b"/voice/opinions", b"text=" + b"a" * 1048000, b"application/x-www-form-urlencoded")
get("query string of 12 KiB", b"/search?q=" + b"x" * 12000)

# 3. Invalid UTF-8.
for i, seq in enumerate([b"%FF", b"%C0%AF", b"%E3%81", b"%ED%A0%80", b"%F8%88%80%80%80", b"%80", b"%FE%FF"]):
    get(f"invalid UTF-8 in search query {i}", b"/search?q=" + seq)
    get(f"invalid UTF-8 in api search {i}", b"/api/v1/search?q=" + seq)
    get(f"invalid UTF-8 in path {i}", b"/plan/kpis/" + seq)
    post(f"invalid UTF-8 in JSON opinion {i}", b"/api/v1/voice/opinions",
         b'{"text":"' + urllib.parse.unquote_to_bytes(seq.decode()) + b'"}')
raw("raw 0xFF in path", b"GET /plan/\xff HTTP/1.1\r\nHost: t\r\n\r\n")
get("invalid UTF-8 in catalog search", b"/opendata?q=%FF%FE")
get("invalid UTF-8 in CKAN q", b"/api/3/action/package_search?q=%C3%28")
get("invalid UTF-8 in receipt lookup", b"/receipts?number=%E0%80%80")

# 4. Path traversal on static files.
for i, target in enumerate([
        b"/static/../../etc/passwd", b"/static/..%2F..%2Fetc%2Fpasswd", b"/static/%2e%2e/%2e%2e/etc/passwd",
        b"/static/%252e%252e%252fetc%252fpasswd", b"/static/..\\..\\etc\\passwd", b"/static/....//....//etc/passwd",
        b"/static/%c0%ae%c0%ae/etc/passwd", b"/static/site.css%00.png", b"/static/./site.css/../../x",
        b"/static/", b"/static/%2f", b"/static/%5c..%5cx", b"/static/.htaccess", b"/static/no-such-file.css",
        b"/static/site.css/", b"/static/..", b"/static/.", b"/static/%2e", b"/static//etc/passwd",
        b"/static/~root"]):
    get(f"static traversal {i}", target)

# 5. SQL-like and script payloads where an identifier is expected.
payloads = ["1' OR '1'='1", "1; DROP TABLE consultation;--", "1 UNION SELECT password_hash FROM http_user",
            "<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "../../etc/passwd",
            "1e309", "-1", "0x10", "99999999999999999999999"]
for i, payload in enumerate(payloads):
    q = urllib.parse.quote(payload, safe="").encode()
    get(f"payload as consultation id {i}", b"/consultations/" + q)
    get(f"payload as policy number {i}", b"/plan/policies/" + q)
    get(f"payload as KPI code {i}", b"/api/v1/plan/kpis/" + q)
    get(f"payload as receipt {i}", b"/api/v1/receipts/" + q)
    get(f"payload as dataset id {i}", b"/api/3/action/package_show?id=" + q)
    get(f"payload as dataset file {i}", b"/opendata/files/" + q + b".csv")
get("payload as search kind", b"/api/v1/search?q=%E7%B7%91&kind=opinion%27%20OR%201%3D1")
get("payload as CKAN fq", b"/api/3/action/package_search?fq=organization%3Aminatoku%27%20OR%201%3D1%20--%20x%3Ay")
get("payload as CKAN rows", b"/api/3/action/package_search?rows=10%3B%20DROP%20TABLE%20x")
get("payload as edition", b"/api/v1/plan/versions?from=2021%27--")
get("payload as encoding", b"/opendata/files/plan-kpis.csv?encoding=%3Cscript%3E")

# 6. Bad JSON to the intake API.
bodies = [b"", b"{", b"[]", b"null", b"42", b'"text"', b'{"text":42}', b'{"text":null}', b'{"text":["a"]}',
          b'{"text":{"a":1}}', b'{"text":""}', b'{"text":"   "}', b'{"text":"\\u0000\\u0001"}',
          b'{"text":"ok","channel":"carrier pigeon"}', b'{"text":"ok","channel":"\xe9\x83\xb5\xe9\x80\x81","district":"Mars"}',
          b'{"text":"ok","channel":7}', b'{"text":"ok","relationship":"alien"}', b'{"txt":"typo"}',
          b'[' * 5000 + b']' * 5000, b'{"text":"\\ud800"}', b'{"text":"ok"} trailing', b"\xef\xbb\xbf{\"text\":1}"]
for i, body in enumerate(bodies):
    post(f"bad JSON opinion {i}", b"/api/v1/voice/opinions", body)
post("opinion as a form to the JSON api", b"/api/v1/voice/opinions", b"text=hello", b"application/x-www-form-urlencoded")
post("opinion as text/plain", b"/api/v1/voice/opinions", b'{"text":"ok"}', b"text/plain")
post("opinion to a closed or missing consultation", b"/api/v1/consultations/999999/opinions", b'{"text":"ok"}')
post("opinion to a non-numeric consultation", b"/api/v1/consultations/abc/opinions", b'{"text":"ok"}')

# 7. Forms without their CSRF token, honeypot, and staff routes without a session (a staff
# route asks to sign in first: 303 to /login, the same for GET and POST).
post("citizen form without token", b"/voice/opinions", b"text=%E7%B7%91", b"application/x-www-form-urlencoded")
post("citizen form with bad token", b"/voice/opinions", b"text=%E7%B7%91&csrf_token=forged", b"application/x-www-form-urlencoded")
post("login without token", b"/login", b"login=admin&password=x", b"application/x-www-form-urlencoded")
post("form body with broken escapes", b"/voice/opinions", b"text=%E7%ZZ&csrf_token=x", b"application/x-www-form-urlencoded")
for i, target in enumerate([b"/staff", b"/staff/consultations", b"/staff/consultations/1", b"/staff/items/1",
                            b"/staff/consultations/1/publish", b"/staff/consultations/1/analysis",
                            b"/staff/search?q=%E7%B7%91", b"/staff/submissions/1/split"]):
    get(f"staff page without a session {i}", target, "303")  # to the sign-in page
post("KPI entry without a session", b"/plan/kpis/24-1-1/actuals", b"fiscal_year=2023&value=70", b"application/x-www-form-urlencoded", "303")
get("forged session cookie", b"/staff", "303", headers=b"Cookie: civicdesk_session=" + b"A" * 64 + b"\r\n")
get("session cookie with odd bytes", b"/staff", "303", headers=b"Cookie: civicdesk_session=%00%FF;;;==\r\n")
# Facilities and partners (issues 9 and 10).
get("projection: years not a number", b"/facilities/projection?years=abc")
get("projection: years zero", b"/facilities/projection?years=0")
get("projection: years too many", b"/facilities/projection.csv?years=1000")
get("projection: unknown policy", b"/facilities/projection.csv?policy=../../etc")
get("projection: unknown grouping", b"/facilities/projection?by=%00")
get("facility: unknown id", b"/facilities/%E2%80%AE")
get("levelling: without a session", b"/staff/facilities/levelling?cap=abc", "303")
post("policy edit without a session", b"/staff/facilities/policies", b"policy_json=%7B%7D", b"application/x-www-form-urlencoded", "303")
post("estimate: broken JSON", b"/api/v1/workation/estimate", b'{"staff":[')
post("estimate: staff not a list", b"/api/v1/workation/estimate", b'{"staff":"three"}')
post("estimate: nights as text", b"/api/v1/workation/estimate", b'{"staff":[{"nights":"2","lodging_per_night_yen":1,"transport_yen":1}]}')
post("estimate: zero nights", b"/api/v1/workation/estimate", b'{"staff":[{"nights":0,"lodging_per_night_yen":1,"transport_yen":1}]}')
post("estimate: negative transport", b"/api/v1/workation/estimate", b'{"staff":[{"nights":1,"lodging_per_night_yen":1,"transport_yen":-5}]}')
post("estimate: huge numbers", b"/api/v1/workation/estimate", b'{"staff":[{"nights":99999999999999999999,"lodging_per_night_yen":1e400,"transport_yen":1}]}')
post("estimate: empty staff", b"/api/v1/workation/estimate", b'{"staff":[]}')
post("estimate: as a form", b"/api/v1/workation/estimate", b"staff=1", b"application/x-www-form-urlencoded")
get("estimate page: letters", b"/workation/estimate?nights_1=two")
get("estimate page: no nights", b"/workation/estimate?lodging_1=9000&transport_1=1000")
get("draw: not a year", b"/workation/draws/abc")
get("draw: no draw that year", b"/workation/draws/1999")
get("programme api: not a year", b"/api/v1/workation/programmes/abc")
get("programme api: no programme that year", b"/api/v1/workation/programmes/2199")
post("apply without a token", b"/workation/apply", b"business_name=x&corporate_number=1", b"application/x-www-form-urlencoded")
post("workation action without a session", b"/staff/workation/applications/1/approve", b"csrf_token=x", b"application/x-www-form-urlencoded", "303")

# 8. Other query parameters out of range.
for i, target in enumerate([b"/api/3/action/package_search?rows=-1", b"/api/3/action/package_search?start=abc",
                            b"/api/3/action/package_search?rows=1e9", b"/api/3/action/resource_show",
                            b"/api/3/action/organization_show?id=tokyo", b"/api/3/action/nonsense",
                            b"/api/v1/plan/versions?from=1999", b"/api/v1/plan/versions?to=%20",
                            b"/opendata/files/plan-kpis.pdf", b"/opendata/files/plan-kpis",
                            b"/opendata/files/plan-kpis.json?encoding=cp932", b"/opendata/datasets/none",
                            b"/consultations/1/result.doc", b"/plan/policies/27", b"/plan/policies/0",
                            b"/plan/policies/24/measures/99", b"/plan/kpis/99-9-9", b"/api/v1/plan/policies/abc",
                            b"/api/v1/search?q=", b"/api/v1/search?q=%E7%B7%91&kind=unicorn",
                            b"/no/such/page", b"/consultations/0",
                            b"/api/v1/consultations/-1/summary"]):
    get(f"out of range {i}", target)

# CLI: malformed imports, wrong encodings, bad arguments. `input` is written to a file whose
# path replaces {file}; `stderr` must contain `mention`.
def cli(name, args, content=b"", mention="", suffix=".csv"):
    cli_cases.append({"name": name, "args": args, "input": base64.b64encode(content).decode(),
                      "suffix": suffix, "mention": mention})

header = "id,text\n".encode()
cli("opinions: empty file", ["import", "opinions", "{file}"], b"", "")
cli("opinions: header only", ["import", "opinions", "{file}"], header, "")
cli("opinions: missing text column", ["import", "opinions", "{file}"], b"id,body\n1,hello\n", "text")
cli("opinions: missing id column", ["import", "opinions", "{file}"], b"text\nhello\n", "id")
cli("opinions: empty text", ["import", "opinions", "{file}"], header + b"1,\n", "2")
cli("opinions: empty id", ["import", "opinions", "{file}"], header + b",hello\n", "2")
cli("opinions: duplicate id", ["import", "opinions", "{file}"], header + b"1,a\n1,b\n", "3")
# Cells beyond the header carry data that maps to no field: refused naming the columns.
cli("opinions: too many cells", ["import", "opinions", "{file}"], header + b"1,a,b,c\n", "列3")
cli("opinions: unterminated quote", ["import", "opinions", "{file}"], header + b'1,"open quote\n', "")
# CP932 and UTF-16 are read (issue 19); a bad row in them is still named.
cli("opinions: CP932 bytes, a row without text", ["import", "opinions", "{file}"],
    header + "1,港区の緑\n2,\n".encode("cp932"), "3")
cli("opinions: UTF-16, a duplicate id", ["import", "opinions", "{file}"],
    "id,text\n1,緑\n1,みどり\n".encode("utf-16"), "3")
# Regression: a last row with its id left empty is a row error, not a note below the table.
cli("opinions: a last row without an id", ["import", "opinions", "{file}"],
    "id,text\n1,緑\n,みどり\n".encode("utf-16"), "row 3, id")
cli("opinions: EUC-JP bytes", ["import", "opinions", "{file}"], header + "2,騒音\n".encode("euc_jp"), "UTF-8")
cli("opinions: NUL bytes", ["import", "opinions", "{file}"], header + b"1,a\x00b\n", "")
cli("opinions: control characters only", ["import", "opinions", "{file}"], header + b"1,\x01\x02\x03\n", "2")
cli("opinions: binary garbage", ["import", "opinions", "{file}"], bytes(range(256)) * 4, "")
cli("opinions: xlsx bytes as csv", ["import", "opinions", "{file}"], b"PK\x03\x04" + b"\x00" * 100, "")
cli("opinions: unknown channel", ["import", "opinions", "{file}"], b"id,text,channel\n1,a,pigeon\n", "channel")
cli("opinions: missing file", ["import", "opinions", "/nonexistent/opinions.csv"], b"", "opinions.csv")
cli("opinions: a directory", ["import", "opinions", "/tmp"], b"", "")
kpi_header = b"code,fiscal_year,value,source\n"
cli("kpi: unknown code", ["kpi", "import", "{file}"], kpi_header + b"99-9-9,2023,1,x\n", "99-9-9")
cli("kpi: year outside the plan", ["kpi", "import", "{file}"], kpi_header + b"24-1-1,1999,1,x\n", "fiscal_year")
cli("kpi: value not a number", ["kpi", "import", "{file}"], kpi_header + b"24-1-1,2023,many,x\n", "value")
cli("kpi: percent over 100", ["kpi", "import", "{file}"], kpi_header + b"24-1-1,2023,250,x\n", "")
cli("kpi: missing column", ["kpi", "import", "{file}"], b"code,value\n24-1-1,3\n", "fiscal year")
cli("kpi: wrong extension", ["kpi", "import", "{file}"], kpi_header, "", ".txt")
cli("kpi: xlsx that is not a zip", ["kpi", "import", "{file}"], b"this is not a spreadsheet", "", ".xlsx")
cli("kpi: zip without a sheet", ["kpi", "import", "{file}"],
    base64.b64decode("UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA=="), "", ".xlsx")
cli("kpi: CP932 header", ["kpi", "import", "{file}"], "コード,年度,値\n".encode("cp932"), "")
cli("kpi: set-actual bad year", ["kpi", "set-actual", "24-1-1", "--fiscal-year", "twenty", "--value", "1"], b"", "fiscal-year")
cli("kpi: set-actual bad survey", ["kpi", "set-actual", "24-0-1", "--fiscal-year", "2023", "--survey", "1/2/x"], b"", "survey")
cli("kpi: set-actual no value", ["kpi", "set-actual", "24-1-1", "--fiscal-year", "2023"], b"", "value")
ev_header = b"policy,measure,project,fiscal_year,cost_general\n"
cli("evaluation: empty", ["evaluation", "import", "{file}", "--dataset", "x"], b"", "")
cli("evaluation: bad year", ["evaluation", "import", "{file}", "--dataset", "x"], ev_header + b"p,m,j,year,1\n", "")
cli("evaluation: bad cost", ["evaluation", "import", "{file}", "--dataset", "x"], ev_header + b"p,m,j,2023,lots\n", "")
cli("evaluation: missing dataset", ["evaluation", "import", "{file}"], ev_header, "dataset")
cli("results: empty", ["import", "results", "{file}"], b"", "", ".txt")
cli("results: not a result table", ["import", "results", "{file}"], "ただの文章です。\n".encode(), "", ".txt")
cli("results: CP932", ["import", "results", "{file}"], "区民意見に対する区の考え方\n".encode("cp932"), "", ".txt")
cli("consultation: bad date", ["consultation", "create", "--title", "t", "--opens", "2026-02-30", "--closes", "2026-04-01"], b"", "opens")
cli("consultation: closes before opens", ["consultation", "create", "--title", "t", "--opens", "2026-04-01", "--closes", "2026-03-01"], b"", "closes")
cli("consultation: period too short", ["consultation", "create", "--title", "t", "--opens", "2026-04-01", "--closes", "2026-04-05"], b"", "")
cli("consultation: no title", ["consultation", "create", "--opens", "2026-04-01", "--closes", "2026-06-01"], b"", "title")
cli("publish: unknown consultation", ["publish", "999999"], b"", "")
cli("publish: id not a number", ["publish", "abc"], b"", "")
cli("publish: unknown format", ["publish", "1", "--format", "docx"], b"", "format")
cli("analyze: id not a number", ["analyze", "x1"], b"", "")
cli("analyze: threshold out of range", ["analyze", "1", "--group-threshold", "7"], b"", "group-threshold")
cli("serve: port out of range", ["serve", "--port", "70000"], b"", "port")
cli("serve: bad submit limit", ["serve", "--submit-limit", "-3"], b"", "submit-limit")
cli("unknown command", ["frobnicate"], b"", "")
cli("unknown option", ["db", "status", "--colour", "blue"], b"", "colour")
cli("user: unknown role", ["user", "add", "--login", "x", "--name", "x", "--role", "emperor"], b"pw\n", "role")
fac_header = b"id,name,category,district,floor_area_sqm,year_built\n"
cli("facilities: negative area", ["facilities", "project", "--input", "{file}"], fac_header + "A,庁舎,行政系,芝,-5,1990\n".encode(), "line 2: floor_area_sqm")
cli("facilities: future build year", ["facilities", "project", "--input", "{file}"], fac_header + "A,庁舎,行政系,芝,100,2999\n".encode(), "line 2: year_built")
cli("facilities: unknown category", ["facilities", "project", "--input", "{file}"], fac_header + "A,庁舎,宇宙港,芝,100,1990\n".encode(), "line 2: category")
cli("facilities: area not a number", ["facilities", "project", "--input", "{file}"], fac_header + "A,庁舎,行政系,芝,広い,1990\n".encode(), "floor_area_sqm")
cli("facilities: unknown kind of work", ["facilities", "project", "--input", "{file}"], b"name,category,floor_area_sqm,year_built,works\n" + "庁舎,行政系,100,1990,2000:塗装\n".encode(), "works")
cli("facilities: unknown policy", ["facilities", "project", "--input", "{file}", "--policy", "forever"], fac_header + "A,庁舎,行政系,芝,100,1990\n".encode(), "policy")
cli("facilities: years out of range", ["facilities", "project", "--input", "{file}", "--years", "0"], fac_header, "years")
cli("facilities: import bad row", ["facilities", "import", "{file}"], fac_header + "A,庁舎,行政系,芝,0,1990\n".encode(), "floor_area_sqm")
cli("facilities: level bad cap", ["facilities", "level", "--input", "{file}", "--cap-yen", "-1"], fac_header, "cap-yen")
cli("partners: wrong check digit", ["partners", "import", "{file}"], "code,prefecture,name\n131033,東京都,港区\n".encode(), "code")
cli("partners: missing name column", ["partners", "import", "{file}"], b"code,prefecture\n131032,x\n", "name")

with open("http.jsonl", "w") as out:
    for case in http_cases:
        out.write(json.dumps(case, ensure_ascii=False) + "\n")
with open("cli.jsonl", "w") as out:
    for case in cli_cases:
        out.write(json.dumps(case, ensure_ascii=False) + "\n")
print(f"{len(http_cases)} HTTP cases, {len(cli_cases)} CLI cases")
