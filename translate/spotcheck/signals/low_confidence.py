"""``low_confidence``: the model's own score far below what is typical for this corpus.

The batch records each translation's mean token log-probability. What is "low"
depends on the model and the text, so the score is compared with the other spans
of the same source language (same model): a robust z-score with the median and the
median absolute deviation (scaled by 1.4826 to match a standard deviation), with a
floor on the deviation so that a very uniform corpus does not flag tiny dips.
Languages with too few scored spans share a pooled reference; with too few in all,
the signal is skipped.
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import median

from translate.spotcheck.spans import Flag

NAME = "low_confidence"
SERIOUS = False
DESCRIPTION = "model log-probability far below the corpus' typical value"

_MAD_TO_SD = 1.4826


@dataclass(frozen=True)
class Typical:
    median: float
    spread: float
    spans: int


def typical_scores(scores_by_lang: dict[str, list[float]], thresholds) -> dict[str, Typical]:
    """Reference per language; languages with too few scores use the pooled one (if big enough)."""
    def reference(scores: list[float]) -> Typical:
        middle = median(scores)
        mad = median(abs(score - middle) for score in scores)
        return Typical(middle, max(_MAD_TO_SD * mad, thresholds.low_confidence_min_spread), len(scores))

    pooled = [score for scores in scores_by_lang.values() for score in scores]
    references = {}
    for lang, scores in scores_by_lang.items():
        if len(scores) >= thresholds.low_confidence_min_spans:
            references[lang] = reference(scores)
        elif len(pooled) >= thresholds.low_confidence_min_spans:
            references[lang] = reference(pooled)
    return references


def check(score: float | None, typical: Typical | None, thresholds) -> Flag | None:
    if score is None or typical is None:
        return None
    z = (score - typical.median) / typical.spread
    if z >= -thresholds.low_confidence_z:
        return None
    return Flag(NAME, f"mean log-probability {score:.2f} is far below the typical {typical.median:.2f} "
                      f"(robust z {z:.1f} over {typical.spans} spans)")
