"""Open-set segmentation (issue 11): languages other than fr/es/en get their own code."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from translate.segment import SegmenterSettings, segment_document

REPO = Path(__file__).resolve().parent.parent
LANGID_DEV = REPO.parent / "shared" / "langid-dev"

FRENCH_WITH_ITALIAN = (
    "Le maire a présenté hier le nouveau plan de circulation du centre-ville. Les commerçants restent "
    "inquiets pour leurs ventes de fin d'année.\n\n"
    "Il sindaco di Torino ha detto che la città ha bisogno di più piste ciclabili e di un trasporto "
    "pubblico migliore. Secondo lui, i cittadini sono pronti a cambiare le loro abitudini.\n\n"
    "La réunion publique aura lieu jeudi soir à la mairie."
)
SPANISH_WITH_GERMAN = (
    "El ayuntamiento aprobó ayer el presupuesto para el próximo año. Der Bürgermeister hat gesagt, dass "
    "die Stadt mehr Geld für Schulen braucht. La oposición votó en contra de la propuesta."
)


def spans(text: str, **settings) -> list[tuple[str, str]]:
    return [(s.lang, s.text) for s in segment_document(text, settings=SegmenterSettings(**settings))]


def test_italian_paragraph_in_a_french_document_is_italian():
    found = spans(FRENCH_WITH_ITALIAN)
    assert [lang for lang, _ in found] == ["fr", "fr", "it", "it", "fr"]
    assert found[2][1].startswith("Il sindaco di Torino")


def test_german_sentence_in_a_spanish_paragraph_is_german():
    assert spans(SPANISH_WITH_GERMAN) == [
        ("es", "El ayuntamiento aprobó ayer el presupuesto para el próximo año."),
        ("de", "Der Bürgermeister hat gesagt, dass die Stadt mehr Geld für Schulen braucht."),
        ("es", "La oposición votó en contra de la propuesta."),
    ]


def test_quotations_in_other_scripts_inside_a_french_sentence():
    text = (
        "Le ministre a cité un proverbe russe : « Тише едешь — дальше будешь ». "
        "Puis il a ajouté en chinois : 千里之行，始于足下。 La salle a applaudi."
    )
    found = spans(text)
    assert ("ru", "« Тише едешь — дальше будешь ».") in found
    assert ("zh", "千里之行，始于足下。") in found
    assert found[0] == ("fr", "Le ministre a cité un proverbe russe :")
    assert found[-1] == ("fr", "La salle a applaudi.")


def test_closed_set_setting_keeps_every_word_in_fr_es_en():
    assert {lang for lang, _ in spans(FRENCH_WITH_ITALIAN + "\n\n" + SPANISH_WITH_GERMAN, open_set=False)} <= {"fr", "es", "en"}


def test_names_in_a_caption_do_not_make_another_language():
    # Capitalised words are names more often than quotations: a caption of names stays French.
    assert {lang for lang, _ in spans("Le PDG d’OpenAI.\n\nSam Altman, PDG d’OpenAI.\n\nIl a quitté la salle.")} == {"fr"}


@pytest.mark.skipif(not LANGID_DEV.is_dir(), reason="needs ../shared/langid-dev")
def test_open_set_floor_on_held_out_documents():
    from benchmarks.mixed_documents import (
        LANGUAGES,
        OTHER_LANGUAGES,
        letter_confusion,
        load_pool,
        make_open_documents,
        open_set_scores,
    )

    documents = make_open_documents(load_pool(LANGID_DEV, 1, LANGUAGES + OTHER_LANGUAGES), 40, seed=5)
    closed = [(d.text, SegmenterSettings(open_set=False)) for d in documents]

    def ours(text):
        return [(s.start, s.end, s.lang) for s in segment_document(text)]

    def closed_set(text):
        return [(s.start, s.end, s.lang) for s in segment_document(text, settings=closed[0][1])]

    found = open_set_scores(letter_confusion(documents, ours))
    assert found["core"] >= 0.985 and found["flagged"] >= 0.93 and found["named"] >= 0.9
    assert open_set_scores(letter_confusion(documents, closed_set))["flagged"] == 0.0


def test_detect_shows_every_language_and_json_gives_the_codes(tmp_path):
    path = tmp_path / "mixed.txt"
    path.write_text(FRENCH_WITH_ITALIAN + "\n\n" + SPANISH_WITH_GERMAN, encoding="utf-8")
    env = dict(os.environ, COLUMNS="200")
    command = [sys.executable, "-m", "translate", "detect"]

    result = subprocess.run([*command, "--json", str(path)], capture_output=True, text=True, cwd=REPO, env=env)
    assert result.returncode == 0, result.stderr
    (record,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert [s["lang"] for s in record["segments"]] == ["fr", "fr", "it", "it", "fr", "es", "de", "es"]

    readable = subprocess.run([*command, str(path)], capture_output=True, text=True, cwd=REPO, env=env)
    assert readable.returncode == 0, readable.stderr
    assert any(line.split()[:3] == ["it", "Il", "sindaco"] for line in readable.stdout.splitlines())


def test_every_language_has_a_colour():
    from translate.cli.detect import language_style

    assert language_style("fr") == "blue"
    assert language_style("it") and language_style("it") == language_style("it")
    assert language_style("xx")
