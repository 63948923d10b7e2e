"""Plain text (.txt): paragraphs are blank-line separated blocks.

Line breaks may be ``\\n``, ``\\r\\n`` or a lone ``\\r``; the English document is written with the
input's line ending (the most used one when a file mixes them)."""

from __future__ import annotations

from translate.document import Span, SourceDocument
from translate.formats.base import TextFormat, dominant_newline, join_block
from translate.formats.encoding import decode_bytes
from translate.segment import split_paragraphs


class PlainTextFormat(TextFormat):
    name = "txt"
    suffix = ".txt"
    suffixes = (".txt",)

    def read(self, data: bytes, source: str, *, sha256: str) -> SourceDocument:
        text, encoding = decode_bytes(data, source)
        return SourceDocument(source, text, sha256, encoding, split_paragraphs(text))

    def write(self, document: SourceDocument, segments: list[Span]) -> str:
        """The English document: each paragraph's translations joined, paragraphs kept."""
        paragraphs: dict[int, list[Span]] = {}
        for seg in segments:
            paragraphs.setdefault(seg.paragraph, []).append(seg)
        newline = dominant_newline(document.text)
        out = [join_block(document.text, segs, newline=newline) for _, segs in sorted(paragraphs.items())]
        return (newline * 2).join(out) + (newline if out else "")
