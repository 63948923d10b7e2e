"""The Viterbi pass of the language segmenter: the most likely language of each word of a document,
from each word's evidence and a cost at every change of language (``translate.word_labels`` calls it
and applies its rules of context to the result)."""

from __future__ import annotations

from collections.abc import Sequence


def decode(
    evidence, boundaries: Sequence[int], switch_costs: Sequence[float], blocks, core_costs: Sequence[float] | None = None
) -> list[int]:
    """Most likely language (column of ``evidence``) of each word: Viterbi with switch costs.

    ``blocks``: (first word, end word, states) in order, covering all words; only those states
    (columns) are considered for the words of a block. ``core_costs``: the switch costs between
    two of fr, es and en (default ``switch_costs``)."""
    if core_costs is None:
        core_costs = switch_costs
    count = evidence.shape[0]
    if not count:
        return []
    back: list[list[int] | None] = [None] * count  # back[i][k]: state of word i-1 before state states[k]
    costs: dict[int, float] | None = None
    for first, end, states in blocks:
        rows = evidence[first:end][:, states].tolist()
        if costs is None:
            current = [-e for e in rows[0]]
        else:
            best_state = min(costs, key=costs.__getitem__)
            limit = costs[best_state] + switch_costs[boundaries[first]]
            current, step_back = [], []
            for state, e in zip(states, rows[0]):
                cost = costs.get(state, limit + 1.0)
                if cost > limit:
                    step_back.append(best_state)
                    current.append(limit - e)
                else:
                    step_back.append(state)
                    current.append(cost - e)
            back[first] = step_back
        positions = range(len(states))
        for index in range(first + 1, end):
            boundary = boundaries[index]
            limit = min(current)
            best = states[current.index(limit)]
            limit += switch_costs[boundary]
            # fr, es and en (the first three states) switch among themselves at core_costs.
            core = min(current[0], current[1], current[2])
            core_limit = core + core_costs[boundary]
            if core_limit < limit:
                core_best = current.index(core)
            else:
                core_limit, core_best = limit, best
            row = rows[index - first]
            step_back, new_costs = [], []
            for position in positions:
                cost = current[position]
                cap, jump = (core_limit, core_best) if position < 3 else (limit, best)
                if cost > cap:  # cheaper to come from the best state and pay the switch
                    step_back.append(jump)
                    new_costs.append(cap - row[position])
                else:
                    step_back.append(states[position])
                    new_costs.append(cost - row[position])
            back[index] = step_back
            current = new_costs
        costs = dict(zip(states, current))
    state = min(costs, key=costs.__getitem__)
    labels = [state] * count
    block_index = len(blocks) - 1
    for index in range(count - 1, 0, -1):
        while blocks[block_index][0] > index:
            block_index -= 1
        state = back[index][blocks[block_index][2].index(state)]
        labels[index - 1] = state
    return labels
