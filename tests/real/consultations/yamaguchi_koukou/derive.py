#!/usr/bin/python3
"""Derives eval.csv (item,text,group,field,answer) from extract.tsv, the public-comment part of
yyy-yuichi/yamaguchi-highschool-pubcom's docs/data/public_experience.json (SOURCE.md).

Every official_text is checked against the official_text_sha256 the source published beside it,
so a character lost in transcription stops the script. item = the opinion's number (1-150),
group = the response group the prefecture answered it in (its table cell, group_id),
field = topic_label, answer = that group's response. Standard library only.

Usage: derive.py [OUT.csv]   (default: eval.csv beside this script)
"""
import csv
import hashlib
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def main(out_path):
    rows = []
    with open(os.path.join(HERE, "extract.tsv"), encoding="utf-8", newline="") as source:
        reader = csv.DictReader(source, delimiter="\t", quoting=csv.QUOTE_NONE)
        for line, row in enumerate(reader, start=2):
            digest = hashlib.sha256(row["official_text"].encode("utf-8")).hexdigest()
            if digest != row["official_text_sha256"]:
                sys.exit(f"extract.tsv line {line}: official_text does not match its sha256")
            rows.append(row)
    answers = {r["group_id"]: r["official_text"] for r in rows if r["kind"] == "response"}
    opinions = [r for r in rows if r["kind"] == "opinion"]
    with open(out_path, "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["item", "text", "group", "field", "answer"])
        for row in opinions:
            if row["group_id"] not in answers:
                sys.exit(f"opinion {row['number']}: no response for group {row['group_id']}")
            writer.writerow([row["number"], row["official_text"], row["group_id"],
                             row["topic_label"], answers[row["group_id"]]])


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "eval.csv"))
