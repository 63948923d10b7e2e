"""Language identification of short texts, restricted to French, Spanish and English.

langdetect is randomised; it is seeded once so that the same input always gets the
same answer. Its probabilities are restricted to the three languages we handle.
"""

from __future__ import annotations

import re
from functools import lru_cache

from translate.document import LANGUAGES, UNDETERMINED

_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)


@lru_cache(maxsize=1)
def _factory():
    from langdetect.detector_factory import init_factory

    init_factory()
    from langdetect import detector_factory

    factory = detector_factory._factory
    factory.seed = 0
    return factory


def language_probabilities(text: str) -> dict[str, float]:
    """Probabilities of fr/es/en for ``text`` (normalised over the three); empty when it has no letters."""
    if not _LETTER.search(text):
        return {}
    from langdetect.lang_detect_exception import LangDetectException

    detector = _factory().create()
    detector.set_prior_map({lang: (1.0 if lang in LANGUAGES else 0.0) for lang in _factory().get_lang_list()})
    detector.append(text)
    try:
        found = detector.get_probabilities()
    except LangDetectException:
        return {}
    probs = {lang.lang: lang.prob for lang in found if lang.lang in LANGUAGES}
    total = sum(probs.values())
    return {lang: p / total for lang, p in probs.items()} if total else {}


def detect_language(text: str) -> str:
    """The most likely of fr/es/en, or ``und`` for text without letters."""
    probs = language_probabilities(text)
    if not probs:
        return UNDETERMINED
    return max(sorted(probs), key=probs.__getitem__)
