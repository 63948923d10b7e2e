"""Batch: translate every supported file under a folder, writing outputs under another.

read -> segment every file, resolve and load the models the run needs, translate the
spans of the whole run together (one batch stream per model, duplicates once), then
write each document's outputs. A file that cannot be read is recorded as failed and
the run goes on.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from translate.document import TRANSLATED_LANGUAGES, Segment, SourceDocument
from translate.engines.base import EngineSettings
from translate.errors import InputError, UsageError
from translate.formats import FORMATS, format_for, read_source
from translate.models import ResolvedModel, configured_models, resolve_model
from translate.segment import segment_document
from translate.writers import TranslatedDocument, write_outputs


@dataclass
class BatchOptions:
    input_dir: Path
    out_dir: Path
    models: dict[str, str] = field(default_factory=dict)  # overrides of the default model per language
    engine: EngineSettings = field(default_factory=EngineSettings)
    models_root: Path | None = None


@dataclass
class FileOutcome:
    source: str
    error: str | None = None
    spans: Counter = field(default_factory=Counter)  # spans per language

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass
class BatchReport:
    out_dir: Path
    outcomes: list[FileOutcome]
    models: dict[str, str]
    seconds: float

    @property
    def failed(self) -> list[FileOutcome]:
        return [o for o in self.outcomes if not o.ok]

    @property
    def succeeded(self) -> list[FileOutcome]:
        return [o for o in self.outcomes if o.ok]

    def span_counts(self) -> Counter:
        return sum((o.spans for o in self.succeeded), Counter())


class BatchProgress(Protocol):
    """What a run reports as it goes; the CLI shows it as progress bars or log lines."""

    def stage(self, name: str, total: int) -> None: ...

    def advance(self, done: int) -> None: ...

    def file_failed(self, outcome: FileOutcome) -> None: ...


class SilentProgress:
    def stage(self, name: str, total: int) -> None:
        pass

    def advance(self, done: int) -> None:
        pass

    def file_failed(self, outcome: FileOutcome) -> None:
        pass


def discover_inputs(input_dir: Path, out_dir: Path) -> list[Path]:
    """Supported files under ``input_dir``, sorted; the output folder is skipped when it lies inside."""
    out_resolved = out_dir.resolve()
    found = []
    for path in sorted(input_dir.rglob("*")):
        if path.suffix.lower() not in FORMATS or not path.is_file():
            continue
        if out_resolved == path.resolve().parent or out_resolved in path.resolve().parents:
            continue
        found.append(path)
    return found


def run_batch(options: BatchOptions, progress: BatchProgress | None = None) -> BatchReport:
    progress = progress or SilentProgress()
    started = time.perf_counter()
    if not options.input_dir.is_dir():
        raise UsageError(f"{options.input_dir}: input folder does not exist or is not a folder")
    inputs = discover_inputs(options.input_dir, options.out_dir)

    outcomes: list[FileOutcome] = []
    documents: list[tuple[SourceDocument, list[Segment], FileOutcome]] = []
    progress.stage("reading", len(inputs))
    for done, path in enumerate(inputs, 1):
        source = path.relative_to(options.input_dir).as_posix()
        outcome = FileOutcome(source)
        outcomes.append(outcome)
        try:
            document = read_source(path, source)
            segments = segment_document(document.text, document.blocks)
        except InputError as err:
            outcome.error = str(err)
            progress.file_failed(outcome)
        else:
            outcome.spans = Counter(seg.lang for seg in segments)
            documents.append((document, segments, outcome))
        progress.advance(done)

    names = configured_models(options.models)
    present = {seg.lang for _, segments, _ in documents for seg in segments}
    needed = [lang for lang in TRANSLATED_LANGUAGES if lang in present]
    resolved = {lang: resolve_model(lang, names[lang], options.models_root) for lang in needed}
    engine_used = _translate_segments(
        [seg for _, segments, _ in documents for seg in segments], resolved, options.engine, progress
    )

    models_used = {lang: model.name for lang, model in resolved.items()}
    settings = {**engine_used, "beams": options.engine.beams}
    progress.stage("writing", len(documents))
    for done, (document, segments, outcome) in enumerate(documents, 1):
        translated = TranslatedDocument(document, segments, models_used, settings)
        try:
            write_outputs(options.out_dir, translated, format_for(Path(document.source)))
        except OSError as err:
            outcome.error = f"{document.source}: cannot write outputs: {err.strerror or err}"
            progress.file_failed(outcome)
        progress.advance(done)
    return BatchReport(options.out_dir, outcomes, models_used, time.perf_counter() - started)


def _translate_segments(
    segments: list[Segment], models: dict[str, ResolvedModel], settings: EngineSettings, progress: BatchProgress
) -> dict:
    """Fill translation and score of every segment; spans of the whole run share batches per model.
    Returns the record of the engine actually used (name, compute type)."""
    from translate.engines import engine_record, load_engine
    from translate.translator import translate_texts

    for seg in segments:
        if not seg.needs_translation:
            seg.translation, seg.score = seg.text, None
    by_model: dict[Path, list[Segment]] = {}
    for seg in segments:
        if seg.needs_translation:
            by_model.setdefault(models[seg.lang].path, []).append(seg)
    total = len({(path, seg.text) for path, segs in by_model.items() for seg in segs})
    progress.stage("translating", total)
    done_before = 0
    engine = None
    for path, segs in by_model.items():
        engine = load_engine(path, settings)
        base = done_before
        hypotheses = translate_texts(
            engine, [seg.text for seg in segs], batch_size=settings.max_batch_size,
            on_progress=lambda done, _total, base=base: progress.advance(base + done),
        )
        for seg, hypothesis in zip(segs, hypotheses):
            seg.translation, seg.score = hypothesis.text, hypothesis.score
        done_before += len({seg.text for seg in segs})
    return engine_record(engine, settings)
