"""The translation memory keeps each translation's word alignment, not the attention it came
from: entries stay small, a run served from the memory writes the same alignments as the run
that translated, and entries of an older layout are never read as this one."""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3

from conftest import SEEDS

HTML_WITH_REFERENCES = "<p>Le caf&eacute; &eacute;tait tr&egrave;s bon ce matin-l&agrave;.</p>\n"


def _run(inputs, out, model, cache, force=False):
    from translate.batch import RunSettings, SilentProgress, run_batch
    from translate.engines import EngineSettings

    options = RunSettings(inputs, out, {"fr": str(model), "es": str(model)},
                           EngineSettings(beams=1, attention=True), cache_path=cache, force=force)
    return run_batch(options, SilentProgress())


def _segments(out):
    return {path.name: json.loads(path.read_text("utf-8"))["segments"] for path in sorted(out.glob("*.json"))}


def test_memory_entries_are_small_and_serve_the_same_alignments(tmp_path, tiny_model):
    inputs, out, cache = tmp_path / "in", tmp_path / "out", tmp_path / "tm.sqlite3"
    shutil.copytree(SEEDS, inputs)
    (inputs / "page.html").write_text(HTML_WITH_REFERENCES, encoding="utf-8")

    first = _run(inputs, out, tiny_model, cache)
    translated = _segments(out)
    assert first.model_translations > 50 and not first.failed

    db = sqlite3.connect(cache)
    rows = db.execute("SELECT length(source) + length(translation) + length(extra), extra FROM translations").fetchall()
    db.close()
    assert len(rows) == first.model_translations
    assert sum(size for size, _ in rows) / len(rows) <= 4096
    assert all(set(json.loads(extra)) == {"alignment"} for _, extra in rows)

    again = _run(inputs, out, tiny_model, cache, force=True)
    assert again.model_translations == 0 and again.memory_hits == first.model_translations
    assert _segments(out) == translated, "the memory serves the alignment the model's attention gave"
    page = [seg for seg in translated["page.json"] if seg.get("alignment")]
    assert page
    words = {seg["text"][s:e] for seg in page for s, e, _, _ in seg["alignment"]}
    # HTML segments hold the decoded plain text (see the README's JSON contract).
    assert words <= {"Le", "café", "était", "très", "bon", "ce", "matin-là"}, words


def test_entries_of_another_layout_are_not_read(tmp_path):
    from translate.engines.base import Hypothesis
    from translate.memory import TranslationMemory

    memory = TranslationMemory(tmp_path / "tm.sqlite3")
    description = {"model": "0123", "engine": "ctranslate2", "beams": 1, "attention": True}
    context = memory.context(description)
    # Layout 1 keyed contexts by the description alone and stored pieces and attention rows.
    old = hashlib.sha256(json.dumps(description, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:32]
    assert context != old
    old_extra = json.dumps({"source_pieces": ["▁Bon", "jour"], "target_pieces": ["▁Hello"], "attention": [[0.5, 0.5]]})
    memory._write("INSERT INTO translations VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                  [(old, hashlib.sha256(b"Bonjour").hexdigest(), "Bonjour", "Hello", -0.1, 2, old_extra, 0.0)])
    assert memory.lookup(context, ["Bonjour"]) == {}

    memory.store(context, [("Bonjour", Hypothesis("Hello", -0.1, 2, alignment=[[0, 7, 0, 5]]))])
    assert memory.lookup(context, ["Bonjour"]) == {"Bonjour": Hypothesis("Hello", -0.1, 2, alignment=[[0, 7, 0, 5]])}
