#!/usr/bin/python3
"""Derives eval.csv (item,text,group,field,answer) from excerpt.csv, rows 1-26 of
cm3/iaia2025data's matching/6thPC_AnalysisData_full_20250209.csv: opinions on 環境省's
第六次環境基本計画（案） and the ministry's answers (SOURCE.md).

item = id, text = comment, answer = reply. group: opinions given the same answer form one group
(compared with all white space removed); named by the first item's id. The table has no field
column, so field is empty. Standard library only.

Usage: derive.py [OUT.csv]   (default: eval.csv beside this script)
"""
import csv
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def main(out_path):
    group_of_answer = {}
    with open(os.path.join(HERE, "excerpt.csv"), encoding="utf-8", newline="") as source, \
            open(out_path, "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["item", "text", "group", "field", "answer"])
        for row in csv.DictReader(source):
            group = group_of_answer.setdefault("".join(row["reply"].split()), row["id"])
            writer.writerow([row["id"], row["comment"], group, "", row["reply"]])


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "eval.csv"))
