"""Deterministic sample of spans for human review.

Strata are (document, source language). Every stratum gets one span while the
sample is large enough; the rest of the sample is shared in proportion to each
stratum's total weight (D'Hondt highest averages, which respects the stratum sizes).
Within a stratum, spans are drawn without replacement with probability proportional
to their weight (Efraimidis & Spirakis keys), flagged spans weighing more, so the
review sees the likely problems while still seeing ordinary output. A single
``random.Random(seed)`` drives every draw in a fixed order: same input and seed,
same sample.
"""

from __future__ import annotations

import math
import random
from itertools import groupby

from translate.spotcheck import signals
from translate.spotcheck.spans import Span

WEIGHT_SERIOUS = 6.0
WEIGHT_FLAGGED = 3.0
WEIGHT_CLEAN = 1.0


def span_weight(span: Span) -> float:
    if any(flag.name in signals.SERIOUS for flag in span.flags):
        return WEIGHT_SERIOUS
    return WEIGHT_FLAGGED if span.flags else WEIGHT_CLEAN


def sample_spans(spans: list[Span], size: int, seed: int) -> list[Span]:
    """``size`` spans (all of them if fewer), ordered by document and position."""
    ordered = sorted(spans, key=_position)
    if size <= 0:
        return []
    if size >= len(ordered):
        return ordered
    rng = random.Random(seed)
    strata = [list(group) for _, group in groupby(sorted(ordered, key=_stratum), key=_stratum)]
    span_weights = [[span_weight(span) for span in stratum] for stratum in strata]  # once per span
    weights = [sum(stratum_weights) for stratum_weights in span_weights]

    allocation = [0] * len(strata)
    if size < len(strata):
        for index in _weighted_draw(list(range(len(strata))), weights, size, rng):
            allocation[index] = 1
    else:
        allocation = [1] * len(strata)
        for _ in range(size - len(strata)):
            open_strata = [i for i, stratum in enumerate(strata) if allocation[i] < len(stratum)]
            best = max(open_strata, key=lambda i: (weights[i] / (allocation[i] + 1), -i))
            allocation[best] += 1

    chosen = []
    for stratum, stratum_weights, count in zip(strata, span_weights, allocation):
        chosen.extend(_weighted_draw(stratum, stratum_weights, count, rng))
    return sorted(chosen, key=_position)


def _weighted_draw(items: list, weights: list[float], count: int, rng: random.Random) -> list:
    # Efraimidis-Spirakis: key = u ** (1 / w), largest keys win; log form for stability.
    # One draw per item, always, so the random stream does not depend on ``count``.
    keys = [math.log(1.0 - rng.random()) / weight for weight in weights]
    ranked = sorted(range(len(items)), key=lambda i: (-keys[i], i))
    return [items[i] for i in ranked[:count]]


def _stratum(span: Span) -> tuple[str, str]:
    return (span.document, span.lang)


def _position(span: Span) -> tuple[str, int]:
    return (span.document, span.seg)
