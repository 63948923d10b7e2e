"""Batch: translate every supported file under a folder, writing outputs under another.

A run holds a lock on the output folder, walks the input folder safely (never leaving it
through a symbolic link, surviving link loops, skipping the output folder), and streams the
files through the pipeline:

- a background thread reads, decodes and segments the files, skipping those whose outputs
  are up to date (same bytes, format, settings and model revisions as recorded in their
  JSON), and hands over *chunks* of documents (a bounded number of spans) through a small
  queue, so memory stays bounded however large the folder is;
- the main thread translates each chunk: the spans of all its documents together, one
  batch stream per model, repeated texts once, the translation memory first; the model
  only sees what the memory does not have, and what it translates is stored batch by batch;
- each document's outputs are written (atomically, JSON last) as soon as its spans are done,
  with the word alignment of each translated span;
- at the end, the run's ``index.html`` and ``corpus.tmx`` are written from the documents' JSON.

A file that cannot be read, decoded or written is recorded as failed and the run goes on. A
killed run leaves only complete outputs; the next run redoes the rest, from the memory where
the model already translated it.
"""

from __future__ import annotations

import hashlib
import json
import os
import queue
import re
import threading
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Protocol

from translate.document import TRANSLATED_LANGUAGES, Segment, SourceDocument
from translate.engines.base import EngineSettings, Hypothesis
from translate.errors import InputError, TranslateError, UsageError
from translate.formats import FORMAT_NAMES, format_for, model_text
from translate.models import ResolvedModel, configured_models, find_local_model, models_root, resolve_model
from translate.segment import segment_document
from translate.writers import TranslatedDocument, output_paths, write_outputs
from translate.writers.run_files import write_run_files

LOCK_FILE_NAME = ".translate.lock"
# Temporary files of translate.fsutil.write_atomic: ".NAME.<8 random characters>.tmp".
_TEMP_FILE = re.compile(r"^\..+\.[a-z0-9_]{8}\.tmp$")
# Engine settings that change how fast a translation is made, not what it is.
_RUNTIME_ONLY_SETTINGS = frozenset({"device", "max_batch_size", "max_batch_tokens", "threads", "inter_threads", "intra_threads"})


@dataclass
class BatchOptions:
    input_dir: Path
    out_dir: Path
    models: dict[str, str] = field(default_factory=dict)  # overrides of the default model per language
    # Attention is on by default: word alignment costs one extra decoder pass, little next to generation.
    engine: EngineSettings = field(default_factory=lambda: EngineSettings(attention=True))
    models_root: Path | None = None
    formats: tuple[str, ...] = FORMAT_NAMES  # names of the formats to translate (txt, md, srt, html)
    cache_path: Path | None = None  # translation memory; default: in the models root
    force: bool = False  # redo files whose outputs are up to date
    chunk_spans: int = 2048  # spans to translate per chunk of documents (bounds memory)
    chunk_characters: int = 8_000_000


@dataclass
class FileOutcome:
    source: str
    error: str | None = None  # the message shown: "<source>: <reason>"
    spans: Counter = field(default_factory=Counter)  # spans per language
    status: str = "pending"  # "translated", "up to date" or "failed"
    reason: str | None = None  # why it failed, without the file name (for index pages)
    format: str | None = None
    encoding: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    def fail(self, message: str) -> None:
        self.status = "failed"
        self.error = message
        prefix = f"{self.source}: "
        self.reason = message[len(prefix):] if message.startswith(prefix) else message


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


def generation_settings(engine: EngineSettings) -> dict:
    """The settings that decide what a translation is (recorded in the JSON, part of the memory key),
    with the engine and compute type actually used rather than ``auto``."""
    from translate.engines import planned_engine_record

    settings = {key: value for key, value in asdict(engine).items() if key not in _RUNTIME_ONLY_SETTINGS}
    return {**settings, **planned_engine_record(engine)}


# -- the walk ---------------------------------------------------------------------------------


@dataclass
class InputFile:
    path: Path
    source: str  # relative to the input folder, forward slashes
    fmt: object


def discover_inputs(
    input_dir: Path, out_dir: Path, formats: tuple[str, ...] = FORMAT_NAMES
) -> tuple[list[InputFile], list[tuple[str, str]]]:
    """Supported files under ``input_dir`` sorted by name, and what was left out and why.

    Symbolic links are followed only when they point inside ``input_dir``; each real folder
    is walked once (so link loops end); the output folder is skipped when it lies inside.
    """
    root = input_dir.resolve()
    out_resolved = out_dir.resolve()
    found: list[InputFile] = []
    excluded: list[tuple[str, str]] = []
    visited = {root}
    stack: list[tuple[Path, str]] = [(input_dir, "")]
    while stack:
        folder, prefix = stack.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
        except OSError as err:
            excluded.append((prefix or ".", f"cannot list folder: {err.strerror or err}"))
            continue
        for entry in entries:
            relative = f"{prefix}{entry.name}"
            try:
                relative.encode("utf-8")
            except UnicodeEncodeError:
                excluded.append((relative.encode("utf-8", "surrogateescape").decode("utf-8", "replace"),
                                 "file name is not valid UTF-8"))
                continue
            try:
                if entry.is_symlink():
                    try:
                        target = Path(entry.path).resolve(strict=True)
                    except (OSError, RuntimeError):
                        excluded.append((relative, "broken symbolic link or link loop"))
                        continue
                    if not target.is_relative_to(root):
                        excluded.append((relative, "symbolic link to outside the input folder (not followed)"))
                        continue
                    is_dir = target.is_dir()
                else:
                    is_dir = entry.is_dir(follow_symlinks=False)
                    target = Path(entry.path).resolve() if is_dir else Path(entry.path)
            except OSError as err:
                excluded.append((relative, f"cannot inspect: {err.strerror or err}"))
                continue
            if is_dir:
                if target == out_resolved or target.is_relative_to(out_resolved) or target in visited:
                    continue  # the output folder, or a folder already walked (a loop or a second link)
                visited.add(target)
                stack.append((Path(entry.path), relative + "/"))
                continue
            fmt = format_for(Path(entry.name), formats)
            if fmt is None or not (entry.is_file() if not entry.is_symlink() else target.is_file()):
                continue
            found.append(InputFile(Path(entry.path), relative, fmt))
    found.sort(key=lambda item: item.source)
    return found, excluded


# -- the run ------------------------------------------------------------------------------------


@dataclass
class _Pending:
    """A document read and segmented, waiting for its translations."""

    document: SourceDocument
    segments: list[Segment]
    outcome: FileOutcome
    fmt: object
    waiting: int = 0  # segments still without a translation
    hypotheses: dict[int, Hypothesis] = field(default_factory=dict)  # segment index -> model output


class OutputLockedError(TranslateError):
    """Another run holds the output folder."""


def run_batch(options: BatchOptions, progress: BatchProgress | None = None) -> BatchReport:
    from translate.memory import TranslationMemory, default_memory_path

    progress = progress or SilentProgress()
    started = time.perf_counter()
    if not options.input_dir.is_dir():
        raise UsageError(f"{options.input_dir}: input folder does not exist or is not a folder")
    if options.out_dir.exists() and not options.out_dir.is_dir():
        raise UsageError(f"--out {options.out_dir}: exists and is not a folder")
    if options.out_dir.resolve() == options.input_dir.resolve():
        raise UsageError(f"--out {options.out_dir}: the output folder must not be the input folder")
    unknown = sorted(set(options.formats) - set(FORMAT_NAMES))
    if unknown or not options.formats:
        raise UsageError(f"--formats: unknown {', '.join(unknown) or '(none given)'}; choose from {','.join(FORMAT_NAMES)}")
    try:
        options.out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise UsageError(f"--out {options.out_dir}: cannot create: {err.strerror or err}") from None

    with OutputLock(options.out_dir):
        removed = remove_stale_temporary_files(options.out_dir)
        if removed:
            progress.warning(f"removed {removed} unfinished temporary file(s) left by an interrupted run")
        inputs, excluded = discover_inputs(options.input_dir, options.out_dir, tuple(options.formats))
        for path, why in excluded:
            progress.warning(f"{path}: skipped: {why}")
        root = options.models_root or models_root()
        memory = TranslationMemory(options.cache_path or default_memory_path(root), on_warning=progress.warning)
        try:
            run = _Run(options, progress, memory, root)
            run.go(inputs)
            write_run_files(options.out_dir, run.outcomes)
        finally:
            memory.close()
    return BatchReport(options.out_dir, run.outcomes, run.models_used(), time.perf_counter() - started,
                       excluded, run.model_translations, run.memory_hits)


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
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
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


class _Run:
    def __init__(self, options: BatchOptions, progress: BatchProgress, memory, root: Path):
        self.options = options
        self.progress = progress
        self.memory = memory
        self.root = root
        self.names = configured_models(options.models)
        self.settings = generation_settings(options.engine)
        self.outcomes: list[FileOutcome] = []
        self.resolved: dict[str, ResolvedModel] = {}
        self.contexts: dict[str, str] = {}
        self.engines: dict[Path, object] = {}
        self._revisions: dict[str, str | None] = {}
        self._revision_lock = threading.Lock()
        self.model_translations = 0
        self.memory_hits = 0

    def models_used(self) -> dict[str, str]:
        return {lang: model.name for lang, model in self.resolved.items()}

    # -- model identity, shared by the reader (resume checks) and the translator ----------------

    def revision(self, lang: str) -> str | None:
        """The fingerprint of the model configured for ``lang``, if it is on disk (never downloads)."""
        from translate.memory import model_fingerprint

        with self._revision_lock:
            if lang not in self._revisions:
                found = self.resolved[lang].path if lang in self.resolved else None
                if found is None:
                    local = find_local_model(self.names[lang], self.root)
                    found = local[0] if local else None
                self._revisions[lang] = model_fingerprint(found, self.memory) if found else None
            return self._revisions[lang]

    # -- driving ---------------------------------------------------------------------------------

    def go(self, inputs: list[InputFile]) -> None:
        self.outcomes = [FileOutcome(item.source, format=item.fmt.name) for item in inputs]
        self.progress.start(len(inputs))
        claimed: dict[Path, str] = {}
        work = []
        for item, outcome in zip(inputs, self.outcomes):
            paths = output_paths(self.options.out_dir, item.source)
            clash = next((claimed[p] for p in paths.values() if p in claimed), None)
            if clash is not None:
                outcome.fail(f"{item.source}: its outputs would overwrite those of {clash}; rename one of them")
                self.progress.file_done(outcome)
                continue
            claimed.update((p, item.source) for p in paths.values())
            work.append((item, outcome, paths))

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
                    self._translate_chunk(payload)
        finally:
            stop.set()
            reader.join(timeout=5)

    def _read_all(self, work, handoff: queue.Queue, stop: threading.Event) -> None:
        def put(item) -> bool:
            while not stop.is_set():
                try:
                    handoff.put(item, timeout=0.2)
                    return True
                except queue.Full:
                    continue
            return False

        try:
            chunk: list[_Pending] = []
            spans = characters = 0
            for item, outcome, paths in work:
                pending = self._read_one(item, outcome, paths)
                if pending is None:
                    if not put(("outcome", outcome)):
                        return
                    continue
                chunk.append(pending)
                spans += pending.waiting
                characters += len(pending.document.text)
                if spans >= self.options.chunk_spans or characters >= self.options.chunk_characters:
                    if not put(("chunk", chunk)):
                        return
                    chunk, spans, characters = [], 0, 0
            if chunk and not put(("chunk", chunk)):
                return
            put(("end", None))
        except BaseException as err:  # handed to the main thread, which raises it
            put(("error", err))

    def _read_one(self, item: InputFile, outcome: FileOutcome, paths: dict[str, Path]) -> _Pending | None:
        fmt = item.fmt
        try:
            try:
                data = item.path.read_bytes()
            except OSError as err:
                raise InputError(f"{item.source}: cannot read: {err.strerror or err}") from None
            sha256 = hashlib.sha256(data).hexdigest()
            if not self.options.force and self._up_to_date(paths, sha256, fmt.name):
                outcome.status = "up to date"
                return None
            document = fmt.read(data, item.source, sha256=sha256)
            del data
            segments = segment_document(document.text, document.blocks)
        except InputError as err:
            outcome.fail(str(err))
            return None
        except Exception as err:  # a parser choking on one file must not stop the batch
            outcome.fail(f"{item.source}: cannot read as {fmt.name}: {type(err).__name__}: {err}")
            return None
        outcome.encoding = document.encoding
        outcome.spans = Counter(seg.lang for seg in segments)
        pending = _Pending(document, segments, outcome, fmt)
        for seg in segments:
            if seg.needs_translation:
                pending.waiting += 1
            else:
                seg.translation, seg.score = seg.text, None
        return pending

    def _up_to_date(self, paths: dict[str, Path], sha256: str, format_name: str) -> bool:
        """Whether the outputs on disk were made from these bytes, with these settings and models."""
        try:
            recorded = json.loads(paths["json"].read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return False
        if not isinstance(recorded, dict) or recorded.get("sha256") != sha256:
            return False
        if recorded.get("format", "txt") != format_name or recorded.get("settings") != self.settings:
            return False
        if not all(paths[kind].is_file() for kind in paths):
            return False
        revisions = recorded.get("revisions") or {}
        for lang, name in (recorded.get("models") or {}).items():
            if lang not in self.names or self.names[lang] != name or revisions.get(lang) != self.revision(lang):
                return False
        return True

    # -- translating a chunk -----------------------------------------------------------------------

    def _translate_chunk(self, chunk: list[_Pending]) -> None:
        from translate.align import transfer_alignment, with_alignment

        # Which segments (across the chunk's documents) wait for each model input text, per language.
        users: dict[str, dict[str, list[tuple[_Pending, int]]]] = {}
        for pending in chunk:
            for index, seg in enumerate(pending.segments):
                if seg.needs_translation:
                    users.setdefault(seg.lang, {}).setdefault(model_text(pending.fmt, seg.text), []).append((pending, index))
        for pending in chunk:
            if pending.waiting == 0:
                self._write(pending)
        for lang in TRANSLATED_LANGUAGES:
            if lang not in users:
                continue
            if lang not in self.resolved:
                self.resolved[lang] = resolve_model(lang, self.names[lang], self.root)
                with self._revision_lock:  # fingerprint the folder actually used (it may just have been downloaded)
                    self._revisions.pop(lang, None)
                self.contexts[lang] = self.memory.context({"model": self.revision(lang), **self.settings})
            waiting = users[lang]
            self.progress.spans_found(len(waiting))
            context = self.contexts[lang]

            def fill(pairs: list[tuple[str, Hypothesis]], lang=lang, waiting=waiting) -> None:
                for text, hypothesis in pairs:
                    for pending, index in waiting.pop(text, ()):
                        seg = pending.segments[index]
                        seg.translation, seg.score = hypothesis.text, hypothesis.score
                        seg.alignment = transfer_alignment(hypothesis.alignment, text, seg.text)
                        pending.hypotheses[index] = hypothesis
                        pending.waiting -= 1
                        if pending.waiting == 0:
                            self._write(pending)
                self.progress.spans_done(len(pairs))

            hits = self.memory.lookup(context, list(waiting))
            self.memory_hits += len(hits)
            fill(list(hits.items()))
            if not waiting:
                continue
            misses = list(waiting)

            def translated(pairs: list[tuple[str, Hypothesis]], context=context, fill=fill) -> None:
                pairs = [(text, with_alignment(text, hypothesis)) for text, hypothesis in pairs]
                self.memory.store(context, pairs)  # saved before anything else: a kill loses at most this batch
                self.model_translations += len(pairs)
                fill(pairs)

            from translate.translator import translate_texts

            hypotheses = translate_texts(self._engine(lang), misses, batch_size=self.options.engine.max_batch_size,
                                         on_translated=translated)
            leftover = [(text, hyp) for text, hyp in zip(misses, hypotheses) if text in waiting]
            if leftover:  # an engine path that did not report per batch
                translated(leftover)

    def _engine(self, lang: str):
        from translate.engines import load_engine

        path = self.resolved[lang].path
        if path not in self.engines:
            self.engines[path] = load_engine(path, self.options.engine)
        return self.engines[path]

    def _write(self, pending: _Pending) -> None:
        langs = sorted({seg.lang for seg in pending.segments if seg.needs_translation})
        translated = TranslatedDocument(
            pending.document, pending.segments,
            models={lang: self.resolved[lang].name for lang in langs},
            settings=self.settings,
            format=pending.fmt.name,
            revisions={lang: self.revision(lang) for lang in langs},
        )
        outcome = pending.outcome
        try:
            write_outputs(self.options.out_dir, translated, pending.fmt)
        except OSError as err:
            outcome.fail(f"{pending.document.source}: cannot write outputs: {err.strerror or err}")
        else:
            outcome.status = "translated"
        self.progress.file_done(outcome)
