"""Plain text (.txt): paragraphs are blank-line separated blocks."""

from __future__ import annotations

from translate.document import Segment, SourceDocument
from translate.errors import InputError
from translate.segment import split_paragraphs


class PlainTextFormat:
    suffix = ".txt"

    def read(self, data: bytes, source: str, *, sha256: str) -> SourceDocument:
        encoding = "utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8"
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as err:
            raise InputError(f"{source}: not valid UTF-8 text (byte {err.start})") from None
        return SourceDocument(source, text, sha256, "utf-8", split_paragraphs(text))

    def write(self, document: SourceDocument, segments: list[Segment]) -> str:
        """The English document: each paragraph's translations joined, paragraphs kept."""
        paragraphs: dict[int, list[Segment]] = {}
        for seg in segments:
            paragraphs.setdefault(seg.paragraph, []).append(seg)
        out = []
        for _, segs in sorted(paragraphs.items()):
            out.append(_join_in_paragraph(document.text, segs))
        return "\n\n".join(out) + ("\n" if out else "")


def _join_in_paragraph(text: str, segments: list[Segment]) -> str:
    # Keep the source's separator between spans (a line break stays a line break).
    parts = []
    for prev, seg in zip([None, *segments], segments):
        if prev is not None:
            gap = text[prev.end : seg.start]
            parts.append("\n" if "\n" in gap else " " if gap else "")
        parts.append(seg.translation if seg.translation is not None else seg.text)
    return "".join(parts)
