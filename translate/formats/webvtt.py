"""WebVTT subtitles (.vtt): the text of each cue is translated; the header, cue identifiers,
timings and cue settings (position, line, align), STYLE, REGION and NOTE blocks are kept byte
for byte.

The file is read as text rather than through a subtitle library: pysubs2 and webvtt-py drop
cue settings, STYLE blocks or voice tags when they write a file back. A cue's text may hold
tags (``<v Roger>``, ``<i>``, ``<c.loud>``) and character references: as in HTML, the text
between two tags is a block, the model gets it unescaped and the English is escaped back.
Timestamp tags (``<00:00:01.500>``) cut the text too.
"""

from __future__ import annotations

import html
import re

from translate.document import Block, Segment, SourceDocument
from translate.errors import InputError
from translate.formats.base import TextFormat, replace_blocks
from translate.formats.encoding import decode_bytes
from translate.formats.html_text_nodes import html_text_blocks

_HEADER = re.compile(r"\A\ufeff?WEBVTT(?:[ \t][^\n]*)?(?:\r?\n|\Z)")
_BLOCK_SEPARATOR = re.compile(r"(?:\r?\n){2,}")
_TIMESTAMP_TAG = re.compile(r"<\d[^>]*>")
_NOT_CUES = ("NOTE", "STYLE", "REGION")


class WebVttFormat(TextFormat):
    name = "vtt"
    suffix = ".vtt"
    suffixes = (".vtt",)

    def read(self, data: bytes, source: str, *, sha256: str) -> SourceDocument:
        text, encoding = decode_bytes(data, source)
        if text and not _HEADER.match(text):
            raise InputError(f"{source}: not a WebVTT file (it must start with WEBVTT)")
        return SourceDocument(source, text, sha256, encoding, cue_text_blocks(text))

    def write(self, document: SourceDocument, segments: list[Segment]) -> str:
        return replace_blocks(document.text, document.blocks, segments, render=lambda english: html.escape(english, quote=False))

    def model_text(self, text: str) -> str:
        return html.unescape(text)


def cue_text_blocks(text: str) -> list[Block]:
    blocks: list[Block] = []
    header = _HEADER.match(text)
    cursor = header.end() if header else 0
    for start, end in _split_blocks(text, cursor):
        chunk = text[start:end]
        if chunk.lstrip().startswith(_NOT_CUES) or "-->" not in chunk:
            continue
        arrow = chunk.index("-->")
        line_end = chunk.find("\n", arrow)
        if line_end == -1:
            continue  # a cue with no text
        cue_start = start + line_end + 1
        pieces, piece_start = [], cue_start
        for tag in _TIMESTAMP_TAG.finditer(text, cue_start, end):
            pieces.append((piece_start, tag.start()))
            piece_start = tag.end()
        pieces.append((piece_start, end))
        for piece_start, piece_end in pieces:
            for block in html_text_blocks(text[piece_start:piece_end]):
                blocks.append(Block(block.start + piece_start, block.end + piece_start))
    return blocks


def _split_blocks(text: str, start: int) -> list[tuple[int, int]]:
    spans, cursor = [], start
    for separator in _BLOCK_SEPARATOR.finditer(text, start):
        spans.append((cursor, separator.start()))
        cursor = separator.end()
    spans.append((cursor, len(text)))
    return [(a, b) for a, b in spans if a < b]
