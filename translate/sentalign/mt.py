"""``--similarity mt``: translate the source with the project's MarianMT models, compare with chrF.

Bleualign's idea with a modern model: a source sentence's machine translation and its human
translation share many character n-grams. The models translate into English, so this similarity
is for English translations; source sentences already in English (or in no language) are compared
as they are. It has not been measured here: no real model weights can be downloaded in this
environment, and a random-weight test model translates into noise.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import numpy as np

from translate.sentalign.chrf import chrf_from_counts, ngram_counts
from translate.sentalign.scoring import EmbeddingParams, _length_delta, _lengths_prefix, _ratio


class ChrfScorer:
    """Group scores from chrF between the source's machine translation and the target."""

    full_search_cells = 40_000  # chrF is computed cell by cell in Python: search narrow bands sooner
    max_group = 4

    def __init__(self, src_translations: list[str], tgt_texts: list[str], src_lengths, tgt_lengths,
                 params: EmbeddingParams = EmbeddingParams(), *, seed: int = 0):
        self.params = params
        self.src_texts, self.tgt_texts = list(src_translations), list(tgt_texts)
        self.sources, self.targets = len(self.src_texts), len(self.tgt_texts)
        self.src_counts = [ngram_counts(t) for t in self.src_texts]
        self.tgt_counts = [ngram_counts(t) for t in self.tgt_texts]
        self.src_prefix, self.tgt_prefix = _lengths_prefix(src_lengths), _lengths_prefix(tgt_lengths)
        self.ratio = _ratio(self.src_prefix, self.tgt_prefix)
        self._runs: dict[tuple[str, int, int], list[Counter]] = {}
        # chrF of unrelated sentences is far from 0 (common letters): subtract the level of random pairs.
        rng = np.random.default_rng(seed)
        pairs = min(64, self.sources * self.targets)
        sims = [chrf_from_counts(self.src_counts[rng.integers(self.sources)], self.tgt_counts[rng.integers(self.targets)])
                for _ in range(pairs)]
        self.background = float(np.mean(sims)) if sims else 0.0
        self._seed = seed

    def _run(self, side: str, end: int, k: int) -> list[Counter]:
        key = (side, end, k)
        if key not in self._runs:
            counts = self.src_counts if side == "s" else self.tgt_counts
            total = [Counter() for _ in range(len(counts[0]))] if counts else []
            for sentence in counts[end - k : end]:
                for order, counter in zip(total, sentence):
                    order.update(counter)
            self._runs[key] = total
        return self._runs[key]

    def similarity(self, end: int, m: int, n: int, js: np.ndarray) -> np.ndarray:
        hypothesis = self._run("s", end, m)
        return np.array([chrf_from_counts(hypothesis, self._run("t", int(j), n)) for j in js])

    def group_scores(self, end: int, m: int, n: int, js: np.ndarray) -> np.ndarray:
        p = self.params
        if m == 0 or n == 0:
            return np.full(len(js), -p.skip)
        margin = self.similarity(end, m, n, js) - self.background
        delta = _length_delta(self.src_prefix, self.tgt_prefix, end, m, n, js, self.ratio, p.length_variance)
        return (m + n) * margin - p.merge_penalty * (m + n - 2) - p.length_weight * delta * delta / 2

    def confidence(self, src: tuple[int, int], tgt: tuple[int, int]) -> float:
        (s0, s1), (t0, t1) = src, tgt
        return float(self.similarity(s1, s1 - s0, t1 - t0, np.array([t1]))[0])

    def _regrouped(self, src_ranges, tgt_ranges) -> "ChrfScorer":
        join = lambda texts, ranges: [" ".join(texts[a:b]) for a, b in ranges]  # noqa: E731
        lengths = lambda prefix, ranges: [float(prefix[b] - prefix[a]) for a, b in ranges]  # noqa: E731
        return ChrfScorer(join(self.src_texts, src_ranges), join(self.tgt_texts, tgt_ranges),
                          lengths(self.src_prefix, src_ranges), lengths(self.tgt_prefix, tgt_ranges),
                          self.params, seed=self._seed)

    def paragraphs(self, src_ranges, tgt_ranges) -> "ChrfScorer":
        return self._regrouped(src_ranges, tgt_ranges)

    def coarsen(self) -> "ChrfScorer":
        pairs = lambda n: [(i, min(i + 2, n)) for i in range(0, n, 2)]  # noqa: E731
        return self._regrouped(pairs(self.sources), pairs(self.targets))


def machine_translator(session) -> Callable[[list[str]], list[str]]:
    """A function translating sentences into English with ``session``'s models (a
    ``translate.session.Session``: its translation memory first, each model loaded once for every
    document pair): each sentence by the model of its language as the segmenter decides it, with
    ``batch``'s rules (fr, es, the languages given a model, every language with a fallback ``*``);
    other sentences are returned as they are."""

    def translate_sentences(sentences: list[str]) -> list[str]:
        from translate.document import Block
        from translate.segment import segment_document

        languages = []
        for text in sentences:
            chars: Counter = Counter()
            for segment in segment_document(text, [Block(0, len(text))]):
                chars[segment.lang] += segment.end - segment.start
            languages.append(chars.most_common(1)[0][0] if chars else "und")
        out = list(sentences)
        for lang in sorted({found for found in languages if session.translates(found)}):
            indices = [i for i, found in enumerate(languages) if found == lang]
            texts = [sentences[i] for i in indices]
            found = session.lookup(lang, texts)
            missing = [text for text in dict.fromkeys(texts) if text not in found]
            if missing:
                found.update(session.translate(lang, missing))
            for i, text in zip(indices, texts):
                out[i] = found[text].text
        return out

    return translate_sentences
