"""``length_ratio``: an English length implausible for the source length and language pair.

Gale & Church's length model: the English length of a source of ``n`` characters
is about ``ratio * n`` with variance ``variance * n``; the span is flagged when it
is more than ``length_ratio_z`` standard deviations away. The tolerance therefore
grows with the length of the source, as it should for short headings.
Expected ratios (English characters per source character): fr 0.88, es 0.90.
"""

from __future__ import annotations

import math

from translate.spotcheck.signals.base import TextSignal
from translate.spotcheck.spans import Flag

NAME = "length_ratio"
SERIOUS = False
DESCRIPTION = "English length implausible for the source length"


def deviation(source_length: int, output_length: int, ratio: float, variance: float) -> float:
    """Gale & Church delta: standard deviations between the actual and expected output length."""
    if source_length == 0:
        return 0.0
    return (output_length - ratio * source_length) / math.sqrt(variance * source_length)


def check(text: str, translation: str, lang: str, thresholds) -> Flag | None:
    source_length, output_length = len(text.strip()), len(translation.strip())
    ratio = thresholds.expected_length_ratio(lang)
    delta = deviation(source_length, output_length, ratio, thresholds.length_ratio_variance)
    if abs(delta) <= thresholds.length_ratio_z:
        return None
    actual = output_length / source_length
    side = "longer" if delta > 0 else "shorter"
    return Flag(NAME, f"output is {actual:.2f}× the source length (expected about {ratio:.2f}×): "
                      f"{abs(delta):.1f} deviations {side}")


SIGNAL = TextSignal(NAME, SERIOUS, DESCRIPTION, check)
