"""Segment stage: decoded text -> language spans.

Blocks (paragraphs for plain text; a format may give its own) are split into
sentences and each sentence gets a language. Every non-whitespace character of a
block ends up in exactly one segment, in order, with offsets into the full text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from translate.document import Block, Segment, UNDETERMINED
from translate.langid import detect_language

_BLANK_LINE = re.compile(r"\n[ \t\r\f\v]*\n\s*")
# A sentence ends at . ! ? … (with closing quotes/brackets) followed by space, or at a line break.
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'»”’)\]]*\s+|\n+")


def split_paragraphs(text: str) -> list[Block]:
    """Blank-line separated paragraphs; single line breaks stay inside a paragraph."""
    blocks, start = [], 0
    for match in _BLANK_LINE.finditer(text):
        _append_trimmed(blocks, text, start, match.start())
        start = match.end()
    _append_trimmed(blocks, text, start, len(text))
    return blocks


def split_sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence offsets within ``text[start:end]``, trimmed of surrounding whitespace."""
    pieces, cursor = [], start
    for match in _SENTENCE_END.finditer(text, start, end):
        pieces.append((cursor, match.start() + _closing_length(text, match)))
        cursor = match.end()
    pieces.append((cursor, end))
    return [trimmed for s, e in pieces if (trimmed := _trim(text, s, e))]


def segment_document(text: str, blocks: Sequence[Block] | None = None) -> list[Segment]:
    """Language segments of ``text``; ``blocks`` default to its paragraphs."""
    if blocks is None:
        blocks = split_paragraphs(text)
    segments: list[Segment] = []
    for paragraph, block in enumerate(blocks):
        for start, end in split_sentences(text, block.start, block.end):
            piece = text[start:end]
            segments.append(Segment(paragraph, start, end, detect_language(piece), piece))
    return segments


def _closing_length(text: str, match: re.Match) -> int:
    # The punctuation lookbehind keeps closing quotes in the match; give them back to the sentence.
    matched = match.group(0)
    return len(matched) - len(matched.lstrip("\"'»”’)]"))


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


def _append_trimmed(blocks: list[Block], text: str, start: int, end: int) -> None:
    if trimmed := _trim(text, start, end):
        blocks.append(Block(*trimmed))
