"""The review database, its export, the human entries of the translation memory, and the
reviewed quality figure of `translate spot-check` (with --fail-under on its lower bound)."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

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
