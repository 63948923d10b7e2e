"""A whole spot-check of a batch's output folder: load, check, score, sample (the CLI and the API's ``spot_check``)."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from translate.errors import UsageError


@dataclass
class SpotCheck:
    summary: object  # translate.spotcheck.checker.Summary: score, flag counts, worst documents, notes
    documents: list  # BatchDocument per JSON found, spans flagged
    sample: list  # the spans drawn for human review
    thresholds: object  # the Thresholds used
    warnings: list[str] = field(default_factory=list)  # JSON files that could not be read
    quality: object = None  # translate.spotcheck.quality.Quality from reviewers' verdicts, or None

    @property
    def skipped(self) -> list[str]:
        """The batch JSON files left out of the check (unreadable), relative to the output folder:
        the score covers only the others."""
        from translate.spotcheck.loader import SkippedDocument

        return [warning.path for warning in self.warnings if isinstance(warning, SkippedDocument)]

    @property
    def documents_skipped(self) -> int:
        return len(self.skipped)


def run_spot_check(
    out_dir: Path, *, sample: int = 20, seed: int = 0, thresholds: list[str] | None = None, round_trip: bool = True,
    flag_cache=None,
) -> SpotCheck:
    """Flag, score and sample the translations in ``out_dir``; ``thresholds`` are ``NAME=VALUE`` changes;
    ``flag_cache``: a ``translate.spotcheck.checker.FlagCache`` (the review database) for the per-span flags.

    Raises UsageError when ``out_dir`` is not a folder or holds no batch output."""
    from translate.spotcheck import Thresholds, check_documents, load_batch_outputs, sample_spans, summarise, with_overrides
    from translate.spotcheck.back_translation import local_back_translator
    from translate.spotcheck.signals import SIGNAL_NAMES

    if sample < 0:
        raise UsageError(f"--sample {sample}: must be 0 or more")
    chosen_thresholds = with_overrides(Thresholds(), thresholds or [])
    if not out_dir.is_dir():
        raise UsageError(f"{out_dir}: not a folder (expected the output folder of `translate batch`)")
    loaded = load_batch_outputs(out_dir)
    if not loaded.documents:
        raise UsageError(f"{out_dir}: no batch output found (no JSON file with `source` and `segments`); "
                         "run `translate batch` first")
    documents = loaded.documents
    back_translate, round_trip_note = (None, "round_trip skipped: --no-round-trip")
    if round_trip:
        back_translate, round_trip_note = local_back_translator({span.lang for doc in documents for span in doc.spans})
    with nullcontext() if back_translate else cyclic_collection_paused():
        notes = check_documents(documents, chosen_thresholds, back_translate, cache=flag_cache)
        notes.append(round_trip_note)
        signals_run = [name for name in SIGNAL_NAMES if name != "round_trip" or back_translate is not None]
        summary = summarise(documents, signals_run, notes)
        spans = [span for document in documents for span in document.spans]
        drawn = sample_spans(spans, sample, seed)
    return SpotCheck(summary, documents, drawn, chosen_thresholds, list(loaded.warnings),
                     _reviewed_quality(out_dir, spans, drawn))


@contextmanager
def cyclic_collection_paused() -> Iterator[None]:
    """The check keeps some hundred thousand objects alive until it ends (spans, flags, words and
    their scores); Python's cycle collector would walk them all again and again and find next to
    nothing (reference counting frees what the check drops): a tenth of a 10,000-span check. It
    runs as usual afterwards. Not paused while a model back-translates (``round_trip``): a model
    run is where cycles worth collecting are made."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _reviewed_quality(out_dir: Path, spans: list, drawn: list):
    """The quality figure from the verdicts of ``translate review`` (None without any)."""
    from translate.review.store import open_existing, span_verdicts
    from translate.spotcheck.quality import estimate_quality

    store = open_existing(out_dir)
    if store is None:
        return None
    try:
        verdicts = {key: review.verdict for key, review in span_verdicts(store.history()).items()}
    finally:
        store.close()
    return estimate_quality(spans, drawn, verdicts)
