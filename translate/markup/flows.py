"""Flows: the inline content of a document read as plain text, with its elements as ranges over it."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from translate.document import Block

from translate.markup.transfer import Range

INLINE, VOID, VERBATIM = "inline", "void", "verbatim"



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

    def verbatim(self) -> list[Range]:
        """Plain ranges of the verbatim elements (code, ``translate="no"``), sorted, nested ones merged."""
        merged: list[Range] = []
        for start, end in sorted((e.start, e.end) for flow in self.flows for e in flow.elements
                                 if e.kind == VERBATIM and e.end > e.start):
            if merged and start <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], end))
            else:
                merged.append((start, end))
        return merged

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
