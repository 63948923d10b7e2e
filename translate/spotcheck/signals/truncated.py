"""``truncated``: the output stops early.

The source ends a sentence (final punctuation) but the output does not, and the
output is shorter than a complete translation could plausibly be: its Gale & Church
(1993) length deviation (see ``length_ratio``) is below ``-truncated_z``. The
tolerance grows with the square root of the source length, so a short sentence
("Il est parti." / "He left") is judged as fairly as a long one. A complete
translation that merely drops a final full stop is not flagged, nor a source without
final punctuation (a heading).
"""

from __future__ import annotations

from translate.spotcheck.signals._text import ends_with_terminal_punctuation
from translate.spotcheck.signals.base import TextSignal
from translate.spotcheck.signals.length_ratio import deviation
from translate.spotcheck.spans import Flag

NAME = "truncated"
SERIOUS = True
DESCRIPTION = "the output ends abruptly, well short of the source"


def check(text: str, translation: str, lang: str, thresholds) -> Flag | None:
    output, source = translation.strip(), text.strip()
    if not output or not ends_with_terminal_punctuation(source) or ends_with_terminal_punctuation(output):
        return None
    ratio = thresholds.expected_length_ratio(lang)
    delta = deviation(len(source), len(output), ratio, thresholds.length_ratio_variance)
    if delta >= -thresholds.truncated_z:
        return None
    end = len(translation.rstrip())
    return Flag(NAME, f"the output stops without final punctuation at {len(output) / (ratio * len(source)):.0%} "
                      f"of its expected length ({-delta:.1f} deviations short)",
                translation_ranges=((max(0, end - 1), end),))


SIGNAL = TextSignal(NAME, SERIOUS, DESCRIPTION, check)
