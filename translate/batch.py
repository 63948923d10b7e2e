"""Batch: translate every supported file under a folder, writing outputs under another.

This module is the shared front of a run (lock, validation, discovery, models, memory, run files,
report) and the in-process composition of the stages of ``translate.stages``;
``--executor ray`` composes the same stages on Ray (``translate.executors.ray_executor``).

A run holds a lock on the output folder, walks the input folder safely (never leaving it
through a symbolic link, surviving link loops, skipping the output folder), and streams the
files through the pipeline:

- a background thread reads, decodes and segments the files, skipping those whose outputs
  are up to date (same bytes, format, settings and model revisions as recorded in their
  JSON), and hands over *groups* of documents (consecutive files in discovery order, about
  ``group_bytes`` of input each: ``stages.group_inputs``) through a small queue, so memory
  stays bounded however large the folder is;
- the main thread translates each group: the spans of all its documents together, one
  batch stream per model, repeated texts once, the translation memory first; the model
  only sees what the memory does not have, and what it translates is stored batch by batch
  (so a resumed run makes the batches of an uninterrupted one);
- each document's outputs are written (atomically, JSON last) as soon as its spans are done,
  with the word alignment of each translated span;
- at the end, the run's ``index.html`` and ``corpus.tmx`` are written from the documents' JSON.

A file that cannot be read, decoded or written is recorded as failed and the run goes on. A
killed run leaves only complete outputs; the next run redoes the rest, from the memory where
the model already translated it.
"""

from __future__ import annotations

import os
import queue
import re
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from translate.discover import InputFile, discover_inputs  # noqa: F401  (part of this module's API)
from translate.review.store import database_path as review_database_path
from translate.engines.base import EngineSettings, Hypothesis
from translate.errors import TranslateError, UsageError
from translate.executors import EXECUTORS
from translate.formats import FORMAT_NAMES
from translate.model_registry import ModelRegistry
from translate.models import models_root, plan_models
from translate.stagetimes import NO_STAGE_TIMES, StageTimes, TimedEngine
from translate.stages import (  # noqa: F401  (FileOutcome and generation_settings are part of this module's API)
    FileOutcome, RunIdentity, SegmentedDocument, align, generation_settings, group_inputs, memory_context,
    read_and_segment, remember, start_outcomes, translate, translated_document, write_document, write_run_files,
)

LOCK_FILE_NAME = ".translate.lock"
# Temporary files of translate.fsutil.write_atomic: ".NAME.<8 random characters>.tmp".
_TEMP_FILE = re.compile(r"^\..+\.[a-z0-9_]{8}\.tmp$")


@dataclass
class BatchOptions:
    input_dir: Path
    out_dir: Path
    models: dict[str, str] = field(default_factory=dict)  # overrides of the default model per language ("*": fallback)
    # Attention is on by default: word alignment costs one extra decoder pass, little next to generation.
    engine: EngineSettings = field(default_factory=lambda: EngineSettings(attention=True))
    models_root: Path | None = None
    formats: tuple[str, ...] = FORMAT_NAMES  # names of the formats to translate (translate.formats.FORMAT_NAMES)
    cache_path: Path | None = None  # translation memory; default: in the models root
    force: bool = False  # redo files whose outputs are up to date
    # Bytes of input files per group of documents translated together (bounds memory; see stages.group_inputs).
    group_bytes: int = 64 * 1024
    executor: str = "in-process"  # or "ray" (translate.executors.ray_executor)
    ray_address: str | None = None  # a running Ray cluster; None: start a local one
    ray_actors: int | None = None  # translation actors; None: one per ray_actor_cpus CPUs (per GPU with cuda)
    ray_actor_cpus: int = 1  # CPUs (and CPU threads) of each translation actor
    stage_times: StageTimes | None = None  # seconds per stage, for benchmarks (translate.stagetimes)
    languages: str | tuple[str, ...] | None = None  # translated: None (fr, es, those in models), "auto" or a list


@dataclass
class BatchReport:
    out_dir: Path
    outcomes: list[FileOutcome]
    models: dict[str, str]
    seconds: float
    excluded: list[tuple[str, str]] = field(default_factory=list)  # (path, why) left out of the walk
    model_translations: int = 0  # distinct texts the models translated in this run
    memory_hits: int = 0  # distinct texts taken from the translation memory

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


class OutputLockedError(TranslateError):
    """Another run holds the output folder."""


def run_batch(
    options: BatchOptions, progress: BatchProgress | None = None, *, models: ModelRegistry | None = None
) -> BatchReport:
    """Translate the folder as ``options`` say. ``models``: a registry already resolved for the
    same settings (the API's ``Translator``, which reuses its loaded models and memory); by
    default the run resolves its own, with the translation memory of ``options``."""
    from translate.memory import TranslationMemory, default_memory_path

    progress = progress or SilentProgress()
    times = options.stage_times or NO_STAGE_TIMES
    started = time.perf_counter()
    check_batch_options(options)
    with OutputLock(options.out_dir):
        removed = remove_stale_temporary_files(options.out_dir)
        if removed:
            progress.warning(f"removed {removed} unfinished temporary file(s) left by an interrupted run")
        own_models = models is None
        if own_models:
            root = options.models_root or models_root()
            memory = TranslationMemory(options.cache_path or default_memory_path(root), on_warning=progress.warning)
        else:
            memory = models.memory
        try:
            with times.stage("model_load"):
                if own_models:
                    # Every model before any file is read: a missing one stops the run before any work.
                    plan = plan_models(options.languages, options.models, root)
                    models = ModelRegistry.from_plan(plan, root, options.engine, memory)
                    models.resolve_all()
                identity = RunIdentity(generation_settings(options.engine), dict(models.names), models.revisions())
            inputs, excluded = discover_inputs(options.input_dir, options.out_dir, tuple(options.formats))
            for path, why in excluded:
                progress.warning(f"{path}: skipped: {why}")
            if options.executor == "ray":
                from translate.executors.ray_executor import RayRun

                run = RayRun(options, progress, memory, models, identity)
            else:
                run = _InProcessRun(options, progress, memory, models, identity)
            run.go(inputs)
            if review_database_path(options.out_dir).is_file():  # reviewers' edits win over the model (translate review)
                from translate.review.apply import apply_edits

                apply_edits(options.out_dir, options.input_dir, memory, on_warning=progress.warning, run_files=False)
            with times.stage("run_files"):
                write_run_files(options.out_dir, run.outcomes)
        finally:
            if own_models:
                memory.close()
    return BatchReport(options.out_dir, run.outcomes, run.models_used(), time.perf_counter() - started,
                       excluded, run.model_translations, run.memory_hits)


def check_batch_options(options: BatchOptions) -> None:
    """Raise UsageError for options no run can start with; create the output folder."""
    if not options.input_dir.is_dir():
        raise UsageError(f"{options.input_dir}: input folder does not exist or is not a folder")
    if options.out_dir.exists() and not options.out_dir.is_dir():
        raise UsageError(f"--out {options.out_dir}: exists and is not a folder")
    if options.out_dir.resolve() == options.input_dir.resolve():
        raise UsageError(f"--out {options.out_dir}: the output folder must not be the input folder")
    unknown = sorted(set(options.formats) - set(FORMAT_NAMES))
    if unknown or not options.formats:
        raise UsageError(f"--formats: unknown {', '.join(unknown) or '(none given)'}; choose from {','.join(FORMAT_NAMES)}")
    if options.executor not in EXECUTORS:
        raise UsageError(f"--executor {options.executor}: choose one of {', '.join(EXECUTORS)}")
    if options.executor == "ray":
        from translate.executors.ray_executor import require_ray

        require_ray()
    try:
        options.out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise UsageError(f"--out {options.out_dir}: cannot create: {err.strerror or err}") from None


class OutputLock:
    """An exclusive ``flock`` on OUT/.translate.lock, held for the whole run.

    The kernel releases it when the process ends in any way (kill -9 included), so a crashed
    run never leaves the folder locked; a second run fails at once instead of waiting. The
    file holds the owner's pid (for the message) and is removed on release; a run that opened
    the file just before it was removed notices (another inode) and starts over.
    """

    def __init__(self, out_dir: Path):
        self.path = out_dir / LOCK_FILE_NAME
        self.fd: int | None = None

    def __enter__(self):
        import fcntl

        while True:
            try:
                fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            except OSError as err:  # a read-only mount, no permission, ...
                raise TranslateError(
                    f"--out {self.path.parent}: cannot write to the output folder: {err.strerror or err}"
                ) from None
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                holder = os.read(fd, 32).decode("ascii", "replace").strip()
                os.close(fd)
                raise OutputLockedError(
                    f"{self.path.parent}: another `translate batch` is writing to this output folder"
                    f"{f' (pid {holder})' if holder.isdigit() else ''}; wait for it to finish, or use another --out"
                ) from None
            try:
                current = os.stat(self.path).st_ino
            except FileNotFoundError:
                current = None
            if current == os.fstat(fd).st_ino:
                break
            os.close(fd)
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode("ascii"))
        self.fd = fd
        return self

    def __exit__(self, *exc):
        if self.fd is not None:
            self.path.unlink(missing_ok=True)  # while still holding the lock
            os.close(self.fd)
            self.fd = None
        return False


def remove_stale_temporary_files(out_dir: Path) -> int:
    """Delete temporary files that a killed run left behind (only called under the lock)."""
    removed = 0
    for folder, _dirs, files in os.walk(out_dir):
        for name in files:
            if _TEMP_FILE.match(name):
                try:
                    Path(folder, name).unlink()
                    removed += 1
                except OSError:
                    pass
    return removed


@dataclass
class _Pending:
    """A segmented document waiting for its translations."""

    segmented: SegmentedDocument
    waiting: int  # segments still without a translation


class _InProcessRun:
    """The stages composed in one process: a reader thread reads and segments the files, a group
    at a time; the main thread translates each group (memory first, then the engines) and
    writes each document as soon as its last span is translated."""

    def __init__(self, options: BatchOptions, progress: BatchProgress, memory, models: ModelRegistry,
                 identity: RunIdentity):
        self.options = options
        self.progress = progress
        self.memory = memory
        self.models = models
        self.identity = identity
        self.outcomes: list[FileOutcome] = []
        self.contexts: dict[str, str] = {}
        self.model_translations = 0
        self.memory_hits = 0
        self.times = options.stage_times or NO_STAGE_TIMES

    def models_used(self) -> dict[str, str]:
        return {lang: self.identity.model_name(lang) for lang in self.contexts}

    def go(self, inputs: list[InputFile]) -> None:
        self.outcomes, clashes = start_outcomes(self.options.out_dir, inputs, self.progress)
        work = [(index, item) for index, item in enumerate(inputs) if item.source not in clashes]

        handoff: queue.Queue = queue.Queue(maxsize=1)
        stop = threading.Event()
        reader = threading.Thread(target=self._read_all, args=(work, handoff, stop), name="translate-reader", daemon=True)
        reader.start()
        try:
            while True:
                kind, payload = handoff.get()
                if kind == "end":
                    break
                if kind == "error":
                    raise payload
                if kind == "outcome":
                    self.progress.file_done(payload)
                else:
                    self._translate_group(payload)
        finally:
            stop.set()
            reader.join(timeout=5)

    def _read_all(self, work: list[tuple[int, InputFile]], handoff: queue.Queue, stop: threading.Event) -> None:
        def put(item) -> bool:
            while not stop.is_set():
                try:
                    handoff.put(item, timeout=0.2)
                    return True
                except queue.Full:
                    continue
            return False

        try:
            for group in group_inputs(work, self.options.group_bytes):
                documents: list[_Pending] = []
                for index, item in group:
                    result = read_and_segment(item, self.options.out_dir, self.identity, force=self.options.force,
                                              times=self.times)
                    if isinstance(result, FileOutcome):
                        self.outcomes[index] = result
                        if not put(("outcome", result)):
                            return
                        continue
                    self.outcomes[index] = result.outcome
                    documents.append(_Pending(result, result.waiting()))
                if documents and not put(("group", documents)):
                    return
            put(("end", None))
        except BaseException as err:  # handed to the main thread, which raises it
            put(("error", err))

    def _translate_group(self, documents: list[_Pending]) -> None:
        # Which segments (across the group's documents) wait for each model input text, per language.
        users: dict[str, dict[str, list[tuple[_Pending, int]]]] = {}
        for pending in documents:
            for index, lang, text in pending.segmented.to_translate():
                users.setdefault(lang, {}).setdefault(text, []).append((pending, index))
        for pending in documents:
            if pending.waiting == 0:
                self._write(pending)
        for lang in sorted(users):
            if lang not in self.contexts:
                self.models.revision(lang)  # resolves a model left for when it is needed (--languages auto)
                self.contexts[lang] = memory_context(self.memory, self.identity, lang)
            waiting = users[lang]
            self.progress.spans_found(len(waiting))
            context_key = self.contexts[lang]

            def fill(pairs: list[tuple[str, Hypothesis]], waiting=waiting) -> None:
                for text, hypothesis in pairs:
                    for pending, index in waiting.pop(text, ()):
                        with self.times.stage("alignment"):
                            align(pending.segmented.segments[index], hypothesis, text)
                        pending.waiting -= 1
                        if pending.waiting == 0:
                            self._write(pending)
                self.progress.spans_done(len(pairs))

            with self.times.stage("memory"):
                hits = self.memory.lookup(context_key, list(waiting))
            self.memory_hits += len(hits)
            fill(list(hits.items()))
            if not waiting:
                continue

            def translated(pairs: list[tuple[str, Hypothesis]], context_key=context_key, fill=fill) -> None:
                # Saved first: a kill loses at most this batch.
                pairs = remember(self.memory, context_key, pairs, self.times)
                self.model_translations += len(pairs)
                fill(pairs)

            with self.times.stage("model_load"):
                engine = self.models.engine(lang)
            if self.options.stage_times is not None:
                engine = TimedEngine(engine, self.options.stage_times)
            # translate_texts reports every text through ``translated``, batch by batch, in the order planned.
            translate(engine, list(waiting), batch_size=self.options.engine.max_batch_size, on_translated=translated)

    def _write(self, pending: _Pending) -> None:
        segmented = pending.segmented
        with self.times.stage("writers"):
            outcome = write_document(self.options.out_dir, translated_document(segmented, self.identity),
                                     segmented.outcome)
        self.progress.file_done(outcome)
