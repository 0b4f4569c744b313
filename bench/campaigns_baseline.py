#!/usr/bin/python3
"""The Python baseline of the `campaigns` benchmark (issue 4), on Debian's python3-sklearn and
python3-numpy: exact duplicates on NFKC-folded text without spaces and punctuation (cached per
distinct raw text, as civicdesk does), near duplicates by MinHash (64 permutations of the
character 4-gram hashes from sklearn's HashingVectorizer, numpy) with 16 x 4 LSH bands verified
on the signatures, campaigns as connected components of at least 3 items, then groups of
similar opinions over one text per component: TF-IDF of character bigrams (HashingVectorizer +
TfidfTransformer), candidate pairs from a looser MinHash-LSH on those bigrams (8 bands x 2), kept
when their cosine similarity reaches 0.45.

Usage: campaigns_baseline.py CORPUS.tsv OUT.tsv   (CORPUS lines: id<TAB>text<TAB>truth)
       campaigns_baseline.py CORPUS.csv OUT.tsv   (a header, then id,text: the docket_cli CSV)
Writes one line per item in a campaign: id<TAB>campaign number.
"""
import csv
import sys
import unicodedata

import numpy as np
from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer

THRESHOLD = 0.6
BANDS, ROWS = 16, 4
PERMUTATIONS = BANDS * ROWS
MIN_CAMPAIGN = 3
PRIME = (1 << 61) - 1


def find(parent, x):
    """The root of x in a union-find forest, halving the path on the way."""
    while parent[x] != x:
        parent[x] = parent[parent[x]]
        x = parent[x]
    return x


def unite(parent, a, b):
    ra, rb = find(parent, a), find(parent, b)
    if ra != rb:
        parent[rb] = ra


def duplicate_key(text):
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(c for c in folded
                   if not c.isspace() and not unicodedata.category(c).startswith("P"))


def main(corpus_path, out_path):
    ids, texts = [], []
    if corpus_path.endswith(".csv"):
        # The CSV a user imports (docket_cli): a header, then id,text.
        with open(corpus_path, encoding="utf-8", newline="") as corpus:
            rows = csv.reader(corpus)
            next(rows)
            for item_id, text in rows:
                ids.append(item_id)
                texts.append(text)
    else:
        with open(corpus_path, encoding="utf-8") as corpus:
            for line in corpus:
                item_id, text, _ = line.rstrip("\n").split("\t")
                ids.append(item_id)
                texts.append(text)

    key_of_raw, unique_of_key, unique_keys, unique_of_item = {}, {}, [], []
    for text in texts:
        key = key_of_raw.get(text)
        if key is None:
            key = key_of_raw[text] = duplicate_key(text)
        unique = unique_of_key.get(key)
        if unique is None:
            unique = unique_of_key[key] = len(unique_keys)
            unique_keys.append(key)
        unique_of_item.append(unique)

    vectorizer = HashingVectorizer(analyzer="char", ngram_range=(4, 4), n_features=1 << 30,
                                   alternate_sign=False, norm=None, lowercase=False)
    shingles = vectorizer.transform(unique_keys)
    rng = np.random.default_rng(1)
    a = rng.integers(1, 1 << 31, PERMUTATIONS, dtype=np.uint64)
    b = rng.integers(0, 1 << 31, PERMUTATIONS, dtype=np.uint64)
    signatures = np.empty((len(unique_keys), PERMUTATIONS), dtype=np.uint64)
    for u in range(len(unique_keys)):
        indices = shingles.indices[shingles.indptr[u]:shingles.indptr[u + 1]].astype(np.uint64)
        if indices.size == 0:
            indices = np.array([hash(unique_keys[u]) & ((1 << 30) - 1)], dtype=np.uint64)
        signatures[u] = ((np.outer(indices, a) + b) % PRIME).min(axis=0)

    parent = list(range(len(unique_keys)))
    for band in range(BANDS):
        buckets = {}
        block = signatures[:, band * ROWS:(band + 1) * ROWS]
        for u in range(len(unique_keys)):
            buckets.setdefault(block[u].tobytes(), []).append(u)
        for members in buckets.values():
            first = members[0]
            for other in members[1:]:
                if (signatures[first] == signatures[other]).mean() >= THRESHOLD:
                    unite(parent, first, other)

    # Similar-opinion groups over one representative text per component.
    roots = sorted({find(parent, u) for u in range(len(unique_keys))})
    representatives = [unique_keys[r] for r in roots]
    bigrams = HashingVectorizer(analyzer="char", ngram_range=(2, 2), n_features=1 << 20,
                                alternate_sign=False, norm=None, lowercase=False)
    counts = bigrams.transform(representatives)
    tfidf = TfidfTransformer().fit_transform(counts).tocsr()
    loose = np.empty((len(roots), 16), dtype=np.uint64)
    for r in range(len(roots)):
        indices = counts.indices[counts.indptr[r]:counts.indptr[r + 1]].astype(np.uint64)
        if indices.size == 0:
            indices = np.array([r], dtype=np.uint64)
        loose[r] = ((np.outer(indices, a[:16]) + b[:16]) % PRIME).min(axis=0)
    group_parent = list(range(len(roots)))
    for band in range(8):
        buckets = {}
        block = loose[:, band * 2:(band + 1) * 2]
        for r in range(len(roots)):
            buckets.setdefault(block[r].tobytes(), []).append(r)
        for members in buckets.values():
            if len(members) < 2:
                continue
            first = members[0]
            similarities = (tfidf[members[1:]] @ tfidf[first].T).toarray().ravel()
            for other, similarity in zip(members[1:], similarities):
                if similarity >= 0.45:
                    unite(group_parent, first, other)

    root_of_item = [find(parent, u) for u in unique_of_item]
    sizes = {}
    for root in root_of_item:
        sizes[root] = sizes.get(root, 0) + 1
    with open(out_path, "w", encoding="utf-8") as out:
        for item_id, root in zip(ids, root_of_item):
            if sizes[root] >= MIN_CAMPAIGN:
                out.write(f"{item_id}\t{root}\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
