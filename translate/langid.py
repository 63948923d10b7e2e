"""Language evidence for words and short texts: French, Spanish, English and every other
language py3langid's model knows.

Two naive Bayes models of character n-grams:

- langdetect's own profiles (1- to 3-grams built from Wikipedia; we use 2- and 3-grams),
  read for fr, es and en. langdetect's detector samples n-grams at random and iterates
  until it converges: on a word pair it is slow (about 4 ms a call) and its answer
  depends on the seed. The full sum is deterministic and 20x faster, and as accurate on
  the langid-dev sentences;
- py3langid's model (byte 1- to 4-grams from several corpora; BSD-3, 4.5 MB), which is
  much better on short text, read for all its languages that have an ISO 639-1 code
  (``OPEN_LANGUAGES``: fr, es, en first, then about 110 others).

fr, es and en are told apart by both models (langdetect + ``LANGID_WEIGHT`` x py3langid).
Another language is scored by py3langid against them: its score is the best of
langdetect's three plus py3langid's own (as if langdetect could not tell it from the best
of fr/es/en). So "is this word French or Italian" is py3langid's call, and the segmenter
adds a cost for leaving fr/es/en (``SegmenterSettings.other_cost``).

Scores are per word so that the segmenter can decide where a language starts and ends;
``language_probabilities``/``detect_language`` classify a whole text among fr/es/en, and
``detect_open_language`` among every language.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources

from translate.document import LANGUAGES, UNDETERMINED

# Probability given to an n-gram that one language's profile lacks but another has.
# langdetect smooths with alpha / BASE_FREQ = 0.5 / 10000; a smaller floor was
# measured slightly better on word pairs and single words.
_FLOOR = 1e-5
# Lengths of n-grams used. Unigrams add little and are noisy on short text.
_NGRAM_SIZES = (2, 3)

# Weight of py3langid's evidence next to langdetect's (whose weight is 1); 0 = langdetect only.
# Tuned with the segmenter (benchmarks/langid.py).
LANGID_WEIGHT = 6.0

_LETTER = re.compile(r"[^\W\d_]")
_LETTERS = re.compile(r"[^\W\d_]+")
# Parts kept in the score cache before it is emptied (about 1 KB each).
_CACHE_LIMIT = 200_000


@lru_cache(maxsize=1)
def _ngram_table() -> dict[str, tuple[float, float, float]]:
    """n-gram -> log P(n-gram | language) for LANGUAGES, from langdetect's profiles."""
    counts: dict[str, list[float]] = {}
    for index, lang in enumerate(LANGUAGES):
        profile = json.loads(resources.files("langdetect").joinpath("profiles", lang).read_text("utf-8"))
        totals = profile["n_words"]
        for gram, count in profile["freq"].items():
            counts.setdefault(gram, [0.0] * len(LANGUAGES))[index] = count / totals[len(gram) - 1]
    return {gram: tuple(math.log(p + _FLOOR) for p in probs) for gram, probs in counts.items()}


@lru_cache(maxsize=1)
def py3langid_identifier():
    """py3langid's full model (every language it knows), read once per process: the segmenter's
    evidence and spot-check's ``not_english`` both read it (through a per-user uncompressed copy,
    see ``translate.py3langid_model``)."""
    from translate.py3langid_model import load_identifier

    return load_identifier()


class _LangidModel:
    """py3langid's naive Bayes model read for OPEN_LANGUAGES: per-feature log-likelihoods."""

    def __init__(self) -> None:
        import numpy as np

        model = py3langid_identifier()
        classes = list(model.nb_classes)
        # ISO 639-1 codes only ("zxx" is py3langid's "no language" class); fr, es, en first.
        others = sorted({c for c in classes if len(c) == 2 and c.isalpha()} - set(LANGUAGES))
        self.languages = (*LANGUAGES, *others)
        columns = [[i for i, c in enumerate(classes) if c == lang] for lang in self.languages]
        table = model.nb_ptc
        if all(len(c) == 1 for c in columns):
            self.table = np.ascontiguousarray(table[:, [c[0] for c in columns]], dtype=np.float32)
        else:  # a code with two columns (an alias, such as sr): keep the better of the two
            self.table = np.stack([table[:, c].astype(np.float32).max(axis=1) for c in columns], axis=1)
        self.nextmove = model.tk_nextmove
        self.rowbase = model._rowbase
        self.output = model.tk_output

    def features(self, part: str) -> dict[int, int]:
        """Feature -> count of `` part `` (py3langid's byte DFA, NFC as py3langid does)."""
        data = f" {unicodedata.normalize('NFC', part)} ".encode("utf-8", "surrogatepass")
        nextmove, rowbase, output = self.nextmove, self.rowbase, self.output
        state, counts = 0, {}
        for byte in data:
            state = nextmove[rowbase[state] + byte]
            feature = output[state]
            if feature >= 0:
                counts[feature] = counts.get(feature, 0) + 1
        return counts

    def scores(self, parts: Sequence[str]):
        """(len(parts), len(languages)) log-likelihoods, one numpy call for all parts.
        A part without any known feature gets a row of zeros."""
        import numpy as np

        features, counts, starts = [], [], []
        empty = []
        for index, part in enumerate(parts):
            found = self.features(part)
            if not found:
                empty.append(index)
                found = {0: 0}  # count 0: log1p(0) = 0, a row of zeros
            starts.append(len(features))
            features.extend(found)
            counts.extend(found.values())
        if not parts:
            return np.zeros((0, len(self.languages)), dtype=np.float32)
        weights = np.log1p(np.asarray(counts, dtype=np.float32))
        rows = self.table[np.asarray(features, dtype=np.intp)] * weights[:, None]
        return np.add.reduceat(rows, np.asarray(starts, dtype=np.intp), axis=0)


@lru_cache(maxsize=1)
def _langid_model() -> _LangidModel:
    return _LangidModel()


def open_languages() -> tuple[str, ...]:
    """Every language the segmenter can name: fr, es, en, then the others (ISO 639-1 codes)."""
    return _langid_model().languages


@lru_cache(maxsize=1)
def langdetect_languages() -> frozenset[str]:
    """Languages langdetect has a profile for (55, zh-cn and zh-tw as zh)."""
    names = (entry.name for entry in resources.files("langdetect").joinpath("profiles").iterdir())
    return frozenset(name.split("-")[0] for name in names)


_part_cache: dict[str, tuple[tuple[float, float, float], object]] = {}


def part_scores(parts: Sequence[str]):
    """Per-language evidence of lower-cased letter runs: ``(langdetect, langid)``, numpy arrays of
    shape (len(parts), 3) (fr/es/en, langdetect's profiles) and (len(parts), len(open_languages()))
    (py3langid). Cached per part; the parts not seen before are scored in one batch."""
    import numpy as np

    missing = [p for p in dict.fromkeys(parts) if p not in _part_cache]
    if missing:
        if len(_part_cache) + len(missing) > _CACHE_LIMIT:
            _part_cache.clear()
        langid_rows = _langid_model().scores(missing)
        for part, row in zip(missing, langid_rows):
            _part_cache[part] = (_langdetect_scores(part), row)
    if not parts:
        width = len(open_languages())
        return np.zeros((0, 3)), np.zeros((0, width), dtype=np.float32)
    cached = [_part_cache[p] for p in parts]
    return np.array([c[0] for c in cached]), np.stack([c[1] for c in cached])


def combined_scores(langdetect, langid, langid_weight: float = LANGID_WEIGHT):
    """Log-likelihood of each part in each of ``open_languages()`` from ``part_scores``' arrays.

    fr/es/en: langdetect + weight x py3langid. Any other language: the best of langdetect's three
    + weight x py3langid (langdetect has no say). A part py3langid knows nothing of cannot be
    another language (its score there is the worst of fr/es/en minus 1000)."""
    import numpy as np

    scores = langid * langid_weight if langid_weight else np.zeros_like(langid)
    scores[:, :3] += langdetect
    scores[:, 3:] += langdetect.max(axis=1, keepdims=True)
    blind = ~langid.any(axis=1)
    if blind.any() or not langid_weight:
        rows = blind if langid_weight else slice(None)
        scores[rows, 3:] = scores[rows, :3].min(axis=1, keepdims=True) - 1000.0
    return scores


def word_scores(word: str, langid_weight: float = LANGID_WEIGHT) -> tuple[float, float, float]:
    """Log-likelihood of ``word`` in each of LANGUAGES (same order); zeros when it has no letters.

    ``word`` is one token without spaces; only its letters count (``d’OpenAI`` is
    ``d`` + ``OpenAI``). It is lower-cased so that headings in capitals score like
    running text.
    """
    parts = [part.lower() for part in _LETTERS.findall(word)]
    if not parts:
        return (0.0, 0.0, 0.0)
    langdetect, langid = part_scores(parts)
    total = (langdetect + langid_weight * langid[:, :3]).sum(axis=0)
    return (float(total[0]), float(total[1]), float(total[2]))


def _langdetect_scores(part: str) -> tuple[float, float, float]:
    table = _ngram_table()
    total = [0.0, 0.0, 0.0]
    padded = f" {part} "
    for size in _NGRAM_SIZES:
        for i in range(len(padded) - size + 1):
            scores = table.get(padded[i : i + size])
            if scores is not None:
                total[0] += scores[0]
                total[1] += scores[1]
                total[2] += scores[2]
    return (total[0], total[1], total[2])


def text_scores(text: str) -> tuple[float, float, float]:
    """Summed ``word_scores`` of the whitespace-separated words of ``text``."""
    total = [0.0, 0.0, 0.0]
    for word in text.split():
        scores = word_scores(word)
        for i in range(3):
            total[i] += scores[i]
    return (total[0], total[1], total[2])


def language_probabilities(text: str) -> dict[str, float]:
    """Probabilities of fr/es/en for ``text`` (summing to 1); empty when it has no letters."""
    if not _LETTER.search(text):
        return {}
    scores = text_scores(text)
    best = max(scores)
    if best == 0.0 and min(scores) == 0.0:
        return {}
    weights = [math.exp(s - best) for s in scores]
    total = sum(weights)
    return {lang: w / total for lang, w in zip(LANGUAGES, weights)}


def detect_language(text: str) -> str:
    """The most likely of fr/es/en, or ``und`` for text without letters."""
    probs = language_probabilities(text)
    if not probs:
        return UNDETERMINED
    return max(LANGUAGES, key=probs.__getitem__)
