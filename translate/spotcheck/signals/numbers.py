"""Numbers of a text, by value, for ``number_mismatch`` and ``number_added``.

``mentions(text, lang)`` finds the numbers a translation must keep, each with every
value it may stand for; ``accepted_values(text, lang)`` is the wider set of values a
text may be read to contain, which is what the other side is checked against.

- Digits: "97,4" = "97.4", "1 000" = "1,000" = "1.000" (an ambiguous separator gives
  both readings); a scale word after a number is applied ("30 000 millions" = "30
  billion", "1 milliard" = "1 billion"; French "billion" and Spanish "billón" are 10^12).
- Ordinals: "3e", "1er", "2.º", "21st" are 3, 1, 2, 21; Roman numerals ("XIVe siècle",
  "Felipe VI", "Ier") are read as numbers.
- Clock times ("14h30", "14 h 30", "14:30", "2:30 p.m.", "8 pm") are times of day: 14h30
  matches "2:30 p.m." and "14:30"; a whole hour also matches its bare number ("à 20
  heures" / "at 8 p.m.").
- Spelled numbers in fr, es and en up to the billions ("vingt et un", "quatre-vingt-dix-
  sept", "cuarenta y dos", "doscientos", "seventy-five", "a thousand"); "pour cent",
  "por ciento" and "per cent" are percent signs, not hundreds.
- Decades: "années 80" / "los años ochenta" match "the 1980s", "the '80s", "the eighties".

Only accepted, never required: words that are numbers only sometimes ("un"/"une"/
"one" are often articles, "neuf" is also "new", "premier" is also "prime", "both",
"twice", "a dozen", ordinal words) and single-letter Roman numerals (the English "I").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

Value = Decimal | tuple[str, int, int]  # a number, or ("time", hour 0-23, minute)

_URL = re.compile(r"\b(?:https?://|www\.)[^\s<>\"«»]+", re.IGNORECASE)
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_TRAILING = ".,;:!?)]}'\"’”»"
_SPACES = " \u00a0\u202f\u2009"
# Either groups of three after space-like separators ("30 000"), or digits with . and , inside; not
# after a letter or digit. Written digit first, the check of what precedes it just after it
# ("(?<!\w\d)": the character before that digit is no letter or digit), because a pattern that
# starts with a character class is searched for that class first, several times faster than one
# that starts with a look-behind tried at every position; the matches are the same.
_NUMBER = re.compile(rf"\d(?<!\w\d)(?:\d{{0,2}}(?:[{_SPACES}]\d{{3}})+(?:[.,]\d+)?(?!\d)|\d*(?:[.,]\d+)*)")
_SEPARATOR = re.compile(rf"[.,{_SPACES}]")
_DIGIT = re.compile(r"\d")
_NEXT_WORD = re.compile(r"[\s\u00a0\u202f]*([^\W\d_]+)")
_MERIDIEM = r"(?:\s*([ap])\.?\s?m\b\.?)"
# What every clock time has (a digit before "h", ":" or "a"/"p"): a text without it needs none of the
# three searches of _TIMES.
_TIME_HINT = re.compile(r"\d(?:[.:]\d\d)?\s?h|\d:\d|\d\s*[ap]", re.IGNORECASE)
_TIMES = [
    # 14h30, 14 h 30, 14h, 14.30 h, 14:30 horas
    re.compile(r"(?<![\d\w.,])(\d{1,2})(?:\s?h\s?(\d{2})?|[.:](\d{2})\s?(?:h|hrs?|horas?|heures)\b)(?![\w])",
               re.IGNORECASE),
    # 14:30, 2:30 p.m.
    re.compile(rf"(?<![\d\w.,:])(\d{{1,2}}):(\d{{2}})(){_MERIDIEM}?(?![\d:])", re.IGNORECASE),
    # 2 p.m., 8pm
    re.compile(rf"(?<![\d\w.,:])(\d{{1,2}})()(){_MERIDIEM}", re.IGNORECASE),
]
# Not after a letter or digit; look-behind after the first letter, as in _NUMBER.
_ROMAN = re.compile(r"([IVXLCDM](?<!\w[IVXLCDM])[IVXLCDM]*)(er|re|e|ème|eme|º|ª|\.º|\.ª)?(?![\w])")
_VALID_ROMAN = re.compile(r"^M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$")
_ROMAN_DIGITS = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
_LETTER_RUN = re.compile(r"[^\W\d_]+")
# Every decade context has one of these words: a text without any needs no search before each number.
_DECADE_WORD = re.compile(r"années|annees|años|anos|décennie|década|decada|decade", re.IGNORECASE)
# The beginnings of those words, lower-cased: a text without any of them (most) needs no search at all.
_DECADE_STEMS = ("ann", "año", "ano", "déc", "dec")
_DECADE_CONTEXT = re.compile(
    r"(?:années|annees|años|anos|décennie|década|decada|decade)\s+(?:de\s+|d['’])?(?:los\s+)?$", re.IGNORECASE)

_SCALES = {
    "en": {"thousand": 3, "thousands": 3, "million": 6, "millions": 6, "billion": 9, "billions": 9,
           "bn": 9, "trillion": 12, "trillions": 12},
    "fr": {"mille": 3, "million": 6, "millions": 6, "milliard": 9, "milliards": 9, "md": 9, "mds": 9,
           "mrd": 9, "billion": 12, "billions": 12},
    "es": {"mil": 3, "millón": 6, "millon": 6, "millones": 6, "millardo": 9, "millardos": 9,
           "billón": 12, "billon": 12, "billones": 12},
}


def _table(words: str, start: int = 0, step: int = 1) -> dict[str, int]:
    return {word: start + step * index for index, word in enumerate(words.split())}


# Words that add to the number being read, per language.
_UNITS = {
    "en": {**_table("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
                    "fifteen sixteen seventeen eighteen nineteen"),
           **_table("twenty thirty forty fifty sixty seventy eighty ninety", 20, 10)},
    "fr": {**_table("zéro un deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze "
                    "seize"),
           "une": 1, "vingt": 20, "vingts": 20,
           **_table("trente quarante cinquante soixante", 30, 10), "septante": 70, "huitante": 80,
           "octante": 80, "nonante": 90},
    "es": {**_table("cero uno dos tres cuatro cinco seis siete ocho nueve diez once doce trece catorce quince "
                    "dieciséis diecisiete dieciocho diecinueve veinte veintiuno veintidós veintitrés "
                    "veinticuatro veinticinco veintiséis veintisiete veintiocho veintinueve"),
           "un": 1, "una": 1, "veintiún": 21, "dieciseis": 16, "veintidos": 22, "veintitres": 23,
           "veintiseis": 26,
           **_table("treinta cuarenta cincuenta sesenta setenta ochenta noventa", 30, 10),
           **{f"{stem}cientos": value for stem, value in
              (("dos", 200), ("tres", 300), ("cuatro", 400), ("seis", 600), ("siete", 700), ("ocho", 800))},
           **{f"{stem}cientas": value for stem, value in
              (("dos", 200), ("tres", 300), ("cuatro", 400), ("seis", 600), ("siete", 700), ("ocho", 800))},
           "quinientos": 500, "quinientas": 500, "setecientos": 700, "setecientas": 700,
           "novecientos": 900, "novecientas": 900},
}
_HUNDREDS = {"en": {"hundred"}, "fr": {"cent", "cents"}, "es": {"cien", "ciento"}}
_JOINERS = {"en": {"and"}, "fr": {"et"}, "es": {"y"}}
# Before "hundred", "thousand", "million"... ("a thousand", "un millier" is not exact).
_ARTICLES = {"en": {"a", "one"}, "fr": {"un", "une"}, "es": {"un", "una"}}
# Number words that are too often something else to be required ("neuf" = new, "un" = a).
_AMBIGUOUS = {"en": {"one"}, "fr": {"un", "une", "neuf"}, "es": {"un", "una", "uno"}}
_PERCENT_BEFORE_HUNDRED = {"pour", "por", "per"}

# Accepted, never required: ordinal and collective words.
_ORDINALS = {
    "en": {**_table("zeroth first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth "
                    "thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth"),
           **_table("twentieth thirtieth fortieth fiftieth sixtieth seventieth eightieth ninetieth", 20, 10),
           "hundredth": 100, "thousandth": 1000, "millionth": 10**6, "both": 2, "twice": 2, "double": 2,
           "pair": 2, "couple": 2, "dozen": 12, "once": 1, "single": 1, "triple": 3, "thrice": 3,
           "half": 2, "quarter": 4, "dozens": 12, "hundreds": 100, "thousands": 1000, "doubled": 2,
           "halved": 2, "tripled": 3, "quadrupled": 4, "quintupled": 5, "twofold": 2, "threefold": 3,
           "fourfold": 4, "fivefold": 5, "tenfold": 10},
    "fr": {"premier": 1, "première": 1, "premiers": 1, "premières": 1, "second": 2, "seconde": 2,
           "double": 2, "moitié": 2, "demi": 2, "quart": 4, "tiers": 3, "douzaine": 12},
    "es": {**_table("primero segundo tercero cuarto quinto sexto séptimo octavo noveno décimo", 1),
           **_table("primera segunda tercera cuarta quinta sexta séptima octava novena décima", 1),
           "primer": 1, "tercer": 3, "ambos": 2, "ambas": 2, "doble": 2, "mitad": 2, "docena": 12,
           "vigésimo": 20, "centésimo": 100},
}
_DECADE_WORDS = _table("twenties thirties forties fifties sixties seventies eighties nineties", 20, 10)


@dataclass(frozen=True)
class Mention:
    written: str
    start: int
    end: int
    values: frozenset


@lru_cache(maxsize=16384)  # the same few numbers recur across a run ("1", "2024")
def _readings(token: str) -> frozenset[Decimal]:
    """Values a written number may have: separators as thousands, or the last . or , as decimal point."""
    groups = _SEPARATOR.split(token)
    separators = _SEPARATOR.findall(token)
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
    return frozenset(value.normalize() for value in values)


def _time_values(hour: int, minute: int, meridiem: str | None) -> set:
    if meridiem:
        if hour > 12:
            return set()
        hour = hour % 12 + (12 if meridiem.lower() == "p" else 0)
    elif hour > 24 or minute > 59:
        return set()
    values: set = {("time", hour % 24, minute)}
    if not meridiem and 0 < hour < 12:
        values.add(("time", hour + 12, minute))  # "2:30" may be in the afternoon
    if minute == 0:  # a whole hour may also be a duration ("grève de 24h" / "24-hour strike")
        values |= {Decimal(hour), Decimal(hour % 24), Decimal(hour % 12 or 12)}
    if hour > 12:
        values.add(("time", hour - 12, minute))
    return values


def _roman(numeral: str) -> int | None:
    if not _VALID_ROMAN.match(numeral):
        return None
    total = 0
    for index, digit in enumerate(numeral):
        value = _ROMAN_DIGITS[digit]
        following = _ROMAN_DIGITS[numeral[index + 1]] if index + 1 < len(numeral) else 0
        total += -value if value < following else value
    return total


def _ordinal_word(word: str, lang: str) -> int | None:
    """English "twenty-first" parts and French "-ième" words: the cardinal they are built on."""
    if lang == "fr" and word.endswith("ième"):
        stem = word[: -len("ième")]
        stem = {"cinqu": "cinq", "neuv": "neuf", "un": "un"}.get(stem, stem)
        for candidate in (stem, stem + "e"):
            if candidate in _UNITS["fr"]:
                return _UNITS["fr"][candidate]
            if candidate in ("cent", "mille"):
                return 100 if candidate == "cent" else 1000
    return _ORDINALS.get(lang, {}).get(word)


@lru_cache(maxsize=None)
def _number_words(lang: str) -> frozenset[str]:
    """The words that can start a spelled number or be accepted as one in ``lang`` (articles and
    joiners count only next to one of these; French "-ième" words are tested apart)."""
    return frozenset({*_UNITS.get(lang, {}), *_HUNDREDS.get(lang, ()), *_SCALES.get(lang, {}),
                      *_ORDINALS.get(lang, {}), *(_DECADE_WORDS if lang == "en" else ())})


def _may_spell_numbers(lowered: str, lang: str) -> bool:
    """False when no word of ``lowered`` (a text, lower-cased) can be part of a spelled number: most
    spans, ruled out with one set test instead of the word-by-word reading of ``_spelled``. (The
    letter runs of the lower-cased text are those of the text, lower-cased, or pieces of them where
    lower-casing adds a combining mark, as "İ" gives "i̇": no word is missed.)"""
    runs = _LETTER_RUN.findall(lowered)
    if not _number_words(lang).isdisjoint(runs):
        return True
    return lang == "fr" and any(word.endswith("ième") for word in runs)


def _spelled(text: str, lang: str, masked: list[bool], lowered: str) -> tuple[list[Mention], set]:
    """Spelled numbers: (mentions, values accepted but not required); ``lowered``: ``text.lower()``."""
    if not _may_spell_numbers(lowered, lang):
        return [], set()
    units, hundreds = _UNITS.get(lang, {}), _HUNDREDS.get(lang, set())
    scales, joiners, articles = _SCALES.get(lang, {}), _JOINERS.get(lang, set()), _ARTICLES.get(lang, set())
    if not any(masked):  # the usual case: nothing to skip
        tokens = [(m.group(0).lower(), m.start(), m.end()) for m in _LETTER_RUN.finditer(text)]
    else:
        tokens = [(m.group(0).lower(), m.start(), m.end()) for m in _LETTER_RUN.finditer(text)
                  if not any(masked[m.start():m.end()])]
    mentions: list[Mention] = []
    accepted: set = set()
    index = 0
    while index < len(tokens):
        word = tokens[index][0]
        starts = word in units or word in hundreds or (word in scales and word not in ("md", "mds", "mrd", "bn"))
        if not starts and word in articles and index + 1 < len(tokens):
            following = tokens[index + 1][0]
            starts = following in hundreds or following in scales
        if not starts or (word in hundreds and index and tokens[index - 1][0] in _PERCENT_BEFORE_HUNDRED):
            value = _ordinal_word(word, lang)
            if value is not None:
                accepted |= {Decimal(value)}
            if word in _DECADE_WORDS and lang == "en":
                decade = _DECADE_WORDS[word]
                accepted |= {Decimal(decade), Decimal(1900 + decade), Decimal(2000 + decade)}
            index += 1
            continue
        total, current, last_scale, used, previous = 0, 0, 0, [], None
        position = index
        while position < len(tokens):
            word = tokens[position][0]
            if word in joiners and used and position + 1 < len(tokens) and tokens[position + 1][0] in units:
                position += 1
                continue
            if word in units:
                if lang == "fr" and word.startswith("vingt") and previous == "quatre":
                    current += 76  # quatre-vingt(s) = 4 x 20
                else:
                    current += units[word]
            elif word in hundreds:
                if position and tokens[position - 1][0] in _PERCENT_BEFORE_HUNDRED:
                    break
                current = (current or 1) * 100
            elif word in scales:
                scale = 10 ** scales[word]
                if current == 0 and total and last_scale and last_scale < scale:
                    total *= scale  # "mil millones"
                else:
                    total += (current or 1) * scale
                current, last_scale = 0, scale
            elif word in articles and position == index:
                pass
            else:
                ordinal = _ordinal_word(word, lang)
                if ordinal is not None and used and ordinal < 10:
                    current += ordinal  # twenty-first
                    used.append(position)
                    position += 1
                break
            used.append(position)
            previous = word
            position += 1
        value = total + current
        start, end = tokens[used[0]][1], tokens[used[-1]][2]
        only = [tokens[i][0] for i in used]
        values = {Decimal(value)}
        if value % 10 == 0 and value < 100 and _DECADE_WORD.search(text) and _DECADE_CONTEXT.search(text[:start]):
            values |= {Decimal(1900 + value), Decimal(2000 + value)}
        if len(only) == 1 and only[0] in _AMBIGUOUS.get(lang, set()):
            accepted |= values
        else:
            mentions.append(Mention(text[start:end], start, end, frozenset(values)))
        index = max(position, index + 1)
    return mentions, accepted


def _mask(masked: list[bool], start: int, end: int) -> None:
    masked[start:end] = [True] * (end - start)


def read_numbers(text: str, lang: str) -> tuple[list[Mention], set]:
    """(numbers a translation must keep, values accepted in this text) of ``text`` in ``lang``.

    Each search is skipped when a plain test shows it cannot match (a URL has "://" or "www.", an
    e-mail address "@", a number a digit...): most texts have none of these, and the result is the same."""
    lowered = text.lower()
    masked = [False] * len(text)
    for pattern, possible in ((_URL, "://" in text or "www." in lowered), (_EMAIL, "@" in text)):
        for match in pattern.finditer(text) if possible else ():
            _mask(masked, match.start(), match.end())
    mentions: list[Mention] = []
    accepted: set = set()

    def free(start: int, end: int) -> bool:
        return not any(masked[start:end])

    # Times and written numbers all have a digit (``\d``, as in their patterns).
    digits = _DIGIT.search(text) is not None
    for pattern in _TIMES if digits and _TIME_HINT.search(text) else ():
        for match in pattern.finditer(text):
            if not free(match.start(), match.end()):
                continue
            hour, minute = int(match.group(1)), int(match.group(2) or match.group(3) or 0)
            meridiem = match.group(4) if pattern.groups >= 4 else None
            values = _time_values(hour, minute, meridiem)
            if values:
                mentions.append(Mention(match.group(0).strip(), match.start(), match.end(), frozenset(values)))
                _mask(masked, match.start(), match.end())

    scales = _SCALES.get(lang, {})
    decades = any(stem in lowered for stem in _DECADE_STEMS) and _DECADE_WORD.search(text) is not None
    for match in _NUMBER.finditer(text) if digits else ():
        if not free(match.start(), match.end()):
            continue
        values: set = set(_readings(match.group(0)))
        following = _NEXT_WORD.match(text, match.end())
        if following and following.group(1).lower() in scales:
            exponent = scales[following.group(1).lower()]
            values |= {(value * Decimal(10) ** exponent).normalize() for value in values}
            _mask(masked, match.end(), following.end())  # not a spelled number of its own
        end = match.end()
        if text[end:end + 1] == "s" and not text[end + 1:end + 2].isalpha():  # the 1980s, the 80s
            values |= {value % 100 for value in values if value >= 1000} | {
                Decimal(1900) + value for value in values if value < 100}
        if decades and _DECADE_CONTEXT.search(text[: match.start()]):
            values |= {Decimal(1900) + value for value in values if value < 100}
            values |= {value % 100 for value in values if value >= 1000}
        mentions.append(Mention(match.group(0), match.start(), match.end(), frozenset(values)))
        _mask(masked, match.start(), match.end())

    mostly_lower = None  # counted only when a Roman numeral is found (two passes over the text)
    for match in _ROMAN.finditer(text):
        if not free(match.start(), match.end()):
            continue
        value = _roman(match.group(1))
        if value is None:
            continue
        # "Le", "De", "Ce", "Me" are words, not 50th, 500th, 100th, 1000th.
        ordinal = match.group(2) and (len(match.group(1)) > 1 or match.group(1) in "IVX")
        if match.group(2) and not ordinal:
            continue
        if mostly_lower is None:
            mostly_lower = sum(ch.islower() for ch in text) >= sum(ch.isupper() for ch in text)
        if (len(match.group(1)) > 1 or ordinal) and mostly_lower:
            mentions.append(Mention(match.group(0), match.start(), match.end(), frozenset({Decimal(value)})))
        else:
            accepted.add(Decimal(value))  # the English "I", or a capitalised heading
        _mask(masked, match.start(), match.end())

    spelled, spelled_accepted = _spelled(text, lang, masked, lowered)
    mentions += spelled
    accepted |= spelled_accepted
    for mention in mentions:
        accepted |= mention.values
    mentions.sort(key=lambda mention: mention.start)
    return mentions, accepted


def addresses(text: str) -> list[tuple[str, int, int]]:
    """URLs and e-mail addresses (trailing punctuation left out): they must reappear verbatim."""
    found = []
    for pattern, possible in ((_URL, "://" in text or "www." in text.lower()), (_EMAIL, "@" in text)):
        for match in pattern.finditer(text) if possible else ():
            address = match.group(0).rstrip(_TRAILING)
            found.append((address, match.start(), match.start() + len(address)))
    return found
