#!/usr/bin/python3
"""The `grouping_real` benchmark (issue 20 deliverable 6): civicdesk's similar-opinion groups and
field suggestions on real consultations of other Japanese governments, against the groups in
which those governments answered them and the fields they filed them under
(tests/real/consultations/*/eval.csv), beside a Debian python3-sklearn baseline.

Ours, as staff get them today with the default settings:
  groups  `civicdesk import opinions FILE --db sqlite:…` (columns id,text), then
          `civicdesk analyze ID --json`: each group of "groups" is one predicted group (a
          campaign is one too); every other item is a group of its own.
  fields  5 folds (item i in fold i mod 5): the file is imported with the field of the items
          outside the fold and none for the fold, into a fresh database (the classifier learns
          from every classified item of the database); the top suggestion that
          `analyze --json` gives each item of the fold is its predicted field.
Baseline: TF-IDF of character 2-3-grams (fitted per consultation), agglomerative clustering
with average linkage on cosine distance, at the one distance threshold (of 39 cuts) that gives
the best overall F1 (the best threshold of each consultation alone is printed too); fields by
logistic regression on the same features, same folds.

Scores: pairwise precision/recall/F1 (grouping_metrics.py) per consultation; overall = the mean
over consultations (each counts once: pooled pairs are dominated by the largest official groups,
so that putting every opinion of a consultation in one group beats any real cut — the pooled
figures and that one-group reference are printed beside it). Top-1 field accuracy per
consultation that has fields, overall their mean (pooled over items printed too).
Goal (issue 20): ours F1 >= 2x the baseline's and field accuracy >= the baseline's + 10 points.

Usage: grouping_real.py --civicdesk BIN --data tests/real/consultations [--only NAME]
Prints one line per consultation and figure, then
  BENCH grouping_real ours=<F1> baseline=<F1> ratio=<r> goal=>=2 PASS|FAIL
and exits 1 when the goal is missed.
"""
import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from grouping_metrics import pair_counts, scores  # noqa: E402

FOLDS = 5
THRESHOLDS = [round(0.05 + 0.025 * i, 3) for i in range(38)] + [0.99]  # cosine distance


def load(data_dir, only):
    consultations = []
    for name in sorted(os.listdir(data_dir)):
        path = os.path.join(data_dir, name, "eval.csv")
        if not os.path.isfile(path) or (only and name not in only):
            continue
        with open(path, encoding="utf-8", newline="") as source:
            rows = list(csv.DictReader(source))
        consultations.append((name, rows))
    return consultations


class Civicdesk:
    def __init__(self, binary, work):
        self.binary = binary
        self.work = work
        self.runs = 0

    def run(self, *words):
        done = subprocess.run([self.binary, *words], capture_output=True, text=True)
        if done.returncode != 0:
            sys.exit(f"grouping_real: civicdesk {' '.join(words[:2])} failed: {done.stderr}")
        return done.stdout

    def analyze(self, name, rows, fields=None):
        """Imports rows (ids 1..n, fields where given) into a fresh database; analyze --json."""
        self.runs += 1
        base = os.path.join(self.work, f"{name}-{self.runs}")
        with open(base + ".csv", "w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out, lineterminator="\n")
            writer.writerow(["id", "text"] + (["field"] if fields is not None else []))
            for i, row in enumerate(rows):
                writer.writerow([i + 1, row["text"]] + ([fields[i]] if fields is not None else []))
        url = "sqlite:" + base + ".db"
        imported = self.run("import", "opinions", base + ".csv", "--db", url, "--title", name)
        consultation = imported.strip().splitlines()[-1].strip()
        return json.loads(self.run("analyze", consultation, "--json", "--db", url))


def our_groups(analysis):
    """item index -> group label from analyze --json (groups first, then campaigns)."""
    predicted = {}
    for kind in ("groups", "campaigns"):
        for g, group in enumerate(analysis[kind]):
            for item in group["items"]:
                predicted.setdefault(int(item) - 1, f"{kind}{g}")
    return predicted


def our_fields(civicdesk, name, rows):
    predicted = {}
    for fold in range(FOLDS):
        held = {i for i in range(len(rows)) if i % FOLDS == fold}
        fields = ["" if i in held else row["field"] for i, row in enumerate(rows)]
        analysis = civicdesk.analyze(f"{name}-fold{fold}", rows, fields)
        for suggestion in analysis["suggestions"]:
            index = int(suggestion["item"]) - 1
            if index in held and suggestion["fields"]:
                predicted[index] = suggestion["fields"][0]["label"]
    return predicted


def baseline_distances(rows):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics.pairwise import cosine_distances
    features = TfidfVectorizer(analyzer="char", ngram_range=(2, 3)).fit_transform(
        [row["text"] for row in rows])
    return cosine_distances(features)


def baseline_groups(distances, threshold):
    from sklearn.cluster import AgglomerativeClustering
    if len(distances) < 2:
        return {0: 0}
    labels = AgglomerativeClustering(n_clusters=None, metric="precomputed", linkage="average",
                                     distance_threshold=threshold).fit_predict(distances)
    return {i: int(label) for i, label in enumerate(labels)}


def baseline_fields(rows):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    predicted = {}
    for fold in range(FOLDS):
        train = [i for i in range(len(rows)) if i % FOLDS != fold]
        test = [i for i in range(len(rows)) if i % FOLDS == fold]
        labels = [rows[i]["field"] for i in train]
        if len(set(labels)) == 1:
            predicted.update({i: labels[0] for i in test})
            continue
        vectorizer = TfidfVectorizer(analyzer="char", ngram_range=(2, 3))
        model = LogisticRegression(max_iter=1000).fit(
            vectorizer.fit_transform([rows[i]["text"] for i in train]), labels)
        guesses = model.predict(vectorizer.transform([rows[i]["text"] for i in test]))
        predicted.update(dict(zip(test, guesses)))
    return predicted


def accuracy(predicted, rows):
    right = sum(1 for i, row in enumerate(rows) if predicted.get(i) == row["field"])
    return right, len(rows)


def line(label, counts):
    p, r, f = scores(*counts)
    return f"{label} P={p:.3f} R={r:.3f} F1={f:.3f} (pairs: shared {counts[0]}, " \
           f"predicted {counts[1]}, official {counts[2]})"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--civicdesk", required=True)
    parser.add_argument("--data", required=True)
    parser.add_argument("--only", nargs="*")
    args = parser.parse_args()
    consultations = load(args.data, args.only)
    if not consultations:
        sys.exit(f"grouping_real: no */eval.csv under {args.data}")

    ours_total = [0, 0, 0]
    ours_f1 = []
    distances = {}
    officials = {}
    fields = {"ours": [], "baseline": []}
    field_totals = {"ours": [0, 0], "baseline": [0, 0]}
    with tempfile.TemporaryDirectory(prefix="civicdesk-grouping-real-") as work:
        civicdesk = Civicdesk(args.civicdesk, work)
        for name, rows in consultations:
            official = officials[name] = {i: row["group"] for i, row in enumerate(rows)}
            multi = sum(1 for g in set(official.values())
                        if sum(1 for v in official.values() if v == g) > 1)
            analysis = civicdesk.analyze(name, rows)
            counts = pair_counts(our_groups(analysis), official)
            ours_total = [a + b for a, b in zip(ours_total, counts)]
            ours_f1.append(scores(*counts)[2])
            print(f"{name}: {len(rows)} items, {len(set(official.values()))} official groups "
                  f"({multi} of 2+); ours {len(analysis['groups'])} groups, "
                  f"{len(analysis['campaigns'])} campaigns")
            print("  " + line("ours    ", counts))
            one = pair_counts({i: 0 for i in official}, official)
            print(f"  one group of everything: F1={scores(*one)[2]:.3f}")
            distances[name] = baseline_distances(rows)
            if any(row["field"] for row in rows):
                ours_f = accuracy(our_fields(civicdesk, name, rows), rows)
                base_f = accuracy(baseline_fields(rows), rows)
                for key, value in (("ours", ours_f), ("baseline", base_f)):
                    field_totals[key] = [a + b for a, b in zip(field_totals[key], value)]
                    fields[key].append(value[0] / value[1])
                labels = len({row["field"] for row in rows})
                print(f"  fields ({labels} labels, 4/5 labelled, 5 folds): ours "
                      f"{ours_f[0] / ours_f[1]:.3f} ({ours_f[0]}/{ours_f[1]}), baseline "
                      f"{base_f[0] / base_f[1]:.3f} ({base_f[0]}/{base_f[1]})")
            else:
                print("  fields: none published, not scored")

    def baseline_at(threshold):
        return {name: pair_counts(baseline_groups(distances[name], threshold), officials[name])
                for name, _ in consultations}

    def mean(values):
        return sum(values) / len(values)

    sweep = {t: baseline_at(t) for t in THRESHOLDS}
    best = max(THRESHOLDS, key=lambda t: mean([scores(*c)[2] for c in sweep[t].values()]))
    print(f"baseline threshold (cosine distance, best overall F1 of {len(THRESHOLDS)} cuts): {best}")
    base_total = [0, 0, 0]
    base_f1 = []
    for name, _ in consultations:
        counts = sweep[best][name]
        base_total = [a + b for a, b in zip(base_total, counts)]
        base_f1.append(scores(*counts)[2])
        own = max(THRESHOLDS, key=lambda t: scores(*sweep[t][name])[2])
        print(f"{name}:\n  " + line("baseline", counts))
        print(f"  baseline at its own best threshold {own}: F1={scores(*sweep[own][name])[2]:.3f}")

    print("pooled  " + line("ours    ", ours_total))
    print("pooled  " + line("baseline", base_total))
    print(f"overall (mean of {len(consultations)} consultations) F1: ours {mean(ours_f1):.3f}, "
          f"baseline {mean(base_f1):.3f}")
    fields_ok = True
    if fields["ours"]:
        ours_acc, base_acc = mean(fields["ours"]), mean(fields["baseline"])
        fields_ok = ours_acc >= base_acc + 0.10
        print(f"overall fields (mean of {len(fields['ours'])}): ours {ours_acc:.3f}, baseline "
              f"{base_acc:.3f} (goal ours >= baseline + 0.10: {'met' if fields_ok else 'missed'}); "
              f"pooled over items: ours "
              f"{field_totals['ours'][0] / field_totals['ours'][1]:.3f}, baseline "
              f"{field_totals['baseline'][0] / field_totals['baseline'][1]:.3f}")
    ratio = mean(ours_f1) / mean(base_f1) if mean(base_f1) > 0 else 0.0
    passed = fields_ok and ratio >= 2
    print(f"BENCH grouping_real ours={mean(ours_f1):.3f} baseline={mean(base_f1):.3f} "
          f"ratio={ratio:.2f} goal=>=2 {'PASS' if passed else 'FAIL'}")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
