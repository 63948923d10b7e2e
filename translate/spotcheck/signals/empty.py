"""``empty``: no output for a source that has words or numbers."""

from __future__ import annotations

from translate.spotcheck.signals.base import TextSignal
from translate.spotcheck.spans import Flag

NAME = "empty"
SERIOUS = True
DESCRIPTION = "no output for a non-empty source"


def check(text: str, translation: str, lang: str, thresholds) -> Flag | None:
    if translation.strip() or not any(ch.isalnum() for ch in text):
        return None
    return Flag(NAME, "the translation is empty although the source has text")


SIGNAL = TextSignal(NAME, SERIOUS, DESCRIPTION, check, judges_empty_output=True)
