"""Plain text (.txt): paragraphs are blank-line separated blocks."""

from __future__ import annotations

from translate.document import Segment, SourceDocument
from translate.formats.base import TextFormat, join_block
from translate.formats.encoding import decode_bytes
from translate.segment import split_paragraphs


class PlainTextFormat(TextFormat):
    name = "txt"
    suffix = ".txt"
    suffixes = (".txt",)

    def read(self, data: bytes, source: str, *, sha256: str) -> SourceDocument:
        text, encoding = decode_bytes(data, source)
        return SourceDocument(source, text, sha256, encoding, split_paragraphs(text))

    def write(self, document: SourceDocument, segments: list[Segment]) -> str:
        """The English document: each paragraph's translations joined, paragraphs kept."""
        paragraphs: dict[int, list[Segment]] = {}
        for seg in segments:
            paragraphs.setdefault(seg.paragraph, []).append(seg)
        out = [join_block(document.text, segs) for _, segs in sorted(paragraphs.items())]
        return "\n\n".join(out) + ("\n" if out else "")
