"""``number_added``: a number or address in the output that the source does not have.

A hint, not serious: correct translations add numbers ("le siècle dernier" -> "the
20th century", "les deux pays" -> "both countries" is fine, "une dizaine" -> "about
ten" is not exact). A changed number is caught by ``number_mismatch`` on the source
side; this one points at invented ones.
"""

from __future__ import annotations

from translate.spotcheck.signals._text import merge_ranges
from translate.spotcheck.signals.base import TextSignal
from translate.spotcheck.signals.number_mismatch import numbers_of
from translate.spotcheck.signals.numbers import addresses
from translate.spotcheck.spans import Flag

NAME = "number_added"
SERIOUS = False
DESCRIPTION = "numbers or addresses in the output that are not in the source"


def check(text: str, translation: str, lang: str, thresholds) -> Flag | None:
    if not thresholds.number_added_check:
        return None
    _, source_values = numbers_of(text, lang)
    output_mentions, _ = numbers_of(translation, "en")
    added = [(m.written, m.start, m.end) for m in output_mentions if not m.values & source_values]
    lowered_source = text.lower()
    added += [item for item in addresses(translation) if item[0].lower() not in lowered_source]
    if not added:
        return None
    return Flag(NAME, "not in the source: " + ", ".join(w for w, _, _ in added),
                translation_ranges=merge_ranges([(s, e) for _, s, e in added]))


SIGNAL = TextSignal(NAME, SERIOUS, DESCRIPTION, check)
