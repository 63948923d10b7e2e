"""The Python API: the pipeline without a subprocess.

A ``Translator`` holds the settings of a run (models, engine, beams, translation memory...) and
loads each model once, on first use, for all later calls::

    from translate import Translator

    with Translator(models={"fr": "models/opus-mt-fr-en"}) as translator:
        result = translator.translate_text("Le chat dort. The dog barks.")
        print(result.english)
        summary = translator.translate_folder("seeds", "out")

The module-level functions (``translate_text``, ``translate_file``, ``translate_folder``) use a
translator made with default settings, or the one passed as ``translator=``. Options have the
CLI's names and defaults, and its errors are raised as exceptions (``InputError``,
``ModelUnavailable``, ``UsageError``; all are ``TranslateError``). ``detect`` and
``spot_check`` need no model.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from translate.batch import (
    BatchOptions, BatchProgress, BatchReport, FileOutcome, OutputLock, SilentProgress, check_batch_options, run_batch,
)
from translate.document import Segment
from translate.engines.base import EngineSettings
from translate.errors import InputError, UsageError
from translate.formats import FORMAT_NAMES, format_for, read_source
from translate.formats.base import TextFormat
from translate.review.api import apply_reviews, review_results
from translate.writers import TranslatedDocument

__all__ = [
    "Result", "Summary", "Translator", "apply_reviews", "detect", "review_results", "spot_check", "translate_file",
    "translate_folder", "translate_text",
]

Summary = BatchReport  # what translate_folder returns: per-file outcomes, counts, models, time
ProgressCallback = Callable[[int, int, FileOutcome], None]  # (files done, files in all, the file just done)


@dataclass
class Result:
    """One translated document: its spans with their translations, and the English document."""

    source: str  # the file's path, or "<text>"
    format: str  # txt, md, srt, html, docx, ... (translate.formats.FORMAT_NAMES)
    text: str  # the decoded input (for Word, EPUB, PO...: the document's text as the format reads it)
    segments: list[Segment]  # offsets into ``text``; translation, score and alignment filled
    english: str | bytes  # the English document, in the input's format: bytes for Word, OpenDocument, PowerPoint, EPUB
    models: dict[str, str] = field(default_factory=dict)  # language -> model used
    outputs: dict[str, Path] = field(default_factory=dict)  # files written (translate_file with out_dir)
    translated: TranslatedDocument | None = field(default=None, repr=False, compare=False)  # the writers' input

    def to_json(self) -> dict:
        """The batch JSON contract for this document (see the README)."""
        from translate.writers import json_writer

        return json_writer.to_json(self.translated)


class Translator:
    """Settings of the pipeline and the models it loaded; reuse one for many calls.

    ``models`` maps a language to a model (a local folder or a Hugging Face id), replacing that
    language's default (``Helsinki-NLP/opus-mt-{lang}-en``); ``"*"`` names the fallback model of
    languages without one. ``languages``: the languages translated, ``None`` (fr, es and those in
    ``models``), ``"auto"`` (every detected language with a model) or a list such as ``["fr", "it"]``,
    as the CLI's ``--languages``. ``engine``: ``auto``,
    ``ctranslate2`` or ``transformers``; ``device``: ``auto``, ``cpu`` or ``cuda``; ``beams``:
    None for the model's own; ``batch_size``: spans per model call; ``compute_type``:
    CTranslate2's weights type; ``alignment``: word alignment (one extra decoder pass);
    ``models_root``: where models are looked for and downloaded (default as the CLI's);
    ``cache``: the translation memory's path (default: in the models root); ``on_warning``
    receives warnings that do not stop the work (a corrupt memory set aside...; default:
    ``warnings.warn``).

    Raises ``UsageError`` for bad settings at once, and ``ModelUnavailable`` (naming every
    missing model) on the first call that needs the models.
    """

    def __init__(
        self,
        models: Mapping[str, str] | None = None,
        *,
        languages: str | Iterable[str] | None = None,
        device: str = "auto",
        beams: int | None = None,
        batch_size: int | None = None,
        engine: str = "auto",
        compute_type: str = "auto",
        alignment: bool = True,
        models_root: str | Path | None = None,
        cache: str | Path | None = None,
        on_warning: Callable[[str], None] | None = None,
    ):
        from translate.engines import check_engine_settings

        if beams is not None and beams < 1:
            raise UsageError("beams: must be at least 1")
        if batch_size is not None and batch_size < 1:
            raise UsageError("batch_size: must be at least 1")
        from translate.models import check_model_choice, parse_languages, parse_model_options

        self.models = parse_model_options([f"{lang}={name}" for lang, name in (models or {}).items()])
        # "auto" or the languages translated, in full.
        self.languages = check_model_choice(
            parse_languages(languages if languages is None or isinstance(languages, str) else list(languages)),
            self.models)
        self._plan = None  # translate.models.ModelPlan, made when first needed (auto looks for models)
        self.engine_settings = EngineSettings(
            engine=engine, device=device, beams=beams, max_batch_size=batch_size, compute_type=compute_type,
            attention=alignment,
        )
        check_engine_settings(self.engine_settings)
        self.models_root = Path(models_root) if models_root is not None else None
        self.cache = Path(cache) if cache is not None else None
        self.on_warning = on_warning or _warn
        self._session = None  # the memory, model registry and run identity, made on first use

    # -- the loaded models, shared by every call ---------------------------------------------------

    def _open(self):
        if self._session is None:
            from translate.memory import TranslationMemory, default_memory_path
            from translate.model_registry import ModelRegistry
            from translate.models import models_root
            from translate.stages import RunIdentity, generation_settings

            root = self.models_root or models_root()
            memory = TranslationMemory(self.cache or default_memory_path(root), on_warning=self.on_warning)
            try:
                registry = ModelRegistry.from_plan(self._model_plan(), root, self.engine_settings, memory)
                registry.resolve_all()
                identity = RunIdentity(generation_settings(self.engine_settings), dict(registry.names),
                                       registry.revisions())
            except BaseException:
                memory.close()
                raise
            self._session = _Session(memory, registry, identity)
        return self._session

    def _model_plan(self):
        if self._plan is None:
            from translate.models import models_root, plan_models

            self._plan = plan_models(self.languages, self.models, self.models_root or models_root())
        return self._plan

    def close(self) -> None:
        """Release the translation memory and the loaded models."""
        if self._session is not None:
            self._session.memory.close()
            self._session = None

    def __enter__(self) -> Translator:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- the calls -------------------------------------------------------------------------------

    def translate_text(self, text: str, *, format: str = "txt") -> Result:
        """Segment ``text`` (in a text format: txt, md, srt, html, vtt, ass, po, xliff), translate its French and Spanish
        spans, keep the English ones; the result holds the spans and the English document."""
        fmt = _format_named(format)
        data = text.encode("utf-8")
        document = fmt.read(data, "<text>", sha256=hashlib.sha256(data).hexdigest())
        return self._translate_document(document, fmt)

    def translate_file(self, path: str | Path, out_dir: str | Path | None = None) -> Result:
        """Translate one file (any format of ``translate batch``). With ``out_dir``, also write its
        outputs there as ``batch`` does (``NAME.json``, ``NAME.en.EXT``, ``NAME.html``).

        Raises ``InputError`` when the file cannot be read or decoded."""
        path = Path(path)
        if not path.is_file():
            raise InputError(f"{path}: not a file")
        fmt = format_for(path)
        if fmt is None:
            raise InputError(f"{path}: not a supported format (suffixes: {', '.join(_suffixes())})")
        result = self._translate_document(read_source(path, path.name, fmt=fmt), fmt)
        if out_dir is not None:
            from translate.stages import write_document
            from translate.writers import output_paths

            out = Path(out_dir)
            out.mkdir(parents=True, exist_ok=True)
            with OutputLock(out):
                outcome = write_document(out, result.translated, FileOutcome(path.name, format=fmt.name))
            if not outcome.ok:
                raise InputError(outcome.error)
            result.outputs = output_paths(out, path.name)
        return result

    def translate_folder(
        self,
        input_dir: str | Path,
        out_dir: str | Path = "out",
        *,
        formats: Iterable[str] | None = None,
        force: bool = False,
        on_progress: ProgressCallback | None = None,
        progress: BatchProgress | None = None,
        group_bytes: int | None = None,
        executor: str = "in-process",
        ray_address: str | None = None,
        ray_actors: int | None = None,
        ray_actor_cpus: int = 1,
    ) -> Summary:
        """What ``translate batch INPUT_DIR --out OUT_DIR`` does, with this translator's models.

        ``on_progress(done, total, outcome)`` is called as each file is translated, found up to
        date or fails; ``progress`` takes an object with all of ``translate.batch.BatchProgress``'s
        methods instead (spans too, as the CLI's progress bars). A file that fails does not stop
        the others: see ``Summary.failed``. ``group_bytes`` bounds the input bytes of a group of
        documents translated together (memory use), as the CLI's hidden ``--group-bytes``. ``executor="ray"`` runs it on Ray (see the
        README's "Scale-out on Ray"; ``ray_address``, ``ray_actors``, ``ray_actor_cpus`` as the CLI's)."""
        options = BatchOptions(
            input_dir=Path(input_dir), out_dir=Path(out_dir), models=self.models, languages=self.languages,
            engine=self.engine_settings,
            models_root=self.models_root, formats=parse_formats(formats), cache_path=self.cache, force=force,
            executor=executor, ray_address=ray_address, ray_actors=ray_actors, ray_actor_cpus=ray_actor_cpus,
        )
        if group_bytes:
            options.group_bytes = group_bytes
        check_batch_options(options)  # before the models: a wrong folder is reported without loading any
        session = self._open()
        if progress is None:
            progress = _CallbackProgress(on_progress) if on_progress else SilentProgress()
        return run_batch(options, progress, models=session.registry)

    # -- inside ------------------------------------------------------------------------------------

    def _translate_document(self, document, fmt) -> Result:
        from translate.segment import segment_source
        from translate.stages import FileOutcome as Outcome, SegmentedDocument, translated_document

        from translate.document import KEPT_LANGUAGES

        segments = segment_source(document)
        for seg in segments:
            if seg.lang in KEPT_LANGUAGES:  # other languages without a model keep translation None
                seg.translation, seg.score = seg.text, None
        plan = self._model_plan()
        translated_langs = frozenset(seg.lang for seg in segments if plan.translates(seg.lang))
        segmented = SegmentedDocument(document, segments, fmt.name, Outcome(document.source, format=fmt.name),
                                      translated_langs)
        session = self._open() if segmented.to_translate() else None
        if session is not None:
            session.fill(segmented, self.engine_settings.max_batch_size)
        identity = session.identity if session else _no_models_identity(self.engine_settings)
        translated = translated_document(segmented, identity)
        english = fmt.write(document, segments) if isinstance(fmt, TextFormat) else fmt.english_document(document, segments)
        return Result(document.source, fmt.name, document.text, segments, english,
                      dict(translated.models), translated=translated)


@dataclass
class _Session:
    memory: object
    registry: object
    identity: object

    def fill(self, segmented, batch_size: int | None) -> None:
        """Translate the document's spans: the memory first, the model for the rest (stored as made)."""
        from translate.stages import align, memory_context, remember, translate

        waiting: dict[str, dict[str, list[int]]] = {}
        for index, lang, text in segmented.to_translate():
            waiting.setdefault(lang, {}).setdefault(text, []).append(index)
        for lang, texts in waiting.items():
            self.registry.revision(lang)  # resolves a model left for when it is needed (languages="auto")
            context = memory_context(self.memory, self.identity, lang)
            found = self.memory.lookup(context, list(texts))
            misses = [text for text in texts if text not in found]
            if misses:
                translate(self.registry.engine(lang), misses, batch_size=batch_size,
                          on_translated=lambda pairs, context=context: found.update(remember(self.memory, context, pairs)))
            for text, indexes in texts.items():
                for index in indexes:
                    align(segmented.segments[index], found[text], text)


class _CallbackProgress(SilentProgress):
    def __init__(self, callback: ProgressCallback):
        self.callback = callback
        self.total = 0
        self.done = 0

    def start(self, files: int) -> None:
        self.total = files

    def file_done(self, outcome: FileOutcome) -> None:
        self.done += 1
        self.callback(self.done, self.total, outcome)


def _warn(message: str) -> None:
    import warnings

    warnings.warn(message, stacklevel=3)


def parse_formats(formats: Iterable[str] | str | None) -> tuple[str, ...]:
    """Format names as ``--formats`` takes them (``"md,html"`` or a list); all formats for None."""
    if formats is None:
        return FORMAT_NAMES
    names = formats.split(",") if isinstance(formats, str) else list(formats)
    chosen = tuple(dict.fromkeys(name.strip().lower().lstrip(".") for name in names if name.strip()))
    unknown = sorted(set(chosen) - set(FORMAT_NAMES))
    if unknown or not chosen:
        raise UsageError(f"--formats: unknown {', '.join(unknown) or '(none given)'}; choose from {','.join(FORMAT_NAMES)}")
    return chosen


def _format_named(name: str):
    from translate.formats import ALL_FORMATS

    for fmt in ALL_FORMATS:
        if fmt.name == name.lower().lstrip("."):
            return fmt
    raise UsageError(f"format: unknown {name!r}; choose from {','.join(FORMAT_NAMES)}")


def _suffixes() -> list[str]:
    from translate.formats import FORMATS

    return sorted(FORMATS)


def _no_models_identity(settings: EngineSettings):
    from translate.stages import RunIdentity, generation_settings

    return RunIdentity(generation_settings(settings), {}, {})


# -- functions over a default translator ------------------------------------------------------------

_default: Translator | None = None


def _translator(translator: Translator | None) -> Translator:
    global _default
    if translator is not None:
        return translator
    if _default is None:
        _default = Translator()
    return _default


def translate_text(text: str, *, format: str = "txt", translator: Translator | None = None) -> Result:
    """``Translator().translate_text``, with a default translator kept for later calls."""
    return _translator(translator).translate_text(text, format=format)


def translate_file(path: str | Path, out_dir: str | Path | None = None, *,
                   translator: Translator | None = None) -> Result:
    """``Translator().translate_file``, with a default translator kept for later calls."""
    return _translator(translator).translate_file(path, out_dir)


def translate_folder(input_dir: str | Path, out_dir: str | Path = "out", *, formats: Iterable[str] | None = None,
                     force: bool = False, on_progress: ProgressCallback | None = None,
                     translator: Translator | None = None) -> Summary:
    """``Translator().translate_folder``, with a default translator kept for later calls."""
    return _translator(translator).translate_folder(input_dir, out_dir, formats=formats, force=force,
                                                    on_progress=on_progress)


def detect(text: str, *, format: str = "txt") -> list[Segment]:
    """The language spans of ``text`` exactly as ``batch`` segments it (no model needed):
    offsets into ``text`` (for txt; into the decoded document for other formats), ``lang``
    one of fr, es, en or und."""
    from translate.segment import segment_source

    fmt = _format_named(format)
    data = text.encode("utf-8")
    document = fmt.read(data, "<text>", sha256=hashlib.sha256(data).hexdigest())
    return segment_source(document)


def spot_check(
    out_dir: str | Path,
    *,
    sample: int = 20,
    seed: int = 0,
    thresholds: Mapping[str, object] | None = None,
    round_trip: bool = True,
):
    """Check what ``translate batch`` wrote to ``out_dir``: flags, score and a reproducible sample.

    Returns a ``SpotCheck`` with ``summary`` (``.score``, flag counts, worst documents),
    ``documents``, ``sample`` and ``warnings``. ``thresholds`` changes signal thresholds by name
    (as ``--threshold NAME=VALUE``). Raises ``UsageError`` when ``out_dir`` holds no batch output."""
    from translate.spotcheck.run import run_spot_check

    assignments = [f"{name}={value}" for name, value in (thresholds or {}).items()]
    return run_spot_check(Path(out_dir), sample=sample, seed=seed, thresholds=assignments, round_trip=round_trip)

