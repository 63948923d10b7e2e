"""The quality figure from reviewers' verdicts: its 95 % interval covers a known acceptable rate
about 95 % of the time (simulation over seeded samples), per language too, and flag agreement."""

from __future__ import annotations

import random

from translate.spotcheck.quality import estimate_quality, wilson
from translate.spotcheck.sampling import sample_spans
from translate.spotcheck.spans import Flag, Span

SERIOUS = Flag("repetition", "loops")
HINT = Flag("length_ratio", "long")


def population(seed: int = 7, documents: int = 30, per_document: int = 40):
    """Spans in (document, language) strata; flagged spans are more often wrong, as in real runs."""
    rng = random.Random(seed)
    spans, truth = [], {}
    for doc in range(documents):
        lang = "fr" if doc % 3 else "es"
        serious_rate = rng.uniform(0.02, 0.25)  # documents differ, so strata matter
        for seg in range(per_document):
            draw = rng.random()
            flags = [SERIOUS] if draw < serious_rate else [HINT] if draw < serious_rate + 0.2 else []
            acceptable_rate = 0.35 if flags == [SERIOUS] else 0.8 if flags else 0.95
            span = Span(f"doc{doc:02}.txt", seg, lang, "texte", "text", flags=flags)
            spans.append(span)
            truth[(span.document, span.seg)] = "acceptable" if rng.random() < acceptable_rate else "major"
    return spans, truth


def test_the_95_percent_interval_covers_the_true_share_about_95_percent_of_the_time():
    spans, truth = population()
    true_share = sum(verdict == "acceptable" for verdict in truth.values()) / len(truth)
    true_fr = (sum(truth[(s.document, s.seg)] == "acceptable" for s in spans if s.lang == "fr")
               / sum(s.lang == "fr" for s in spans))
    trials, covered, covered_fr, shares = 300, 0, 0, []
    for seed in range(trials):
        sample = sample_spans(spans, 150, seed)
        quality = estimate_quality(spans, sample, {(s.document, s.seg): truth[(s.document, s.seg)] for s in sample})
        covered += quality.overall.low <= true_share <= quality.overall.high
        covered_fr += quality.languages["fr"].low <= true_fr <= quality.languages["fr"].high
        shares.append(quality.overall.share)
    assert 0.91 <= covered / trials <= 0.99, covered / trials
    assert 0.90 <= covered_fr / trials <= 0.99, covered_fr / trials
    # Unweighted, the flagged spans the sample favours would drag the share down; the estimate is unbiased.
    assert abs(sum(shares) / trials - true_share) < 0.01
    naive = [sum(truth[(s.document, s.seg)] == "acceptable" for s in sample_spans(spans, 150, seed)) / 150
             for seed in range(20)]
    assert sum(naive) / 20 < true_share - 0.03  # what the weighting corrects


def test_wilson_stays_inside_zero_and_one_and_narrows_with_more_reviews():
    assert wilson(1.0, 20)[1] == 1.0 and wilson(1.0, 20)[0] > 0.8
    assert wilson(0.0, 20)[0] == 0.0
    assert wilson(0.9, 400)[1] - wilson(0.9, 400)[0] < wilson(0.9, 40)[1] - wilson(0.9, 40)[0]


def test_flag_precision_and_recall_against_reviewers():
    spans, _truth = population(documents=6, per_document=20)
    verdicts = {(s.document, s.seg): "critical" if s.flags == [SERIOUS] else "acceptable" for s in spans}
    verdicts[(spans[0].document, spans[0].seg)] = "major"  # a problem no serious flag caught (if unflagged)
    quality = estimate_quality(spans, spans, verdicts)
    assert quality.flags.precision == 1.0
    missed = spans[0].flags != [SERIOUS]
    assert (quality.flags.recall < 1.0) == missed
    assert quality.overall.low <= quality.overall.share <= quality.overall.high


def test_no_verdict_on_the_sample_gives_no_figure():
    spans, _truth = population(documents=2, per_document=5)
    assert estimate_quality(spans, spans[:3], {}) is None
