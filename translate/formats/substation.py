"""SubStation Alpha subtitles (.ass, .ssa), through pysubs2: the text of each dialogue event is
translated; script info, styles, timings, layers, margins, effects and override tags
(``{\\i1}``, ``{\\pos(10,20)}``) are kept.

A dialogue's text is one sentence flow (see ``translate.markup``), as an HTML paragraph: a
formatting toggle pair (``{\\i1}`` ... ``{\\i0}``, likewise ``\\b``, ``\\u``, ``\\s``) is an
inline element put back around the English words aligned with its words; any other override
block and the ``\\N``/``\\n`` line breaks are points placed the same way; ``\\h`` is a no-break
space. Drawings (``{\\p1}`` ... ``{\\p0}``) and comment events are not translated. The document
text (what the JSON's source offsets point into) is the dialogue texts as written in the file,
separated by blank lines; a span's ``text`` is its plain text. The English file is written by
pysubs2, so its layout is pysubs2's.
"""

from __future__ import annotations

import re

from translate.document import Span, SourceDocument
from translate.errors import InputError
from translate.formats.base import TextFormat
from translate.formats.encoding import decode_bytes
from translate.markup import FlowWriter, PlainText, TaggedFlows, join_plain, render_parts

SEPARATOR = "\n\n"
_TOKEN = re.compile(r"(?P<override>\{[^}]*\})|(?P<newline>\\[Nn])|(?P<hard_space>\\h)|(?P<space>\s+)|(?P<text>[^{\\\s]+|[{\\])")
_DRAWING = re.compile(r"\\p(\d+)")
_TOGGLE = re.compile(r"\{\\([ibus])(\d*)\}")

WRITER = FlowWriter(
    # Braces would open an override block; a line break is \N, a no-break space \h.
    escape_text=lambda text: text.replace("{", "(").replace("}", ")").replace("\r\n", "\n").replace("\n", "\\N").replace("\u00a0", "\\h"),
    escape_attribute=lambda text: text,
)


class SubStationFormat(TextFormat):
    name = "ass"
    suffix = ".ass"
    suffixes = (".ass", ".ssa")

    def read(self, data: bytes, source: str, *, sha256: str) -> SourceDocument:
        text, encoding = decode_bytes(data, source)
        _subs, dialogue = _dialogue(text, source)
        layout, plain = _layout(dialogue)
        return SourceDocument(source, layout, sha256, encoding, plain=plain, original=data)

    def write(self, document: SourceDocument, segments: list[Span]) -> str:
        text, _encoding = decode_bytes(document.original, document.source)
        if not text.strip():
            return ""  # empty in, empty out
        subs, dialogue = _dialogue(text, document.source)
        english = render_parts(document.text, document.plain, segments, WRITER, _event_ranges(dialogue))
        for (position, event_text), value in zip(dialogue, english):
            if value != event_text:
                subs[position].text = value
        fmt = "ssa" if document.source.lower().endswith(".ssa") else "ass"
        return subs.to_string(fmt)


def _dialogue(text: str, source: str):
    """The parsed file and its dialogue events: (event position, text as written)."""
    import pysubs2

    if not text.strip():  # nothing to translate (pysubs2 refuses it: "No suitable formats")
        return pysubs2.SSAFile(), []
    try:
        subs = pysubs2.SSAFile.from_string(text)
    except Exception as err:  # pysubs2 raises several kinds for malformed files
        raise InputError(f"{source}: not a SubStation Alpha file: {err}") from None
    if subs.format not in ("ass", "ssa"):
        raise InputError(f"{source}: not a SubStation Alpha file (it reads as {subs.format})")
    return subs, [(position, event.text) for position, event in enumerate(subs) if not event.is_comment]


def _event_ranges(dialogue) -> list[tuple[int, int]]:
    """Where each dialogue text lies in the document text (the texts joined by ``SEPARATOR``)."""
    ranges, offset = [], 0
    for _position, event_text in dialogue:
        ranges.append((offset, offset + len(event_text)))
        offset += len(event_text) + len(SEPARATOR)
    return ranges


def _layout(dialogue) -> tuple[str, PlainText]:
    pieces = [(start, read_event(event_text)) for (start, _end), (_position, event_text) in zip(_event_ranges(dialogue), dialogue)]
    return SEPARATOR.join(event_text for _position, event_text in dialogue), join_plain(pieces)


def read_event(text: str) -> PlainText:
    """The flows of one dialogue text (a drawing ends a flow; the text after it starts another)."""
    flows = TaggedFlows()
    drawing = False
    for token in _TOKEN.finditer(text):
        kind, low, high = token.lastgroup, token.start(), token.end()
        if kind == "override":
            block = token.group(0)
            levels = _DRAWING.findall(block)
            if levels:
                drawing = levels[-1] != "0"
                flows.end_flow()
                continue
            if drawing:
                continue
            toggle = _TOGGLE.fullmatch(block)
            if toggle and toggle.group(2) not in ("", "0"):
                flows.open_tag(toggle.group(1), low, high)
            elif toggle:
                flows.close_tag(toggle.group(1), low, high)
            else:
                flows.point("override", low, high)
        elif drawing:
            continue
        elif kind == "newline":
            if flows.in_flow:
                flows.point("br", low, high, space=True)
        elif kind == "hard_space":
            flows.text("\u00a0", low, high)
        else:
            flows.text(token.group(0), low, high)
    return flows.finish()
