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
``ModelUnavailable``, ``UsageError``; all are ``TranslateError``), naming the parameters (not
the CLI's options); an argument of the wrong type raises ``TypeError``. ``detect`` and
``spot_check`` need no model.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from translate.arguments import (
    api_boundary, bool_argument, int_argument, languages_argument, model_choices, optional_path_argument,
    path_argument, str_argument, text_argument,
)
from translate.batch import BatchProgress, BatchReport, FileOutcome, OutputLock, SilentProgress, run_batch
from translate.document import Span
from translate.engines.base import EngineSettings
from translate.errors import InputError, UsageError
from translate.formats import format_for, format_named, read_source
from translate.formats.base import EnglishDocument
from translate.outdir import check_output_folder, create_output_folder
from translate.review.api import apply_reviews, review_results
from translate.settings import RaySettings, RunSettings
from translate.writers import TranslatedDocument, with_english

if TYPE_CHECKING:  # spot-check's modules load on first use
    from translate.spotcheck.run import SpotCheck

__all__ = [
    "Result", "Summary", "Translator", "apply_reviews", "detect", "review_results", "spot_check", "translate_file",
    "translate_folder", "translate_text",
]

Summary = BatchReport  # what translate_folder returns: per-file outcomes, counts, models, time
ProgressCallback = Callable[[int, int, FileOutcome], None]  # (files done, files in all, the file just done)


@dataclass
class Result:
    """One translated document: its spans with their translations, and the English document.

    Attributes:
        source: the file's name, or ``"<text>"``.
        format: the format's name (txt, md, srt, html, docx, ...: ``translate.formats.FORMAT_NAMES``).
        text: the decoded input (for Word, EPUB, PO...: the document's text as the format reads it).
        segments: the spans, offsets into ``text``, with translation, score, word alignment and
            inline markup records filled.
        english: the English document in the input's format: a string for text formats, bytes for
            Word, OpenDocument, PowerPoint and EPUB.
        models: language -> model used.
        outputs: the files written, by kind (``translate_file`` with ``out_dir``).
    """

    source: str  # the file's path, or "<text>"
    format: str  # txt, md, srt, html, docx, ... (translate.formats.FORMAT_NAMES)
    text: str  # the decoded input (for Word, EPUB, PO...: the document's text as the format reads it)
    segments: list[Span]  # offsets into ``text``; translation, score and alignment filled
    english: str | bytes  # the English document, in the input's format: bytes for Word, OpenDocument, PowerPoint, EPUB
    models: dict[str, str] = field(default_factory=dict)  # language -> model used
    outputs: dict[str, Path] = field(default_factory=dict)  # files written (translate_file with out_dir)
    translated: TranslatedDocument | None = field(default=None, repr=False, compare=False)  # the writers' input
    written: EnglishDocument | None = field(default=None, repr=False, compare=False)  # the format's English value

    def to_json(self) -> dict:
        """The batch JSON contract for this document.

        Returns:
            What ``translate batch`` writes as ``NAME.json`` (contract version, source, models,
            settings and the spans).
        """
        from translate.writers import json_writer

        return json_writer.to_json(self.translated)


class Translator:
    """Settings of the pipeline and the models it loaded; reuse one for many calls.

    Models are loaded once, on the first call that needs them, and the translation memory is
    shared by every call; ``close`` (or a ``with`` block) releases them.

    Args:
        models: language -> model (a local folder or a Hugging Face id), replacing that language's
            default (``Helsinki-NLP/opus-mt-{lang}-en``); ``"*"`` names the fallback model of
            languages without one.
        languages: the languages translated: None (fr, es and those in ``models``), ``"auto"``
            (every detected language with a model) or a list such as ``["fr", "it"]``, as the
            CLI's ``--languages``.
        device: ``"auto"``, ``"cpu"`` or ``"cuda"``.
        beams: beam size; None for the model's own.
        batch_size: spans per model call; None for the engine's default.
        engine: ``"auto"``, ``"ctranslate2"`` or ``"transformers"``.
        compute_type: CTranslate2's weights type (``"auto"``, ``"int8"``, ...).
        alignment: compute word alignment (one extra decoder pass).
        models_root: where models are looked for and downloaded (default as the CLI's).
        cache: the translation memory's path (default: in the models root).
        on_warning: receives warnings that do not stop the work (a corrupt memory set aside...);
            default: ``warnings.warn``.

    Raises:
        TypeError: a setting of the wrong type (``models={"fr": None}``, ``beams="4"``...).
        UsageError: a bad setting (at once).
        ModelUnavailable: naming every missing model, on the first call that needs the models.
    """

    @api_boundary
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
        threads: int | None = None,
        alignment: bool = True,
        models_root: str | Path | None = None,
        cache: str | Path | None = None,
        on_warning: Callable[[str], None] | None = None,
    ):
        from translate.engines import check_engine_settings

        models = model_choices(models)
        languages = languages_argument(languages)
        for name, value in (("device", device), ("engine", engine), ("compute_type", compute_type)):
            str_argument(name, value)
        int_argument("beams", beams, optional=True)
        int_argument("batch_size", batch_size, optional=True)
        int_argument("threads", threads, optional=True)
        bool_argument("alignment", alignment)
        models_root = optional_path_argument("models_root", models_root)
        cache = optional_path_argument("cache", cache)
        if on_warning is not None and not callable(on_warning):
            raise TypeError(f"on_warning: expected a callable taking the warning's text, "
                            f"got {type(on_warning).__name__}")
        if beams is not None and beams < 1:
            raise UsageError("beams: must be at least 1")
        if batch_size is not None and batch_size < 1:
            raise UsageError("batch_size: must be at least 1")
        from translate.models import check_model_choice, parse_languages, parse_model_options

        self.models = parse_model_options([f"{lang}={name}" for lang, name in models.items()])
        # "auto" or the languages translated, in full.
        self.languages = check_model_choice(parse_languages(languages), self.models)
        self._plan = None  # translate.models.ModelPlan, made when first needed (auto looks for models)
        self.engine_settings = EngineSettings(
            engine=engine, device=device, beams=beams, max_batch_size=batch_size, compute_type=compute_type,
            threads=threads, attention=alignment,
        )
        check_engine_settings(self.engine_settings)
        self.models_root = models_root
        self.cache = cache
        self.on_warning = on_warning or _warn
        self._session = None  # the memory, model registry and run identity, made on first use

    # -- the loaded models, shared by every call ---------------------------------------------------

    def _open(self):
        if self._session is None:
            from translate.session import Session

            self._session = Session.open(self._model_plan(), self.engine_settings, models_root=self.models_root,
                                         cache_path=self.cache, on_warning=self.on_warning)
        return self._session

    def _model_plan(self):
        if self._plan is None:
            from translate.models import models_root, plan_models

            self._plan = plan_models(self.languages, self.models, self.models_root or models_root())
        return self._plan

    def close(self) -> None:
        """Release the translation memory and the loaded models (a later call loads them again)."""
        if self._session is not None:
            self._session.close()
            self._session = None

    def __enter__(self) -> Translator:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- the calls -------------------------------------------------------------------------------

    @api_boundary
    def translate_text(self, text: str, *, format: str = "txt") -> Result:
        """Span ``text``, translate its spans in the translated languages, keep the English ones.

        Args:
            text: the document's text.
            format: a text format: txt, md, srt, html, vtt, ass, po or xliff.

        Returns:
            The spans and the English document (``Result.english``, a string).

        Raises:
            TypeError: ``text`` or ``format`` is not a str.
            UsageError: an unknown format.
            InputError: ``text`` cannot be read in that format, or is not valid Unicode (a lone surrogate).
            ModelUnavailable: a model the text needs cannot be found or downloaded.
        """
        fmt = format_named(str_argument("format", format))
        data = text_argument("text", text).encode("utf-8")
        document = fmt.read(data, "<text>", sha256=hashlib.sha256(data).hexdigest())
        return self._translate_document(document, fmt)

    @api_boundary
    def translate_file(self, path: str | Path, out_dir: str | Path | None = None) -> Result:
        """Translate one file (any format of ``translate batch``).

        Args:
            path: the file.
            out_dir: also write its outputs there, as ``batch`` does (``NAME.json``,
                ``NAME.en.EXT``, ``NAME.html``, and ``NAME.bilingual.epub`` for an EPUB).

        Returns:
            The spans and the English document (``Result.outputs``: the files written).

        Raises:
            TypeError: ``path`` or ``out_dir`` is not a path.
            UsageError: ``out_dir`` exists and is not a folder, or is the file itself (found before
                any model is loaded).
            TranslateError: ``out_dir`` cannot be made (a file in its path) or written to.
            InputError: the file cannot be read or decoded, is not a supported format, or its
                outputs cannot be written (or would replace a file that ``translate`` did not write).
            ModelUnavailable: a model the file needs cannot be found or downloaded.
        """
        path = path_argument("path", path)
        out = optional_path_argument("out_dir", out_dir)
        if out is not None:
            check_output_folder(out, [path])
        if not path.is_file():
            raise InputError(f"{path}: not a file")
        fmt = format_for(path)
        if fmt is None:
            raise InputError(f"{path}: not a supported format (suffixes: {', '.join(_suffixes())})")
        result = self._translate_document(read_source(path, path.name, fmt=fmt), fmt)
        if out is not None:
            from translate.stages import write_document
            from translate.writers import output_paths

            create_output_folder(out)
            with OutputLock(out):
                outcome = write_document(out, result.translated, FileOutcome(path.name, format=fmt.name),
                                         result.written)
            if not outcome.ok:
                raise InputError(outcome.error)
            result.outputs = output_paths(out, path.name)
        return result

    @api_boundary
    def translate_folder(
        self,
        input_dir: str | Path,
        out_dir: str | Path = "out",
        *,
        formats: Iterable[str] | str | None = None,
        force: bool = False,
        progress: BatchProgress | ProgressCallback | None = None,
        group_bytes: int | None = None,
        executor: str = "in-process",
        ray: RaySettings | None = None,
        retranslate: bool = False,
        include_hidden: bool = False,
    ) -> Summary:
        """What ``translate batch INPUT_DIR --out OUT_DIR`` does, with this translator's models.

        Args:
            input_dir: the folder of documents (searched recursively).
            out_dir: the output folder.
            formats: the formats translated (names, or ``"md,html"``); default: all.
            force: redo files whose outputs are up to date.
            progress: a callable ``(files done, files in all, outcome)`` called as each file is
                translated, found up to date or fails; or an object with all of
                ``translate.batch.BatchProgress``'s methods (spans too, as the CLI's progress bars).
            group_bytes: input bytes per group of documents translated together (memory use), as
                the CLI's hidden ``--group-bytes``.
            executor: ``"in-process"`` or ``"ray"``.
            ray: Ray's options (``address``, ``actors``, ``actor_cpus``), with ``executor="ray"``.
            retranslate: replace the English translations PO files already have (default: keep
                them; ``Summary.kept_translations`` counts those kept).
            include_hidden: also translate hidden files and folders (``.git/``, ``.venv/``, ``.notes.md``).

        Returns:
            The run's summary; a file that fails does not stop the others (``Summary.failed``).

        Raises:
            TypeError: an argument of the wrong type.
            UsageError: a bad folder (``out_dir`` the input folder or inside it, or a file), format,
                executor or Ray option (before any model is loaded).
            TranslateError: ``out_dir`` cannot be made (a file in its path) or written to.
            ModelUnavailable: a model cannot be found or downloaded (nothing is created then).
            OutputLockedError: another run writes to ``out_dir``.
        """
        if progress is not None and not callable(progress) and not hasattr(progress, "file_done"):
            raise TypeError(f"progress: expected a callable or a BatchProgress, got {type(progress).__name__}")
        settings = RunSettings(
            input_dir=input_dir, out_dir=out_dir, models=self.models, languages=self.languages,
            engine=self.engine_settings, models_root=self.models_root,
            formats=formats, cache_path=self.cache, force=force, executor=executor,
            ray=RaySettings() if ray is None else ray, retranslate=retranslate, include_hidden=include_hidden,
            **({"group_bytes": int_argument("group_bytes", group_bytes)} if group_bytes is not None else {}),
        )
        session = self._open()
        if progress is None:
            progress = SilentProgress()
        elif not hasattr(progress, "file_done"):
            progress = _CallbackProgress(progress)
        return run_batch(settings, progress, session=session)

    # -- inside ------------------------------------------------------------------------------------

    def _translate_document(self, document, fmt) -> Result:
        from translate.document import KEPT_LANGUAGES
        from translate.plan import GroupPlan
        from translate.segment import segment_source
        from translate.stages import FileOutcome as Outcome, RunIdentity, SegmentedDocument, generation_settings
        from translate.stages import translated_document

        segments = segment_source(document)
        for seg in segments:
            if seg.lang in KEPT_LANGUAGES:  # other languages without a model keep translation None
                seg.translation, seg.score = seg.text, None
        plan = self._model_plan()
        translated_langs = frozenset(seg.lang for seg in segments if plan.translates(seg.lang))
        segmented = SegmentedDocument(document, segments, fmt.name, Outcome(document.source, format=fmt.name),
                                      translated_langs)
        if segmented.to_translate():
            session = self._open()
            GroupPlan(session, on_done=lambda pending: None,
                      batch_size=self.engine_settings.max_batch_size).run([segmented])
            identity = session.identity
        else:
            identity = RunIdentity(generation_settings(self.engine_settings), {}, {})
        english = fmt.english(document, segments)
        translated = with_english(translated_document(segmented, identity), english)
        return Result(document.source, fmt.name, document.text, translated.segments,
                      english.text if english.text is not None else english.data, dict(translated.models),
                      translated=translated, written=english)


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


def _suffixes() -> list[str]:
    from translate.formats import FORMATS

    return sorted(FORMATS)


# -- functions over a default translator ------------------------------------------------------------

_default: Translator | None = None


def _translator(translator: Translator | None) -> Translator:
    global _default
    if translator is not None:
        return translator
    if _default is None:
        _default = Translator()
    return _default


@api_boundary
def translate_text(text: str, *, format: str = "txt", translator: Translator | None = None) -> Result:
    """Translate ``text`` with ``translator``, or a default ``Translator`` kept for later calls.

    Args:
        text: the document's text.
        format: a text format: txt, md, srt, html, vtt, ass, po or xliff.
        translator: the translator to use; default: one with default settings.

    Returns:
        The spans and the English document.

    Raises:
        UsageError: an unknown format.
        InputError: ``text`` cannot be read in that format.
        ModelUnavailable: a model the text needs cannot be found or downloaded.
    """
    return _translator(translator).translate_text(text, format=format)


@api_boundary
def translate_file(path: str | Path, out_dir: str | Path | None = None, *,
                   translator: Translator | None = None) -> Result:
    """Translate one file with ``translator``, or a default ``Translator`` kept for later calls.

    Args:
        path: the file (any format of ``translate batch``).
        out_dir: also write its outputs there, as ``batch`` does.
        translator: the translator to use; default: one with default settings.

    Returns:
        The spans and the English document.

    Raises:
        InputError: the file cannot be read, is not supported, or its outputs cannot be written.
        ModelUnavailable: a model the file needs cannot be found or downloaded.
    """
    return _translator(translator).translate_file(path, out_dir)


@api_boundary
def translate_folder(input_dir: str | Path, out_dir: str | Path = "out", *, formats: Iterable[str] | str | None = None,
                     force: bool = False, progress: BatchProgress | ProgressCallback | None = None,
                     executor: str = "in-process", ray: RaySettings | None = None,
                     retranslate: bool = False, include_hidden: bool = False,
                     translator: Translator | None = None) -> Summary:
    """What ``translate batch`` does, with ``translator`` or a default ``Translator`` kept for later calls.

    Args:
        input_dir: the folder of documents (searched recursively).
        out_dir: the output folder.
        formats: the formats translated (names, or ``"md,html"``); default: all.
        force: redo files whose outputs are up to date.
        progress: a callable ``(files done, files in all, outcome)``, or a
            ``translate.batch.BatchProgress``.
        executor: ``"in-process"`` or ``"ray"`` (as ``Translator.translate_folder``).
        ray: Ray's options (``address``, ``actors``, ``actor_cpus``), with ``executor="ray"``.
        retranslate: replace the English translations PO files already have (default: keep them).
        include_hidden: also translate hidden files and folders.
        translator: the translator to use; default: one with default settings.

    Returns:
        The run's summary (``Summary.failed``: the files that failed; the others are written).

    Raises:
        UsageError: a bad folder or format.
        ModelUnavailable: a model cannot be found or downloaded.
        OutputLockedError: another run writes to ``out_dir``.
    """
    return _translator(translator).translate_folder(input_dir, out_dir, formats=formats, force=force,
                                                    progress=progress, executor=executor, ray=ray,
                                                    retranslate=retranslate, include_hidden=include_hidden)


@api_boundary
def detect(text: str, *, format: str = "txt") -> list[Span]:
    """The language spans of ``text`` exactly as ``batch`` segments it (no model needed).

    Args:
        text: the document's text.
        format: a text format: txt, md, srt, html, vtt, ass, po or xliff.

    Returns:
        The spans: offsets into ``text`` (for txt; into the decoded document for other formats),
        ``lang`` a language code (fr, es, en, ...) or ``und``.

    Raises:
        TypeError: ``text`` or ``format`` is not a str.
        UsageError: an unknown format.
        InputError: ``text`` cannot be read in that format, or is not valid Unicode (a lone surrogate).
    """
    from translate.segment import segment_source

    fmt = format_named(str_argument("format", format))
    data = text_argument("text", text).encode("utf-8")
    document = fmt.read(data, "<text>", sha256=hashlib.sha256(data).hexdigest())
    return segment_source(document)


@api_boundary
def spot_check(
    out_dir: str | Path,
    *,
    sample: int = 20,
    seed: int = 0,
    thresholds: Mapping[str, object] | None = None,
    round_trip: bool = True,
) -> SpotCheck:
    """Check what ``translate batch`` wrote to ``out_dir``: flags, score and a reproducible sample.

    Args:
        out_dir: a batch run's output folder.
        sample: how many spans to sample for reading.
        seed: the sample's random seed (the same seed gives the same sample).
        thresholds: signal thresholds by name, as ``--threshold NAME=VALUE``.
        round_trip: run the round-trip signal (needs the models).

    Returns:
        A ``SpotCheck`` with ``summary`` (``.score``, flag counts, worst documents), ``documents``,
        ``sample`` and ``warnings``; ``skipped`` names the batch JSON files that could not be read
        and ``documents_skipped`` counts them (the score covers only the others: the CLI exits 1).

    Raises:
        TypeError: an argument of the wrong type.
        UsageError: ``out_dir`` holds no batch output, a negative ``sample``, or a bad threshold.
    """
    from translate.spotcheck.run import run_spot_check

    out_dir = path_argument("out_dir", out_dir)
    int_argument("sample", sample)
    int_argument("seed", seed)
    bool_argument("round_trip", round_trip)
    if thresholds is not None and not isinstance(thresholds, Mapping):
        raise TypeError(f"thresholds: expected a mapping of signal name to value, got {type(thresholds).__name__}")
    assignments = [f"{name}={value}" for name, value in (thresholds or {}).items()]
    return run_spot_check(out_dir, sample=sample, seed=seed, thresholds=assignments, round_trip=round_trip)

