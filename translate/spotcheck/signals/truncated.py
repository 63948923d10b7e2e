"""``truncated``: the output stops early.

The source ends a sentence (final punctuation) but the output does not, and the
output is shorter than ``truncated_max_ratio`` of the length expected for the
language pair. A complete translation that merely drops a final full stop is not
flagged, nor a short source without final punctuation (a heading).
"""

from __future__ import annotations

from translate.spotcheck.signals._text import ends_with_terminal_punctuation
from translate.spotcheck.spans import Flag

NAME = "truncated"
SERIOUS = True
DESCRIPTION = "the output ends abruptly, well short of the source"


def check(text: str, translation: str, lang: str, thresholds) -> Flag | None:
    output = translation.strip()
    if not output or not ends_with_terminal_punctuation(text) or ends_with_terminal_punctuation(output):
        return None
    expected = thresholds.expected_length_ratio(lang) * len(text.strip())
    if len(output) >= thresholds.truncated_max_ratio * expected:
        return None
    end = len(translation.rstrip())
    return Flag(NAME, f"the output stops without final punctuation at {len(output) / expected:.0%} "
                      f"of its expected length",
                translation_ranges=((max(0, end - 1), end),))
