"""The stages of a batch run, as plain functions over picklable documents.

    discover (translate.discover) -> read_and_segment -> (memory lookup) -> translate -> align
    -> write_document -> write_run_files

Each function takes what it needs as arguments (no run object), so the in-process run
(``translate.batch``) and a distributed executor call the same code. The memory and the model
registry stay with the caller: the translate stage takes an engine, not a registry.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from translate.discover import InputFile
from translate.document import KEPT_LANGUAGES, TRANSLATED_LANGUAGES, Span, SourceDocument
from translate.engines.base import EngineSettings, Hypothesis
from translate.errors import InputError
from translate.formats import format_named, model_text, read_source
from translate.formats.base import EnglishDocument, ReadOptions
from translate.models import model_key
from translate.segment import SEGMENTER_VERSION
from translate.writers.json_writer import CONTRACT_VERSION
from translate.stagetimes import NO_STAGE_TIMES
from translate.writers import TranslatedDocument, output_paths, write_outputs
from translate.writers.run_files import write_run_files  # noqa: F401  (the last stage, re-exported)

# Engine settings that change how fast a translation is made, not what it is.
_RUNTIME_ONLY_SETTINGS = frozenset({"device", "max_batch_size", "threads"})


@dataclass
class FileOutcome:
    source: str
    error: str | None = None  # the message shown: "<source>: <reason>"
    spans: Counter = field(default_factory=Counter)  # spans per language
    untranslated: Counter = field(default_factory=Counter)  # spans per language the run has no model for
    status: str = "pending"  # "translated", "up to date" or "failed"
    reason: str | None = None  # why it failed, without the file name (for index pages)
    format: str | None = None
    encoding: str | None = None
    kept_translations: int = 0  # units that keep the translation the file had (PO msgstr), not translated

    @property
    def ok(self) -> bool:
        return self.error is None

    def fail(self, message: str) -> None:
        self.status = "failed"
        self.error = message
        prefix = f"{self.source}: "
        self.reason = message[len(prefix):] if message.startswith(prefix) else message


@dataclass(frozen=True)
class RunIdentity:
    """What decides the content of a run's outputs: the generation settings and the models
    (configured name and content fingerprint per language). Outputs made with the same identity
    from the same bytes are up to date."""

    settings: dict
    models: dict[str, str]  # lang (or "*", the fallback) -> configured name
    # lang (or "*") -> fingerprint of the model folder; a model resolved later in the run is added
    # then (the registry's dict), and until then outputs it made are not taken as up to date.
    revisions: dict[str, str]
    # The segmenter that cut the spans: outputs of another one are redone (translations come from
    # the memory when a span's text did not change).
    segmenter: int = SEGMENTER_VERSION

    def translates(self, lang: str) -> bool:
        return model_key(self.models, lang) is not None

    def model_name(self, lang: str) -> str | None:
        key = model_key(self.models, lang)
        return None if key is None else self.models[key]

    def revision(self, lang: str) -> str | None:
        key = model_key(self.models, lang)
        return None if key is None else self.revisions.get(key)


@dataclass
class SegmentedDocument:
    """A document read and segmented; the translate and align stages fill its segments."""

    document: SourceDocument
    segments: list[Span]
    format: str  # name of the input's format
    outcome: FileOutcome
    # The languages of the document the run translates (those with a model); spans in others keep
    # ``translation`` None.
    translated_langs: frozenset[str] = frozenset(TRANSLATED_LANGUAGES)

    def to_translate(self) -> list[tuple[int, str, str]]:
        """``(segment index, language, model input text)`` of each segment to translate, in order."""
        fmt = format_named(self.format)
        return [(index, seg.lang, model_text(fmt, seg.text))
                for index, seg in enumerate(self.segments) if seg.lang in self.translated_langs]

    def waiting(self) -> int:
        """Segments to translate."""
        return sum(seg.lang in self.translated_langs for seg in self.segments)


def generation_settings(engine: EngineSettings) -> dict:
    """The settings that decide what a translation is (recorded in the JSON, part of the memory key),
    with the engine and compute type actually used rather than ``auto``."""
    from translate.engines import planned_engine_record

    settings = {key: value for key, value in asdict(engine).items() if key not in _RUNTIME_ONLY_SETTINGS}
    return {**settings, **planned_engine_record(engine)}


# -- read and segment ---------------------------------------------------------------------------


def read_and_segment(
    item: InputFile, out_dir: Path, identity: RunIdentity, *, force: bool = False,
    options: ReadOptions | None = None, times=NO_STAGE_TIMES,
) -> SegmentedDocument | FileOutcome:
    """Read, decode and segment one input file.

    Returns the segmented document (English and ``und`` spans already carry their text as their
    translation; spans in a language the run does not translate keep ``translation`` None), or
    its final outcome: "up to date" when its outputs in ``out_dir`` were made
    from the same bytes with the same identity and read ``options`` (unless ``force``), "failed" when it cannot be
    read, decoded or segmented. ``times`` (a ``translate.stagetimes.StageTimes``) times the
    read_decode, resume_check and segment stages.
    """
    from translate.segment import segment_source

    fmt = format_named(item.format).reading(options)
    outcome = FileOutcome(item.source, format=item.format)
    try:
        with times.stage("read_decode"):
            try:
                data = item.path.read_bytes()
            except OSError as err:
                raise InputError(f"{item.source}: cannot read: {err.strerror or err}") from None
            sha256 = hashlib.sha256(data).hexdigest()
        with times.stage("resume_check"):
            up_to_date = not force and outputs_up_to_date(output_paths(out_dir, item.source), sha256, item.format,
                                                          identity, fmt.options_used())
        if up_to_date:
            outcome.status = "up to date"
            return outcome
        with times.stage("read_decode"):
            document = read_source(item.path, item.source, data=data, fmt=fmt)
        del data
        try:
            with times.stage("segment"):
                segments = segment_source(document)
        except Exception as err:  # a segmenter failure on one file must not stop the batch
            raise InputError(f"{item.source}: cannot read as {fmt.name}: {type(err).__name__}: {err}") from None
    except InputError as err:
        outcome.fail(str(err))
        return outcome
    outcome.encoding = document.encoding
    outcome.kept_translations = len(document.kept_translations)
    outcome.spans = Counter(seg.lang for seg in segments)
    translated_langs = frozenset(lang for lang in outcome.spans if identity.translates(lang))
    outcome.untranslated = Counter({lang: count for lang, count in outcome.spans.items()
                                    if lang not in KEPT_LANGUAGES and lang not in translated_langs})
    for seg in segments:
        if seg.lang in KEPT_LANGUAGES:
            seg.translation, seg.score = seg.text, None
    return SegmentedDocument(document, segments, item.format, outcome, translated_langs)


def outputs_up_to_date(paths: dict[str, Path], sha256: str, format_name: str, identity: RunIdentity,
                       read_options: dict | None = None) -> bool:
    """Whether the outputs on disk were made from these bytes, with these settings and models, read
    with these options (``Format.options_used``: a PO catalogue read with or without --retranslate)."""
    try:
        recorded = json.loads(paths["json"].read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if not isinstance(recorded, dict) or recorded.get("sha256") != sha256:
        return False
    if recorded.get("contract") != CONTRACT_VERSION:  # made by a version that read or wrote the format otherwise
        return False
    if recorded.get("format", "txt") != format_name or recorded.get("settings") != identity.settings:
        return False
    if recorded.get("read_options", {}) != (read_options or {}):
        return False
    if recorded.get("segmenter") != identity.segmenter:  # spans cut by another segmenter
        return False
    if not all(paths[kind].is_file() for kind in paths):
        return False
    revisions = recorded.get("revisions") or {}
    for lang, name in (recorded.get("models") or {}).items():
        if identity.model_name(lang) != name or revisions.get(lang) != identity.revision(lang):
            return False
    # A span left untranslated (no model then) in a language this run translates.
    segments = recorded.get("segments", [])
    return isinstance(segments, list) and not any(
        isinstance(seg, dict) and seg.get("translation") is None and identity.translates(seg.get("lang"))
        for seg in segments)


# -- memory, translate and align -----------------------------------------------------------------


def memory_context(memory, identity: RunIdentity, lang: str) -> str:
    """The translation memory's key for ``lang``'s translations in this run: the model's content
    fingerprint and the generation settings."""
    return memory.context({"model": identity.revision(lang), **identity.settings})


def translate(
    engine,
    texts: Sequence[str],
    *,
    batch_size: int | None = None,
    on_translated: Callable[[list[tuple[str, Hypothesis]]], None] | None = None,
) -> list[Hypothesis]:
    """One hypothesis per text, in order: length-sorted engine batches under a token budget, repeated
    texts once. ``on_translated(pairs)`` is called after each engine batch with the texts it completed."""
    from translate.translator import translate_texts

    return translate_texts(engine, list(texts), batch_size=batch_size, on_translated=on_translated)


# -- groups ---------------------------------------------------------------------------------------


def group_inputs(work: list[tuple[int, InputFile]], group_bytes: int) -> list[list[tuple[int, InputFile]]]:
    """The inputs cut into groups of consecutive files in discovery order, each closed once its files
    reach ``group_bytes`` (their sizes on disk; a larger file is a group of its own).

    A group's texts of one language that the memory lacks are translated together (one ``translate``
    call: length-sorted batches). Where groups start and end depends only on the input folder, not on
    which files a run still has to do, so a resumed run rebuilds the batches of an uninterrupted one:
    what the killed run stored of a group is whole batches, taken in order (a prefix of the plan), and
    the rest is planned as it was. CTranslate2's result for a text depends slightly on the other texts
    of its batch, so this is what makes a resumed run's outputs the same as an uninterrupted run's."""
    groups: list[list[tuple[int, InputFile]]] = []
    current: list[tuple[int, InputFile]] = []
    size = 0
    for entry in work:
        try:
            size += entry[1].path.stat().st_size
        except OSError:  # reported when it is read
            pass
        current.append(entry)
        if size >= group_bytes:
            groups.append(current)
            current, size = [], 0
    if current:
        groups.append(current)
    return groups


def remember(memory, context: str, pairs: list[tuple[str, Hypothesis]], times=NO_STAGE_TIMES
             ) -> list[tuple[str, Hypothesis]]:
    """Store what the model just translated in the memory, in the form the memory keeps (the word
    alignment instead of the attention), and return those pairs: what was stored is what is used."""
    from translate.wordalign import with_alignment

    with times.stage("alignment"):
        pairs = [(text, with_alignment(text, hypothesis)) for text, hypothesis in pairs]
    with times.stage("memory"):
        memory.store(context, pairs)
    return pairs


def align_words(segment: Span, hypothesis: Hypothesis, model_text: str | None = None) -> None:
    """Give ``segment`` its translation, score and word alignment.

    The alignment is the hypothesis's own (``Hypothesis.alignment``, over ``model_text``, the text
    the model was given, and the translation: what the translation memory keeps), or else computed
    from its attention over ``model_text``; its source offsets are then moved onto the segment's
    text as written. ``model_text`` defaults to the segment's text."""
    from translate.wordalign import transfer_alignment, with_alignment

    model_text = segment.text if model_text is None else model_text
    segment.translation, segment.score = hypothesis.text, hypothesis.score
    segment.origin = hypothesis.origin
    segment.alignment = transfer_alignment(with_alignment(model_text, hypothesis).alignment, model_text, segment.text)


# -- write ----------------------------------------------------------------------------------------


def translated_document(segmented: SegmentedDocument, identity: RunIdentity) -> TranslatedDocument:
    """What the writers need: the document, its filled segments, and the models and settings used."""
    langs = sorted({seg.lang for seg in segmented.segments if seg.lang in segmented.translated_langs})
    return TranslatedDocument(
        segmented.document, segmented.segments,
        models={lang: identity.model_name(lang) for lang in langs},
        settings=identity.settings,
        format=segmented.format,
        revisions={lang: identity.revision(lang) for lang in langs},
        segmenter=identity.segmenter,
    )


def write_document(out_dir: Path, translated: TranslatedDocument, outcome: FileOutcome,
                   english: EnglishDocument | None = None) -> FileOutcome:
    """Write the document's outputs (English document, side-by-side HTML, JSON last), atomically,
    in the format named by ``translated.format`` (from ``english`` when the caller made it already);
    record the result in ``outcome`` and return it."""
    fmt = format_named(translated.format)
    try:
        write_outputs(out_dir, translated, fmt, english)
    except OSError as err:
        outcome.fail(f"{translated.document.source}: cannot write outputs: {err.strerror or err}")
    except InputError as err:
        outcome.fail(str(err))
    except Exception as err:  # a format failing on one document must not stop the batch
        outcome.fail(f"{translated.document.source}: cannot write the English {fmt.name}: {type(err).__name__}: {err}")
    else:
        outcome.status = "translated"
    return outcome


def start_outcomes(out_dir: Path, items: list[InputFile], progress) -> tuple[list[FileOutcome], dict[str, FileOutcome]]:
    """The outcome of each input at the start of a run, and the clashes among them (failed at once,
    reported to ``progress`` after its ``start``): what every executor does first."""
    clashes = claim_outputs(out_dir, items)
    outcomes = [clashes.get(item.source) or FileOutcome(item.source, format=item.format) for item in items]
    progress.start(len(items))
    for outcome in clashes.values():
        progress.file_done(outcome)
    return outcomes, clashes


def claim_outputs(out_dir: Path, items: list[InputFile]) -> dict[str, FileOutcome]:
    """A failed outcome (by source) for each input whose outputs would overwrite the outputs of an
    earlier input (``a.txt`` and ``a.md``). The run's own files never clash: they take names no
    document has (``translate.outdir.run_file_paths``)."""
    claimed: dict[Path, str] = {}
    clashes: dict[str, FileOutcome] = {}
    for item in items:
        paths = output_paths(out_dir, item.source)
        clash = next((claimed[p] for p in paths.values() if p in claimed), None)
        if clash is None:
            claimed.update((p, item.source) for p in paths.values())
            continue
        outcome = clashes[item.source] = FileOutcome(item.source, format=item.format)
        outcome.fail(f"{item.source}: its outputs would overwrite those of {clash}; rename one of them")
    return clashes
