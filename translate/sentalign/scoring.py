"""Group scores for the search (``dp.align``): how well ``m`` source sentences match ``n`` target ones.

Three similarities, one interface (``dp.Scorer``):

- ``EmbeddingScorer``: cosine of multilingual sentence embeddings of the two concatenations,
  corrected Vecalign-style by how similar each side is to random sentences of the other side (a
  short or generic sentence is close to everything), plus a Gaussian length prior;
- ``LengthScorer``: Gale-Church (1993): lengths in characters and priors over group types only;
- ``ChrfScorer``: chrF between a machine translation of the source and the target (``--similarity mt``).

Every scorer also gives a *confidence* in [0, 1] for a final group, shown in the outputs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class EmbeddingParams:
    """Weights of the embedding score; tuned on half of the Text+Berg dev set (benchmarks/bench_align.py)."""

    skip: float = 0.1  # penalty for a sentence left unaligned
    merge_penalty: float = 0.4  # per sentence beyond the second in a group
    length_weight: float = 0.10  # weight of the Gaussian log-density of the length difference
    length_variance: float = 6.8  # Gale-Church's variance of target length per source character


def _lengths_prefix(lengths) -> np.ndarray:
    return np.concatenate([[0.0], np.cumsum(np.asarray(lengths, dtype=np.float64))])


def _length_delta(src_prefix, tgt_prefix, end, m, n, js, ratio, variance) -> np.ndarray:
    src_len = src_prefix[end] - src_prefix[end - m]
    tgt_len = tgt_prefix[js] - tgt_prefix[js - n]
    mean = (src_len + tgt_len / ratio) / 2 + 1.0
    return (tgt_len - ratio * src_len) / np.sqrt(variance * mean)


def _ratio(src_prefix, tgt_prefix) -> float:
    """Target characters per source character, from the whole text (any language pair)."""
    return float(tgt_prefix[-1] / src_prefix[-1]) if src_prefix[-1] > 0 and tgt_prefix[-1] > 0 else 1.0


class EmbeddingScorer:
    """Scores from sentence embeddings; ``src_vectors[k][i]`` embeds source sentences ``i-k+1..i``.

    ``src_vectors[1]`` must be given; larger ``k`` may be left out, and are then approximated
    by the normalised sum of the single-sentence vectors (as the coarse levels always are).
    """

    max_group = 4

    def __init__(self, src_vectors: dict[int, np.ndarray], tgt_vectors: dict[int, np.ndarray],
                 src_lengths, tgt_lengths, params: EmbeddingParams = EmbeddingParams(), *, seed: int = 0):
        self.params = params
        self.src = _complete(src_vectors, self.max_group)
        self.tgt = _complete(tgt_vectors, self.max_group)
        self.sources, self.targets = len(self.src[1]), len(self.tgt[1])
        self.src_prefix, self.tgt_prefix = _lengths_prefix(src_lengths), _lengths_prefix(tgt_lengths)
        self.ratio = _ratio(self.src_prefix, self.tgt_prefix)
        # Vecalign's normalisation: each vector's mean similarity to a sample of the other side.
        rng = np.random.default_rng(seed)
        tgt_sample = self.tgt[1][rng.choice(self.targets, size=min(self.targets, 256), replace=False)]
        src_sample = self.src[1][rng.choice(self.sources, size=min(self.sources, 256), replace=False)]
        self.src_background = {k: (v @ tgt_sample.T).mean(axis=1) for k, v in self.src.items()}
        self.tgt_background = {k: (v @ src_sample.T).mean(axis=1) for k, v in self.tgt.items()}
        self._seed = seed

    def similarity(self, end: int, m: int, n: int, js: np.ndarray) -> np.ndarray:
        return self.tgt[n][js - 1] @ self.src[m][end - 1]

    def group_scores(self, end: int, m: int, n: int, js: np.ndarray) -> np.ndarray:
        p = self.params
        if m == 0 or n == 0:
            return np.full(len(js), -p.skip)
        cosine = self.similarity(end, m, n, js)
        margin = cosine - (self.src_background[m][end - 1] + self.tgt_background[n][js - 1]) / 2
        delta = _length_delta(self.src_prefix, self.tgt_prefix, end, m, n, js, self.ratio, p.length_variance)
        return (m + n) * margin - p.merge_penalty * (m + n - 2) - p.length_weight * delta * delta / 2

    def confidence(self, src: tuple[int, int], tgt: tuple[int, int]) -> float:
        (s0, s1), (t0, t1) = src, tgt
        if s0 == s1 or t0 == t1:
            return 0.0
        value = float(self.similarity(s1, s1 - s0, t1 - t0, np.array([t1]))[0])
        return min(1.0, max(0.0, value))

    def paragraphs(self, src_ranges, tgt_ranges) -> "EmbeddingScorer":
        """The same similarity over paragraphs (given as sentence index ranges)."""
        return EmbeddingScorer({1: _range_sums(self.src[1], src_ranges)}, {1: _range_sums(self.tgt[1], tgt_ranges)},
                               _range_lengths(self.src_prefix, src_ranges), _range_lengths(self.tgt_prefix, tgt_ranges),
                               self.params, seed=self._seed)

    def coarsen(self) -> "EmbeddingScorer":
        return EmbeddingScorer({1: _pair_sums(self.src[1])}, {1: _pair_sums(self.tgt[1])},
                               _pair_lengths(self.src_prefix), _pair_lengths(self.tgt_prefix), self.params,
                               seed=self._seed)


def _normalise(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)


def _complete(vectors: dict[int, np.ndarray], max_group: int) -> dict[int, np.ndarray]:
    single = _normalise(np.asarray(vectors[1], dtype=np.float32))
    out = {1: single}
    prefix = np.concatenate([np.zeros((1, single.shape[1]), dtype=np.float32), np.cumsum(single, axis=0)])
    for k in range(2, max_group + 1):
        if k in vectors:
            out[k] = _normalise(np.asarray(vectors[k], dtype=np.float32))
        else:
            ends = np.arange(1, len(single) + 1)
            out[k] = _normalise(prefix[ends] - prefix[np.maximum(ends - k, 0)])
    return out


def _range_sums(vectors: np.ndarray, ranges) -> np.ndarray:
    return _normalise(np.stack([vectors[a:b].sum(axis=0) for a, b in ranges]))


def _range_lengths(prefix: np.ndarray, ranges) -> list[float]:
    return [float(prefix[b] - prefix[a]) for a, b in ranges]


def _pair_sums(vectors: np.ndarray) -> np.ndarray:
    if len(vectors) % 2:
        vectors = np.concatenate([vectors, np.zeros((1, vectors.shape[1]), dtype=vectors.dtype)])
    return _normalise(vectors[0::2] + vectors[1::2])


def _pair_lengths(prefix: np.ndarray) -> list[float]:
    lengths = np.diff(prefix)
    if len(lengths) % 2:
        lengths = np.concatenate([lengths, [0.0]])
    return (lengths[0::2] + lengths[1::2]).tolist()


# Gale and Church's priors over group types; the other types get the 2-2 prior, divided per extra sentence.
_GALE_CHURCH_PRIORS = {(1, 1): 0.89, (1, 0): 0.0099 / 2, (0, 1): 0.0099 / 2, (1, 2): 0.089 / 2, (2, 1): 0.089 / 2,
                       (2, 2): 0.011}


def _gale_church_prior(m: int, n: int) -> float:
    return math.log(_GALE_CHURCH_PRIORS.get((m, n), 0.011 / 10 ** (m + n - 4)))


_erfc = np.vectorize(math.erfc, otypes=[np.float64])


class LengthScorer:
    """Gale-Church: the probability of the length difference of a group, times its type's prior."""

    variance = 6.8

    def __init__(self, src_lengths, tgt_lengths):
        self.src_prefix, self.tgt_prefix = _lengths_prefix(src_lengths), _lengths_prefix(tgt_lengths)
        self.sources, self.targets = len(self.src_prefix) - 1, len(self.tgt_prefix) - 1
        self.ratio = _ratio(self.src_prefix, self.tgt_prefix)

    def _log_probability(self, end, m, n, js) -> np.ndarray:
        delta = _length_delta(self.src_prefix, self.tgt_prefix, end, m, n, js, self.ratio, self.variance)
        return np.log(np.maximum(_erfc(np.abs(delta) / math.sqrt(2)), 1e-300))

    def group_scores(self, end: int, m: int, n: int, js: np.ndarray) -> np.ndarray:
        prior = _gale_church_prior(m, n)
        if m == 0 or n == 0:
            return np.full(len(js), prior)
        return prior + self._log_probability(end, m, n, js)

    def confidence(self, src: tuple[int, int], tgt: tuple[int, int]) -> float:
        (s0, s1), (t0, t1) = src, tgt
        if s0 == s1 or t0 == t1:
            return 0.0
        return float(np.exp(self._log_probability(s1, s1 - s0, t1 - t0, np.array([t1]))[0]))

    def paragraphs(self, src_ranges, tgt_ranges) -> "LengthScorer":
        return LengthScorer(_range_lengths(self.src_prefix, src_ranges), _range_lengths(self.tgt_prefix, tgt_ranges))

    def coarsen(self) -> "LengthScorer":
        return LengthScorer(_pair_lengths(self.src_prefix), _pair_lengths(self.tgt_prefix))


class SliceScorer:
    """A scorer limited to source units ``[s0, s1)`` and target units ``[t0, t1)`` of another
    (a pair of aligned paragraphs); statistics such as the length ratio stay those of the whole text."""

    def __init__(self, base, s0: int, s1: int, t0: int, t1: int):
        self.base, self.s0, self.t0 = base, s0, t0
        self.sources, self.targets = s1 - s0, t1 - t0

    def group_scores(self, end: int, m: int, n: int, js: np.ndarray) -> np.ndarray:
        return self.base.group_scores(end + self.s0, m, n, js + self.t0)

    def coarsen(self):
        raise NotImplementedError("a paragraph pair is searched whole")
