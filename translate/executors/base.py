"""What an executor is: the interface ``translate.batch.run_batch`` drives, and what both
executors share (writing a finished document)."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from translate.discover import InputFile
from translate.plan import GroupPlan, Pending
from translate.stages import FileOutcome, RunIdentity, translated_document, write_document
from translate.stagetimes import NO_STAGE_TIMES


class Executor(Protocol):
    """Runs a batch's inputs through the stages. Made with ``(settings, progress, session)``
    (a ``translate.settings.RunSettings``, a ``translate.batch.BatchProgress``, a
    ``translate.session.Session``); ``go(inputs)`` fills ``outcomes`` (one per input, in order);
    ``plan`` is the run's ``GroupPlan`` (models used, model translations, memory hits)."""

    outcomes: list[FileOutcome]
    plan: GroupPlan

    def go(self, inputs: list[InputFile]) -> None: ...


def document_writer(out_dir: Path, identity: RunIdentity, progress, times=NO_STAGE_TIMES):
    """``on_done`` of a batch's ``GroupPlan``: write the document's outputs (JSON last) and report it."""
    def write(pending: Pending) -> None:
        segmented = pending.segmented
        with times.stage("writers"):
            outcome = write_document(out_dir, translated_document(segmented, identity), segmented.outcome)
        progress.file_done(outcome)

    return write
