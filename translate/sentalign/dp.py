"""Dynamic programming over sentence groups (Vecalign-style), kept linear by coarse-to-fine search.

The alignment is the path through the (source, target) sentence grid that maximises the sum of
its groups' scores. A group takes ``m`` consecutive source sentences and ``n`` consecutive target
sentences, for the types in ``ALIGNMENT_TYPES`` (1-1 up to 1-4 / 4-1 and 2-3 / 3-2; 1-0 and 0-1
are sentences left unaligned). What a group scores is the scorer's business (see ``scoring``).

Cost stays linear in document length as in Vecalign: above ``FULL_SEARCH_CELLS`` grid cells, the
sentences are merged two by two into blocks, the blocks are aligned (recursively, the same way),
and the sentence-level search is limited to a band of ``BAND_WIDTH`` sentences around the block
path. Each row of the grid is computed with numpy; the 0-1 moves within a row (a run of target
sentences left unaligned) are a running maximum, so a row costs a few vector operations per type.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np

# (source sentences, target sentences) per group; (1, 0) and (0, 1) leave a sentence unaligned.
ALIGNMENT_TYPES = ((1, 1), (1, 0), (0, 1), (1, 2), (2, 1), (2, 2), (1, 3), (3, 1), (2, 3), (3, 2), (1, 4), (4, 1))
FULL_SEARCH_CELLS = 250_000  # grids up to about 500 x 500 sentences are searched whole
BAND_WIDTH = 8  # sentences either side of the projected block path
_INSERT = ALIGNMENT_TYPES.index((0, 1))


class Scorer(Protocol):
    """What the search needs from a similarity: group scores, and a coarser version of itself."""

    sources: int  # number of source units (sentences, or blocks of them)
    targets: int

    def group_scores(self, end: int, m: int, n: int, js: np.ndarray) -> np.ndarray:
        """Score of each group of source units ``[end - m, end)`` with target units ``[j - n, j)``,
        for every ``j`` in ``js`` (all with ``j >= n``); ``m`` or ``n`` may be 0 (a skip)."""

    def coarsen(self) -> "Scorer":
        """The same similarity over blocks of two consecutive units (the last may be single)."""


@dataclass(frozen=True)
class Group:
    """Source units ``[src_start, src_end)`` aligned with target units ``[tgt_start, tgt_end)``."""

    src_start: int
    src_end: int
    tgt_start: int
    tgt_end: int


def align(scorer: Scorer, *, full_search_cells: int = FULL_SEARCH_CELLS, band_width: int = BAND_WIDTH) -> list[Group]:
    """The best-scoring sequence of groups covering every source and target unit, in order."""
    n_src, n_tgt = scorer.sources, scorer.targets
    full_search_cells = min(full_search_cells, getattr(scorer, "full_search_cells", full_search_cells))
    if n_src == 0 or n_tgt == 0:
        return _one_sided(n_src, n_tgt)
    if (n_src + 1) * (n_tgt + 1) <= full_search_cells or min(n_src, n_tgt) < 4:
        lo = np.zeros(n_src + 1, dtype=np.int64)
        hi = np.full(n_src + 1, n_tgt, dtype=np.int64)
    else:
        coarse = align(scorer.coarsen(), full_search_cells=full_search_cells, band_width=band_width)
        lo, hi = _band(coarse, n_src, n_tgt, band_width)
    return _search(scorer, lo, hi)


def _one_sided(n_src: int, n_tgt: int) -> list[Group]:
    return [Group(i, i + 1, 0, 0) for i in range(n_src)] + [Group(0, 0, j, j + 1) for j in range(n_tgt)]


def _band(coarse: list[Group], n_src: int, n_tgt: int, width: int) -> tuple[np.ndarray, np.ndarray]:
    """Per source row, the target range to search: the block path in sentences, widened."""
    lo = np.full(n_src + 1, n_tgt, dtype=np.int64)
    hi = np.zeros(n_src + 1, dtype=np.int64)
    for g in coarse:
        s0, s1 = min(2 * g.src_start, n_src), min(2 * g.src_end, n_src)
        t0, t1 = min(2 * g.tgt_start, n_tgt), min(2 * g.tgt_end, n_tgt)
        lo[s0 : s1 + 1] = np.minimum(lo[s0 : s1 + 1], t0)
        hi[s0 : s1 + 1] = np.maximum(hi[s0 : s1 + 1], t1)
    # Widen along both axes, then make the band monotone so that every cell is reachable.
    padded_lo = np.concatenate([np.full(width, lo[0]), lo, np.full(width, lo[-1])])
    padded_hi = np.concatenate([np.full(width, hi[0]), hi, np.full(width, hi[-1])])
    windows = np.lib.stride_tricks.sliding_window_view
    lo = windows(padded_lo, 2 * width + 1).min(axis=1) - width
    hi = windows(padded_hi, 2 * width + 1).max(axis=1) + width
    lo = np.minimum.accumulate(lo[::-1])[::-1]
    hi = np.maximum.accumulate(hi)
    lo, hi = np.clip(lo, 0, n_tgt), np.clip(hi, 0, n_tgt)
    lo[0], hi[-1] = 0, n_tgt
    return lo, hi


def _search(scorer: Scorer, lo: np.ndarray, hi: np.ndarray) -> list[Group]:
    n_src = scorer.sources
    rows: list[np.ndarray] = []  # best score of aligning source[:i] with target[:lo[i] + k]
    choices: list[np.ndarray] = []  # the type of the last group on that best path
    for i in range(n_src + 1):
        js = np.arange(lo[i], hi[i] + 1)
        best = np.full(js.size, -np.inf)
        choice = np.full(js.size, -1, dtype=np.int8)
        if i == 0:
            best[js == 0] = 0.0
        for t, (m, n) in enumerate(ALIGNMENT_TYPES):
            if m == 0 or m > i:
                continue
            prev_lo, prev_row = lo[i - m], rows[i - m]
            prev_j = js - n
            ok = (prev_j >= prev_lo) & (prev_j <= hi[i - m])
            if not ok.any():
                continue
            candidate = np.full(js.size, -np.inf)
            candidate[ok] = prev_row[prev_j[ok] - prev_lo]
            reachable = ok & np.isfinite(candidate)
            if not reachable.any():
                continue
            candidate[reachable] += scorer.group_scores(i, m, n, js[reachable])
            better = candidate > best
            best[better] = candidate[better]
            choice[better] = t
        # 0-1 groups: a run of target sentences left unaligned, as a running maximum along the row.
        skip = float(scorer.group_scores(i, 0, 1, js[-1:])[0]) if js.size > 1 else 0.0
        steps = np.arange(js.size)
        shifted = best - skip * steps
        running = np.maximum.accumulate(shifted)
        inserted = (running > shifted) & np.isfinite(running)
        best = np.where(inserted, running + skip * steps, best)
        choice[inserted] = _INSERT
        rows.append(best)
        choices.append(choice)
    return _trace(choices, lo, n_src, scorer.targets)


def _trace(choices: list[np.ndarray], lo: np.ndarray, i: int, j: int) -> list[Group]:
    groups = []
    while i > 0 or j > 0:
        t = int(choices[i][j - lo[i]])
        if t < 0:
            raise AssertionError(f"no alignment path reaches ({i}, {j})")
        m, n = ALIGNMENT_TYPES[t]
        groups.append(Group(i - m, i, j - n, j))
        i, j = i - m, j - n
    groups.reverse()
    return groups
