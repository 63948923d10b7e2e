"""A whole spot-check of a batch's output folder: load, check, score, sample (the CLI and the API's ``spot_check``)."""

from __future__ import annotations

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
    out_dir: Path, *, sample: int = 20, seed: int = 0, thresholds: list[str] | None = None, round_trip: bool = True
) -> SpotCheck:
    """Flag, score and sample the translations in ``out_dir``; ``thresholds`` are ``NAME=VALUE`` changes.

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
    notes = check_documents(documents, chosen_thresholds, back_translate)
    notes.append(round_trip_note)
    signals_run = [name for name in SIGNAL_NAMES if name != "round_trip" or back_translate is not None]
    summary = summarise(documents, signals_run, notes)
    drawn = sample_spans([span for document in documents for span in document.spans], sample, seed)
    return SpotCheck(summary, documents, drawn, chosen_thresholds, list(loaded.warnings))
