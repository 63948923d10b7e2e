"""chrF (Popović 2015): F-score of character n-grams, n = 1..6, recall weighted by beta = 2.

Written here (a few lines) rather than taken from sacrebleu, which is not a dependency of the
project. As in sacrebleu's default chrF, white space is removed before n-grams are counted and
the precision and recall are averaged over the n-gram orders before the F-score is taken; the
score is in [0, 1] (sacrebleu reports it times 100).
"""

from __future__ import annotations

from collections import Counter

ORDERS = 6
BETA = 2.0


def ngram_counts(text: str, orders: int = ORDERS) -> list[Counter]:
    """Character n-gram counts of ``text`` without white space, for n = 1..orders."""
    chars = "".join(text.split())
    return [Counter(chars[i : i + n] for i in range(len(chars) - n + 1)) for n in range(1, orders + 1)]


def chrf_from_counts(hypothesis: list[Counter], reference: list[Counter], beta: float = BETA) -> float:
    precisions, recalls = [], []
    for hyp, ref in zip(hypothesis, reference):
        hyp_total, ref_total = sum(hyp.values()), sum(ref.values())
        if hyp_total == 0 or ref_total == 0:
            continue
        common = sum((hyp & ref).values())
        precisions.append(common / hyp_total)
        recalls.append(common / ref_total)
    if not precisions:
        return 0.0
    precision, recall = sum(precisions) / len(precisions), sum(recalls) / len(recalls)
    if precision + recall == 0:
        return 0.0
    b2 = beta * beta
    return (1 + b2) * precision * recall / (b2 * precision + recall)


def chrf(hypothesis: str, reference: str) -> float:
    return chrf_from_counts(ngram_counts(hypothesis), ngram_counts(reference))
