"""Sentence boundaries for French, Spanish and English text.

A small rule set rather than a library. pysbd, the usual rule-based choice, needs the
language up front (one rule set per language), has had no release since 2021, installs
a top-level ``benchmarks`` package, and on langid-dev paragraphs finds the same share of
boundaries (0.993 vs 0.991 here) with twice the cuts inside lines, 140x slower (2.0 vs
0.014 s per 100k characters; benchmarks/sentences.py, before the abbreviation lists were revised).
Other splitters bring a model.
Our text mixes three languages inside a paragraph, and a boundary the splitter misses is
still found by the segmenter when the language changes there, so one shared rule set:

- a sentence ends at ``.``, ``!``, ``?`` or ``…`` (with closing quotes or brackets)
  followed by white space and something that can start a sentence (a capital,
  a digit, an opening quote, bracket or dash, ``¿``/``¡``);
- not after a word that is only ever an abbreviation (``etc.`` aside: it often ends a
  sentence): a title before a name, written with a capital (``M.``, ``Mme.``, ``Dr.``,
  ``Sr.``), or a word no language here uses alone (``cf.``, ``vs.``, ``Av.``);
- not after an abbreviation that is also a common word (``no``, ``art``, ``p``, ``vol``,
  ``mar``...) when a digit follows (``No. 5``, ``art. 12``, ``15 mar. 2020``): only the number
  shows it is an abbreviation, so ``Le dijo que no. Luego...`` and ``Fue al mar. Luego...``
  are two sentences each;
- not after a single capital (an initial: ``J. K. Rowling``);
- a line break always ends a sentence (headings, captions, list items).
"""

from __future__ import annotations

import re

# Titles before a name: not a sentence end when written capitalised (``Dr. Smith``); lower-cased,
# no period. Words that are also ordinary words (``gen``, ``sen``, ``rep``: Spanish "gene", ...)
# are left out: a capital after them does not show they are abbreviations.
_TITLES = frozenset(
    """
    mm mme mmes mlle mlles mr mrs ms dr drs dra prof st sr sra srta sres dña ud uds vd vds lt gov mt ph
    """.split()
)
# Abbreviations that are no word of French, Spanish or English: never a sentence end.
_ALWAYS = frozenset("cf vs av avda ej approx pág págs nº núm figs janv févr juil".split())
# Abbreviations that are also words (``no``, ``mar`` "sea", ``art``, ``ed``): only before a number.
_BEFORE_NUMBER = frozenset(
    """
    no num p pp vol vols ed eds cap fig art arts env jan feb mar apr jun jul aug sep sept oct nov dec
    ene abr ago dic avr déc
    """.split()
)

_OPENERS = "\"'«“‘„([¿¡—–-"
_CLOSERS = "\"'»”’)]"
# Candidate ends: terminal punctuation, closing quotes/brackets, then white space.
# French typography puts a (no-break) space before the closing guillemet: "fin. »".
_CANDIDATE = re.compile(r"[.!?…]+(?:[\u00a0\u202f ]?[»]|[" + re.escape(_CLOSERS) + r"])*(?=\s)")
_LINE_BREAK = re.compile(r"[ \t\f\v]*(?:\r\n|\r|\n)\s*")
_WORD_BEFORE = re.compile(r"([^\W\d_]+)$")


def split_sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence offsets within ``text[start:end]``, trimmed of surrounding white space."""
    pieces: list[tuple[int, int]] = []
    line_start = start
    for line_break in _LINE_BREAK.finditer(text, start, end):
        _split_line(text, line_start, line_break.start(), pieces)
        line_start = line_break.end()
    _split_line(text, line_start, end, pieces)
    return pieces


def _split_line(text: str, start: int, end: int, pieces: list[tuple[int, int]]) -> None:
    cursor = start
    for match in _CANDIDATE.finditer(text, start, end):
        if _is_boundary(text, match, end):
            _append_trimmed(text, cursor, match.end(), pieces)
            cursor = match.end()
    _append_trimmed(text, cursor, end, pieces)


def _is_boundary(text: str, match: re.Match, end: int) -> bool:
    following = _next_visible(text, match.end(), end)
    if following is None:
        return False
    if not (following.isupper() or following.isdigit() or following in _OPENERS):
        return False
    if match.group(0).startswith(".") and len(match.group(0).rstrip(_CLOSERS + " \u00a0\u202f")) == 1:
        # A single period: abbreviations and initials do not end a sentence.
        word = _WORD_BEFORE.search(text, max(0, match.start() - 24), match.start())
        if word:
            token = word.group(1)
            lower = token.lower()
            if (
                lower in _ALWAYS
                or (lower in _TITLES and token[0].isupper())
                or (lower in _BEFORE_NUMBER and following.isdigit())
                or (len(token) == 1 and token.isupper())
            ):
                return False
    return True


def _next_visible(text: str, position: int, end: int) -> str | None:
    while position < end and text[position].isspace():
        position += 1
    return text[position] if position < end else None


def _append_trimmed(text: str, start: int, end: int, pieces: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        pieces.append((start, end))
