#!/usr/bin/python3
"""Derives eval.csv (item,text,group,field,answer) from opinions.json, the table of 国土交通省's
「交通政策基本計画（素案）に対する主な御意見（パブリックコメント）及びそれに対する考え方」 as
happygoluckydev/RIP-PubComme extracted it from the ministry's PDF (SOURCE.md).

item = the record key (Ⅰ-1 … Ⅱ-35), text = 意見（概要）, field = 該当箇所 (section).
group: opinions the ministry answered with one answer form one group — a vertically merged
answer cell (response_cell_merged_with_previous) or the same answer printed again (compared
with all white space removed); the group is named by its first item's key. Standard library only.

Usage: derive.py [OUT.csv]   (default: eval.csv beside this script)
"""
import csv
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def main(out_path):
    with open(os.path.join(HERE, "opinions.json"), encoding="utf-8") as source:
        records = json.load(source)["records"]
    group_of_answer = {}
    with open(out_path, "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["item", "text", "group", "field", "answer"])
        for record in records:
            answer_key = "".join(record["response"].split())
            group = group_of_answer.setdefault(answer_key, record["key"])
            writer.writerow([record["key"], record["opinion_summary"], group, record["section"],
                             record["response"]])


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "eval.csv"))
