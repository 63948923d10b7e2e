"""SubStation Alpha subtitles (.ass, .ssa), through pysubs2: the text of each dialogue event is
translated; script info, styles, timings, layers, margins, effects and override tags
(``{\\i1}``, ``{\\pos(10,20)}``) are kept.

A dialogue's text between two override blocks is a block (as for inline markup in Markdown);
``\\N`` and ``\\n`` line breaks are line breaks inside the block and ``\\h`` a no-break space.
Drawings (``{\\p1}`` ... ``{\\p0}``) and comment events are not translated. The document text
(what the JSON's offsets point into) is the dialogue texts so decoded, separated by blank
lines; the English file is written by pysubs2, so its layout is pysubs2's.
"""

from __future__ import annotations

import re

from translate.document import Segment, SourceDocument
from translate.errors import InputError
from translate.formats.base import TextFormat, english_texts, layout_texts
from translate.formats.encoding import decode_bytes

_OVERRIDE = re.compile(r"\{[^}]*\}")
_DRAWING = re.compile(r"\\p(\d+)")


class SubStationFormat(TextFormat):
    name = "ass"
    suffix = ".ass"
    suffixes = (".ass", ".ssa")

    def read(self, data: bytes, source: str, *, sha256: str) -> SourceDocument:
        text, encoding = decode_bytes(data, source)
        _subs, pieces = _pieces(text, source)
        layout = layout_texts([piece for _event, _slot, piece in pieces])
        return SourceDocument(source, layout.text, sha256, encoding, layout.blocks, original=data)

    def write(self, document: SourceDocument, segments: list[Segment]) -> str:
        text, _encoding = decode_bytes(document.original, document.source)
        subs, pieces = _pieces(text, document.source)
        layout = layout_texts([piece for _event, _slot, piece in pieces])
        english = english_texts(layout, segments)
        replacement = {(event, slot): value for (event, slot, piece), value in zip(pieces, english) if value != piece}
        for position, event in enumerate(subs):
            parts = _split_event(event.text)
            if any((position, slot) in replacement for slot in range(len(parts))):
                event.text = "".join(_encode_text(replacement[(position, slot)]) if (position, slot) in replacement else value
                                     for slot, (_kind, value) in enumerate(parts))
        fmt = "ssa" if document.source.lower().endswith(".ssa") else "ass"
        return subs.to_string(fmt)


def _pieces(text: str, source: str):
    """The parsed file and its translatable pieces: (event position, part index, decoded text)."""
    import pysubs2

    try:
        subs = pysubs2.SSAFile.from_string(text)
    except Exception as err:  # pysubs2 raises several kinds for malformed files
        raise InputError(f"{source}: not a SubStation Alpha file: {err}") from None
    if subs.format not in ("ass", "ssa"):
        raise InputError(f"{source}: not a SubStation Alpha file (it reads as {subs.format})")
    pieces = []
    for position, event in enumerate(subs):
        if event.is_comment:
            continue
        for slot, (kind, value) in enumerate(_split_event(event.text)):
            if kind == "text":
                pieces.append((position, slot, _decode_text(value)))
    return subs, pieces


def _split_event(text: str) -> list[tuple[str, str]]:
    """An event's text as ("override" | "drawing" | "text", raw string) parts, in order."""
    parts, cursor, drawing = [], 0, False
    for match in _OVERRIDE.finditer(text):
        if match.start() > cursor:
            parts.append(("drawing" if drawing else "text", text[cursor : match.start()]))
        parts.append(("override", match.group(0)))
        for level in _DRAWING.findall(match.group(0)):
            drawing = level != "0"
        cursor = match.end()
    if cursor < len(text):
        parts.append(("drawing" if drawing else "text", text[cursor:]))
    return parts


def _decode_text(raw: str) -> str:
    return raw.replace("\\N", "\n").replace("\\n", "\n").replace("\\h", "\u00a0")


def _encode_text(text: str) -> str:
    # Braces would open an override block; a line break is \N.
    return text.replace("{", "(").replace("}", ")").replace("\r\n", "\n").replace("\n", "\\N").replace("\u00a0", "\\h")
