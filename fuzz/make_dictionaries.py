#!/usr/bin/env python3
"""Writes fuzz/dictionaries/TARGET.dict: words the formats and the importers' headers use, so
that the fuzzers reach past the header row and the request line sooner."""
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent


def entry(word):
    out = []
    for byte in word.encode("utf-8"):
        ch = chr(byte)
        out.append(ch if 32 <= byte < 127 and ch not in '"\\' else "\\x%02x" % byte)
    return '"' + "".join(out) + '"'


def write(name, words):
    (ROOT / "dictionaries").mkdir(exist_ok=True)
    (ROOT / "dictionaries" / (name + ".dict")).write_text(
        "".join(entry(w) + "\n" for w in dict.fromkeys(words)))


tabular = [",", "\t", '"', '""', "\r\n", "\ufeff", "－", "―", "–", "ー", "※", "注", "備考", "（1）",
           "1,234", "３６", "—", "令和5年度", "2023"]
write("results", tabular + ["No.", "番号", "意見", "意見の概要", "区の考え方", "市の考え方", "国の考え方",
                            "主な該当分野", "区分", "部", "課", "対応状況", "区民説明会（芝）", "件数", "計", "人数"])
write("opinions", tabular + ["id", "text", "channel", "field", "section", "group", "番号", "ご意見", "受付方法",
                             "分野", "web", "mail", "fax", "郵送"])
write("kpi_csv", tabular + ["code", "fiscal_year", "value", "source", "24-1-1", "71.9", "-0", "1e308", "nan"])
write("evaluation_csv", tabular + ["政策", "施策", "事業", "年度", "国", "都道府県", "一般財源", "その他", "人員",
                                   "時間", "活動指標", "成果実績", "方向性", "拡充", "継続", "廃止", "policy",
                                   "fiscal_year", "cost_national"])
write("facilities_csv", tabular + ["id", "name", "category", "district", "floor_area_sqm", "year_built",
                                   "structure", "department", "section", "works", "rebuild_age",
                                   "rebuild_yen_per_sqm", "施設分類", "市民文化系施設", "大規模改修", "中規模修繕",
                                   "2012:大規模改修:250000000;", "'=", "RC"])
write("partners_csv", tabular + ["code", "prefecture", "name", "agreement_type", "agreement_title",
                                 "signed_on", "015113", "北海道", "2023-04-01"])
write("wareki", ["明治", "大正", "昭和", "平成", "令和", "元年", "年", "月", "日", "年度", "年度末", "(", ")",
                 "（", "）", "〇", "一", "二", "十", "百", "千", "０", "９", " ", "　", "2019", "-"])
write("http_request", ["GET ", "POST ", "HEAD ", " HTTP/1.1\r\n", " HTTP/1.0\r\n", "\r\n\r\n", "Host: t\r\n",
                       "Content-Length: ", "Transfer-Encoding: chunked\r\n", "Connection: close\r\n",
                       "Connection: keep-alive\r\n", "Content-Type: application/x-www-form-urlencoded\r\n",
                       "Content-Type: application/json\r\n", "Cookie: civicdesk_session=@SESSION@\r\n",
                       "Cookie: civicdesk_csrf=abc\r\n", "csrf_token=@CSRF@", "csrf_token=abc", "&", "=", "%",
                       "%E6%84%8F", "?lang=en", "?page=", "X-Forwarded-For: ", "Accept-Language: en\r\n",
                       "/staff/", "/api/v1/", "/consultations/1", "/plan/kpis/24-1-1", "{\"text\":\"",
                       "0\r\n\r\n"])
