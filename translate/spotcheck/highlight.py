"""Split a text into pieces for highlighting, without ever building markup from text.

The flags give character ranges; the text is cut at every range boundary and each
piece carries the names of the flags covering it. The template then escapes every
piece (autoescape) and wraps the flagged ones in a ``<mark>`` it writes itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from translate.spotcheck.spans import Flag


@dataclass(frozen=True)
class Piece:
    text: str
    flags: tuple[str, ...] = ()


def pieces(text: str, flags: list[Flag], side: str) -> list[Piece]:
    """``text`` cut into pieces; ``side`` is "source" or "translation" (which ranges to use)."""
    marked: list[tuple[int, int, str]] = []
    for flag in flags:
        ranges = flag.source_ranges if side == "source" else flag.translation_ranges
        for start, end in ranges:
            start, end = max(0, start), min(len(text), end)
            if start < end:
                marked.append((start, end, flag.name))
    cuts = sorted({0, len(text), *(s for s, _, _ in marked), *(e for _, e, _ in marked)})
    result = []
    for start, end in zip(cuts, cuts[1:]):
        names = tuple(sorted({name for s, e, name in marked if s <= start and end <= e}))
        if result and result[-1].flags == names:
            result[-1] = Piece(result[-1].text + text[start:end], names)
        else:
            result.append(Piece(text[start:end], names))
    return result
