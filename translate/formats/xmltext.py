"""Paragraphs of XML documents (Word, OpenDocument, PowerPoint, XLIFF) as text to translate.

A *unit* is a stretch of a paragraph's text, made of *pieces*: the ``text`` or ``tail`` slots
of XML nodes (a Word ``<w:t>``, an OpenDocument span's text, the text after an inline code).
Its text is the pieces' strings joined, and each piece is a range over that text, which is how
formatted runs become "inline markup" over a plain text. Each format walks its XML and decides:

- *formatting* (bold, italic, a span with a style): ranges inside one unit;
- *links* (a hyperlink, an XLIFF paired code): ranges too, carried over by the inline-markup
  transfer (``translate.markup``);
- *breaks* (a field, a tab, a line break, a placeholder, a footnote): the unit ends there and
  the break is kept where it is.

Writing gives each piece its part of the English: each piece's range is carried over to the
English through the word alignment (``translate.markup.transfer``); a unit of one piece takes
it all. A unit whose English equals its text is left untouched.
"""

from __future__ import annotations

import re
from abc import abstractmethod
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

from translate.document import Span, SourceDocument
from translate.formats.base import Format, TextLayout, block_english, layout_texts, segments_by_block
from translate.formats.package import Package, open_package, serialize_xml

if TYPE_CHECKING:
    from lxml.etree import _Element

XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


@dataclass
class Piece:
    node: _Element  # an element (or a comment, an entity: its tail)
    slot: str  # "text" or "tail"
    preserve_space: bool = False  # mark a changed text xml:space="preserve" (Word's <w:t>)

    def get(self) -> str:
        return (self.node.text if self.slot == "text" else self.node.tail) or ""

    def set(self, value: str) -> None:
        if self.slot == "text":
            self.node.text = value or None
            if self.preserve_space and value != value.strip():
                self.node.set(XML_SPACE, "preserve")
        else:
            self.node.tail = value or None


@dataclass
class Unit:
    pieces: list[Piece] = field(default_factory=list)
    language: str | None = None  # declared by the file (XLIFF's source language); None: detected

    @property
    def text(self) -> str:
        return "".join(piece.get() for piece in self.pieces)


class UnitCollector:
    """Gathers pieces into units as a walker meets text, formatting, links and breaks."""

    def __init__(self) -> None:
        self.units: list[Unit] = []
        self.current = Unit()

    def add(self, node, slot: str = "text", *, preserve_space: bool = False) -> None:
        piece = Piece(node, slot, preserve_space)
        if piece.get():
            self.current.pieces.append(piece)

    def end(self) -> None:
        if self.current.pieces:
            self.units.append(self.current)
        self.current = Unit()


def layout_units(units: list[Unit]) -> TextLayout:
    """The document text of ``units``, one block per unit with text."""
    return layout_texts([unit.text for unit in units], languages=[unit.language for unit in units])


def apply_english(layout: TextLayout, units: list[Unit], segments: list[Span]) -> set[int]:
    """Set each unit's pieces to the English of its block; the indices of the units changed.
    ``units`` must be those ``layout`` was made from (walked again from the same XML)."""
    changed: set[int] = set()
    by_block = segments_by_block(segments)
    for index, block in enumerate(layout.blocks):
        segs = by_block.get(index)
        if not segs:
            continue
        unit = units[layout.owners[index]]
        source = unit.text
        lead = block.start - layout.starts[layout.owners[index]]
        english, alignment = block_english(layout.text, block, segs)
        full = source[:lead] + english + source[lead + block.end - block.start :]
        if full == source:
            continue
        alignment = [[s0 + lead, s1 + lead, t0 + lead, t1 + lead] for s0, s1, t0, t1 in alignment]
        distribute(unit, full, alignment)
        changed.add(layout.owners[index])
    return changed


def distribute(unit: Unit, english: str, alignment: list[list[int]]) -> None:
    strings = [piece.get() for piece in unit.pieces]
    parts = _transferred_parts(strings, english, alignment) if len(strings) > 1 else [english]
    for piece, value in zip(unit.pieces, parts):
        piece.set(value)


def _first_piece_parts(strings: list[str], english: str) -> list[str]:
    """All the English in the first piece with text (its formatting is kept), the others emptied."""
    first = next((i for i, value in enumerate(strings) if value.strip()), 0)
    parts = ["" for _ in strings]
    parts[first] = english
    return parts


def _transferred_parts(strings: list[str], english: str, alignment: list[list[int]]) -> list[str]:
    """Cut ``english`` into one part per piece, in the pieces' order, following where the
    inline-markup transfer puts each piece's range; every character lands in exactly one part.

    The XML order of the pieces cannot change, so the cut between two pieces is the earlier of
    the first one's end and the second one's start (the English between them goes to the
    second), kept increasing; a piece the transfer places nowhere gets what lies at its place.
    """
    from translate.markup import transfer_ranges

    source = "".join(strings)
    ranges, offset = [], 0
    for value in strings:
        ranges.append((offset, offset + len(value)))
        offset += len(value)
    placed = list(transfer_ranges(source, ranges, english, alignment) or [])
    targets = [_valid_range(placed[i] if i < len(placed) else None, len(english)) for i in range(len(strings))]
    if not any(targets):  # nothing placed (no alignment): as without the transfer
        return _first_piece_parts(strings, english)
    cuts, cursor = [0], 0
    for index in range(1, len(strings)):
        candidates = [value for value in (targets[index - 1] and targets[index - 1][1], targets[index] and targets[index][0])
                      if value is not None]
        cursor = min(max(min(candidates, default=cursor), cursor), len(english))
        cuts.append(cursor)
    cuts.append(len(english))
    _give_each_a_word(strings, english, cuts)
    return [english[cuts[i] : cuts[i + 1]] for i in range(len(strings))]


_WORD = re.compile(r"\S*\w\S*")


def _give_each_a_word(strings: list[str], english: str, cuts: list[int]) -> None:
    """Move ``cuts`` so that every piece with a word in the source gets an English word: a bold,
    italic or superscript run left with none would be written as an empty run, its formatting on
    nothing. Such a piece takes the nearest English word, the pieces between passing one word
    along each, from the nearest piece with a word to spare (one it had no word for in the source,
    or a second one). Only when the English has fewer words than such pieces does one stay empty."""
    needs = [bool(re.search(r"\w", value)) for value in strings]
    words = [match.span() for match in _WORD.finditer(english)]
    for _ in range(len(strings)):  # each round gives one more piece a word, or stops
        owned = _words_per_piece(words, cuts)
        move = _nearest_spare(needs, owned)
        if move is None:
            return
        taker, giver = move
        low, high = min(taker, giver), max(taker, giver)
        counts = [len(owned[k]) for k in range(low, high + 1)]
        counts[taker - low] += 1
        counts[giver - low] -= 1
        region = [word for k in range(low, high + 1) for word in owned[k]]
        # Each piece ends with its last word (what follows goes to the next piece, as the cuts above
        # do); a piece left with no word is empty.
        last, position = {}, 0
        for k, count in zip(range(low, high + 1), counts):
            position += count
            if count:
                last[k] = region[position - 1][1]
        for k in range(low + 1, high + 1):
            cuts[k] = last.get(k - 1, cuts[k - 1])


def _nearest_spare(needs: list[bool], owned: list[list]) -> tuple[int, int] | None:
    """(a piece that needs a word and has none, the nearest piece with one to spare), the closest
    such pair first; None when there is none. Linear: a paragraph may have hundreds of runs."""
    count = len(owned)
    spare_before: list[int | None] = [None] * count
    spare_after: list[int | None] = [None] * count
    last = None
    for k in range(count):
        spare_before[k] = last
        if len(owned[k]) > needs[k]:
            last = k
    last = None
    for k in range(count - 1, -1, -1):
        spare_after[k] = last
        if len(owned[k]) > needs[k]:
            last = k
    best = None
    for i in range(count):
        if needs[i] and not owned[i]:
            for giver in (spare_before[i], spare_after[i]):
                if giver is not None and (best is None or (abs(giver - i), i, giver) < best):
                    best = (abs(giver - i), i, giver)
    return None if best is None else (best[1], best[2])


def _words_per_piece(words: list[tuple[int, int]], cuts: list[int]) -> list[list[tuple[int, int]]]:
    owned: list[list[tuple[int, int]]] = [[] for _ in cuts[:-1]]
    piece = 0
    for word in words:
        while piece < len(owned) - 1 and word[0] >= cuts[piece + 1]:
            piece += 1
        owned[piece].append(word)
    return owned


def _valid_range(value, length: int) -> tuple[int, int] | None:
    try:
        start, end = int(value[0]), int(value[1])
    except (TypeError, ValueError, IndexError):
        return None
    return (start, end) if 0 <= start <= end <= length else None


class XmlPackageFormat(Format):
    """A zip package of XML parts whose paragraphs are walked into units (Word, OpenDocument,
    PowerPoint). Subclasses name the parts in reading order and walk each one."""

    kind: ClassVar[str]  # e.g. "Word document", for messages

    @abstractmethod
    def text_parts(self, package: Package) -> list[str]:
        """The XML members holding text to translate, in reading order."""

    @abstractmethod
    def walk(self, part: str, root, collector: UnitCollector) -> None:
        """Feed the units of one part to ``collector``, in reading order."""

    def check(self, package: Package) -> None:
        """Raise InputError for a package that cannot be translated (encrypted content, say)."""

    def language(self, package: Package) -> str | None:
        """The language the document declares for its content (Word: ``w:lang``), or None."""
        return None

    def finish(self, part: str, root) -> None:
        """Last changes to an English part (language attributes, say)."""

    def _units(self, data: bytes, source: str) -> tuple[Package, dict[str, object], list[Unit], list[str]]:
        """The package, its parsed text parts, their units in reading order, and each unit's part."""
        package = open_package(data, source, self.kind)
        self.check(package)
        collector = UnitCollector()
        roots, owners = {}, []
        for part in self.text_parts(package):
            roots[part] = package.xml(part)
            self.walk(part, roots[part], collector)
            collector.end()
            owners.extend([part] * (len(collector.units) - len(owners)))
        return package, roots, collector.units, owners

    def read(self, data: bytes, source: str, *, sha256: str) -> SourceDocument:
        parsed = self._units(data, source)
        layout = layout_units(parsed[2])
        return SourceDocument(source, layout.text, sha256, "utf-8", layout.blocks, original=data, parsed=parsed,
                              language=self.language(parsed[0]))

    def english_document(self, document: SourceDocument, segments: list[Span]) -> bytes:
        # The trees read (in this process), else the package parsed again (a document sent to another process).
        package, roots, units, owners = document.take_parsed() or self._units(document.original, document.source)
        changed = {owners[index] for index in apply_english(layout_units(units), units, segments)}
        replaced = {}
        for part in sorted(changed):  # parts with no English change stay byte for byte
            self.finish(part, roots[part])
            replaced[part] = serialize_xml(roots[part], package.read(part))
        return package.rewrite(replaced)
