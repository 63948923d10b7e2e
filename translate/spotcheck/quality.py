"""The measured quality of a run: the share of acceptable spans, estimated from reviewers' verdicts
on the spot-check sample, with a 95 % confidence interval; and how well the serious flags agree
with the reviewers.

The sample is drawn in (document, language) strata with flagged spans weighing more
(``sampling``), so a plain share of the verdicts would over-count flagged spans. The estimate
post-stratifies by what sets a span's chance of being drawn: its language and its flag class
(serious flag, hint only, none: the sampling weights). Each cell's share of acceptable verdicts
counts with the cell's number of spans in the run; a cell without a reviewed span is left out and
the others reweighted (reported as ``spans_covered``).

The interval is Wilson's score interval on the stratified estimate with Kish's effective sample
size (n_eff = p(1-p) / variance, the variance with each cell's finite-population correction):
it stays inside [0, 1] and keeps its coverage near 0 and 1, where shares of acceptable
translations usually lie and where the normal (Wald) interval is too narrow; n_eff carries the
gain or loss from stratification into it. When every reviewed span agrees (variance 0), n_eff is
the number of reviewed spans. tests/test_review_quality.py checks its coverage by simulation.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

from translate.spotcheck import signals
from translate.spotcheck.sampling import WEIGHT_CLEAN, WEIGHT_SERIOUS, span_weight
from translate.spotcheck.spans import Span

Z95 = 1.959963984540054
ACCEPTABLE = "acceptable"
SERIOUS_VERDICTS = frozenset({"major", "critical"})


@dataclass
class Estimate:
    share: float  # estimated share of acceptable spans
    low: float  # 95 % interval
    high: float
    reviewed: int  # sampled spans with a verdict
    spans: int  # translated spans of the run in this group
    spans_covered: int  # of which in a cell with a reviewed span (what the estimate stands for)
    effective_n: float


@dataclass
class FlagAgreement:
    precision: float | None  # of spans with a serious flag, the share reviewers found major/critical
    recall: float | None  # of spans reviewers found major/critical, the share with a serious flag
    reviewed: int


@dataclass
class Quality:
    overall: Estimate
    languages: dict[str, Estimate]
    flags: FlagAgreement
    verdicts: int  # spans with a verdict, sampled or not


def flag_class(span: Span) -> str:
    weight = span_weight(span)
    return "serious" if weight == WEIGHT_SERIOUS else "clean" if weight == WEIGHT_CLEAN else "hint"


def estimate_quality(spans: list[Span], sample: list[Span], verdicts: dict[tuple[str, int], str]) -> Quality | None:
    """The quality figure from ``verdicts`` ((document, seg) -> verdict) on ``sample`` (drawn from
    ``spans`` by ``sample_spans``); None when no sampled span has a verdict."""
    population: dict[tuple[str, str], int] = defaultdict(int)
    for span in spans:
        population[(span.lang, flag_class(span))] += 1
    judged = [(span, verdicts[(span.document, span.seg)]) for span in sample if (span.document, span.seg) in verdicts]
    if not judged:
        return None
    cells: dict[tuple[str, str], list[bool]] = defaultdict(list)
    for span, verdict in judged:
        cells[(span.lang, flag_class(span))].append(verdict == ACCEPTABLE)
    overall = _estimate(population, cells, lambda cell: True)
    languages = {lang: _estimate(population, cells, lambda cell, lang=lang: cell[0] == lang)
                 for lang in sorted({lang for lang, _ in cells})}
    return Quality(overall, languages, _agreement(population, cells, judged), len(verdicts))


def _estimate(population, cells, chosen) -> Estimate:
    keys = [key for key in population if chosen(key)]
    covered = [key for key in keys if cells.get(key)]
    total = sum(population[key] for key in covered)
    share = variance = 0.0
    for key in covered:
        answers = cells[key]
        n, size = len(answers), population[key]
        p = sum(answers) / n
        weight = size / total
        share += weight * p
        if n > 1:
            variance += weight ** 2 * (1 - n / size) * p * (1 - p) / (n - 1)
    reviewed = sum(len(cells[key]) for key in covered)
    effective_n = share * (1 - share) / variance if variance > 0 else float(reviewed)
    low, high = wilson(share, effective_n)
    return Estimate(share, low, high, reviewed, sum(population[key] for key in keys), total, effective_n)


def wilson(share: float, n: float, z: float = Z95) -> tuple[float, float]:
    """Wilson's score interval for a proportion ``share`` observed on ``n`` (possibly effective) trials."""
    if n <= 0:
        return 0.0, 1.0
    denominator = 1 + z * z / n
    centre = (share + z * z / (2 * n)) / denominator
    half = z * math.sqrt(share * (1 - share) / n + z * z / (4 * n * n)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def _agreement(population, cells, judged) -> FlagAgreement:
    """Serious flags against major/critical verdicts, each reviewed span weighted by the spans it stands for."""
    weight = {key: population[key] / len(answers) for key, answers in cells.items()}
    flagged = bad = both = 0.0
    for span, verdict in judged:
        w = weight[(span.lang, flag_class(span))]
        is_flagged = any(name in signals.SERIOUS for name in span.flag_names)
        is_bad = verdict in SERIOUS_VERDICTS
        flagged += w * is_flagged
        bad += w * is_bad
        both += w * (is_flagged and is_bad)
    return FlagAgreement(both / flagged if flagged else None, both / bad if bad else None, len(judged))
