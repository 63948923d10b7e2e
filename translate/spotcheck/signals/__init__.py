"""Spot-check signals, one module each, all with the ``Signal`` interface of ``base``.

Every signal has ``check(spans, context) -> [Flag | None per span]``. Most judge a
span alone (``TextSignal``); ``low_confidence`` compares a span's model score with
the other spans of the same model, and ``round_trip`` needs a back-translation
function from the context.

Serious flags (they count against the overall score) mark an output that is wrong
whatever the wording: empty, copied, not English, looping, numbers lost or changed,
cut short. ``number_added``, ``negation_dropped``, ``length_ratio``, ``low_confidence`` and ``round_trip``
are hints that also fire on acceptable translations; they guide the review but do
not lower the score.

To add a signal: write a module that defines ``SIGNAL`` (a ``TextSignal`` or any
object with the ``Signal`` interface) and list it in ``SIGNALS`` below.
"""

from __future__ import annotations

from translate.spotcheck.signals import (
    empty,
    length_ratio,
    low_confidence,
    negation,
    not_english,
    number_added,
    number_mismatch,
    repetition,
    round_trip,
    truncated,
    untranslated,
    untranslated_language,
)
from translate.spotcheck.signals.base import CheckContext, Signal, TextSignal

# In display order. ``empty`` first: the other signals are not given spans with an empty output.
SIGNALS: tuple[Signal, ...] = tuple(module.SIGNAL for module in (
    empty, untranslated, not_english, repetition, number_mismatch, truncated,
    number_added, negation, length_ratio, low_confidence, round_trip, untranslated_language,
))
SIGNAL_NAMES = tuple(signal.name for signal in SIGNALS)
SERIOUS = frozenset(signal.name for signal in SIGNALS if signal.serious)
DESCRIPTIONS = {signal.name: signal.description for signal in SIGNALS}

__all__ = ["SIGNALS", "SIGNAL_NAMES", "SERIOUS", "DESCRIPTIONS", "CheckContext", "Signal", "TextSignal"]
