#!/usr/bin/python3
"""Derives eval.csv (item,text,group,field,answer) from pubcom-teisyutuiken.txt, the text of
小牧市's 「提出された意見及び市の考え方」 (パブリックコメント on 篠岡地区学校再編計画（案）) as
komaki-east-school-reorg/komaki-east-school-reorg.github.io extracted it from the city's PDF,
and items.tsv, read from that text by hand (SOURCE.md says how).

The PDF is a three-column table (No. / 意見（原文） / 市の考え方) whose text comes out with the
columns interleaved: an opinion's lines, then the ■ headings the city answered it under, with
the numbers of the No. column gathered elsewhere. items.tsv names, for each of the 55
submissions, the line ranges of its opinion (1-based, inclusive), the line of the first ■
heading it was answered under, and all its headings in order. item = No., text = those lines
joined (line breaks kept; a leading "N " on a one-line opinion dropped), group = its first
heading (the city answers one concern under one heading, often 「No.1」の回答のとおりです),
answer = the text under that heading up to the next heading or opinion, field empty (the
table has none). The script checks that every line range holds opinion text (no ■ heading, no
page marker) and that each answer line is that heading. Standard library only.

Usage: derive.py [OUT.csv]   (default: eval.csv beside this script)
"""
import csv
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
# Two headings the city spelled two ways for one answer (「No.29」 and 「No.1」 refer back).
SAME_HEADING = {"第１期学校再編の時期について": "第１期再編の時期について",
                "学校と地域のつながりについて": "学校と地域とのつながりについて"}
MARKER = re.compile(r"^(\d+|\d+ ページ|No\.|意見（原文）|市の考え方)$")


def main(out_path):
    with open(os.path.join(HERE, "pubcom-teisyutuiken.txt"), encoding="utf-8") as source:
        lines = source.read().split("\n")
    with open(os.path.join(HERE, "items.tsv"), encoding="utf-8", newline="") as source:
        items = list(csv.DictReader(source, delimiter="\t"))
    opinion_lines = set()
    for item in items:
        for span in item["lines"].split(","):
            first, _, last = span.partition("-")
            opinion_lines.update(range(int(first), int(last or first) + 1))
    with open(out_path, "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["item", "text", "group", "field", "answer"])
        for item in items:
            text = []
            for span in item["lines"].split(","):
                first, _, last = span.partition("-")
                for number in range(int(first), int(last or first) + 1):
                    line = lines[number - 1]
                    if line.startswith("■") or MARKER.match(line):
                        sys.exit(f"item {item['no']}: line {number} is not opinion text: {line}")
                    text.append(line)
            if text[0].startswith(item["no"] + " "):
                text[0] = text[0][len(item["no"]) + 1:]
            headings = item["headings"].split("|")
            answer_line = int(item["answer_line"])
            if lines[answer_line - 1] != "■" + headings[0]:
                sys.exit(f"item {item['no']}: line {answer_line} is not ■{headings[0]}")
            answer = []
            for number in range(answer_line + 1, len(lines) + 1):
                line = lines[number - 1]
                if line.startswith("■") or MARKER.match(line) or number in opinion_lines:
                    break
                answer.append(line)
            for heading in headings:
                if "■" + heading not in lines:
                    sys.exit(f"item {item['no']}: no line ■{heading}")
            group = SAME_HEADING.get(headings[0], headings[0])
            writer.writerow([item["no"], "\n".join(text), group, "", "\n".join(answer)])


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "eval.csv"))
