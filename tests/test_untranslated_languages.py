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
