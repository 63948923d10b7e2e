"""The stages of translate.stages, composed by hand, give exactly what `run_batch` writes; their
data crosses a process boundary (pickle), as a distributed executor needs."""

from __future__ import annotations

import os
import pickle
import shutil
from pathlib import Path

from conftest import SEEDS
from test_formats import HTML, MARKDOWN, SUBRIP


def make_inputs(root: Path) -> None:
    root.mkdir()
    for path in sorted(SEEDS.glob("*.txt"))[:3]:
        shutil.copy(path, root / path.name)
    (root / "notes.md").write_text(MARKDOWN, encoding="utf-8")
    (root / "sub").mkdir()
    (root / "sub" / "film.srt").write_text(SUBRIP, encoding="utf-8")
    (root / "sub" / "page.html").write_text(HTML, encoding="utf-8")
    (root / "bad.html").write_text("<![foo[ x ]]>", encoding="utf-8")  # a parser failure: a failed outcome


def files_under(folder: Path) -> dict[str, bytes]:
    return {
        str(Path(dirpath, name).relative_to(folder)): Path(dirpath, name).read_bytes()
        for dirpath, _dirs, names in os.walk(folder) for name in names
    }


def test_stages_composed_by_hand_write_what_run_batch_writes(tmp_path, tiny_model):
    from translate.batch import RunSettings, SilentProgress, run_batch
    from translate.discover import discover_inputs
    from translate.engines import EngineSettings
    from translate.memory import TranslationMemory
    from translate.model_registry import ModelRegistry
    from translate.stages import (
        FileOutcome, RunIdentity, SegmentedDocument, align_words, claim_outputs, generation_settings, read_and_segment,
        translate, translated_document, write_document, write_run_files,
    )

    inputs = tmp_path / "in"
    make_inputs(inputs)
    names = {"fr": str(tiny_model), "es": str(tiny_model)}
    engine_settings = EngineSettings(beams=1, attention=True)
    options = RunSettings(inputs, tmp_path / "batch", names, engine_settings, models_root=tmp_path / "root",
                           cache_path=tmp_path / "tm-batch.sqlite3")
    report = run_batch(options, SilentProgress())
    assert len(report.translated) == 6 and [o.source for o in report.failed] == ["bad.html"]

    # The same run, stage by stage, with no memory and no run object.
    out = tmp_path / "by-hand"
    out.mkdir()
    memory = TranslationMemory(tmp_path / "tm-hand.sqlite3")  # only caches the fingerprints' file digests
    models = ModelRegistry(names, tmp_path / "root", engine_settings, memory)
    models.resolve_all()
    identity = RunIdentity(generation_settings(engine_settings), dict(models.names), models.revisions())
    found, excluded = discover_inputs(inputs, out)
    assert not excluded and not claim_outputs(out, found)
    results = [pickle.loads(pickle.dumps(read_and_segment(pickle.loads(pickle.dumps(item)), out, identity)))
               for item in found]
    documents = [r for r in results if isinstance(r, SegmentedDocument)]
    assert [r.source for r in results if isinstance(r, FileOutcome)] == ["bad.html"]
    for lang in ("fr", "es"):
        wanted = [(doc, index, text) for doc in documents for index, seg_lang, text in doc.to_translate()
                  if seg_lang == lang]
        hypotheses = translate(models.engine(lang), [text for _doc, _index, text in wanted])
        for (doc, index, text), hypothesis in zip(wanted, pickle.loads(pickle.dumps(hypotheses))):
            align_words(doc.segments[index], hypothesis, text)
    for doc in documents:
        outcome = write_document(out, pickle.loads(pickle.dumps(translated_document(doc, identity))), doc.outcome)
        assert outcome.status == "translated"
    by_source = {r.source if isinstance(r, FileOutcome) else r.outcome.source:
                 r if isinstance(r, FileOutcome) else r.outcome for r in results}
    write_run_files(out, [by_source[item.source] for item in found], inputs)
    memory.close()

    batch_files = files_under(options.out_dir)
    assert batch_files.keys() == files_under(out).keys()
    assert batch_files == files_under(out)

    # Re-read with the same identity, every document is up to date.
    again = [read_and_segment(item, out, identity) for item in found]
    assert sorted(r.status for r in again if isinstance(r, FileOutcome)) == ["failed"] + ["up to date"] * 6


def test_outputs_of_another_contract_version_are_not_up_to_date(tmp_path):
    import hashlib
    import json

    from translate.stages import RunIdentity, outputs_up_to_date
    from translate.writers import output_paths
    from translate.writers.json_writer import CONTRACT_VERSION

    data = b"Le chat dort."
    paths = output_paths(tmp_path, "a.txt")
    for path in paths.values():
        path.write_text("x", encoding="utf-8")
    identity = RunIdentity({"beams": None}, {}, {})
    record = {"contract": CONTRACT_VERSION, "sha256": hashlib.sha256(data).hexdigest(), "format": "txt",
              "settings": identity.settings, "segmenter": identity.segmenter, "models": {}, "revisions": {}}
    paths["json"].write_text(json.dumps(record), encoding="utf-8")
    assert outputs_up_to_date(paths, record["sha256"], "txt", identity)
    record["contract"] = 2  # pages written before links were recorded: redone so that they show them
    paths["json"].write_text(json.dumps(record), encoding="utf-8")
    assert not outputs_up_to_date(paths, record["sha256"], "txt", identity)
    del record["contract"]  # written before the version existed (runs between markup, fr/es/en only)
    paths["json"].write_text(json.dumps(record), encoding="utf-8")
    assert not outputs_up_to_date(paths, record["sha256"], "txt", identity)


def test_outputs_of_another_segmenter_are_not_up_to_date(tmp_path):
    """Spans cut by an older segmenter (other languages, other cuts) are redone on resume."""
    import hashlib
    import json

    from translate.segment import SEGMENTER_VERSION
    from translate.stages import RunIdentity, outputs_up_to_date
    from translate.writers import output_paths
    from translate.writers.json_writer import CONTRACT_VERSION

    data = b"compro el toilet"
    paths = output_paths(tmp_path, "a.txt")
    for path in paths.values():
        path.write_text("x", encoding="utf-8")
    identity = RunIdentity({"beams": None}, {}, {})
    assert identity.segmenter == SEGMENTER_VERSION
    record = {"contract": CONTRACT_VERSION, "sha256": hashlib.sha256(data).hexdigest(), "format": "txt",
              "settings": identity.settings, "segmenter": SEGMENTER_VERSION, "models": {}, "revisions": {}}
    paths["json"].write_text(json.dumps(record), encoding="utf-8")
    assert outputs_up_to_date(paths, record["sha256"], "txt", identity)
    record["segmenter"] = SEGMENTER_VERSION - 1
    paths["json"].write_text(json.dumps(record), encoding="utf-8")
    assert not outputs_up_to_date(paths, record["sha256"], "txt", identity)
    del record["segmenter"]  # written before the segmenter had a version
    paths["json"].write_text(json.dumps(record), encoding="utf-8")
    assert not outputs_up_to_date(paths, record["sha256"], "txt", identity)
