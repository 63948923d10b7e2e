"""``not_english``: the output is not English (French, Spanish, German, Italian, Portuguese...).

Evidence is gathered per word, the way the segmenter does it, so that one word cannot
decide alone:

- each word's log-likelihoods are taken relative to its best language, scaled by
  ``EVIDENCE_SCALE`` and capped at ``WORD_CAP`` (the segmenter's own settings);
- names are down-weighted (``NAME_WEIGHT``): a capitalised word inside a sentence, a
  word with a capital inside (OpenAI), and a capitalised first word followed by another
  capitalised word ("Emmanuel Macron met..."), so a sentence full of French or Spanish
  names is still read by its English words.

Two sums of that evidence are kept: the closed-set margin of English over French and
Spanish from the segmenter's detector (``translate.langid.word_scores``: langdetect
profiles + py3langid), and an open-set margin of English over every language of
py3langid's model (140 labels in py3langid 0.4), which is what catches German,
Italian or Portuguese output. A logistic model of the two margins (``CALIBRATION``,
fitted by ``benchmarks/spot_check_quality.py --fit`` on the tune half of the
development set and langid-dev's even lines) turns them into P(English); the span is
flagged when it is below ``not_english_max_probability``. The calibration table is in
docs/spot-check.md.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

from translate.spotcheck.signals._text import words
from translate.spotcheck.signals.base import TextSignal
from translate.spotcheck.spans import Flag

NAME = "not_english"
SERIOUS = True
DESCRIPTION = "the output is not English"

# As in translate.segment.SegmenterSettings (evidence_scale, word_cap, name_weight).
EVIDENCE_SCALE = 0.25
WORD_CAP = 30.0
NAME_WEIGHT = 0.4
# P(en) = sigmoid(bias + closed * closed-set margin + open * open-set margin), margins in nats.
CALIBRATION = {"bias": 2.0553, "closed": 0.0153, "open": 0.8717}

_LETTERS = re.compile(r"[^\W\d_]+")
_TOKEN = re.compile(r"\S+")
_NO_EVIDENCE = re.compile(r"\d|://|@|^www\.", re.IGNORECASE)
_SENTENCE_END = ".!?…:"
_NO_FEATURES = -1e30
_LANGUAGE_NAMES = {"fr": "French", "es": "Spanish", "en": "English", "de": "German", "it": "Italian",
                   "pt": "Portuguese", "nl": "Dutch", "ca": "Catalan", "ro": "Romanian", "la": "Latin"}


@lru_cache(maxsize=1)
def _open_model():
    """py3langid's full model: every language it knows, raw log-scores; and its labels, in one order."""
    from translate.langid import py3langid_identifier

    model = py3langid_identifier()
    prior = {}
    for lang, p in zip(model.nb_classes, (float(p) for p in model.nb_pc)):
        prior.setdefault(lang, p)
    return model, prior, tuple(sorted(prior))


@lru_cache(maxsize=65536)
def _open_word_scores(part: str):
    """Log-likelihood of one lower-cased word in every language of py3langid (a vector in
    ``_open_model``'s label order), best at 0, capped; None when the word has no feature."""
    import numpy as np

    model, prior, labels = _open_model()
    ranked = model.rank(f" {part} ")
    if any(score < _NO_FEATURES for _, score in ranked):
        return None
    scores = {lang: score - prior[lang] for lang, score in ranked}
    best = max(scores.values())
    return np.array([max(-WORD_CAP, EVIDENCE_SCALE * (scores[lang] - best)) for lang in labels], dtype=np.float64)


def _open_margin(parts: list[tuple[str, float]]) -> tuple[float, str] | None:
    """(English's summed evidence minus the best other language's, that language) over every
    language of py3langid, or None when no part has a feature. The sums are vectors (the same
    additions, in the same order, a hundred times fewer Python operations), and the best other
    language is found in the vector: the first of the highest in label order, as a ``max`` over
    the sorted labels finds it."""
    import numpy as np

    total = None
    for part, weight in parts:
        vector = _open_word_scores(part)
        if vector is not None:
            total = weight * vector if total is None else total + weight * vector
    if total is None:
        return None
    labels = _open_model()[2]
    english = labels.index("en") if "en" in labels else None
    others = total.copy()
    if english is not None:
        others[english] = -np.inf
    best = int(np.argmax(others))
    return (float(total[english]) if english is not None else 0.0) - float(total[best]), labels[best]


@lru_cache(maxsize=65536)
def _closed_word_scores(part: str) -> dict[str, float]:
    """The segmenter's fr/es/en evidence of one lower-cased word, best at 0, capped."""
    from translate.document import LANGUAGES
    from translate.langid import word_scores

    scores = word_scores(part)
    best = max(scores)
    return {lang: max(-WORD_CAP, EVIDENCE_SCALE * (score - best)) for lang, score in zip(LANGUAGES, scores)}


def _weighted_parts(text: str) -> list[tuple[str, float]]:
    """(lower-cased word part, weight) of the words that carry language evidence."""
    tokens = [m.group(0) for m in _TOKEN.finditer(text)]
    parts = []
    starts_sentence = True
    for index, token in enumerate(tokens):
        if not _NO_EVIDENCE.search(token):
            next_capitalised = index + 1 < len(tokens) and tokens[index + 1][:1].isupper()
            for position, part in enumerate(_LETTERS.findall(token)):
                if not part[0].isupper():
                    weight = 1.0
                elif any(ch.isupper() for ch in part[1:]):
                    weight = NAME_WEIGHT
                elif starts_sentence and position == 0 and not next_capitalised:
                    weight = 1.0
                else:
                    weight = NAME_WEIGHT
                parts.append((part.lower(), weight))
        starts_sentence = token.rstrip("\"'»”’)")[-1:] in _SENTENCE_END
    return parts


def _summed(parts: list[tuple[str, float]], score) -> dict[str, float]:
    total: dict[str, float] = {}
    for part, weight in parts:
        for lang, value in score(part).items():
            total[lang] = total.get(lang, 0.0) + weight * value
    return total


@lru_cache(maxsize=8192)
def evidence(text: str) -> tuple[float, float, str]:
    """(closed-set margin, open-set margin, most likely other language) of ``text``.

    A margin is English's summed evidence minus the best other language's: positive
    when the text reads as English.
    """
    parts = _weighted_parts(text)
    closed = _summed(parts, _closed_word_scores)
    opened = _open_margin(parts)
    if not closed or opened is None:
        return 0.0, 0.0, "und"
    closed_margin = closed["en"] - max(v for lang, v in closed.items() if lang != "en")
    open_margin, other = opened
    return closed_margin, open_margin, other


def probability_english(text: str) -> float | None:
    """Calibrated P(English) of ``text``; None when it has no word with language evidence."""
    closed, opened, other = evidence(text)
    if other == "und":
        return None
    z = CALIBRATION["bias"] + CALIBRATION["closed"] * closed + CALIBRATION["open"] * opened
    return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))


def check(text: str, translation: str, lang: str, thresholds) -> Flag | None:
    if len(words(translation)) < thresholds.not_english_min_words:
        return None
    english = probability_english(translation)
    if english is None or english >= thresholds.not_english_max_probability:
        return None
    _, _, other = evidence(translation)
    return Flag(NAME, f"the output reads as {_LANGUAGE_NAMES.get(other, other)}, not English "
                      f"(P(English) = {english:.2f})")


SIGNAL = TextSignal(NAME, SERIOUS, DESCRIPTION, check)
