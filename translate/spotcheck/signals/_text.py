"""Word tokens shared by the signals: (lower-cased word, start, end) over letters and digits."""

from __future__ import annotations

import re
from functools import lru_cache

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
# What may follow the last word of a finished sentence: final punctuation, then closing quotes/brackets.
_CLOSERS = "\"'»”’)]} \u00a0\u202f\t\n"
TERMINAL_PUNCTUATION = ".!?…:;"


@lru_cache(maxsize=65536)  # several signals read the same texts (a 10,000-span run reads each three times)
def words(text: str) -> tuple[tuple[str, int, int], ...]:
    return tuple([(m.group(0).lower(), m.start(), m.end()) for m in _WORD.finditer(text)])


def ends_with_terminal_punctuation(text: str) -> bool:
    stripped = text.rstrip(_CLOSERS)
    return bool(stripped) and stripped[-1] in TERMINAL_PUNCTUATION


def merge_ranges(ranges: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    merged: list[list[int]] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return tuple((s, e) for s, e in merged)


def shorten(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
