"""The English of a document's flows: translations written back with their markup placed on the aligned words."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from translate.document import KEPT_LANGUAGES, Span

from translate.markup.flows import INLINE, VERBATIM, VOID, Element, Flow, PlainText
from translate.markup.transfer import Range, proportional_alignment, transfer_ranges, word_ranges


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


def render_document(source: str, plain: PlainText, segments: list[Span], writer: FlowWriter) -> str:
    """The English document: each flow rewritten from its segments' translations (markup placed by
    ``transfer_ranges``; each translated segment gets ``markup``, its elements' source and target
    ranges), attribute values replaced, everything else byte for byte."""
    return render_parts(source, plain, segments, writer, [(0, len(source))])[0]


def render_parts(source: str, plain: PlainText, segments: list[Span], writer: FlowWriter,
                 parts: Sequence[Range]) -> list[str]:
    """The English of each source range in ``parts`` (the documents of a package laid out as one text,
    the events of a subtitle file): ``render_document`` cut where no flow crosses."""
    by_flow: dict[int, list[Span]] = {}
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


def _kept(seg: Span) -> bool:
    return seg.translation is None or seg.translation == seg.text


@dataclass
class _English:
    text: str
    origins: list[int]  # for each character: its plain offset when it is kept source text, else -1
    pairs: list[list[int]]  # alignment over the flow's plain text (relative) and ``text``
    segments: list[tuple[Span, int, int, int]]  # (segment, plain start, target start, target end)


def _flow_english(plain: PlainText, flow: Flow, segs: list[Span]) -> _English:
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
    targets = _keep_words(targets, parents, elements, ranges, flow_plain, english.text, writer)
    targets = _keep_line_breaks(targets, parents, elements, ranges, source, flow_plain, english.text)
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


def _keep_words(targets: list[Range], parents, elements: list[Element], ranges: list[Range], flow_plain: str,
                text: str, writer: FlowWriter) -> list[Range]:
    """Elements that must not lose their words (Markdown emphasis, a subtitle's italics) but would hold
    no English word take the nearest word that keeps the nesting; failing that, the nearest word at
    the edge of a sibling that keeps another (joined to it). The few that find none are written from
    the source (see ``_render_flow``)."""
    if not writer.needs_words:
        return targets
    words = word_ranges(text)
    word_starts = [w[0] for w in words]
    fixed = list(targets)
    tree = _Tree(parents)
    for i, element in enumerate(elements):
        empty = fixed[i][0] == fixed[i][1]
        wordless = not _has_word(text, fixed[i]) and _has_word(flow_plain, ranges[i])
        if element.name not in writer.needs_words or not words or not (empty or wordless):
            continue
        point = fixed[i][0]
        middle = bisect_left(word_starts, point)
        nearby = sorted(words[max(0, middle - 12):middle + 12],
                        key=lambda w: (min(abs(w[0] - point), abs(w[1] - point)), w[0]))
        placed = next((candidate for candidate in nearby if tree.fits(i, candidate, fixed)), None)
        if placed is not None:
            fixed[i] = placed
            continue
        for candidate in nearby:
            joined = _taken_from_sibling(i, candidate, fixed, tree, words)
            if joined is not None:
                fixed = joined
                break
    return fixed


def _has_word(text: str, where: Range) -> bool:
    return any(ch.isalnum() for ch in text[where[0]:where[1]])


def _taken_from_sibling(i: int, word: Range, targets: list[Range], tree: "_Tree", words: list[Range]):
    """``targets`` with ``word`` given to element ``i`` by the sibling whose range starts or ends with
    it and holds another word; None when no sibling can give it up and keep the nesting."""
    for j in tree.children.get(tree.parents[i], ()):
        start, end = targets[j]
        held = [w for w in words if start <= w[0] and w[1] <= end]
        if j == i or len(held) < 2 or word not in (held[0], held[-1]):
            continue
        rest = (held[1][0], end) if word == held[0] else (start, held[-2][1])
        trial = list(targets)
        trial[j] = rest
        if tree.fits(j, rest, trial) and tree.fits(i, word, trial):
            trial[i] = word
            return trial
    return None


def _keep_line_breaks(targets: list[Range], parents, elements: list[Element], ranges: list[Range], source: str,
                      flow_plain: str, text: str) -> list[Range]:
    """A line break between words of the source stays between English words (a subtitle keeps its
    line count): one the transfer put at an edge of the text, where it would be dropped, or inside a
    sibling, goes after the English of the element before it in the source, else to the word gap
    nearest its place."""
    words = word_ranges(text)
    if len(words) < 2:
        return targets
    fixed = list(targets)
    tree = _Tree(parents)
    gaps = [w[1] for w in words[:-1]]  # after each word but the last
    for i, element in enumerate(elements):
        point = ranges[i][0]
        if (element.kind != VOID or "\n" not in source[element.open[0]:element.open[1]]
                or not flow_plain[:point].strip() or not flow_plain[point:].strip()):
            continue
        where = fixed[i][0]
        if gaps[0] <= where <= gaps[-1] and tree.fits(i, (where, where), fixed):
            continue
        before = [j for j in tree.children.get(parents[i], ()) if j != i and ranges[j][1] <= point
                  and ranges[j][0] < ranges[j][1]]
        wanted = fixed[max(before, key=lambda j: (ranges[j][1], j))][1] if before else \
            round(point / max(1, len(flow_plain)) * len(text))
        for gap in sorted(gaps, key=lambda g: (abs(g - wanted), g)):
            if tree.fits(i, (gap, gap), fixed):
                fixed[i] = (gap, gap)
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


def _record_kept_markup(plain: PlainText, flow: Flow, segs: list[Span]) -> None:
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
