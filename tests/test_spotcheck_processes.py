"""A large check computes the per-span flags in several forked processes (translate.spotcheck.checker):
the flags, the sample and the review queue are the recorded ones all the same."""

from __future__ import annotations

import json
import sys

import pytest
from test_review_queue_unchanged import EXPECTED, observed, write_folder

from translate.spotcheck import checker

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="checks fork only on Linux")


def test_flags_sample_and_queue_are_the_same_when_processes_share_the_spans(tmp_path, monkeypatch):
    from translate.review.store import ReviewStore

    out = tmp_path / "out"
    write_folder(out)
    monkeypatch.setattr(checker, "SPANS_PER_PROCESS", 300)  # the folder's 2,000 spans in 3 processes
    monkeypatch.setattr(checker, "_cores", lambda: 3)
    groups = []
    split = checker._split
    monkeypatch.setattr(checker, "_split", lambda documents, parts: groups.append(parts) or split(documents, parts))
    expected = json.loads(EXPECTED.read_text(encoding="utf-8"))
    assert observed(out) == expected
    store = ReviewStore.of(out)
    try:
        assert observed(out, store) == expected  # flags computed in processes, then stored
        assert observed(out, store) == expected  # and read back
    finally:
        store.close()
    assert groups and set(groups) == {3}  # the processes did run


def test_a_small_check_or_a_threaded_process_stays_in_one_process(monkeypatch):
    import threading

    from translate.spotcheck.signals.base import CheckContext
    from translate.spotcheck.spans import BatchDocument, Span
    from translate.spotcheck.thresholds import Thresholds

    documents = [BatchDocument(f"d{n}", f"d{n}.json", 1000, [Span(f"d{n}", i, "fr", "Bonjour.", "Hello.")
                                                             for i in range(1000)]) for n in range(8)]
    context = CheckContext(Thresholds())
    monkeypatch.setattr(checker, "_cores", lambda: 4)
    assert checker._processes(documents, context) == 4
    assert checker._processes(documents[:3], context) == 1  # 3,000 spans: one process more would not pay
    assert checker._processes(documents, CheckContext(Thresholds(), back_translate=lambda texts, lang: texts)) == 1
    release = threading.Event()
    thread = threading.Thread(target=release.wait)
    thread.start()
    try:
        assert checker._processes(documents, context) == 1
    finally:
        release.set()
        thread.join()


def test_without_processes_to_fork_the_check_runs_here(tmp_path, monkeypatch):
    import multiprocessing.context

    from translate.spotcheck.run import run_spot_check

    out = tmp_path / "out"
    write_folder(out)
    expected = run_spot_check(out, sample=40, seed=5, round_trip=False)
    monkeypatch.setattr(checker, "SPANS_PER_PROCESS", 300)
    monkeypatch.setattr(checker, "_cores", lambda: 3)

    def no_pool(*args, **kwargs):
        raise OSError(38, "Function not implemented")

    monkeypatch.setattr(multiprocessing.context.ForkContext, "Pool", no_pool)
    checked = run_spot_check(out, sample=40, seed=5, round_trip=False)
    assert [span.flags for doc in checked.documents for span in doc.spans + doc.left_untranslated] == [
        span.flags for doc in expected.documents for span in doc.spans + doc.left_untranslated]
    assert checked.sample == expected.sample
