"""WebVTT subtitles (.vtt): the text of each cue is translated; the header, cue identifiers,
timings and cue settings (position, line, align), STYLE, REGION and NOTE blocks are kept byte
for byte.

The file is read as text rather than through a subtitle library: pysubs2 and webvtt-py drop
cue settings, STYLE blocks or voice tags when they write a file back. A cue's text is one
sentence flow (see ``translate.markup``), as an HTML paragraph: its tags (``<v Roger>``, ``<i>``,
``<b>``, ``<u>``, ``<c.loud>``, ``<lang fr>``, ``<ruby>``/``<rt>``) are inline elements put back on
the English words aligned with theirs, its line breaks are points placed the same way, character
references are decoded for the model and the English is escaped back. A timestamp tag
(``<00:00:01.500>``, karaoke timing) ends a flow: the text between two timestamps is translated
on its own, so that each timestamp stays before the words it times and in order.
"""

from __future__ import annotations

import codecs
import html
import re

from translate.document import Span, SourceDocument
from translate.errors import InputError
from translate.formats.base import TextFormat
from translate.formats.encoding import decode_bytes
from translate.markup import FlowWriter, PlainText, TaggedFlows, render_document

# A line ends at CRLF, a lone CR or LF, mixed freely (the WebVTT parser's "newline").
_NEWLINE = r"(?:\r\n|\r(?!\n)|\n)"
_HEADER = re.compile(r"\A\ufeff?WEBVTT(?:[ \t][^\r\n]*)?(?:" + _NEWLINE + r"|\Z)")
_BLOCK_SEPARATOR = re.compile(_NEWLINE + "{2,}")
_NOT_CUES = ("NOTE", "STYLE", "REGION")
_CUE_TOKEN = re.compile(
    r"(?P<timestamp><\d[^>\r\n]*>)"
    r"|</(?P<close>[^>\s.]*)[^>\r\n]*>"
    r"|<(?P<open>[A-Za-z][^>\s.]*)[^>\r\n]*>"
    r"|(?P<reference>&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);)"
    r"|(?P<newline>" + _NEWLINE + ")"
    r"|(?P<space>[ \t\f]+)"
    r"|(?P<text>[^<&\s]+|[<&])"
)
# Line breaks placed side by side by the translation must not make a blank line (it ends the cue),
# nor start or end the cue's text.
_BLANK_LINES = re.compile("(" + _NEWLINE + r")[ \t]*(?:" + _NEWLINE + r"[ \t]*)+")

WRITER = FlowWriter(
    escape_text=lambda text: html.escape(text, quote=False),
    escape_attribute=lambda text: html.escape(text, quote=True),
    finish_flow=lambda text: _BLANK_LINES.sub(r"\1", text).strip("\r\n"),
    # A tag that styles text (italics, a voice, a class) is kept on an English word, never left empty.
    needs_words=frozenset({"i", "b", "u", "c", "v", "lang"}),
)


class WebVttFormat(TextFormat):
    name = "vtt"
    suffix = ".vtt"
    suffixes = (".vtt",)

    def read(self, data: bytes, source: str, *, sha256: str) -> SourceDocument:
        if b"\x00" in data and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            # The WebVTT parser reads a NUL as U+FFFD, so a player shows (and the English keeps) that.
            data = data.replace(b"\x00", "\ufffd".encode("utf-8"))
        text, encoding = decode_bytes(data, source)
        if text and not _HEADER.match(text):
            raise InputError(f"{source}: not a WebVTT file (it must start with WEBVTT)")
        return SourceDocument(source, text, sha256, encoding, plain=read_cues(text))

    def write(self, document: SourceDocument, segments: list[Span]) -> str:
        return render_document(document.text, document.plain, segments, WRITER)

    def encode(self, document: SourceDocument, english: str) -> bytes:
        # A file that came with a byte-order mark goes back with it (an English-only file byte for byte).
        bom = codecs.BOM_UTF8 if document.encoding == "utf-8-sig" else b""
        return bom + english.encode("utf-8")


def read_cues(text: str) -> PlainText:
    """The flows of every cue's text (one per cue, cut at timestamp tags)."""
    flows = TaggedFlows()
    header = _HEADER.match(text)
    cursor = header.end() if header else 0
    for start, end in _split_blocks(text, cursor):
        chunk = text[start:end]
        if chunk.lstrip().startswith(_NOT_CUES) or "-->" not in chunk:
            continue
        arrow = chunk.index("-->")
        line_end = re.compile(_NEWLINE).search(chunk, arrow)
        if line_end is None:
            continue  # a cue with no text
        for token in _CUE_TOKEN.finditer(text, start + line_end.end(), end):
            kind, low, high = token.lastgroup, token.start(), token.end()
            if kind == "timestamp":
                flows.end_flow()
            elif kind == "open":
                flows.open_tag(token.group("open").lower(), low, high)
            elif kind == "close":
                flows.close_tag(token.group("close").lower(), low, high)
            elif kind == "newline":
                if flows.in_flow:
                    flows.point("br", low, high, space=True)
            elif kind == "reference":
                flows.text(html.unescape(token.group(0)), low, high)
            else:
                flows.text(token.group(0), low, high)
        flows.end_flow()
    return flows.finish()


def _split_blocks(text: str, start: int) -> list[tuple[int, int]]:
    spans, cursor = [], start
    for separator in _BLOCK_SEPARATOR.finditer(text, start):
        spans.append((cursor, separator.start()))
        cursor = separator.end()
    spans.append((cursor, len(text)))
    return [(a, b) for a, b in spans if a < b]
