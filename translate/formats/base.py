"""What every format shares: rebuilding a document with its blocks replaced by their English."""

from __future__ import annotations

from collections.abc import Callable

from translate.document import Block, Segment


def join_block(text: str, segments: list[Segment], *, verbatim_gaps: bool = False, newline: str = "\n") -> str:
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
    text: str, blocks: list[Block], segments: list[Segment], render: Callable[[str], str] = str
) -> str:
    """``text`` with each block replaced by ``render(its English)``; everything between blocks
    (markup, code, timings) is kept byte for byte."""
    by_block: dict[int, list[Segment]] = {}
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
