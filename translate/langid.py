"""Language evidence for words and short texts, restricted to French, Spanish and English.

Two naive Bayes models of character n-grams are summed, each read for our three
languages only:

- langdetect's own profiles (1- to 3-grams built from Wikipedia; we use 2- and 3-grams).
  langdetect's detector samples n-grams at random and iterates until it converges: on a
  word pair it is slow (about 4 ms a call) and its answer depends on the seed. The full
  sum is deterministic and 20x faster, and as accurate on the langid-dev sentences;
- py3langid's model (byte 1- to 4-grams from several corpora; BSD-3, 4.5 MB), which is
  much better on short text: word pairs of langid-dev 0.94 with both vs 0.885 with
  langdetect's profiles alone (plain langdetect: 0.856); see benchmarks/langid.py.

Scores are per word so that the segmenter can decide where a language starts and ends;
``language_probabilities``/``detect_language`` classify a whole text.
"""

from __future__ import annotations

import json
import math
import re
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
# py3langid answers a huge negative floor when it knows none of a text's n-grams.
_NO_FEATURES = -1e30

_LETTER = re.compile(r"[^\W\d_]")
_LETTERS = re.compile(r"[^\W\d_]+")


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
def _langid_model():
    """py3langid's naive Bayes model (byte 1- to 4-grams), restricted to LANGUAGES."""
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    model = LanguageIdentifier.from_modelpath(MODEL_DIR / MODEL_FILE)
    model.set_languages(list(LANGUAGES))
    prior = dict(zip(model.nb_classes, (float(p) for p in model.nb_pc)))
    return model, prior


def _langid_scores(part: str) -> tuple[float, float, float]:
    model, prior = _langid_model()
    # rank() gives the log-posterior; take the class prior off to keep the likelihood.
    ranked = model.rank(f" {part} ")
    if any(score < _NO_FEATURES for _, score in ranked):
        return (0.0, 0.0, 0.0)
    scores = {lang: score - prior[lang] for lang, score in ranked}
    return (scores["fr"], scores["es"], scores["en"])



@lru_cache(maxsize=65536)
def word_scores(word: str, langid_weight: float = LANGID_WEIGHT) -> tuple[float, float, float]:
    """Log-likelihood of ``word`` in each of LANGUAGES (same order); zeros when it has no letters.

    ``word`` is one token without spaces; only its letters count (``d’OpenAI`` is
    ``d`` + ``OpenAI``). It is lower-cased so that headings in capitals score like
    running text.
    """
    total = [0.0, 0.0, 0.0]
    for part in _LETTERS.findall(word):
        part = part.lower()
        for i, score in enumerate(_langdetect_scores(part)):
            total[i] += score
        if langid_weight:
            for i, score in enumerate(_langid_scores(part)):
                total[i] += langid_weight * score
    return (total[0], total[1], total[2])


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
