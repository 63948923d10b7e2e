"""Element ranges carried through a translation: from source words to the English words aligned with them."""

from __future__ import annotations

from bisect import bisect_left, bisect_right, insort
from collections.abc import Sequence

Range = tuple[int, int]


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
    from translate.wordalign import find_words

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
    target_words = word_ranges(target)
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
        # Span trees would do; sorted runs of (min, max) over blocks of pairs are enough here.
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


def word_ranges(target: str) -> list[Range]:
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
