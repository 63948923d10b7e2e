"""``number_mismatch``: a number, date, time, URL or e-mail address of the source lost or changed.

Numbers are compared by value, however they are written (see ``numbers``): "97,4" =
"97.4", "XIVe" = "14th", "14h30" = "2:30 p.m.", "vingt" = "20", "années 80" = "1980s".
URLs and e-mail addresses must reappear verbatim (case-insensitive). Numbers that
appear only in the output are not this signal's business: they are ``number_added``,
a hint (translators add "20th century" for "siècle dernier", "both" for "les deux").
"""

from __future__ import annotations

from functools import lru_cache

from translate.spotcheck.signals._text import merge_ranges
from translate.spotcheck.signals.base import TextSignal
from translate.spotcheck.signals.numbers import Mention, addresses, read_numbers
from translate.spotcheck.spans import Flag

NAME = "number_mismatch"
SERIOUS = True
DESCRIPTION = "numbers, dates, times, URLs or e-mail addresses of the source missing or changed"


# Large enough for both number signals of a 10,000-span run (they read the same texts, one signal after the other).
@lru_cache(maxsize=65536)
def numbers_of(text: str, lang: str) -> tuple[tuple[Mention, ...], frozenset]:
    mentions, accepted = read_numbers(text, lang)
    return tuple(mentions), frozenset(accepted)


def check(text: str, translation: str, lang: str, thresholds) -> Flag | None:
    source_mentions, _ = numbers_of(text, lang)
    _, output_values = numbers_of(translation, "en")
    missing = [(m.written, m.start, m.end) for m in source_mentions if not m.values & output_values]
    lowered = translation.lower()
    missing += [item for item in addresses(text) if item[0].lower() not in lowered]
    if not missing:
        return None
    return Flag(NAME, "missing in the output: " + ", ".join(w for w, _, _ in missing),
                source_ranges=merge_ranges([(s, e) for _, s, e in missing]))


SIGNAL = TextSignal(NAME, SERIOUS, DESCRIPTION, check)
