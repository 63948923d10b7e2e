"""The interface every format implements, and what formats share: rebuilding a document with
its blocks replaced by their English."""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import ClassVar

from translate.document import Block, Span, SourceDocument


@dataclass(frozen=True)
class EnglishDocument:
    """The write stage's value: the English document and what writing it placed, together, so the
    side-by-side page, the JSON and the extra outputs are made from it (never from what a call
    left on the spans).

    Attributes:
        data: the English document's bytes, in the input's format.
        spans: the spans written (copies; the spans given are not changed), each with the ``markup``
            records this English placed (HTML, Markdown, EPUB, subtitles with tags; else None).
        text: the English document as text (text formats), else None.
        extras: the extra outputs' bytes by kind (EPUB: ``bilingual``).
    """

    data: bytes
    spans: tuple[Span, ...]
    text: str | None = None
    extras: Mapping[str, bytes] = field(default_factory=dict)


@dataclass(frozen=True)
class ReadOptions:
    """A run's choices about what of a file is translated, for the formats that act on them
    (``Format.acts_on``); a format that acts on none reads the same whatever they are.

    Attributes:
        retranslate: replace the translations a file already has (gettext's ``msgstr``) with the
            model's, instead of keeping them (``--retranslate``).
    """

    retranslate: bool = False


def fresh_spans(segments: list[Span]) -> list[Span]:
    """Copies of ``segments`` without markup records, for a format to place its markup on."""
    return [replace(seg, markup=None) for seg in segments]


class Format(ABC):
    """One input file format: how to read it into blocks to translate, and how to write it back.

    Subclasses set ``name`` (as given to ``--formats``), ``suffix`` (the main one) and
    ``suffixes``, and implement ``read`` and ``english_document``. The other methods have defaults that suit most formats.
    """

    name: ClassVar[str]
    suffix: ClassVar[str]
    suffixes: ClassVar[tuple[str, ...]]
    # Further documents written beside the English one, as NAME.<kind><suffix> (EPUB: "bilingual").
    extra_outputs: ClassVar[tuple[str, ...]] = ()
    # The ``ReadOptions`` fields this format acts on when reading, each a keyword of its constructor
    # and an attribute of the same name (gettext: ``retranslate``).
    acts_on: ClassVar[tuple[str, ...]] = ()

    def reading(self, options: ReadOptions | None) -> Format:
        """This format as it reads with ``options``: itself when it acts on none of them or they are
        its own, else a new one (the formats of ``translate.formats`` stay shared and unchanged)."""
        if options is None or not self.acts_on:
            return self
        chosen = {name: getattr(options, name) for name in self.acts_on}
        if all(getattr(self, name) == value for name, value in chosen.items()):
            return self
        return type(self)(**chosen)

    def options_used(self) -> dict:
        """The read options this format acts on that differ from the defaults, by name. A document
        records them (``SourceDocument.read_options``, its JSON), so that outputs read otherwise are
        not taken as up to date."""
        default = ReadOptions()
        return {name: getattr(self, name) for name in self.acts_on if getattr(self, name) != getattr(default, name)}

    @abstractmethod
    def read(self, data: bytes, source: str, *, sha256: str) -> SourceDocument:
        """The decoded document and its blocks (the regions to translate), in reading order.

        Raises InputError, naming ``source`` and the reason, for a file it cannot read."""

    @abstractmethod
    def english_document(self, document: SourceDocument, segments: list[Span]) -> bytes:
        """The bytes of the English document, in the input's format (a format's hook: callers use ``english``)."""

    def english(self, document: SourceDocument, segments: list[Span]) -> EnglishDocument:
        """The English document of ``document`` translated as ``segments`` say, with its markup
        records and extra outputs; ``segments`` are not changed."""
        spans = fresh_spans(segments)
        return EnglishDocument(self.english_document(document, spans), tuple(spans))

    def model_text(self, text: str) -> str:
        """What the model is given for a span whose source text is ``text`` (HTML resolves references)."""
        return text

    def english_suffix(self, suffix: str) -> str:
        """The suffix of the English document for an input with ``suffix`` (a .pot template gives a .po)."""
        return suffix


class TextFormat(Format):
    """A format whose files are text: ``write`` gives the English document as a string."""

    @abstractmethod
    def write(self, document: SourceDocument, segments: list[Span]) -> str:
        """The English document."""

    def encode(self, document: SourceDocument, english: str) -> bytes:
        """The bytes of the English document (UTF-8; HTML keeps the source's encoding)."""
        return english.encode("utf-8")

    def english(self, document: SourceDocument, segments: list[Span]) -> EnglishDocument:
        spans = fresh_spans(segments)
        text = self.write(document, spans)
        return EnglishDocument(self.encode(document, text), tuple(spans), text)

    def english_document(self, document: SourceDocument, segments: list[Span]) -> bytes:
        return self.encode(document, self.write(document, segments))


def join_block(text: str, segments: list[Span], *, verbatim_gaps: bool = False, newline: str = "\n") -> str:
    """The English of one block: its spans' translations, keeping the source's separators
    (a line break stays a line break, written as ``newline``, a space a space; ``verbatim_gaps``
    keeps them exactly, for formats where indentation inside a block matters)."""
    parts = []
    for prev, seg in zip([None, *segments], segments):
        if prev is not None:
            gap = text[prev.end : seg.start]
            line_break = "\n" in gap or "\r" in gap
            parts.append(gap if verbatim_gaps else newline if line_break else " " if gap else "")
        parts.append(seg.translation if seg.translation is not None else seg.text)
    return "".join(parts)


def replace_blocks(
    text: str, blocks: list[Block], segments: list[Span], render: Callable[[str], str] = str
) -> str:
    """``text`` with each block replaced by ``render(its English)``; everything between blocks
    (markup, code, timings) is kept byte for byte."""
    by_block: dict[int, list[Span]] = {}
    for seg in segments:
        by_block.setdefault(seg.paragraph, []).append(seg)
    out, cursor = [], 0
    for index, block in enumerate(blocks):
        out.append(text[cursor : block.start])
        segs = by_block.get(index)
        out.append(render(join_block(text, segs, verbatim_gaps=True)) if segs else text[block.start : block.end])
        cursor = block.end
    out.append(text[cursor:])
    return "".join(out)


def dominant_newline(text: str) -> str:
    """The line ending most used in ``text``: ``\\r\\n``, a lone ``\\r`` or ``\\n`` (the default)."""
    crlf = text.count("\r\n")
    counts = {"\n": text.count("\n") - crlf, "\r\n": crlf, "\r": text.count("\r") - crlf}
    return max(counts, key=lambda newline: (counts[newline], newline == "\n"))


def trimmed_block(text: str, start: int, end: int) -> Block | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Block(start, end) if start < end else None


def line_starts(text: str) -> list[int]:
    """Offset of the first character of each line (lines end at ``\\n``)."""
    starts = [0]
    index = text.find("\n")
    while index != -1:
        starts.append(index + 1)
        index = text.find("\n", index + 1)
    return starts


_WORD = re.compile(r"\S+")


def block_english(text: str, block: Block, segments: list[Span]) -> tuple[str, list[list[int]]]:
    """The English of ``block`` (its spans' translations, the source's separators kept exactly)
    and word alignment pairs ``[src_start, src_end, tgt_start, tgt_end]`` over the block's text and
    that English. Kept spans (English, no language) align word for word with themselves; the
    leading and trailing whitespace of the block is not included."""
    parts: list[str] = []
    pairs: list[list[int]] = []
    length = 0
    for prev, seg in zip([None, *segments], segments):
        if prev is not None:
            gap = text[prev.end : seg.start]
            parts.append(gap)
            length += len(gap)
        english = seg.translation if seg.translation is not None else seg.text
        offset = seg.start - block.start
        if seg.alignment is not None and english != seg.text:
            pairs.extend([s0 + offset, s1 + offset, t0 + length, t1 + length] for s0, s1, t0, t1 in seg.alignment)
        elif english == seg.text:
            pairs.extend([m.start() + offset, m.end() + offset, m.start() + length, m.end() + length]
                         for m in _WORD.finditer(english))
        parts.append(english)
        length += len(english)
    return "".join(parts), pairs


def segments_by_block(segments: list[Span]) -> dict[int, list[Span]]:
    by_block: dict[int, list[Span]] = {}
    for seg in segments:
        by_block.setdefault(seg.paragraph, []).append(seg)
    return by_block


@dataclass
class TextLayout:
    """Several texts (subtitle events, catalogue messages) laid out as one document text,
    separated by blank lines, with blocks over the regions of each to translate."""

    text: str
    blocks: list[Block]
    starts: list[int]  # where each text starts in ``text``
    lengths: list[int]
    owners: list[int]  # the text of each block


def layout_texts(texts: list[str], regions: Callable[[str], list[tuple[int, int]]] | None = None,
                 separator: str = "\n\n", language: str | None = None,
                 languages: list[str | None] | None = None) -> TextLayout:
    """``regions(text)`` gives the (start, end) stretches of a text to translate (default: all of
    it); ``language`` is the source language the file declares, or ``languages`` that of each
    text (None: detected)."""
    parts, blocks, starts, owners = [], [], [], []
    offset = 0
    for index, text in enumerate(texts):
        if index:
            parts.append(separator)
            offset += len(separator)
        starts.append(offset)
        for start, end in regions(text) if regions else [(0, len(text))]:
            if block := trimmed_block(text, start, end):
                blocks.append(Block(block.start + offset, block.end + offset, languages[index] if languages else language))
                owners.append(index)
        parts.append(text)
        offset += len(text)
    return TextLayout("".join(parts), blocks, starts, [len(text) for text in texts], owners)


def english_texts(layout: TextLayout, segments: list[Span]) -> list[str]:
    """Each text of ``layout`` with its blocks replaced by their English."""
    by_block = segments_by_block(segments)
    out: list[list[str]] = [[] for _ in layout.starts]
    cursors = list(layout.starts)
    for index, block in enumerate(layout.blocks):
        owner = layout.owners[index]
        segs = by_block.get(index)
        out[owner].append(layout.text[cursors[owner] : block.start])
        out[owner].append(join_block(layout.text, segs, verbatim_gaps=True) if segs else layout.text[block.start : block.end])
        cursors[owner] = block.end
    for owner, (start, length) in enumerate(zip(layout.starts, layout.lengths)):
        out[owner].append(layout.text[cursors[owner] : start + length])
    return ["".join(parts) for parts in out]


def translated_texts(layout: TextLayout, segments: list[Span]) -> set[int]:
    """The texts of ``layout`` with a span the model translated (machine output)."""
    by_block = segments_by_block(segments)
    return {layout.owners[index] for index, segs in by_block.items()
            if index < len(layout.owners) and any(seg.machine_translated for seg in segs)}
