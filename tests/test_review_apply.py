"""`translate review apply` and re-running `translate batch`: reviewers' edits reach every output
(English document of every format, side-by-side page, JSON, PO, XLIFF, TMX), change exactly the
edited spans, a second apply changes nothing, and no model translates anything."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lxml import etree

from conftest import run_cli
from review_fixtures import batch_documents, batch_env, make_inputs, run_batch_cli, snapshot, translated_spans
from translate.review.store import Review, ReviewStore

HOSTILE = "<script>window.__pwned=1</script> ]]> {\\pos(1,2)} &amp;"
FIRST_UNIT = {".po": (0,), ".xlf": (0, 1), ".xliff": (0, 1)}
X12 = "{urn:oasis:names:tc:xliff:document:1.2}"
X20 = "{urn:oasis:names:tc:xliff:document:2.0}"


@pytest.fixture(scope="module")
def reviewed_run(tmp_path_factory, tiny_model):
    """A batch over every format, then one edit per document (for the PO and XLIFF files, all
    spans of their first message), applied with `translate review apply`."""
    base = tmp_path_factory.mktemp("review-apply")
    inputs = make_inputs(base / "in")
    out = base / "out"
    env = batch_env(base)
    result = run_batch_cli(inputs, out, tiny_model, env)
    assert result.returncode == 0, result.stderr
    before = snapshot(out)
    counts: dict[str, int] = {}
    for _source, _index, seg in translated_spans(out):
        counts[seg["text"]] = counts.get(seg["text"], 0) + 1
    edited: dict[tuple[str, int], str] = {}
    store = ReviewStore.of(out)
    for source, index, seg in translated_spans(out):
        first_time = not any(key[0] == source for key in edited)
        # Every span of the first message / first XLIFF target (a placeholder cuts the XLIFF ones in two).
        whole_unit = seg["paragraph"] in FIRST_UNIT.get(Path(source).suffix, ())
        if counts[seg["text"]] == 1 and (first_time or whole_unit):
            edit = f"{HOSTILE} edited {source} #{index}"
            store.save(Review(source, index, seg["text"], "ana", "major", "accuracy", None, edit))
            edited[(source, index)] = edit
    store.close()
    result = run_cli("review", "apply", str(out), env=env)  # the input folder is the one the batch recorded
    assert result.returncode == 0, result.stderr
    return base, inputs, out, env, before, edited


def test_apply_changes_exactly_the_edited_spans(reviewed_run):
    _base, _inputs, out, _env, before, edited = reviewed_run
    assert len({source for source, _ in edited}) == len(batch_documents(out)) >= 13  # every format
    old = {source: json.loads(before[Path(source).with_suffix(".json").as_posix()]) for source in batch_documents(out)}
    for source, data in batch_documents(out).items():
        for index, (was, now) in enumerate(zip(old[source]["segments"], data["segments"], strict=True)):
            if (source, index) in edited:
                assert now["translation"] == edited[(source, index)]
                assert now["origin"] == "human"
            else:
                assert now == was, (source, index)


def test_every_output_of_an_edited_document_is_rewritten_and_no_other_file(reviewed_run):
    _base, _inputs, out, _env, before, edited = reviewed_run
    after = snapshot(out)
    changed = {name for name in after if before.get(name) != after[name]}
    assert set(after) == set(before)
    expected = {"corpus.tmx"}
    for source in {source for source, _ in edited}:
        stem = Path(source).with_suffix("").as_posix()
        expected |= {name for name in after if name.startswith(stem + ".") and name != "index.html"}
    assert changed == expected


def test_edits_stay_text_in_every_output(reviewed_run):
    _base, _inputs, out, _env, _before, edited = reviewed_run
    for source, index in edited:
        page = (out / Path(source).with_suffix(".html")).read_text(encoding="utf-8")
        # Escaped (a transferred inline element may cut the text, so only its pieces are looked for).
        assert "<script>window.__pwned" not in page and "window.__pwned=1" in page and "&lt;" in page
    po = (out / "app.en.po").read_text(encoding="utf-8")
    import polib

    catalogue = polib.pofile(po)
    first = catalogue[0]
    assert first.msgstr.startswith(HOSTILE) and "fuzzy" not in first.flags  # a reviewer's, not machine output
    assert any("fuzzy" in entry.flags for entry in catalogue[1:])  # the model's still are
    for name, tag, state_holder, reviewed in (("app12.en.xlf", X12 + "target", "target", "signed-off"),
                                              ("app20.en.xliff", X20 + "target", "segment", "reviewed")):
        root = etree.fromstring((out / name).read_bytes())  # well-formed: "]]>" and "<script>" were escaped
        targets = list(root.iter(tag))
        text = "".join(targets[0].itertext())
        assert text.startswith(HOSTILE)
        holder = targets[0] if state_holder == "target" else targets[0].getparent()
        assert holder.get("state") == reviewed
        assert any((t if state_holder == "target" else t.getparent()).get("state") != reviewed for t in targets[1:])
    tmx = etree.fromstring((out / "corpus.tmx").read_bytes())
    human = [tu for tu in tmx.iter("tu") if any(p.get("type") == "x-origin" and p.text == "human" for p in tu.iter("prop"))]
    assert len(human) == len(edited)
    assert all(tu.findall("tuv")[1].findtext("seg").startswith(HOSTILE) for tu in human)
    assert HOSTILE in (out / "clip.en.srt").read_text(encoding="utf-8")
    ass = (out / "anime.en.ass").read_text(encoding="utf-8")
    # SubStation's own escaping turns braces into parentheses: an edit cannot add an override tag.
    assert "window.__pwned=1" in ass and "{\\pos(1,2)}" not in ass
    english_page = (out / "page.en.html").read_text(encoding="utf-8")
    assert "<script>window" not in english_page and "&lt;script&gt;window.__pwned=1" in english_page


def test_a_second_apply_changes_nothing(reviewed_run):
    _base, inputs, out, env, _before, _edited = reviewed_run
    first = snapshot(out)
    result = run_cli("review", "apply", str(out), "--input", str(inputs), env=env)  # --input: the override
    assert result.returncode == 0, result.stderr
    assert "0 span(s) changed in 0 document(s)" in result.stderr
    assert snapshot(out) == first


def test_rerunning_batch_keeps_the_edits_and_calls_no_model(reviewed_run, tiny_model, monkeypatch):
    """A changed input is translated again: its edited text comes from the memory (human entry),
    and a new edit reaches an up-to-date document; the engine is never asked for anything."""
    base, inputs, out, _env, _before, edited = reviewed_run
    source, index = next(key for key in edited if key[0].endswith(".txt"))
    (inputs / source).write_bytes((inputs / source).read_bytes() + b"\n")  # changed bytes, same texts
    other, other_index, other_seg = next(item for item in translated_spans(out) if item[0] == "clip.srt"
                                         and (item[0], item[1]) not in edited)
    store = ReviewStore.of(out)
    store.save(Review(other, other_index, other_seg["text"], "ben", None, None, None, "Second reviewer's English."))
    store.close()

    import translate.session

    def no_model(*args, **kwargs):
        raise AssertionError("the model was asked to translate")

    monkeypatch.setattr(translate.session, "translate", no_model)  # the one call to a model (Session.translate)
    monkeypatch.setenv("TRANSLATE_MODELS_DIR", str(base / "models-root"))
    from translate.api import Translator

    with Translator(models={"fr": str(tiny_model), "es": str(tiny_model)}, beams=1) as translator:
        report = translator.translate_folder(inputs, out)
    assert not report.failed
    assert [o.source for o in report.translated] == [source]
    data = batch_documents(out)
    assert data[source]["segments"][index]["translation"] == edited[(source, index)]
    assert data[source]["segments"][index]["origin"] == "human"
    now = {key: value for key, value in data[other]["segments"][other_index].items() if key != "alignment"}
    was = {key: value for key, value in other_seg.items() if key != "alignment"}
    assert now == {**was, "translation": "Second reviewer's English.", "origin": "human", "score": None}
    assert "Second reviewer's English." in (out / "clip.en.srt").read_text(encoding="utf-8")


def test_the_recorded_input_folder_is_found_after_moving_the_folders(tmp_path):
    """Both folders moved together: found relative to the output folder; the output folder moved
    alone: found at its absolute path; no record (or no such folder any more): None."""
    import shutil

    from translate.writers.run_files import RUN_RECORD_NAME, recorded_input_dir, run_record

    project = tmp_path / "project"
    (project / "in").mkdir(parents=True)
    (project / "out").mkdir()
    (project / "out" / RUN_RECORD_NAME).write_text(run_record(project / "out", project / "in"), encoding="utf-8")
    assert recorded_input_dir(project / "out") == project / "out" / "../in"
    shutil.move(project, tmp_path / "moved")
    assert (recorded_input_dir(tmp_path / "moved" / "out") or Path()).resolve() == (tmp_path / "moved" / "in").resolve()
    (tmp_path / "elsewhere").mkdir()
    shutil.move(tmp_path / "moved" / "out", tmp_path / "elsewhere" / "deeper")
    shutil.move(tmp_path / "moved", project)  # the input folder back where the batch read it
    assert recorded_input_dir(tmp_path / "elsewhere" / "deeper") == project / "in"
    shutil.rmtree(project / "in")
    assert recorded_input_dir(tmp_path / "elsewhere" / "deeper") is None
    assert recorded_input_dir(tmp_path) is None


def test_apply_without_a_recorded_input_folder_asks_for_it(tmp_path):
    result = run_cli("review", "apply", str(tmp_path))
    assert result.returncode != 0
    assert "--input IN_DIR" in result.stderr and "Traceback" not in result.stderr


def test_apply_reads_a_document_with_the_options_its_json_records():
    """A PO catalogue translated with --retranslate is read again the same way (its kept messages
    would otherwise have no spans, and the edits would land on the wrong messages)."""
    from translate.review.apply import _format

    assert _format({"format": "po", "read_options": {"retranslate": True}}).retranslate is True
    assert _format({"format": "po"}).retranslate is False
    assert _format({"format": "po", "read_options": {"no_such_option": 1}}) is None
    assert _format({"format": "no-such-format"}) is None


def test_an_edited_page_keeps_its_link_to_a_moved_run_index(tmp_path, tiny_model):
    import re

    inputs, out = tmp_path / "in", tmp_path / "out"
    inputs.mkdir()
    (inputs / "index.txt").write_text("Le chat dort sur le canapé du salon.\n", encoding="utf-8")  # takes OUT/index.html
    (inputs / "a.txt").write_text("Le conseil municipal a voté le budget hier soir.\n", encoding="utf-8")
    env = batch_env(tmp_path)
    assert run_batch_cli(inputs, out, tiny_model, env).returncode == 0
    assert (out / "translate-index.html").is_file()
    source, index, seg = next(span for span in translated_spans(out) if span[0] == "a.txt")
    store = ReviewStore.of(out)
    store.save(Review(source, index, seg["text"], "ana", "minor", "fluency", None, "The council voted."))
    store.close()
    result = run_cli("review", "apply", str(out), env=env)
    assert result.returncode == 0, result.stderr
    page = (out / "a.html").read_text(encoding="utf-8")
    assert "The council voted." in page
    assert re.search(r'<a href="([^"]*)">All documents</a>', page).group(1) == "translate-index.html"
