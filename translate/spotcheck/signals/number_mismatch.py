"""``number_mismatch``: numbers, amounts, dates, URLs or e-mail addresses lost or changed.

Numbers are compared by value, not by spelling: "97,4" = "97.4", "1 000" = "1,000"
= "1.000" (an ambiguous separator yields both readings), and a scale word after a
number is applied, so "30 000 millions" matches "30 billion" and "1 milliard" matches
"1 billion" (French "billion" and Spanish "billón" are 10^12). Small numbers spelled
out on the other side ("deux" / "two", "dix" / "10") count as present. URLs and
e-mail addresses must reappear verbatim (case-insensitive).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from translate.spotcheck.signals._text import merge_ranges
from translate.spotcheck.spans import Flag

NAME = "number_mismatch"
SERIOUS = True
DESCRIPTION = "numbers, dates, URLs or e-mail addresses of the source missing or changed"

_URL = re.compile(r"\b(?:https?://|www\.)[^\s<>\"«»]+", re.IGNORECASE)
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_TRAILING = ".,;:!?)]}'\"’”»"
_SPACES = " \u00a0\u202f\u2009"
# Either groups of three after space-like separators ("30 000"), or digits with . and , inside.
_NUMBER = re.compile(rf"(?<!\d)(?:\d{{1,3}}(?:[{_SPACES}]\d{{3}})+(?:[.,]\d+)?(?!\d)|\d+(?:[.,]\d+)*)")
_NEXT_WORD = re.compile(r"[\s\u00a0\u202f]*([^\W\d_]+)")

_SCALES = {
    "en": {"thousand": 3, "thousands": 3, "million": 6, "millions": 6, "billion": 9, "billions": 9,
           "bn": 9, "trillion": 12, "trillions": 12},
    "fr": {"mille": 3, "million": 6, "millions": 6, "milliard": 9, "milliards": 9, "md": 9, "mds": 9,
           "mrd": 9, "billion": 12, "billions": 12},
    "es": {"mil": 3, "millón": 6, "millon": 6, "millones": 6, "millardo": 9, "millardos": 9,
           "billón": 12, "billon": 12, "billones": 12},
}
_WORD_NUMBERS = {
    "en": "zero one two three four five six seven eight nine ten eleven twelve",
    "fr": "zéro un deux trois quatre cinq six sept huit neuf dix onze douze",
    "es": "cero uno dos tres cuatro cinco seis siete ocho nueve diez once doce",
}
_EXTRA_WORDS = {"en": {"hundred": 100}, "fr": {"une": 1, "cent": 100},
                "es": {"una": 1, "un": 1, "cien": 100, "ciento": 100}}


def _spelled(lang: str) -> dict[str, int]:
    table = {word: value for value, word in enumerate(_WORD_NUMBERS.get(lang, "").split())}
    table.update(_EXTRA_WORDS.get(lang, {}))
    return table


def _readings(token: str) -> set[Decimal]:
    """Values a written number may have: separators as thousands, or the last . or , as decimal point."""
    groups = re.split(rf"[.,{_SPACES}]", token)
    separators = re.findall(rf"[.,{_SPACES}]", token)
    values: set[Decimal] = set()
    if all(len(group) == 3 for group in groups[1:]):
        values.add(Decimal("".join(groups)))
    if separators and separators[-1] in ".,":
        try:
            values.add(Decimal("".join(groups[:-1]) + "." + groups[-1]))
        except InvalidOperation:
            pass
    if not values:
        values.add(Decimal("".join(groups)))
    return {value.normalize() for value in values}


def extract_numbers(text: str, lang: str) -> list[tuple[str, int, int, set[Decimal]]]:
    """(written form, start, end, possible values incl. scaled ones) of each number outside URLs/e-mails."""
    masked = text
    for pattern in (_URL, _EMAIL):
        masked = pattern.sub(lambda m: "#" * len(m.group(0)), masked)
    scales = _SCALES.get(lang, {})
    found = []
    for match in _NUMBER.finditer(masked):
        values = _readings(match.group(0))
        following = _NEXT_WORD.match(masked, match.end())
        if following and following.group(1).lower() in scales:
            exponent = scales[following.group(1).lower()]
            values |= {(value * Decimal(10) ** exponent).normalize() for value in values}
        found.append((match.group(0), match.start(), match.end(), values))
    return found


def _addresses(text: str) -> list[tuple[str, int, int]]:
    found = []
    for pattern in (_URL, _EMAIL):
        for match in pattern.finditer(text):
            address = match.group(0).rstrip(_TRAILING)
            found.append((address, match.start(), match.start() + len(address)))
    return found


def check(text: str, translation: str, lang: str, thresholds) -> Flag | None:
    source_numbers = extract_numbers(text, lang)
    output_numbers = extract_numbers(translation, "en")
    output_values = set().union(*(values for *_, values in output_numbers))
    source_values = set().union(*(values for *_, values in source_numbers))
    output_words = set(re.findall(r"[^\W\d_]+", translation.lower()))
    source_words = set(re.findall(r"[^\W\d_]+", text.lower()))
    output_values |= {Decimal(v) for w, v in _spelled("en").items() if w in output_words}
    source_values |= {Decimal(v) for w, v in _spelled(lang).items() if w in source_words}

    missing = [(written, start, end) for written, start, end, values in source_numbers
               if not values & output_values]
    lowered = translation.lower()
    missing += [item for item in _addresses(text) if item[0].lower() not in lowered]
    added = []
    if thresholds.number_mismatch_check_added:
        added = [(written, start, end) for written, start, end, values in output_numbers
                 if not values & source_values]
        lowered_source = text.lower()
        added += [item for item in _addresses(translation) if item[0].lower() not in lowered_source]
    if not missing and not added:
        return None
    parts = []
    if missing:
        parts.append("missing in the output: " + ", ".join(w for w, _, _ in missing))
    if added:
        parts.append("not in the source: " + ", ".join(w for w, _, _ in added))
    return Flag(NAME, "; ".join(parts),
                source_ranges=merge_ranges([(s, e) for _, s, e in missing]),
                translation_ranges=merge_ranges([(s, e) for _, s, e in added]))
