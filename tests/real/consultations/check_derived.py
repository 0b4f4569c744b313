#!/usr/bin/python3
"""ctest real_consultations_derived: every */derive.py, run again, writes exactly the eval.csv
committed beside it, and every eval.csv has the columns the grouping_real benchmark reads
(item,text,group,field,answer) with an item, a text, a group and an answer on each row."""
import csv
import filecmp
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    failures = []
    names = sorted(n for n in os.listdir(HERE) if os.path.isfile(os.path.join(HERE, n, "derive.py")))
    with tempfile.TemporaryDirectory() as work:
        for name in names:
            committed = os.path.join(HERE, name, "eval.csv")
            fresh = os.path.join(work, name + ".csv")
            done = subprocess.run([sys.executable, os.path.join(HERE, name, "derive.py"), fresh],
                                  capture_output=True, text=True)
            if done.returncode != 0:
                failures.append(f"{name}: derive.py failed: {done.stderr.strip()}")
                continue
            if not os.path.isfile(committed) or not filecmp.cmp(committed, fresh, shallow=False):
                failures.append(f"{name}: eval.csv is not what derive.py writes")
                continue
            with open(committed, encoding="utf-8", newline="") as source:
                reader = csv.DictReader(source)
                if reader.fieldnames != ["item", "text", "group", "field", "answer"]:
                    failures.append(f"{name}: eval.csv header is {reader.fieldnames}")
                    continue
                for line, row in enumerate(reader, start=2):
                    missing = [k for k in ("item", "text", "group", "answer") if not row[k]]
                    if missing:
                        failures.append(f"{name}: eval.csv row {line} has no {missing[0]}")
    for failure in failures:
        print(failure)
    print(f"{len(names) - len({f.split(':')[0] for f in failures})} passed, "
          f"{len({f.split(':')[0] for f in failures})} failed")
    return 1 if failures or not names else 0


if __name__ == "__main__":
    sys.exit(main())
