"""``not_english``: the output is not detected as English.

Uses the project's seeded fr/es/en detector. Outputs shorter than
``not_english_min_words`` words are not judged: on 2-3 word texts the detector
mistakes real English for French or Spanish 4-15 % of the time.
"""

from __future__ import annotations

from functools import lru_cache

from translate.spotcheck.signals._text import words
from translate.spotcheck.spans import Flag

NAME = "not_english"
SERIOUS = True
DESCRIPTION = "the output is not detected as English"

_NAMES = {"fr": "French", "es": "Spanish", "en": "English"}


def check(text: str, translation: str, lang: str, thresholds) -> Flag | None:
    if len(words(translation)) < thresholds.not_english_min_words:
        return None
    probabilities = _probabilities(translation)
    if not probabilities:
        return None
    english = probabilities.get("en", 0.0)
    if english >= thresholds.not_english_max_probability:
        return None
    detected = max(sorted(probabilities), key=probabilities.__getitem__)
    return Flag(NAME, f"the output reads as {_NAMES.get(detected, detected)} "
                      f"(p={probabilities[detected]:.2f}), not English (p={english:.2f})")


@lru_cache(maxsize=8192)
def _probabilities(text: str) -> dict[str, float]:
    # Detection is the slow part of a spot-check and batches repeat lines (bylines, boilerplate);
    # the seeded detector gives the same answer for the same text, so caching is safe.
    from translate.langid import language_probabilities

    return language_probabilities(text)
