"""Issue 12's targets on the held-out half of the news-like development set (benchmarks/data).

The full table, with wrong-language outputs read from ../shared/langid-dev, is produced by
benchmarks/spot_check_quality.py; this checks the part that needs nothing outside the repo.
"""

from __future__ import annotations

import sys

import pytest

from conftest import REPO

sys.path.insert(0, str(REPO / "benchmarks"))

from spot_check_quality import evaluate, load_pairs  # noqa: E402

from translate.spotcheck import Thresholds  # noqa: E402


@pytest.fixture(scope="module")
def heldout():
    import spot_check_quality

    original = spot_check_quality.foreign_sentences
    spot_check_quality.foreign_sentences = lambda split: {}  # wrong-language text is outside the repo
    try:
        return evaluate("heldout", Thresholds())
    finally:
        spot_check_quality.foreign_sentences = original


def test_dev_set_has_300_pairs_in_two_halves():
    pairs = load_pairs()
    assert len(pairs) >= 300
    assert {p.lang for p in pairs} == {"fr", "es"}
    assert abs(sum(p.split == "tune" for p in pairs) - sum(p.split == "heldout" for p in pairs)) <= 1


def test_serious_false_alarms_at_most_2_percent(heldout):
    assert heldout["false_alarms"]["serious"] <= 0.02, heldout["false_alarm_examples"]
    assert heldout["false_alarms_unpunctuated"]["serious"] <= 0.02


@pytest.mark.parametrize("kind", ["copy", "cut", "loop", "empty", "dropped_number", "changed_number"])
def test_injected_defects_caught_at_least_95_percent(heldout, kind):
    assert heldout["recall"]["serious"][kind] >= 0.95
