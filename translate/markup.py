"""Inline markup across whole sentences: the plain text a reader sees, and markup put back after translation.

HTML and Markdown put links, emphasis and code inside sentences. The formats read each run of inline
content (a paragraph, a heading, a list item, an attribute value) as one *flow*: its plain text (markup
removed, character references and escapes decoded, HTML white space collapsed) with, for every plain
character, the source range it comes from, and its inline *elements* as ranges over that plain text. The
segmenter and the model see whole sentences of plain text. After translation, ``transfer_ranges`` moves
each element onto the English words aligned with its source words (the approach of Firefox's Bergamot
translator), and ``render_flow`` writes the English flow back with the element's own markup around them.

- Text that is kept (English or without language) is written back byte for byte from the source.
- A *verbatim* element (code, ``translate="no"``, a URL) is given to the model as it is, in its sentence,
  and written back from the source in place of the English words aligned with it: the sentence is not
  cut there, and the content is never altered.
- A *void* element (``<br>``, ``<img>``, a comment, a Markdown hard break) is a point in the text.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right, insort
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from translate.document import KEPT_LANGUAGES, Block, Segment

Range = tuple[int, int]

INLINE, VOID, VERBATIM = "inline", "void", "verbatim"


# -- transferring element ranges through a translation ------------------------------------------------


def nesting_parents(ranges: Sequence[Range]) -> list[int | None]:
    """The index of the innermost range enclosing each range (None at top level).

    Ranges must nest properly; of two equal ranges the earlier one encloses the later, and a
    point (empty range) at the edge of a range is outside it unless strictly inside.
    """
    order = sorted(range(len(ranges)), key=lambda i: (ranges[i][0], -ranges[i][1], i))
    parents: list[int | None] = [None] * len(ranges)
    stack: list[int] = []
    for i in order:
        start, end = ranges[i]
        while stack and not _encloses(ranges[stack[-1]], (start, end)):
            stack.pop()
        parents[i] = stack[-1] if stack else None
        stack.append(i)
    return parents


def _encloses(outer: Range, inner: Range) -> bool:
    if outer[0] == outer[1]:
        return False  # a point holds nothing: equal points are siblings
    if inner[0] == inner[1]:
        return outer[0] < inner[0] < outer[1]  # a point at an edge is outside
    return outer[0] <= inner[0] and inner[1] <= outer[1]


def proportional_alignment(source: str, target: str) -> list[list[int]]:
    """Word pairs placing each source word at the target word in the same relative position."""
    from translate.align import find_words

    source_words, target_words = find_words(source), find_words(target)
    if not source_words or not target_words:
        return []
    centres = [(s + e) / 2 / max(1, len(target)) for s, e in target_words]
    pairs = []
    for s, e in source_words:
        where = (s + e) / 2 / max(1, len(source))
        best = min(range(len(target_words)), key=lambda j: (abs(centres[j] - where), j))
        pairs.append([s, e, *target_words[best]])
    return pairs


def transfer_ranges(source: str, ranges: list[tuple[int, int]], target: str,
                    alignment: list[list[int]] | None, *,
                    parents: Sequence[int | None] | None = None) -> list[tuple[int, int]]:
    """Map inline-element ranges over `source` (character offsets, properly nested, never crossing)
    to ranges over `target`, its translation, using word alignment pairs
    [src_start, src_end, tgt_start, tgt_end] (character offsets, as in the JSON `alignment`).
    The result has one range per input range, in the same order, properly nested like the input;
    an element whose words have no alignment goes to the nearest sensible place (the sentence edge
    if nothing better); with alignment None, place proportionally.

    An element covers the span from the first to the last target word aligned with any of its
    source words (so an element over words the translation reorders stays one element). Then
    each element is fitted inside its parent's range and out of its earlier siblings' ranges,
    so the result always nests like the input.

    ``parents`` (optional) gives the element tree when the ranges alone cannot tell it (an image
    inside an empty link, a break at the edge of a bold run); by default it is derived from the
    ranges (``nesting_parents``).
    """
    if alignment is None:
        alignment = proportional_alignment(source, target)
    pairs = _PairIndex(source, target, alignment)
    target_words = _target_words(target)
    raw: list[Range] = []
    for start, end in ranges:
        inside = pairs.target_hull(start, end) if start < end else None
        if inside is not None:
            raw.append(inside)
            continue
        if start == end and not source[:start].strip():
            raw.append((0, 0))  # a point before all the text (a positioning tag, an image) stays first
            continue
        if start == end and not source[end:].strip():
            raw.append((len(target), len(target)))  # and one after it all stays last
            continue
        point = _anchor(source, target, pairs, start, end, target_words)
        if start < end and any(ch.isalnum() for ch in source[start:end]):
            raw.append(_word_at(target_words, point, len(target)))  # an element with words keeps one
        else:
            raw.append((point, point))
    return _fit_nesting(ranges, raw, target, parents, source)


class _PairIndex:
    """Alignment pairs indexed for the questions transfer_ranges asks, in logarithmic time (a flow can
    be a whole page of text with thousands of elements)."""

    def __init__(self, source: str, target: str, alignment):
        pairs = sorted(
            (p[0], p[1], p[2], p[3]) for p in alignment
            if len(p) == 4 and 0 <= p[0] < p[1] <= len(source) and 0 <= p[2] <= p[3] <= len(target)
        )
        self.pairs = pairs
        self.starts = [p[0] for p in pairs]
        self.longest = max((p[1] - p[0] for p in pairs), default=0)
        # For "the nearest aligned word before": pairs by source end, with the running best.
        by_end = sorted(pairs, key=lambda p: (p[1], p[3]))
        self.ends = [p[1] for p in by_end]
        self.best_before = []
        best = None
        for p in by_end:
            best = p if best is None or (p[1], p[3]) >= (best[1], best[3]) else best
            self.best_before.append(best)
        # For "the nearest aligned word after": by source start, the best from each index on.
        self.best_after = [None] * len(pairs)
        best = None
        for index in range(len(pairs) - 1, -1, -1):
            p = pairs[index]
            best = p if best is None or (p[0], p[2]) <= (best[0], best[2]) else best
            self.best_after[index] = best
        # Segment trees would do; sorted runs of (min, max) over blocks of pairs are enough here.
        self._block = 64
        self._mins = [min(p[2] for p in pairs[i:i + self._block]) for i in range(0, len(pairs), self._block)]
        self._maxs = [max(p[3] for p in pairs[i:i + self._block]) for i in range(0, len(pairs), self._block)]

    def __bool__(self) -> bool:
        return bool(self.pairs)

    def target_hull(self, start: int, end: int) -> Range | None:
        """From the first to the last target character aligned with source words overlapping [start, end)."""
        low = bisect_left(self.starts, start - self.longest)
        high = bisect_left(self.starts, end)
        found_min, found_max = None, None
        index = low
        block = self._block
        while index < high:
            # A whole block of pairs starting inside the range: its precomputed extremes.
            if index % block == 0 and index + block <= high and self.pairs[index][0] >= start:
                b = index // block
                lo, hi = self._mins[b], self._maxs[b]
                found_min = lo if found_min is None else min(found_min, lo)
                found_max = hi if found_max is None else max(found_max, hi)
                index += block
                continue
            p = self.pairs[index]
            if p[1] > start:
                found_min = p[2] if found_min is None else min(found_min, p[2])
                found_max = p[3] if found_max is None else max(found_max, p[3])
            index += 1
        return None if found_min is None else (found_min, found_max)

    def last_before(self, start: int):
        index = bisect_right(self.ends, start)
        return self.best_before[index - 1] if index else None

    def first_after(self, end: int):
        index = bisect_left(self.starts, end)
        return self.best_after[index] if index < len(self.pairs) else None


def _target_words(target: str) -> list[Range]:
    words, start = [], None
    for index, ch in enumerate(target + " "):
        if ch.isspace():
            if start is not None:
                words.append((start, index))
                start = None
        elif start is None:
            start = index
    return words


def _word_at(words: list[Range], point: int, length: int) -> Range:
    """The target word at or after ``point`` (else the last one), or the point itself without words."""
    for start, end in words:
        if end > point:
            return (start, end)
    return words[-1] if words else (point, point)


def _anchor(source: str, target: str, pairs: "_PairIndex", start: int, end: int, words: list[Range]) -> int:
    """Where an element with no aligned words goes: after the target of the nearest aligned word
    before it, else before that of the nearest after it, else proportionally (at a word edge). A point
    inside the sentence stays inside it (a line break at the end of a sentence would be lost)."""
    point = _anchor_by_neighbours(source, target, pairs, start, end)
    if len(words) > 1 and (point <= words[0][0] or point >= words[-1][1]) and source[:start].strip() and source[end:].strip():
        middle = start / max(1, len(source)) * len(target)
        gaps = [w[1] for w in words[:-1]]  # after each word but the last
        index = min(max(bisect_left(gaps, middle), 0), len(gaps) - 1)
        candidates = gaps[max(0, index - 1):index + 1]
        point = min(candidates, key=lambda g: (abs(g - middle), g))
    return point


def _anchor_by_neighbours(source: str, target: str, pairs: "_PairIndex", start: int, end: int) -> int:
    last = pairs.last_before(start)
    if last is not None:
        point = last[3]
        if start > last[1] and source[start - 1].isspace() and point < len(target) and target[point].isspace():
            point += 1  # "mot <img>": after the space, as in the source
        return point
    first = pairs.first_after(end)
    if first is not None:
        return first[2]
    if start == 0 or not source.strip():
        return 0
    if end >= len(source.rstrip()):
        return len(target)
    point = round(start / len(source) * len(target))
    while 0 < point < len(target) and not target[point - 1].isspace():
        point -= 1  # to the start of the word it falls in
    return point


def _fit_nesting(ranges: Sequence[Range], raw: list[Range], target: str, parents=None, source: str = "") -> list[Range]:
    length = len(target)
    if parents is None:
        parents = nesting_parents(ranges)
    depth = [0] * len(ranges)
    for i in range(len(ranges)):
        node, seen = parents[i], 0
        while node is not None and seen <= len(ranges):
            depth[i] += 1
            node, seen = parents[node], seen + 1
    order = sorted(range(len(ranges)), key=lambda i: (depth[i], ranges[i][0], i))
    out: list[Range | None] = [None] * len(ranges)
    placed_children: dict[int | None, list[int]] = {}
    for i in order:
        parent = parents[i]
        low, high = (0, length) if parent is None else out[parent]
        start, end = raw[i]
        start, end = min(max(start, low), high), min(max(end, low), high)
        if end < start:
            start = end = start
        siblings = placed_children.setdefault(parent, _Siblings())
        start, end = siblings.fit(start, end)
        # No white space at the edges (Markdown emphasis would not be emphasis), unless the source had it.
        source_start, source_end = ranges[i]
        if not (source_start < len(source) and source[source_start].isspace()):
            while start < end and target[start].isspace():
                start += 1
        if not (0 < source_end <= len(source) and source[source_end - 1].isspace()):
            while end > start and target[end - 1].isspace():
                end -= 1
        out[i] = (start, end)
        siblings.add(start, end)
    return [r for r in out]  # type: ignore[misc]


class _Siblings:
    """The ranges already placed under one parent: pairwise non-overlapping and non-crossing, kept
    sorted, so a new range is checked against its few neighbours only."""

    def __init__(self):
        self.ranges: list[Range] = []

    def fit(self, start: int, end: int) -> Range:
        for _ in range(8):  # a move can land next to another sibling; a few rounds settle it
            moved = False
            index = max(0, bisect_left(self.ranges, (start, end)) - 2)
            while index < len(self.ranges) and self.ranges[index][0] <= end:
                new = _away_from(self.ranges[index], (start, end))
                if new != (start, end):
                    start, end = new
                    moved = True
                index += 1
            if not moved:
                break
        return start, end

    def add(self, start: int, end: int) -> None:
        insort(self.ranges, (start, end))


def _away_from(other: Range, mine: Range) -> Range:
    """``mine`` changed so that it neither overlaps nor crosses a sibling's range ``other``."""
    (os_, oe), (s, e) = other, mine
    if s == e:
        if os_ < s < oe:  # a point strictly inside a sibling: to its nearer edge
            return (os_, os_) if s - os_ <= oe - s else (oe, oe)
        return mine
    if os_ == oe:
        if s < os_ < e:  # a sibling point strictly inside: keep the larger side
            return (s, os_) if os_ - s >= e - os_ else (os_, e)
        return mine
    if e <= os_ or oe <= s:
        return mine
    left, right = (s, min(e, os_)), (max(s, oe), e)
    left_size, right_size = left[1] - left[0], right[1] - right[0]
    if left_size <= 0 and right_size <= 0:
        point = os_ if s < os_ else oe
        return (point, point)
    return left if left_size >= right_size else right


# -- flows: inline content read as plain text -------------------------------------------------------------


@dataclass
class Element:
    """An inline element of a flow. ``start``/``end`` are offsets into the document's plain text;
    ``open``/``close`` the source ranges of its markup (for a verbatim or void element, ``open`` is
    its whole source and ``close`` is empty)."""

    start: int
    end: int
    open: Range
    close: Range
    kind: str = INLINE
    name: str = ""
    parent: int | None = None  # index of the enclosing element in the flow's ``elements``
    close_text: str | None = None  # written instead of the source's closing markup (Markdown references)
    # What the side-by-side page shows of it besides its name: a link's ``href`` and ``title``.
    attributes: dict[str, str] | None = None


def link_attributes(href: str | None, title: str | None) -> dict[str, str] | None:
    """A link's target and title as the JSON ``markup`` records them (None when it has neither)."""
    found = {name: value for name, value in (("href", href), ("title", title)) if isinstance(value, str) and value}
    return found or None


@dataclass
class Flow:
    """A run of inline content that is segmented as one block: ``start``/``end`` are the source
    range it replaces, ``plain_start``/``plain_end`` its plain text."""

    start: int
    end: int
    plain_start: int
    plain_end: int
    elements: list[Element] = field(default_factory=list)
    attribute: bool = False  # an attribute value (escaped for an attribute when written)
    suffix: str = ""  # written after an attribute's English (a Markdown image's reference label, a quote)
    prefix: str = ""  # written before it (a quote around a value that had none)


@dataclass
class PlainText:
    """The plain text of a document's flows, blank-line separated, with each character's source range."""

    text: str = ""
    char_start: list[int] = field(default_factory=list)
    char_end: list[int] = field(default_factory=list)
    flows: list[Flow] = field(default_factory=list)
    # Source ranges written with a fixed text (the English page's ``<html lang="en">``).
    fixed: list[tuple[int, int, str]] = field(default_factory=list)

    def blocks(self) -> list[Block]:
        return [Block(flow.plain_start, flow.plain_end) for flow in self.flows]

    def source_range(self, start: int, end: int) -> Range:
        return self.char_start[start], self.char_end[end - 1]

    def plain_start_of(self, source_start: int, low: int, high: int) -> int:
        """The plain offset, between ``low`` and ``high`` (one flow, where source offsets grow), of the
        non-space character whose source starts at ``source_start``."""
        index = bisect_left(self.char_start, source_start, low, high)
        while index < len(self.text) and self.text[index].isspace():
            index += 1
        return index


def _only_verbatim(chars: list[str], start: int, end: int, verbatim: list[Range]) -> bool:
    """Whether every non-space character in [start, end) lies in one of the (sorted) verbatim ranges."""
    covered = start
    for low, high in verbatim:
        if low > covered and any(not chars[k].isspace() for k in range(covered, min(low, end))):
            return False
        covered = max(covered, high)
        if covered >= end:
            return True
    return all(chars[k].isspace() for k in range(covered, end))


class PlainBuilder:
    """Builds a ``PlainText`` one flow at a time."""

    def __init__(self):
        self.plain = PlainText()
        self._chars: list[str] = []
        self._flow_plain_start = 0
        self._elements: list[Element] = []
        self._flow_source_start = 0
        self._mark = 0
        self._begun = False

    @property
    def position(self) -> int:
        return len(self._chars)

    def abandon(self) -> None:
        """Drop the flow begun and not ended."""
        if self._begun:
            del self._chars[self._mark:], self.plain.char_start[self._mark:], self.plain.char_end[self._mark:]
            self._begun = False

    def begin(self, source_start: int) -> None:
        self._begun = True
        self._mark = len(self._chars)
        if self.plain.flows and self._chars:
            for _ in range(2):  # a blank line between flows (a paragraph break for the segmenter)
                self._put("\n", source_start, source_start)
        self._flow_plain_start = len(self._chars)
        self._flow_source_start = source_start
        self._elements = []

    def _put(self, ch: str, start: int, end: int) -> None:
        self._chars.append(ch)
        self.plain.char_start.append(start)
        self.plain.char_end.append(end)

    def text(self, plain: str, start: int, end: int) -> None:
        """Plain characters from the source range [start, end): one by one when they are the
        source itself, else the first stands for the whole range (a reference, an escape)."""
        if plain == "":
            return
        if end - start == len(plain):
            for offset, ch in enumerate(plain):
                self._put(ch, start + offset, start + offset + 1)
            return
        self._put(plain[0], start, end)
        for ch in plain[1:]:
            self._put(ch, end, end)

    def space(self, start: int, end: int) -> None:
        """White space standing for the source range (collapsed: never two spaces in a row)."""
        if self._chars and len(self._chars) > self._flow_plain_start and self._chars[-1] == " ":
            return
        self._put(" ", start, end)

    def last_is_space(self) -> bool:
        return len(self._chars) > self._flow_plain_start and self._chars[-1].isspace()

    def element(self, element: Element) -> None:
        self._elements.append(element)

    def end(self, *, attribute: bool = False) -> Flow | None:
        """Close the flow; kept only when it has visible text (else its source stays as it is)."""
        self._begun = False
        start, end = self._flow_plain_start, len(self._chars)
        chars = self._chars
        while start < end and chars[start].isspace():
            start += 1
        while end > start and chars[end - 1].isspace():
            end -= 1
        if start == end:
            del self._chars[self._mark:], self.plain.char_start[self._mark:], self.plain.char_end[self._mark:]
            return None
        verbatim = sorted((e.start, e.end) for e in self._elements if e.kind == VERBATIM)
        if verbatim and _only_verbatim(chars, start, end, verbatim):
            # Only code or URLs: nothing to translate; the source stays as it is.
            del self._chars[self._mark:], self.plain.char_start[self._mark:], self.plain.char_end[self._mark:]
            return None
        for element in self._elements:  # inside the trimmed text
            element.start = min(max(element.start, start), end)
            element.end = min(max(element.end, element.start), end)
        # The source replaced: from the first character or markup to the last (the white space
        # around stays as it is).
        source_start = min([self.plain.char_start[start], *(e.open[0] for e in self._elements)])
        source_end = max([self.plain.char_end[end - 1], *(max(e.open[1], e.close[1]) for e in self._elements)])
        flow = Flow(source_start, source_end, start, end, self._elements, attribute)
        self.plain.flows.append(flow)
        return flow

    def finish(self) -> PlainText:
        self.plain.text = "".join(self._chars)
        return self.plain


class TaggedFlows:
    """Flows of text with tags in it, fed token by token (subtitle cue text: WebVTT's ``<i>``, ``<v Name>``,
    SubStation's ``{\\i1}`` ... ``{\\i0}``): an opened tag is an inline element until its closing tag, or
    until the flow ends; a closing tag with no open element and a point tag (a line break) are points."""

    def __init__(self):
        self.builder = PlainBuilder()
        self.in_flow = False
        self.open: list[tuple[str, int]] = []
        self.elements: list[Element] = []

    def _ensure_flow(self, start: int) -> None:
        if not self.in_flow:
            self.builder.begin(start)
            self.in_flow, self.open, self.elements = True, [], []

    def _add(self, element: Element) -> int:
        element.parent = self.open[-1][1] if self.open else None
        self.elements.append(element)
        return len(self.elements) - 1

    def text(self, plain: str, start: int, end: int) -> None:
        """Visible text from the source range [start, end); white space collapses to one space."""
        self._ensure_flow(start)
        if plain.isspace():
            self.builder.space(start, end)
        else:
            self.builder.text(plain, start, end)

    def open_tag(self, name: str, start: int, end: int) -> None:
        self._ensure_flow(start)
        position = self.builder.position
        self.open.append((name, self._add(Element(position, position, (start, end), (end, end), INLINE, name))))

    def close_tag(self, name: str, start: int, end: int) -> None:
        """Closes the innermost open element called ``name`` (and those inside it); else a point."""
        if any(open_name == name for open_name, _ in self.open):
            while self.open:
                open_name, index = self.open.pop()
                self.elements[index].end = self.builder.position
                if open_name == name:
                    self.elements[index].close = (start, end)
                    return
        self.point("/" + name, start, end)

    def point(self, name: str, start: int, end: int, *, space: bool = False) -> None:
        self._ensure_flow(start)
        position = self.builder.position
        self._add(Element(position, position, (start, end), (end, end), VOID, name))
        if space:
            self.builder.space(end, end)

    def end_flow(self) -> None:
        if not self.in_flow:
            return
        for _name, index in self.open:  # never closed: they end with the flow
            self.elements[index].end = self.builder.position
        for element in self.elements:
            self.builder.element(element)
        self.builder.end()
        self.in_flow, self.open, self.elements = False, [], []

    def finish(self) -> PlainText:
        self.end_flow()
        return self.builder.finish()


def join_plain(pieces: Sequence[tuple[int, PlainText]]) -> PlainText:
    """One ``PlainText`` from several read separately: each piece's source offsets moved by its
    offset (where its source starts in the joined source), blank lines between their flows."""
    joined = PlainText()
    chars: list[str] = []
    length = 0
    for offset, piece in pieces:
        joined.fixed += [(s + offset, e + offset, text) for s, e, text in piece.fixed]
        if not piece.flows:
            continue
        if chars:
            first = piece.flows[0].start + offset
            chars.append("\n\n")
            length += 2
            joined.char_start += [first, first]
            joined.char_end += [first, first]
        base = length
        chars.append(piece.text)
        length += len(piece.text)
        joined.char_start += [position + offset for position in piece.char_start]
        joined.char_end += [position + offset for position in piece.char_end]
        for flow in piece.flows:
            elements = [replace(element, start=element.start + base, end=element.end + base,
                                open=(element.open[0] + offset, element.open[1] + offset),
                                close=(element.close[0] + offset, element.close[1] + offset))
                        for element in flow.elements]
            joined.flows.append(replace(flow, start=flow.start + offset, end=flow.end + offset,
                                        plain_start=flow.plain_start + base, plain_end=flow.plain_end + base,
                                        elements=elements))
    joined.text = "".join(chars)
    return joined


# -- segments over plain text ----------------------------------------------------------------------------


def segment_plain(plain: PlainText, language: str | None = None) -> list[Segment]:
    """Language segments of the plain text, with source offsets: ``text`` is the plain text of the
    span, ``start``/``end`` the source range from its first to its last character."""
    from translate.segment import segment_document

    segments = segment_document(plain.text, plain.blocks(), language=language)
    for seg in segments:
        seg.start, seg.end = plain.source_range(seg.start, seg.end)
    return segments


# -- writing flows back ----------------------------------------------------------------------------------


@dataclass
class FlowWriter:
    """How a format writes English text and markup."""

    escape_text: Callable[[str], str]
    escape_attribute: Callable[[str], str]
    # Element names that must keep at least one word (Markdown emphasis is not emphasis when empty).
    needs_words: frozenset = frozenset()
    # Markdown: an emphasis right inside another of the same character is written with the other one.
    alternate_delimiters: bool = False
    # Applied to translated text that starts a flow (Markdown: a "1." or "#" there would start a block).
    escape_flow_start: Callable[[str], str] | None = None
    # Applied to each rewritten flow (not attribute values): a subtitle cue's line breaks placed side by
    # side must not make a blank line, which would end the cue.
    finish_flow: Callable[[str], str] | None = None


def render_document(source: str, plain: PlainText, segments: list[Segment], writer: FlowWriter) -> str:
    """The English document: each flow rewritten from its segments' translations (markup placed by
    ``transfer_ranges``; each translated segment gets ``markup``, its elements' source and target
    ranges), attribute values replaced, everything else byte for byte."""
    return render_parts(source, plain, segments, writer, [(0, len(source))])[0]


def render_parts(source: str, plain: PlainText, segments: list[Segment], writer: FlowWriter,
                 parts: Sequence[Range]) -> list[str]:
    """The English of each source range in ``parts`` (the documents of a package laid out as one text,
    the events of a subtitle file): ``render_document`` cut where no flow crosses."""
    by_flow: dict[int, list[Segment]] = {}
    for seg in segments:
        by_flow.setdefault(seg.paragraph, []).append(seg)
    # (start, end, fixed text or None, flow index or None)
    replacements: list[tuple[int, int, str | None, int | None]] = [(s, e, text, None) for s, e, text in plain.fixed]
    englishes: dict[int, _English] = {}
    for index, flow in enumerate(plain.flows):
        segs = by_flow.get(index, [])
        if all(_kept(seg) for seg in segs):
            _record_kept_markup(plain, flow, segs)
            continue  # nothing changes in this flow: its source (but its attributes) stays
        englishes[index] = _flow_english(plain, flow, segs)
        replacements.append((flow.start, flow.end, None, index))
    replacements.sort(key=lambda r: (r[0], -r[1]))
    starts = [r[0] for r in replacements]

    def slice_with(low: int, high: int, markup: bool = True) -> str:
        """The source from ``low`` to ``high`` with the replacements that lie inside it (inside a
        flow's markup, only attribute values and fixed texts)."""
        out, cursor = [], low
        for position in range(bisect_left(starts, low), len(replacements)):
            start, end, text, index = replacements[position]
            if start >= high:
                break
            if start < cursor or end > high:
                continue
            if markup and index is not None and not plain.flows[index].attribute:
                continue
            out.append(source[cursor:start])
            if index is None:
                out.append(text)
            elif plain.flows[index].attribute:
                flow = plain.flows[index]
                out.append(flow.prefix + writer.escape_attribute(englishes[index].text) + flow.suffix)
            else:
                written = _render_flow(source, plain, plain.flows[index], englishes[index], writer, slice_with)
                out.append(writer.finish_flow(written) if writer.finish_flow else written)
            cursor = end
        out.append(source[cursor:high])
        return "".join(out)

    return [slice_with(low, high, markup=False) for low, high in parts]


def _kept(seg: Segment) -> bool:
    return seg.translation is None or seg.translation == seg.text


@dataclass
class _English:
    text: str
    origins: list[int]  # for each character: its plain offset when it is kept source text, else -1
    pairs: list[list[int]]  # alignment over the flow's plain text (relative) and ``text``
    segments: list[tuple[Segment, int, int, int]]  # (segment, plain start, target start, target end)


def _flow_english(plain: PlainText, flow: Flow, segs: list[Segment]) -> _English:
    """The flow's English text: its segments' translations joined with the source's spacing, with an
    alignment over the whole flow (kept text aligned character by character to itself)."""
    base = flow.plain_start
    parts: list[str] = []
    origins: list[int] = []
    pairs: list[list[int]] = []
    placed = []
    length = 0
    previous_end = None
    low = base
    for seg in segs:
        plain_start = plain.plain_start_of(seg.start, low, flow.plain_end)
        plain_end = plain_start + len(seg.text)
        low = plain_end
        if previous_end is not None:
            gap = plain.text[previous_end:plain_start]
            gap = " " if gap and not gap.isspace() else gap  # never expected: segments cover the text
            for offset, ch in enumerate(gap):
                origins.append(previous_end + offset)
                pairs.append([previous_end - base + offset, previous_end - base + offset + 1, length + offset, length + offset + 1])
            parts.append(gap)
            length += len(gap)
        translation = seg.translation if seg.translation is not None else seg.text
        if _kept(seg):
            for offset in range(len(seg.text)):
                origins.append(plain_start + offset)
                pairs.append([plain_start - base + offset, plain_start - base + offset + 1, length + offset, length + offset + 1])
        else:
            origins.extend([-1] * len(translation))
            alignment = seg.alignment if seg.alignment is not None else proportional_alignment(seg.text, translation)
            for s, e, t0, t1 in [*alignment, *edge_punctuation_pairs(seg.text, translation, alignment)]:
                pairs.append([plain_start - base + s, plain_start - base + e, length + t0, length + t1])
        placed.append((seg, plain_start, length, length + len(translation)))
        parts.append(translation)
        length += len(translation)
        previous_end = plain_end
    return _English("".join(parts), origins, pairs, placed)


_LEADING_PUNCTUATION = re.compile(r"\A\s*([^\w\s]+)")
_TRAILING_PUNCTUATION = re.compile(r"([^\w\s]+)\s*\Z")


def edge_punctuation_pairs(source: str, target: str, alignment) -> list[list[int]]:
    """Pairs for a sentence's leading and trailing punctuation ("¿", "« ", ".", "?!"), which word
    alignment leaves out: sentence edges translate to sentence edges, so that an element or a line
    break next to them is placed beside the English punctuation, not before it."""
    pairs = []
    for pattern in (_LEADING_PUNCTUATION, _TRAILING_PUNCTUATION):
        found, english = pattern.search(source), pattern.search(target)
        if not found or not english:
            continue
        s, e = found.span(1)
        if not any(p[0] < e and s < p[1] for p in alignment):
            pairs.append([s, e, *english.span(1)])
    return pairs


def _render_flow(source: str, plain: PlainText, flow: Flow, english: _English, writer: FlowWriter, slice_with) -> str:
    base = flow.plain_start
    flow_plain = plain.text[base:flow.plain_end]
    elements = flow.elements
    ranges = [(min(max(e.start - base, 0), len(flow_plain)), min(max(e.end - base, 0), len(flow_plain))) for e in elements]
    ranges = [(s, max(s, e)) for s, e in ranges]
    parents = [element.parent for element in elements]
    targets = transfer_ranges(flow_plain, ranges, english.text, english.pairs, parents=parents)
    targets = _keep_words(targets, parents, elements, english.text, writer)
    targets = _verbatim_copies(targets, parents, elements, plain.text, english.text)
    _record_markup(elements, ranges, targets, english, base)
    children: dict[int | None, list[int]] = {}
    for i, parent in enumerate(parents):
        children.setdefault(parent, []).append(i)

    skip_space = [False]

    def text(low: int, high: int) -> str:
        if skip_space[0] and low < high and english.text[low] == " " and english.origins[low] < 0:
            low += 1
        skip_space[0] = False
        written = _english_text(source, plain, english, low, high, writer)
        if low == 0 and writer.escape_flow_start and english.origins[:1] == [-1]:
            written = writer.escape_flow_start(written)
        return written

    def emit(node: int | None, low: int, high: int) -> str:
        out, cursor, previous = [], low, None
        for child in sorted(children.get(node, ()), key=lambda i: (targets[i][0], targets[i][1], i)):
            start, end = targets[child]
            if start < cursor:  # never expected after _fit_nesting; keep the markup, drop nothing
                start = end = max(cursor, min(end, high))
            written = text(cursor, start)
            if not written and previous is not None and ranges[previous][1] < ranges[child][0] and out and start == cursor:
                written = " "  # two elements the source kept apart (`a` `b` would become one code span)
            out.append(written)
            previous = child
            element = elements[child]
            if element.name in writer.needs_words and start == end and ranges[child][0] < ranges[child][1]:
                # No English word could carry it (empty emphasis is not emphasis): its source, as written.
                out.append(slice_with(element.open[0], element.close[1]))
                cursor = end
                continue
            opening = slice_with(*element.open)
            closing = element.close_text if element.close_text is not None else slice_with(*element.close)
            if writer.alternate_delimiters and node is not None and element.name in writer.needs_words:
                # Markdown: `*` right inside `*` would merge into `**` (strong); use the other character.
                outer = slice_with(*elements[node].open)
                if outer[:1] == opening[:1] and start == low and end == high:
                    swap = {"*": "_", "_": "*"}
                    opening = "".join(swap.get(ch, ch) for ch in opening)
                    closing = "".join(swap.get(ch, ch) for ch in closing)
            spaced = element.kind == VOID and "\n" not in source[element.open[0]:element.open[1]]
            written_so_far = next((piece for piece in reversed(out) if piece), "")
            if spaced and 0 < start and source[element.open[0] - 1:element.open[0]] in (" ", "\t") \
                    and not english.text[start - 1].isspace() and not written_so_far[-1:].isspace():
                out.append(" ")  # "mot <img>": the source's space before the point, when the English has none
            out.append(opening)
            if spaced and start < len(english.text) and source[element.open[1]:element.open[1] + 1] in (" ", "\t") \
                    and not english.text[start].isspace():
                out.append(" ")  # "<img> mot": and after it
            if element.kind == INLINE:
                out.append(emit(child, start, end))
                out.append(closing)
                cursor = end
            elif element.kind == VERBATIM:
                cursor = end  # its English words give way to the source content
            else:
                cursor = start
                if "\n" in source[element.open[0]:element.open[1]]:
                    skip_space[0] = True  # a line break's markup already ends the line: no space to start the next

        out.append(text(cursor, high))
        return "".join(out)

    # Source before the flow's first character and after its last (leading markup is an element).
    return emit(None, 0, len(english.text))


def _keep_words(targets: list[Range], parents, elements: list[Element], text: str, writer: FlowWriter) -> list[Range]:
    """Elements that would be empty but must not be (Markdown emphasis) take the nearest word that keeps
    the nesting; the few that find none are written from the source (see ``_render_flow``)."""
    if not writer.needs_words:
        return targets
    words = _target_words(text)
    word_starts = [w[0] for w in words]
    fixed = list(targets)
    tree = _Tree(parents)
    for i, element in enumerate(elements):
        if element.name in writer.needs_words and fixed[i][0] == fixed[i][1] and words:
            point = fixed[i][0]
            middle = bisect_left(word_starts, point)
            nearby = words[max(0, middle - 12):middle + 12]
            for candidate in sorted(nearby, key=lambda w: (min(abs(w[0] - point), abs(w[1] - point)), w[0])):
                if tree.fits(i, candidate, fixed):
                    fixed[i] = candidate
                    break
    return fixed


def _verbatim_copies(targets: list[Range], parents, elements: list[Element], plain_text: str, text: str) -> list[Range]:
    """A verbatim element covers the model's copy of its content when the English has one nearby,
    so that none of that copy is left beside the source content written in its place."""
    fixed = list(targets)
    tree = _Tree(parents)
    for i, element in enumerate(elements):
        content = plain_text[element.start:element.end].strip()
        if element.kind != VERBATIM or not content:
            continue
        start, end = fixed[i]
        reach = max(20, len(content)) + len(content)
        low, high = max(0, start - reach), min(len(text), end + reach)
        found, best = text.find(content, low, high), None
        while found != -1:
            distance = 0 if found < end and start < found + len(content) else min(abs(found - end), abs(found + len(content) - start))
            if best is None or distance < best[0]:
                best = (distance, found)
            found = text.find(content, found + 1, high)
        if best is None or best[0] > max(20, len(content)):
            continue
        candidate = (best[1], best[1] + len(content))
        if tree.fits(i, candidate, fixed):
            fixed[i] = candidate
    return fixed


class _Tree:
    """Parents and children of a flow's elements, to check one element's new range against the others."""

    def __init__(self, parents):
        self.parents = parents
        self.children: dict[int | None, list[int]] = {}
        for i, parent in enumerate(parents):
            self.children.setdefault(parent, []).append(i)

    def fits(self, i: int, candidate: Range, targets: list[Range]) -> bool:
        start, end = candidate
        parent = self.parents[i]
        if parent is not None and not (targets[parent][0] <= start <= end <= targets[parent][1]):
            return False
        for child in self.children.get(i, ()):
            if not (start <= targets[child][0] <= targets[child][1] <= end):
                return False
        for j in self.children.get(parent, ()):
            if j != i and start < targets[j][1] and targets[j][0] < end:
                return False
        return True


def _record_markup(elements, ranges, targets, english: _English, base: int) -> None:
    """Each segment's ``markup``: the elements lying inside it, with their ranges in its ``text`` and
    ``translation`` (for a kept segment, whose translation is its text, both ranges are the source's)."""
    _record(elements, ranges, targets, english.segments, base)


def _record_kept_markup(plain: PlainText, flow: Flow, segs: list[Segment]) -> None:
    """``markup`` of the segments of a flow that nothing translated: their elements, target = source."""
    base = flow.plain_start
    ranges = [(min(max(e.start - base, 0), flow.plain_end - base), min(max(e.end - base, 0), flow.plain_end - base)) for e in flow.elements]
    ranges = [(s, max(s, e)) for s, e in ranges]
    placed, low = [], base
    for seg in segs:
        plain_start = plain.plain_start_of(seg.start, low, flow.plain_end)
        low = plain_start + len(seg.text)
        placed.append((seg, plain_start, None, None))
    _record(flow.elements, ranges, None, placed, base)


def _record(elements, ranges, targets, placed, base: int) -> None:
    order = sorted(range(len(elements)), key=lambda i: ranges[i][0])
    order_starts = [ranges[i][0] for i in order]
    for seg, plain_start, target_start, target_end in placed:
        kept = _kept(seg)
        if seg.translation is None and seg.lang not in KEPT_LANGUAGES:
            continue  # left untranslated: no English to place anything on
        records = []
        low, high = plain_start - base, plain_start - base + len(seg.text)
        chosen = sorted(order[bisect_left(order_starts, low):bisect_right(order_starts, high)])
        for i in chosen:
            element, (s, e) = elements[i], ranges[i]
            if not (low <= s and e <= high and (s < e or low < s < high)):
                continue
            if kept or targets is None:
                t0, t1 = s - low, e - low
            else:
                t0, t1 = targets[i]
                if not (target_start <= t0 and t1 <= target_end):
                    continue
                t0, t1 = t0 - target_start, t1 - target_start
            record = {"element": element.name, "kind": element.kind, "source": [s - low, e - low], "target": [t0, t1]}
            record.update(element.attributes or {})
            records.append(record)
        seg.markup = records or None


def _english_text(source: str, plain: PlainText, english: _English, low: int, high: int, writer: FlowWriter) -> str:
    """English text from ``low`` to ``high``: kept text as its source bytes (where its characters
    are contiguous in the source), translated text escaped for the format."""
    out = []
    index = low
    while index < high:
        origin = english.origins[index]
        run_end = index + 1
        if origin < 0:
            while run_end < high and english.origins[run_end] < 0:
                run_end += 1
            out.append(writer.escape_text(english.text[index:run_end]))
        else:
            while (run_end < high and english.origins[run_end] == english.origins[run_end - 1] + 1
                   and plain.char_start[english.origins[run_end]] == plain.char_end[english.origins[run_end - 1]]):
                run_end += 1
            first, last = origin, english.origins[run_end - 1]
            out.append(source[plain.char_start[first]:plain.char_end[last]])
        index = run_end
    return "".join(out)
