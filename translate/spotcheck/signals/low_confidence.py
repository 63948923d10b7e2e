"""``low_confidence``: the model's own score far below what is typical for this corpus.

The batch records each translation's mean token log-probability. What is "low"
depends on the model and the text, so the score is compared with the other spans
translated by the same model (the one the batch recorded for the span's document and
language; the source language when none was recorded): a robust z-score with the median
and the median absolute deviation (scaled by 1.4826 to match a standard deviation),
with a floor on the deviation so that a very uniform corpus does not flag tiny dips.
Models are never pooled: the fr->en and es->en models score on different scales, so
a model with too few scored spans is not judged (and a note says so).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from statistics import median

from translate.spotcheck.signals.base import CheckContext
from translate.spotcheck.spans import Flag, Span

NAME = "low_confidence"
SERIOUS = False
DESCRIPTION = "model log-probability far below the corpus' typical value"

_MAD_TO_SD = 1.4826


@dataclass(frozen=True)
class Typical:
    median: float
    spread: float
    spans: int


def typical_scores(scores_by_model: dict[str, list[float]], thresholds) -> dict[str, Typical]:
    """Reference per model, for models with enough scored spans."""
    references = {}
    for model, scores in scores_by_model.items():
        if len(scores) >= thresholds.low_confidence_min_spans:
            middle = median(scores)
            mad = median(abs(score - middle) for score in scores)
            references[model] = Typical(middle, max(_MAD_TO_SD * mad, thresholds.low_confidence_min_spread),
                                       len(scores))
    return references


def check(score: float | None, typical: Typical | None, thresholds) -> Flag | None:
    if score is None or typical is None:
        return None
    z = (score - typical.median) / typical.spread
    if z >= -thresholds.low_confidence_z:
        return None
    return Flag(NAME, f"mean log-probability {score:.2f} is far below the typical {typical.median:.2f} "
                      f"(robust z {z:.1f} over {typical.spans} spans)")


class LowConfidence:
    name, serious, description, judges_empty_output = NAME, SERIOUS, DESCRIPTION, False
    judges_left_untranslated = False

    def check(self, spans: Sequence[Span], context: CheckContext) -> list[Flag | None]:
        thresholds = context.thresholds
        scores: dict[str, list[float]] = {}
        for span in spans:
            if span.score is not None:
                scores.setdefault(model_key(span), []).append(span.score)
        references = typical_scores(scores, thresholds)
        too_few = sorted(set(scores) - set(references))
        if too_few:
            context.notes.append(f"low_confidence skipped for {', '.join(too_few)}: fewer than "
                                 f"{thresholds.low_confidence_min_spans} spans carry a model score "
                                 "(models are not pooled)")
        return [check(span.score, references.get(model_key(span)), thresholds) for span in spans]


def model_key(span: Span) -> str:
    """Spans are compared with those of the same model: the recorded one, else the source language's."""
    return f"{span.lang} ({span.model})" if span.model else span.lang


SIGNAL = LowConfidence()
