#!/usr/bin/python3
"""Unit test of grouping_metrics on hand-made groupings (ctest grouping_metrics)."""
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from grouping_metrics import pair_counts, pairwise, scores  # noqa: E402

# Official: {a,b,c} {d,e} {f} -> pairs ab ac bc de (4).
OFFICIAL = {"a": 1, "b": 1, "c": 1, "d": 2, "e": 2, "f": 3}


class PairwiseTest(unittest.TestCase):
    def test_half_right(self):
        # Predicted {a,b} {c,d,e} {f} -> pairs ab cd ce de (4), of which ab and de are official.
        predicted = {"a": "x", "b": "x", "c": "y", "d": "y", "e": "y", "f": "z"}
        self.assertEqual(pair_counts(predicted, OFFICIAL), (2, 4, 4))
        self.assertEqual(pairwise(predicted, OFFICIAL), (0.5, 0.5, 0.5))

    def test_one_blob_has_full_recall_and_low_precision(self):
        predicted = {item: 0 for item in OFFICIAL}  # 15 pairs, 4 of them official
        precision, recall, f1 = pairwise(predicted, OFFICIAL)
        self.assertAlmostEqual(precision, 4 / 15)
        self.assertEqual(recall, 1.0)
        self.assertAlmostEqual(f1, 2 * (4 / 15) / (4 / 15 + 1))

    def test_missing_items_are_groups_of_their_own(self):
        # Only a and b grouped; the rest absent: 1 pair, official.
        self.assertEqual(pairwise({"a": 7, "b": 7}, OFFICIAL), (1.0, 0.25, 0.4))
        self.assertEqual(pairwise({}, OFFICIAL), (0.0, 0.0, 0.0))

    def test_perfect_and_labels_do_not_matter(self):
        predicted = {item: f"g{group}" for item, group in OFFICIAL.items()}
        self.assertEqual(pairwise(predicted, OFFICIAL), (1.0, 1.0, 1.0))

    def test_pooled_counts(self):
        # Two consultations pooled: counts add before the ratios are taken.
        first = pair_counts({"a": 1, "b": 1}, {"a": 1, "b": 1, "c": 2})  # (1, 1, 1)
        second = pair_counts({"p": 1, "q": 1}, {"p": 1, "q": 2})  # (0, 1, 0)
        pooled = [x + y for x, y in zip(first, second)]
        self.assertEqual(scores(*pooled), (0.5, 1.0, 2 / 3))


if __name__ == "__main__":
    unittest.main()
