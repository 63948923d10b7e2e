"""The Python API: the pipeline in-process, models loaded once, the CLI's errors as exceptions."""

from __future__ import annotations

import json

import pytest

from conftest import SEEDS

import translate
from translate import InputError, ModelUnavailable, Translator, UsageError
from translate.stages import memory_context

MIXED = "Le chat dort sur le canapé depuis ce matin. The dog is barking in the garden.\n\nEl perro duerme en la casa."


@pytest.fixture(scope="module")
def translator(tiny_model, tmp_path_factory):
    root = tmp_path_factory.mktemp("api-models")
    with Translator({"fr": str(tiny_model), "es": str(tiny_model)}, models_root=root,
                    cache=root / "memory.sqlite3") as made:
        yield made


def test_translate_text_gives_spans_translations_and_the_english_document(translator):
    result = translator.translate_text(MIXED)
    langs = [seg.lang for seg in result.segments]
    assert langs == ["fr", "en", "es"]
    for seg in result.segments:
        assert MIXED[seg.start:seg.end] == seg.text
    french, english, spanish = result.segments
    assert english.translation == english.text and english.score is None
    for seg in (french, spanish):
        assert seg.translation and seg.score is not None and seg.score <= 0
        assert seg.alignment, "translated spans carry word alignment"
    assert result.english.split("\n\n")[0] == f"{french.translation} {english.text}"
    assert result.models == {"fr": str(translator.models["fr"]), "es": str(translator.models["es"])}
    assert result.to_json()["segments"][1]["text"] == english.text


def test_models_are_loaded_once_and_reused_across_calls(translator, tmp_path):
    translator.translate_text("Bonjour à tous, la réunion commence maintenant.")
    engines = dict(translator._session.models._engines)
    assert len(engines) == 1, "fr and es share one model folder, so one engine"
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("Une autre phrase en français pour le test.", encoding="utf-8")
    translator.translate_folder(tmp_path / "in", tmp_path / "out")
    translator.translate_file(tmp_path / "in" / "a.txt")
    assert translator._session.models._engines == engines
    assert all(translator._session.models._engines[path] is engine for path, engine in engines.items())


def test_translate_file_writes_what_batch_writes(translator, tmp_path):
    source = SEEDS / "001_7d5254a00c7f58fe.txt"
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / source.name).write_bytes(source.read_bytes())
    summary = translator.translate_folder(tmp_path / "in", tmp_path / "batch")
    assert [o.status for o in summary.outcomes] == ["translated"]
    result = translator.translate_file(tmp_path / "in" / source.name, tmp_path / "single")
    stem = source.stem
    for name in (f"{stem}.json", f"{stem}.en.txt", f"{stem}.html"):
        assert (tmp_path / "single" / name).read_bytes() == (tmp_path / "batch" / name).read_bytes(), name
    assert result.outputs["json"] == tmp_path / "single" / f"{stem}.json"
    assert json.loads(result.outputs["json"].read_text(encoding="utf-8")) == result.to_json()


def test_translate_folder_reports_progress_per_file_and_failures(translator, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("Le conseil municipal a voté le budget hier soir.", encoding="utf-8")
    (folder / "b.md").write_text("# Titre\n\nLa séance est levée.\n", encoding="utf-8")
    (folder / "broken.txt").write_bytes(b"\x00\x01binary")
    calls = []
    summary = translator.translate_folder(folder, tmp_path / "out", progress=lambda *call: calls.append(call))
    assert sorted(o.source for o in summary.translated) == ["a.txt", "b.md"]
    assert [o.source for o in summary.failed] == ["broken.txt"] and "not a text file" in summary.failed[0].error
    assert [(done, total) for done, total, _ in calls] == [(1, 3), (2, 3), (3, 3)]
    assert sorted(outcome.source for *_, outcome in calls) == ["a.txt", "b.md", "broken.txt"]
    again = translator.translate_folder(folder, tmp_path / "out", formats="txt")
    assert [o.status for o in again.outcomes] == ["up to date", "failed"]


def test_module_functions_and_detect(translator):
    result = translate.translate_text("Il pleut depuis trois jours.", translator=translator)
    assert result.segments[0].lang == "fr" and result.segments[0].translation
    spans = translate.detect(MIXED)
    assert [span.lang for span in spans] == ["fr", "en", "es"]
    assert all(span.translation is None for span in spans), "detect does not translate"


def test_spot_check_reads_a_batch_output(translator, tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("Le maire a inauguré la nouvelle école lundi.", encoding="utf-8")
    translator.translate_folder(tmp_path / "in", tmp_path / "out")
    checked = translate.spot_check(tmp_path / "out", sample=5, round_trip=False)
    assert 0.0 <= checked.summary.score <= 1.0
    assert checked.summary.spans_checked == 1
    with pytest.raises(UsageError, match="no batch output"):
        translate.spot_check(tmp_path / "in")


def test_errors_are_the_clis_as_exceptions(translator, tmp_path, isolated_env):
    binary = tmp_path / "bad.txt"
    binary.write_bytes(b"\x00\x00\x00")
    with pytest.raises(InputError, match="bad.txt: not a text file"):
        translator.translate_file(binary)
    with pytest.raises(UsageError, match="^formats: unknown docz"):
        translator.translate_folder(tmp_path, tmp_path / "out", formats=["docz"])
    with pytest.raises(UsageError, match="beams"):
        Translator(beams=0)
    with pytest.raises(UsageError, match="engine"):
        Translator(engine="nope")
    with Translator(models_root=tmp_path / "empty-root") as missing:  # no local model, the Hub switched off
        with pytest.raises(ModelUnavailable, match="opus-mt-fr-en") as raised:
            missing.translate_text("Une phrase en français, assez longue pour être reconnue.")
    assert "opus-mt-es-en" in str(raised.value), "every missing model is named in one message"
    assert isinstance(raised.value, translate.TranslateError)


def test_a_second_call_comes_from_the_memory_with_the_same_result(translator):
    text = "La bibliothèque municipale ouvrira ses portes le dimanche matin."
    first = translator.translate_text(text)
    again = translator.translate_text(text)
    assert again.segments == first.segments and again.segments[0].alignment
    session = translator._session
    stored = session.memory.lookup(memory_context(session.memory, session.identity, "fr"), [text])
    assert stored[text].attention is None, "the memory keeps the alignment, not the attention"
