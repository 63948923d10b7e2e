"""Spans in a language the run has no model for are kept, marked and counted (issue 11)."""

from __future__ import annotations

import json

from conftest import run_cli

DOCUMENT = (
    "Le maire a présenté hier le nouveau plan de circulation du centre-ville. Les commerçants restent "
    "inquiets pour leurs ventes de fin d'année.\n\n"
    "Il sindaco di Torino ha detto che la città ha bisogno di più piste ciclabili e di un trasporto "
    "pubblico migliore. Secondo lui, i cittadini sono pronti a cambiare le loro abitudini.\n\n"
    "El ayuntamiento aprobó ayer el presupuesto para el próximo año. Der Bürgermeister hat gesagt, dass "
    "die Stadt mehr Geld für Schulen braucht. La oposición votó en contra de la propuesta.\n"
)


def run(tmp_path, env, *models: str):
    source = tmp_path / "in"
    source.mkdir(exist_ok=True)
    (source / "mixed.txt").write_text(DOCUMENT, encoding="utf-8")
    out = tmp_path / "out"
    args = [arg for model in models for arg in ("--model", model)]
    result = run_cli("batch", str(source), "--out", str(out), "--force", *args, env=env)
    assert result.returncode == 0, result.stderr
    return result, out, json.loads((out / "mixed.json").read_text(encoding="utf-8"))


def test_italian_and_german_spans_are_kept_marked_and_counted(tmp_path, tiny_model, isolated_env):
    result, out, data = run(tmp_path, isolated_env, f"fr={tiny_model}", f"es={tiny_model}")
    by_lang = {}
    for seg in data["segments"]:
        by_lang.setdefault(seg["lang"], []).append(seg)
    assert set(by_lang) == {"fr", "it", "es", "de"}
    for seg in by_lang["it"] + by_lang["de"]:
        assert seg["translation"] is None and seg["score"] is None and "alignment" not in seg
    for seg in by_lang["fr"] + by_lang["es"]:
        assert isinstance(seg["translation"], str)
    assert set(data["models"]) == {"fr", "es"}
    english = (out / "mixed.en.txt").read_text(encoding="utf-8")
    assert "Il sindaco di Torino ha detto" in english and "Der Bürgermeister hat gesagt" in english
    page = (out / "mixed.html").read_text(encoding="utf-8")
    assert page.count(">untranslated</span>") == len(by_lang["it"]) + len(by_lang["de"])
    assert 'class="badge it"' in page and 'class="badge de"' in page
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'class="badge it"' in index and 'class="badge de"' in index
    assert "sindaco" not in (out / "corpus.tmx").read_text(encoding="utf-8"), "no TMX unit without a translation"
    kept = len(by_lang["it"]) + len(by_lang["de"])
    assert f"{kept} spans in de, it left untranslated: add --model de=" in result.stdout


def test_a_model_for_italian_translates_the_italian_spans(tmp_path, tiny_model, isolated_env):
    result, _, data = run(tmp_path, isolated_env, f"fr={tiny_model}", f"es={tiny_model}", f"it={tiny_model}")
    italian = [seg for seg in data["segments"] if seg["lang"] == "it"]
    assert italian and all(isinstance(seg["translation"], str) and seg["score"] is not None for seg in italian)
    assert set(data["models"]) == {"fr", "es", "it"}
    assert "1 span in de left untranslated" in result.stdout


ITALIAN = ["Il sindaco di Torino ha detto che la città ha bisogno di più piste ciclabili.",
           "Secondo lui, i cittadini sono pronti a cambiare le loro abitudini."]
GERMAN = ["Der Bürgermeister hat gesagt, dass die Stadt mehr Geld für Schulen braucht.",
          "Die Opposition hat gegen den Vorschlag gestimmt."]


def put_default_model(root, lang: str, texts: list[str]):
    """A tiny model of ``lang``'s own, where `translate models pull LANG` would put the real one."""
    from translate.modelbuild import build_marian_model

    return build_marian_model(root / f"Helsinki-NLP--opus-mt-{lang}-en", texts * 10)


def test_languages_auto_translates_every_language_with_a_local_model(tmp_path, tiny_model, isolated_env):
    root = tmp_path / "models-root"  # isolated_env's models root
    put_default_model(root, "it", ITALIAN)
    put_default_model(root, "de", GERMAN)
    result, out, data = run(tmp_path, isolated_env, f"fr={tiny_model}", f"es={tiny_model}")
    assert "left untranslated" in result.stdout  # the default: fr and es only
    assert {seg["lang"] for seg in data["segments"] if seg["translation"] is None} == {"it", "de"}

    # The same folder again with --languages auto: redone (not up to date), it and de translated.
    args = ["--model", f"fr={tiny_model}", "--model", f"es={tiny_model}", "--languages", "auto"]
    result = run_cli("batch", str(tmp_path / "in"), "--out", str(out), *args, env=isolated_env)
    assert result.returncode == 0, result.stderr
    assert "1 of 1 files translated" in result.stdout and "left untranslated" not in result.stdout
    data = json.loads((out / "mixed.json").read_text(encoding="utf-8"))
    assert all(isinstance(seg["translation"], str) for seg in data["segments"])
    assert data["models"] == {"fr": str(tiny_model), "es": str(tiny_model),
                              "it": "Helsinki-NLP/opus-mt-it-en", "de": "Helsinki-NLP/opus-mt-de-en"}
    assert set(data["revisions"]) == {"fr", "es", "it", "de"}
    # Each language went through its own model: the German model never saw Italian words.
    assert data["revisions"]["it"] != data["revisions"]["de"]

    # Unchanged folder and settings: up to date.
    result = run_cli("batch", str(tmp_path / "in"), "--out", str(out), *args, env=isolated_env)
    assert result.returncode == 0 and "1 up to date" in result.stdout, result.stdout

    listed = run_cli("models", "list", "--languages", "auto", *args[:4], env=isolated_env)
    assert listed.returncode == 0, listed.stderr
    for lang in ("it", "de"):
        assert f"Helsinki-NLP/opus-mt-{lang}-en" in listed.stdout


def test_a_fallback_model_translates_the_languages_without_their_own(tmp_path, tiny_model, isolated_env):
    result, _, data = run(tmp_path, isolated_env, f"fr={tiny_model}", f"es={tiny_model}", f"*={tiny_model}")
    assert all(isinstance(seg["translation"], str) for seg in data["segments"])
    assert data["models"]["it"] == data["models"]["de"] == str(tiny_model)
    assert "left untranslated" not in result.stdout


def test_an_explicit_language_list_translates_only_those(tmp_path, tiny_model, isolated_env):
    source = tmp_path / "in"
    source.mkdir()
    (source / "mixed.txt").write_text(DOCUMENT, encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli("batch", str(source), "--out", str(out), "--languages", "fr,it", "--model", f"fr={tiny_model}",
                     "--model", f"it={tiny_model}", env=isolated_env)
    assert result.returncode == 0, result.stderr
    data = json.loads((out / "mixed.json").read_text(encoding="utf-8"))
    translated = {seg["lang"] for seg in data["segments"] if seg["translation"] is not None}
    assert translated == {"fr", "it"} and set(data["models"]) == {"fr", "it"}
    assert "spans in de, es left untranslated" in result.stdout

    wrong = run_cli("batch", str(source), "--out", str(out), "--languages", "fr", "--model", f"it={tiny_model}",
                    env=isolated_env)
    assert wrong.returncode == 2 and "it is not among --languages fr" in wrong.stderr


def test_spot_check_flags_spans_left_untranslated_without_lowering_the_score(tmp_path, tiny_model, isolated_env):
    _, out, data = run(tmp_path, isolated_env, f"fr={tiny_model}", f"es={tiny_model}")
    from translate.spotcheck.run import run_spot_check

    kept = sum(seg["translation"] is None for seg in data["segments"])
    checked = run_spot_check(out, round_trip=False)
    assert checked.summary.flag_counts["untranslated_language"] == kept
    assert checked.summary.spans_checked == sum(seg["lang"] in ("fr", "es") for seg in data["segments"])
    flags = [span.flags for doc in checked.documents for span in doc.left_untranslated]
    assert {flag.name for span_flags in flags for flag in span_flags} == {"untranslated_language"}
    assert "untranslated_language" not in {name for doc in checked.documents for span in doc.spans
                                           for name in span.flag_names}
    assert all(span not in checked.sample for doc in checked.documents for span in doc.left_untranslated)


def test_the_api_takes_the_same_language_choice(tiny_model, isolated_env):
    import pytest

    from translate import Translator
    from translate.errors import UsageError

    with Translator({"fr": str(tiny_model), "es": str(tiny_model)}, languages=["fr", "es", "it"],
                    models_root=isolated_env["TRANSLATE_MODELS_DIR"]) as translator:
        with pytest.raises(Exception, match="opus-mt-it-en"):  # its default model is not available here
            translator.translate_text(DOCUMENT)
    with Translator({"fr": str(tiny_model), "es": str(tiny_model), "*": str(tiny_model)}, languages="auto",
                    models_root=isolated_env["TRANSLATE_MODELS_DIR"]) as translator:
        result = translator.translate_text(DOCUMENT)
    assert all(seg.translation is not None for seg in result.segments)
    assert result.models["it"] == result.models["de"] == str(tiny_model)
    with pytest.raises(UsageError, match="it is not among languages fr"):
        Translator({"it": str(tiny_model)}, languages="fr")
