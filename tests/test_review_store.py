"""The review database, its export, the human entries of the translation memory, and the
reviewed quality figure of `translate spot-check` (with --fail-under on its lower bound)."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, run_cli
from translate.engines.base import Hypothesis
from translate.memory import TranslationMemory
from translate.review.store import Review, ReviewStore, check_review, span_edits, span_verdicts


def write_run(out: Path, documents: int = 3, spans: int = 10) -> None:
    """Batch JSON files (the review reads nothing else)."""
    out.mkdir(parents=True, exist_ok=True)
    for doc in range(documents):
        segments = [{"paragraph": seg, "start": 0, "end": 5, "lang": "fr", "text": f"Phrase numéro {seg} du texte {doc}.",
                     "translation": f"Sentence number {seg} of text {doc}.", "score": -0.4} for seg in range(spans)]
        (out / f"doc{doc}.json").write_text(json.dumps({"source": f"doc{doc}.txt", "format": "txt", "segments": segments}),
                                            encoding="utf-8")


def test_every_save_is_kept_and_the_latest_wins(tmp_path):
    store = ReviewStore.of(tmp_path)
    store.save(Review("a.txt", 1, "Bonjour", "ana", "major", "accuracy", None, "Hello"))
    store.save(Review("a.txt", 1, "Bonjour", "ben", "acceptable"))
    store.save(Review("a.txt", 1, "Bonjour", "ana", "minor", None, "better"))
    store.close()
    # A new connection (another server, or after a kill) sees every committed save.
    history = ReviewStore.of(tmp_path).history()
    assert [review.verdict for review in history] == ["major", "acceptable", "minor"]
    assert span_verdicts(history)[("a.txt", 1)].verdict == "minor"
    assert span_edits(history)[("a.txt", 1)].edit == "Hello"  # a later verdict keeps the edit


def test_a_killed_writer_loses_nothing_committed(tmp_path):
    code = ("import os, sys; sys.path.insert(0, sys.argv[2]); from pathlib import Path;"
            "from translate.review.store import Review, ReviewStore;"
            "s = ReviewStore.of(Path(sys.argv[1])); s.save(Review('a.txt', 0, 't', 'ana', 'critical'));"
            "os.kill(os.getpid(), 9)")
    subprocess.run([sys.executable, "-c", code, str(tmp_path), str(REPO)], check=False)
    assert [review.verdict for review in ReviewStore.of(tmp_path).history()] == ["critical"]


def test_invalid_reviews_are_refused():
    assert check_review(Review("a", 0, "t", " ", "acceptable"))
    assert check_review(Review("a", 0, "t", "ana", "fine"))
    assert check_review(Review("a", 0, "t", "ana", "minor", "style"))
    assert check_review(Review("a", 0, "t", "ana"))
    assert check_review(Review("a", 0, "t", "ana", None, None, None, "English")) is None


def test_export_csv_and_json(tmp_path):
    write_run(tmp_path)
    store = ReviewStore.of(tmp_path)
    store.save(Review("doc0.txt", 2, "Phrase", "ana", "major", "terminology", "=HYPERLINK(1)", "New, \"quoted\"\nline"))
    store.close()
    rows = list(csv.DictReader(io.StringIO(run_cli("review", "export", str(tmp_path)).stdout)))
    assert rows[0]["comment"] == "'=HYPERLINK(1)"  # a spreadsheet keeps it text
    assert rows[0]["edit"] == "New, \"quoted\"\nline" and rows[0]["category"] == "terminology"
    exported = json.loads(run_cli("review", "export", str(tmp_path), "--format", "json").stdout)
    assert exported[0]["seg"] == 2 and exported[0]["time"].endswith("+00:00")


def test_a_human_entry_wins_over_the_model_and_is_never_overwritten(tmp_path):
    memory = TranslationMemory(tmp_path / "tm.sqlite3")
    context = memory.context({"model": "abc"})
    memory.store(context, [("Bonjour", Hypothesis("Good day", -0.2, 3))])
    memory.store_human(context, [("Bonjour", "Hello")])
    memory.store(context, [("Bonjour", Hypothesis("Good day", -0.2, 3))])  # a model run later
    found = memory.lookup(context, ["Bonjour"])["Bonjour"]
    assert (found.text, found.origin) == ("Hello", "human")
    assert memory.lookup(memory.context({"model": "other"}), ["Bonjour"]) == {}  # another model: its own entries
    memory.close()


def test_spot_check_reports_the_reviewed_quality_and_gates_on_its_lower_bound(tmp_path):
    write_run(tmp_path, documents=2, spans=10)
    store = ReviewStore.of(tmp_path)
    for doc in range(2):
        for seg in range(10):
            store.save(Review(f"doc{doc}.txt", seg, "t", "ana", "major" if seg == 3 else "acceptable"))
    store.close()
    result = run_cli("spot-check", str(tmp_path), "--no-round-trip", "--json", "--sample", "20")
    quality = json.loads(result.stdout)["reviewed_quality"]
    assert quality["overall"]["share"] == 0.9 and quality["overall"]["reviewed"] == 20
    assert quality["overall"]["low"] < 0.9 < quality["overall"]["high"]
    assert set(quality["languages"]) == {"fr"}
    low = quality["overall"]["low"]
    assert run_cli("spot-check", str(tmp_path), "--no-round-trip", "--fail-under", f"{low - 0.01:.3f}").returncode == 0
    failed = run_cli("spot-check", str(tmp_path), "--no-round-trip", "--fail-under", f"{low + 0.01:.3f}")
    assert failed.returncode == 1 and "lower bound" in failed.stderr
    assert "Reviewed quality" in run_cli("spot-check", str(tmp_path), "--no-round-trip").stdout


def test_the_python_api_gives_the_judgements(tmp_path):
    import translate
    from translate.api import apply_reviews, review_results

    assert translate.review_results is review_results and translate.apply_reviews is apply_reviews
    assert review_results(tmp_path) == []
    store = ReviewStore.of(tmp_path)
    store.save(Review("a.txt", 0, "Bonjour", "ana", "acceptable", None, "ok"))
    store.close()
    [row] = review_results(tmp_path)
    assert (row["document"], row["seg"], row["reviewer"], row["verdict"], row["comment"]) == ("a.txt", 0, "ana", "acceptable", "ok")


def test_the_queue_reads_flags_from_the_database_when_the_json_is_unchanged(tmp_path, monkeypatch):
    """Second start: the same queue (flags, order, sample) without running the per-span signals;
    a changed JSON file is checked again, and its new flags are there."""
    from translate.review.queue import build_queue
    from translate.spotcheck.signals import number_mismatch

    out = tmp_path / "out"
    write_run(out, documents=4, spans=12)
    data = json.loads((out / "doc1.json").read_text(encoding="utf-8"))
    data["segments"][3]["translation"] = "Sentence number 7 of text 1."  # a number changed: number_mismatch
    data["segments"][5]["translation"] = data["segments"][5]["text"]  # copied: untranslated
    (out / "doc1.json").write_text(json.dumps(data), encoding="utf-8")
    store = ReviewStore.of(out)
    first = build_queue(out, sample=6, seed=3, store=store)
    assert build_queue(out, sample=6, seed=3).items == first.items  # the same as without a database
    flagged = {item["id"]: [flag["name"] for flag in item["flags"]] for item in first.items if item["flags"]}
    assert "number_mismatch" in flagged["3:doc1.txt"] and "untranslated" in flagged["5:doc1.txt"]

    def no_reading(*args):
        raise AssertionError("a per-span signal ran on an unchanged file")

    number_mismatch.numbers_of.cache_clear()
    monkeypatch.setattr(number_mismatch, "read_numbers", no_reading)
    assert build_queue(out, sample=6, seed=3, store=store).items == first.items

    data["segments"][3]["translation"] = "Sentence number 3 of text 1."  # fixed
    (out / "doc1.json").write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(AssertionError, match="per-span signal"):
        build_queue(out, sample=6, seed=3, store=store)  # doc1 changed: its signals run again
    monkeypatch.undo()
    again = build_queue(out, sample=6, seed=3, store=store)
    names = {item["id"]: [flag["name"] for flag in item["flags"]] for item in again.items}
    assert "number_mismatch" not in names["3:doc1.txt"] and "untranslated" in names["5:doc1.txt"]
    store.close()


def test_review_of_a_folder_without_batch_output_fails_and_leaves_nothing(tmp_path):
    (tmp_path / "notes.json").write_text('{"not": "a batch output"}', encoding="utf-8")
    result = run_cli("review", str(tmp_path))
    assert result.returncode == 2 and "no batch output" in result.stderr and "Traceback" not in result.stderr
    assert sorted(path.name for path in tmp_path.iterdir()) == ["notes.json"]
    missing = run_cli("review", str(tmp_path / "absent"))
    assert missing.returncode == 2 and "not a folder" in missing.stderr and "Traceback" not in missing.stderr
