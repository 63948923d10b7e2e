"""Run options of issue 25 through the whole pipeline: --include-hidden, --retranslate (PO translations
someone already made are kept, counted, and a change of the option redoes the PO files), names printed
escaped in the summaries of batch and align, and the API's spot-check counting unreadable documents."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import run_cli
from spotcheck_fixtures import GOOD_A, SEED_A, batch_document, write_batch

FRENCH = "Le chat dort sur le canap\u00e9 du salon depuis ce matin.\n"
# A catalogue whose translations are English (no Language header, the template's team): the one
# translation someone made is kept unless --retranslate.
CATALOGUE = """msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"

msgid "Lundi matin, nous partons vers la mer avec les enfants."
msgstr ""

msgid "Bonjour et bienvenue dans notre application de dessin."
msgstr "Hello and welcome to our drawing application (reviewed by Anne)."
"""
HUMAN = 'msgstr "Hello and welcome to our drawing application (reviewed by Anne)."'


def batch(env, inputs: Path, out: Path, tiny_model: Path, *options: str):
    return run_cli("batch", str(inputs), "--out", str(out), "--model", f"fr={tiny_model}", "--model",
                   f"es={tiny_model}", "--beams", "1", "--quiet", *options, env=env)


def test_batch_skips_hidden_folders_unless_include_hidden(tmp_path, isolated_env, tiny_model):
    project = tmp_path / "project"
    for name in ("guide.txt", ".venv/lib/README.txt", "docs/.draft.txt"):
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).write_text(FRENCH, encoding="utf-8")
    default = batch(isolated_env, project, tmp_path / "out", tiny_model)
    assert default.returncode == 0, default.stderr
    assert "1 of 1 files translated" in default.stdout
    assert not (tmp_path / "out" / ".venv").exists() and not (tmp_path / "out" / "docs").exists()

    everything = batch(isolated_env, project, tmp_path / "all", tiny_model, "--include-hidden")
    assert everything.returncode == 0, everything.stderr
    assert "3 of 3 files translated" in everything.stdout
    for name in (".venv/lib/README.json", "docs/.draft.json", ".venv/lib/README.en.txt"):
        assert (tmp_path / "all" / name).is_file(), name


def test_batch_keeps_existing_po_translations_counts_them_and_retranslate_redoes_the_po_files(
        tmp_path, isolated_env, tiny_model):
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "app.po").write_text(CATALOGUE, encoding="utf-8")
    (inputs / "note.txt").write_text(FRENCH, encoding="utf-8")
    out = tmp_path / "out"

    kept = batch(isolated_env, inputs, out, tiny_model)
    assert kept.returncode == 0, kept.stderr
    assert "1 existing translation kept in PO files; --retranslate replaces them" in kept.stdout
    assert HUMAN in (out / "app.en.po").read_text(encoding="utf-8")
    record = json.loads((out / "app.json").read_text(encoding="utf-8"))
    assert record["kept_translations"] == 1 and "read_options" not in record
    assert not any("Bonjour" in seg["text"] for seg in record["segments"])  # not given to the model
    assert "kept_translations" not in json.loads((out / "note.json").read_text(encoding="utf-8"))

    # Another --retranslate: the PO file is redone (its outputs were made otherwise), the text file is not.
    replaced = batch(isolated_env, inputs, out, tiny_model, "--retranslate")
    assert replaced.returncode == 0, replaced.stderr
    assert "1 of 2 files translated" in replaced.stdout and "1 up to date" in replaced.stdout
    assert "existing translation" not in replaced.stdout
    assert HUMAN not in (out / "app.en.po").read_text(encoding="utf-8")
    record = json.loads((out / "app.json").read_text(encoding="utf-8"))
    assert record["read_options"] == {"retranslate": True} and "kept_translations" not in record
    assert any("Bonjour" in seg["text"] for seg in record["segments"])

    again = batch(isolated_env, inputs, out, tiny_model, "--retranslate")
    assert "0 of 2 files translated" in again.stdout and "2 up to date" in again.stdout
    back = batch(isolated_env, inputs, out, tiny_model)
    assert "1 of 2 files translated" in back.stdout and "1 existing translation kept" in back.stdout
    assert HUMAN in (out / "app.en.po").read_text(encoding="utf-8")


def test_api_translate_folder_takes_retranslate_and_include_hidden(tmp_path, tiny_model):
    from translate.api import Translator

    inputs = tmp_path / "in"
    (inputs / ".hidden").mkdir(parents=True)
    (inputs / "app.po").write_text(CATALOGUE, encoding="utf-8")
    (inputs / ".hidden" / "app.po").write_text(CATALOGUE, encoding="utf-8")
    with Translator({"fr": str(tiny_model), "es": str(tiny_model)}, beams=1, models_root=tmp_path / "root",
                    cache=tmp_path / "tm.sqlite3") as translator:
        kept = translator.translate_folder(inputs, tmp_path / "kept")
        assert [o.source for o in kept.translated] == ["app.po"] and kept.kept_translations == 1
        everything = translator.translate_folder(inputs, tmp_path / "all", retranslate=True, include_hidden=True)
    assert [o.source for o in everything.translated] == [".hidden/app.po", "app.po"]
    assert everything.kept_translations == 0
    assert HUMAN not in (tmp_path / "all" / ".hidden" / "app.en.po").read_text(encoding="utf-8")


HOSTILE = "evil\x1b[2K\nall files OK"


def test_batch_summary_prints_the_output_folder_escaped(tmp_path, isolated_env, tiny_model):
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "note.txt").write_text(FRENCH, encoding="utf-8")
    result = batch(isolated_env, inputs, tmp_path / HOSTILE, tiny_model)
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stdout and result.stdout.count("\n") == 1
    assert "evil\\x1b[2K\\nall files OK" in result.stdout


def test_align_summary_prints_names_escaped(tmp_path, isolated_env):
    source, translation = tmp_path / f"{HOSTILE}.fr.txt", tmp_path / f"{HOSTILE}.en.txt"
    source.write_text("Le chat dort. Le chien aboie.\n", encoding="utf-8")
    translation.write_text("The cat sleeps. The dog barks.\n", encoding="utf-8")
    result = run_cli("align", str(source), str(translation), "--out", str(tmp_path / "aligned"),
                     "--similarity", "length", env=isolated_env)
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stdout and result.stdout.count("\n") == 2  # the pair's line and the total
    assert "evil\\x1b[2K\\nall files OK.fr.txt <-> evil\\x1b[2K\\nall files OK.en.txt" in result.stdout


def test_api_spot_check_counts_unreadable_documents(tmp_path):
    from translate.api import spot_check

    write_batch(tmp_path, [batch_document(SEED_A, GOOD_A)])
    (tmp_path / "broken.json").write_text('{"source": "x.txt", "segments": [', encoding="utf-8")
    checked = spot_check(tmp_path, round_trip=False)
    assert checked.documents_skipped == 1 and checked.skipped == ["broken.json"]
    assert [doc.source for doc in checked.documents] == [SEED_A]
    clean = tmp_path / "clean"
    write_batch(clean, [batch_document(SEED_A, GOOD_A)])
    assert spot_check(clean, round_trip=False).documents_skipped == 0


def test_read_options_reach_the_format_without_changing_the_shared_one(tmp_path):
    import pickle

    from translate.discover import InputFile
    from translate.executors.ray_executor import read_group
    from translate.formats import format_named
    from translate.formats.base import ReadOptions
    from translate.stages import RunIdentity

    shared = format_named("po")
    assert shared.reading(ReadOptions(retranslate=True)).retranslate and not shared.retranslate
    assert shared.reading(ReadOptions()) is shared and format_named("txt").reading(ReadOptions(True)) is format_named("txt")

    (tmp_path / "app.po").write_text(CATALOGUE, encoding="utf-8")
    item = InputFile(tmp_path / "app.po", "app.po", "po")
    identity = RunIdentity({}, {"fr": "m"}, {})
    # Ray's read task, called here as a plain function, and what it sends back (pickled) to the driver.
    kept, replaced = (pickle.loads(pickle.dumps(read_group([item], tmp_path / "out", identity, False, options)))[0]
                      for options in (None, ReadOptions(retranslate=True)))
    assert kept.document.kept_translations == (1,) and kept.outcome.kept_translations == 1
    assert replaced.document.kept_translations == () and replaced.document.read_options == {"retranslate": True}
    english = format_named("po").english(replaced.document, replaced.segments).text
    assert HUMAN not in english and HUMAN in format_named("po").english(kept.document, kept.segments).text
