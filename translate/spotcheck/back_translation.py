"""Back-translation for the round-trip signal, with local reverse models only.

Nothing is downloaded: the reverse models are looked up on disk with
``translate.models.find_local_model`` and run through the pipeline's own engine
and translator. When a model is not on disk, or this version of the pipeline lacks
those functions, the round trip is skipped and the reason is reported.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from translate.spotcheck.signals.round_trip import BackTranslate

REVERSE_MODELS = {"fr": "Helsinki-NLP/opus-mt-en-fr", "es": "Helsinki-NLP/opus-mt-en-es"}


def local_back_translator(langs: Iterable[str]) -> tuple[BackTranslate | None, str]:
    """A back-translation function for ``langs``, or None; and a note saying which happened."""
    langs = sorted(set(langs))
    if not langs:
        return None, "round_trip skipped: nothing to back-translate"
    try:
        from translate.engines import EngineSettings, load_engine
        from translate.models import find_local_model
        from translate.translator import translate_texts
    except ImportError as err:
        return None, f"round_trip skipped: back-translation is not available in this version ({err})"
    folders: dict[str, Path] = {}
    missing = []
    for lang in langs:
        found = find_local_model(REVERSE_MODELS[lang])
        # find_local_model gives (folder, how it was found); accept a bare folder too.
        folder = found[0] if isinstance(found, tuple) else found
        if folder is None:
            missing.append(REVERSE_MODELS[lang])
        else:
            folders[lang] = Path(folder)
    if missing:
        return None, (f"round_trip skipped: reverse model not found locally: {', '.join(missing)} "
                      "(put it under the models root, $TRANSLATE_MODELS_DIR, ./models or ~/.cache/translate/models, or in the Hugging Face cache)")

    engines = {}

    def back_translate(texts: list[str], lang: str) -> list[str]:
        if lang not in engines:
            engines[lang] = load_engine(folders[lang], EngineSettings())
        return [hypothesis.text for hypothesis in translate_texts(engines[lang], texts)]

    names = ", ".join(f"{REVERSE_MODELS[lang]} ({folders[lang]})" for lang in langs)
    return back_translate, f"round_trip: back-translated with {names}"
