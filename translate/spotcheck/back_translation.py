"""Back-translation for the round-trip signal, with local reverse models only.

Nothing is downloaded: when a reverse model is not on disk (or the model lookup and
translator of the pipeline are not available), the round trip is skipped and the
reason is reported.
"""

from __future__ import annotations

from collections.abc import Iterable

from translate.spotcheck.signals.round_trip import BackTranslate

REVERSE_MODELS = {"fr": "Helsinki-NLP/opus-mt-en-fr", "es": "Helsinki-NLP/opus-mt-en-es"}


def local_back_translator(langs: Iterable[str]) -> tuple[BackTranslate | None, str]:
    """A back-translation function for ``langs``, or None; and a note saying which happened."""
    langs = sorted(set(langs))
    if not langs:
        return None, "round_trip skipped: nothing to back-translate"
    try:
        from translate.models import find_local_model
        from translate.translator import translate_texts
    except ImportError as err:
        return None, f"round_trip skipped: back-translation is not available in this version ({err})"
    folders, missing = {}, []
    for lang in langs:
        folder = find_local_model(REVERSE_MODELS[lang])
        if folder is None:
            missing.append(REVERSE_MODELS[lang])
        else:
            folders[lang] = folder
    if missing:
        return None, f"round_trip skipped: reverse model not found locally: {', '.join(missing)}"

    def back_translate(texts: list[str], lang: str) -> list[str]:
        results = translate_texts(texts, folders[lang])
        # Accept plain strings or result objects carrying a ``translation``.
        return [item if isinstance(item, str) else item.translation for item in results]

    names = ", ".join(REVERSE_MODELS[lang] for lang in langs)
    return back_translate, f"round_trip: back-translated with {names}"
