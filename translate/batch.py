"""Batch: translate every supported file under a folder, writing outputs under another.

This module is the shared front of a run (lock, discovery, the session, run files, report); the
executors (``translate.executors``) compose the stages of ``translate.stages`` in this process
or on Ray, with the settings checked once in ``translate.settings.RunSettings``.

A run holds a lock on the output folder, walks the input folder safely (never leaving it
through a symbolic link, surviving link loops, skipping the output folder), and streams the
files through the pipeline:

- a background thread reads, decodes and segments the files, skipping those whose outputs
  are up to date (same bytes, format, settings and model revisions as recorded in their
  JSON), and hands over *groups* of documents (consecutive files in discovery order, about
  ``group_bytes`` of input each: ``stages.group_inputs``) through a small queue, so memory
  stays bounded however large the folder is;
- the main thread translates each group (``translate.plan.GroupPlan``): the spans of all
  its documents together, one batch stream per model, repeated texts once, the translation
  memory first; the model only sees what the memory does not have, and what it translates is
  stored batch by batch (so a resumed run makes the batches of an uninterrupted one);
- each document's outputs are written (atomically, JSON last) as soon as its spans are done,
  with the word alignment of each translated span;
- at the end, the run's index page and corpus (``index.html`` and ``corpus.tmx`` unless a document
  or a user's file has the name: ``translate.outdir``) are written from the documents' JSON.

A file that cannot be read, decoded or written is recorded as failed and the run goes on. A
killed run leaves only complete outputs; the next run redoes the rest, from the memory where
the model already translated it.
"""

from __future__ import annotations

import os
import re
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from translate.discover import InputFile, discover_inputs  # noqa: F401  (part of this module's API)
from translate.executors import executor_class
from translate.outdir import (  # noqa: F401  (the lock is part of this module's API)
    LOCK_FILE_NAME, OutputLock, OutputLockedError, output_folder,
)
from translate.review.store import database_path as review_database_path
from translate.session import Session
from translate.settings import RaySettings, RunSettings  # noqa: F401  (part of this module's API)
from translate.stagetimes import NO_STAGE_TIMES
from translate.stages import FileOutcome, generation_settings, write_run_files  # noqa: F401  (part of this module's API)

# Temporary files of translate.fsutil.write_atomic: ".NAME.<8 random characters>.tmp".
_TEMP_FILE = re.compile(r"^\.(.+)\.[a-z0-9_]{8}\.tmp$")


@dataclass
class BatchReport:
    """What a run did.

    Attributes:
        out_dir: the output folder.
        outcomes: one per input file, in discovery order (``status``: translated, up to date or failed).
        models: language -> model used, for the languages translated.
        seconds: the run's wall time.
        excluded: (path, why) left out of the folder walk.
        model_translations: distinct texts the models translated in this run.
        memory_hits: distinct texts taken from the translation memory.
        kept_translations: translations the files had that were kept, not replaced (PO ``msgstr``;
            in the files translated now; ``retranslate`` replaces them).
        run_files: where the run's own files went: ``"index"`` (the index page), ``"record"`` (the run record) and ``"tmx"`` (the
            corpus); ``index.html`` and ``corpus.tmx`` unless a document or a user's file has the name
            (``translate.outdir.run_file_paths``).
    """

    out_dir: Path
    outcomes: list[FileOutcome]
    models: dict[str, str]
    seconds: float
    excluded: list[tuple[str, str]] = field(default_factory=list)
    model_translations: int = 0
    memory_hits: int = 0
    run_files: dict[str, Path] = field(default_factory=dict)

    @property
    def failed(self) -> list[FileOutcome]:
        return [o for o in self.outcomes if not o.ok]

    @property
    def succeeded(self) -> list[FileOutcome]:
        return [o for o in self.outcomes if o.ok]

    @property
    def translated(self) -> list[FileOutcome]:
        return [o for o in self.outcomes if o.status == "translated"]

    @property
    def up_to_date(self) -> list[FileOutcome]:
        return [o for o in self.outcomes if o.status == "up to date"]

    @property
    def kept_translations(self) -> int:
        return sum(o.kept_translations for o in self.translated)

    def span_counts(self) -> Counter:
        return sum((o.spans for o in self.succeeded), Counter())

    def untranslated_counts(self) -> Counter:
        """Spans per language left as they are for want of a model (in the files translated now)."""
        return sum((o.untranslated for o in self.succeeded), Counter())


class BatchProgress(Protocol):
    """What a run reports as it goes; the CLI shows it as progress bars or log lines."""

    def start(self, files: int) -> None: ...

    def spans_found(self, count: int) -> None: ...  # more texts to translate became known

    def spans_done(self, count: int) -> None: ...  # texts translated or found in the memory

    def file_done(self, outcome: FileOutcome) -> None: ...  # translated, up to date or failed

    def warning(self, message: str) -> None: ...


class SilentProgress:
    def start(self, files: int) -> None:
        pass

    def spans_found(self, count: int) -> None:
        pass

    def spans_done(self, count: int) -> None:
        pass

    def file_done(self, outcome: FileOutcome) -> None:
        pass

    def warning(self, message: str) -> None:
        pass


def run_batch(settings: RunSettings, progress: BatchProgress | None = None, *,
              session: Session | None = None) -> BatchReport:
    """Translate the folder as ``settings`` say.

    Args:
        settings: the run's settings, already checked.
        progress: told of files and spans as they are done; default: nothing is told.
        session: the memory, models and run identity to use (the API's ``Translator`` passes its own,
            made for the same settings, so its loaded models are reused); by default the run opens
            its own from ``settings`` and closes it at the end.

    Returns:
        The run's report.

    Raises:
        TranslateError: the output folder cannot be created or written.
        OutputLockedError: another run writes to the same output folder.
        ModelUnavailable: a model of the run cannot be found or downloaded (before anything is
            created: no output folder, no translation memory).
    """
    from translate.models import models_root, plan_models

    progress = progress or SilentProgress()
    times = settings.stage_times or NO_STAGE_TIMES
    started = time.perf_counter()
    own_session = session is None
    if own_session:
        # Every model before anything is created or read: a missing one stops the run leaving nothing
        # behind (no output folder, no translation memory).
        root = settings.models_root or models_root()
        session = Session.open(plan_models(settings.languages, dict(settings.models), root), settings.engine,
                               models_root=root, cache_path=settings.cache_path, on_warning=progress.warning,
                               times=times)
    try:
        with output_folder(settings.out_dir), OutputLock(settings.out_dir):
            inputs, excluded = discover_inputs(settings.input_dir, settings.out_dir, settings.formats,
                                               include_hidden=settings.include_hidden)
            for path, why in excluded:
                progress.warning(f"{path}: skipped: {why}")
            removed = remove_stale_temporary_files(settings.out_dir, inputs)
            if removed:
                progress.warning(f"removed {removed} unfinished temporary file(s) left by an interrupted run")
            run = executor_class(settings.executor)(settings, progress, session)
            run.go(inputs)
            if review_database_path(settings.out_dir).is_file():  # reviewers' edits win over the model (translate review)
                from translate.review.apply import apply_edits

                apply_edits(settings.out_dir, settings.input_dir, session.memory, on_warning=progress.warning,
                            run_files=False)
            with times.stage("run_files"):
                run_files = write_run_files(settings.out_dir, run.outcomes, settings.input_dir)
    finally:
        if own_session:
            session.close()
    return BatchReport(settings.out_dir, run.outcomes, run.plan.models_used(), time.perf_counter() - started,
                       excluded, run.plan.model_translations, run.plan.memory_hits, run_files)


def remove_stale_temporary_files(out_dir: Path, inputs: list[InputFile]) -> int:
    """Delete the temporary files a killed run left beside the outputs of ``inputs`` and the run files
    (only called under the lock). Only those: the output folder may hold the user's files (``batch
    site/docs --out site``), and a file merely named like one of ours is not ours."""
    from translate.outdir import RUN_FILES
    from translate.writers.paths import output_paths

    expected = {path for item in inputs for path in output_paths(out_dir, item.source).values()}
    expected.update(out_dir / name for usual, stem, suffix in RUN_FILES.values() for name in (usual, stem + suffix))
    names_by_folder: dict[Path, set[str]] = {}
    for path in expected:
        names_by_folder.setdefault(path.parent, set()).add(path.name)
    removed = 0
    for folder, names in names_by_folder.items():
        try:
            entries = list(os.scandir(folder))
        except OSError:  # not made yet
            continue
        for entry in entries:
            temporary = _TEMP_FILE.match(entry.name)
            if temporary and temporary.group(1) in names and entry.is_file(follow_symlinks=False):
                try:
                    os.unlink(entry.path)
                    removed += 1
                except OSError:
                    pass
    return removed
