"""Pairwise precision, recall and F1 of a grouping against the official response groups — the
one place the `grouping_real` benchmark (issue 20) scores groups, for civicdesk and for the
baseline alike.

A pair is two items of one consultation. The official pairs are those two items the government
answered in one group; the predicted pairs are those two items put in one group. An item a
grouping leaves out is a group of its own. Precision = shared pairs / predicted pairs, recall =
shared pairs / official pairs, F1 their harmonic mean; each is 0 when its denominator is 0.
Pooling counts over several consultations (pairs never cross consultations) gives the overall
figure.
"""
from collections import Counter


def _pairs(count):
    return count * (count - 1) // 2


def pair_counts(predicted, official):
    """(shared, predicted, official) pair counts.

    predicted: item -> group label (items missing from it are groups of their own);
    official: item -> official group label, for every item scored.
    """
    shared = Counter()
    sizes = Counter()
    for item, group in official.items():
        if item in predicted:
            shared[(predicted[item], group)] += 1
            sizes[predicted[item]] += 1
    official_sizes = Counter(official.values())
    return (sum(_pairs(n) for n in shared.values()), sum(_pairs(n) for n in sizes.values()),
            sum(_pairs(n) for n in official_sizes.values()))


def scores(shared, predicted, official):
    """(precision, recall, F1) from pair counts."""
    precision = shared / predicted if predicted else 0.0
    recall = shared / official if official else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def pairwise(predicted, official):
    """(precision, recall, F1) of one consultation's grouping."""
    return scores(*pair_counts(predicted, official))
