"""Spot-check signals, one module each.

Text signals (``check(text, translation, lang, thresholds) -> Flag | None``) look at
one span alone. ``low_confidence`` also needs the corpus' typical score and
``round_trip`` a back-translation function; the checker calls them separately.

Serious flags (they count against the overall score) mark an output that is wrong
whatever the wording: empty, copied, not English, looping, numbers changed, cut
short. ``length_ratio``, ``low_confidence`` and ``round_trip`` are statistical hints
that often fire on acceptable translations; they guide the review but do not lower
the score.
"""

from __future__ import annotations

from translate.spotcheck.signals import (
    empty,
    length_ratio,
    low_confidence,
    not_english,
    number_mismatch,
    repetition,
    round_trip,
    truncated,
    untranslated,
)

# Order of display; ``empty`` first because when it fires the other text signals are not run.
TEXT_SIGNALS = (empty, untranslated, not_english, repetition, number_mismatch, truncated, length_ratio)
ALL_SIGNALS = (*TEXT_SIGNALS, low_confidence, round_trip)
SIGNAL_NAMES = tuple(module.NAME for module in ALL_SIGNALS)
SERIOUS = frozenset(module.NAME for module in ALL_SIGNALS if module.SERIOUS)
DESCRIPTIONS = {module.NAME: module.DESCRIPTION for module in ALL_SIGNALS}
