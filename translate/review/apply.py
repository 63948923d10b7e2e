"""Reviewers' edits reach every output, without the model.

For each edited span (its latest edit, by anyone):

1. the edit becomes a translation-memory entry marked human, keyed like the model's translation
   it replaces: the span's memory context (the model's fingerprint and the generation settings,
   as recorded in the document's JSON) and the text the model was given. The batch's lookup
   returns it from then on, so that text is never given to that model again, in any document;
2. every span of the folder with that context and text gets the edit (the memory's rule: one
   translation per text and context; the latest edit wins), marked ``origin: human``;
3. each document with a changed span is rewritten by the batch's write stage
   (``stages.write_document``: English document, side-by-side page, JSON), from its input file
   (which must still be the bytes the batch read) and its recorded segments; no other document
   is touched, and ``corpus.tmx`` is rewritten when one was (``index.html`` has nothing to change).

A span whose source text changed since it was judged is not edited (reported). A second run
finds every span already as edited and rewrites nothing.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from translate.document import KEPT_LANGUAGES, Span


@dataclass
class ApplyReport:
    edits: int = 0  # edited spans in the review database
    spans_changed: int = 0  # spans whose translation the edits changed (repeats of an edited text included)
    documents: list[str] = field(default_factory=list)  # documents rewritten
    warnings: list[str] = field(default_factory=list)


def apply_edits(out_dir: Path, input_dir: Path, memory, *, on_warning: Callable[[str], None] | None = None,
                run_files: bool = True) -> ApplyReport:
    """Apply the review database's edits to ``out_dir`` (the output folder of a batch over ``input_dir``).

    ``memory``: the translation memory of the batch (an open ``TranslationMemory``). The caller
    holds the output folder's lock. ``run_files``: rewrite the run's ``corpus.tmx`` when a document
    changed (the batch writes its run files itself at the end of its run)."""
    from translate.review.store import open_existing, span_edits

    report = ApplyReport()
    warn = on_warning or (lambda message: None)

    def warning(message: str) -> None:
        report.warnings.append(message)
        warn(message)

    try:
        store = open_existing(out_dir)
        if store is None:
            return report
        try:
            edits = span_edits(store.history())
        finally:
            store.close()
    except sqlite3.Error as err:  # a batch must not lose its run to an unreadable review
        warning(f"{out_dir / 'review.sqlite3'}: cannot read the review ({err}); edits not applied")
        return report
    report.edits = len(edits)
    if not edits:
        return report
    documents = _batch_documents(out_dir, warning)
    contexts: dict[str, str] = {}

    def key_of(description: dict) -> str:
        # Registered once per context, so that `translate cache stats` describes the human entries' contexts.
        canonical = json.dumps(description, sort_keys=True)
        if canonical not in contexts:
            contexts[canonical] = memory.context(description)
        return contexts[canonical]

    human = _human_translations(documents, edits, key_of, warning)
    for context, pairs in _by_context(human).items():
        memory.store_human(context, pairs)
    for source, (_path, data) in documents.items():
        segments = [_segment(seg) for seg in data["segments"]]
        changed = 0
        for seg in segments:
            key = _memory_key(data, seg, key_of)
            if key in human and (seg.translation != human[key] or seg.origin != "human"):
                seg.translation, seg.origin, seg.score, seg.alignment = human[key], "human", None, None
                changed += 1
        if changed and _rewrite(out_dir, input_dir, data, segments, warning):
            report.spans_changed += changed
            report.documents.append(source)
    if report.documents and run_files:
        _rewrite_corpus_tmx(out_dir, warning)
    return report


def _batch_documents(out_dir: Path, warning) -> dict[str, tuple[Path, dict]]:
    """The batch JSON of each document in ``out_dir`` (by ``source``), as written."""
    found = {}
    for path in sorted(out_dir.rglob("*.json"), key=lambda p: p.relative_to(out_dir).as_posix()):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue  # not a batch output (spot-check and the batch report the unreadable ones)
        if isinstance(data, dict) and "source" in data and isinstance(data.get("segments"), list):
            found[data["source"]] = (path, data)
    return found


def _human_translations(documents: dict, edits: dict, key_of, warning) -> dict[tuple[str, str], str]:
    """(memory context, model input text) -> the edit, latest edit last."""
    human: dict[tuple[str, str], tuple[float, str]] = {}
    for (source, index), review in edits.items():
        where = f"{source} span {index}"
        if source not in documents:
            warning(f"{where}: edited, but the document is no longer in the output folder; not applied")
            continue
        data = documents[source][1]
        segments = data["segments"]
        if not 0 <= index < len(segments) or segments[index].get("text") != review.text:
            warning(f"{where}: its source text changed since it was edited; not applied (review it again)")
            continue
        seg = _segment(segments[index])
        if seg.lang in KEPT_LANGUAGES or seg.translation is None:
            warning(f"{where}: not a translated span; not applied")
            continue
        key = _memory_key(data, seg, key_of)
        if key not in human or human[key][0] <= review.created:
            human[key] = (review.created, review.edit)
    return {key: edit for key, (_created, edit) in human.items()}


def _memory_key(data: dict, seg: Span, key_of) -> tuple[str, str] | None:
    """The memory's (context, text) of a translated span, as the batch computed it (``key_of``:
    ``TranslationMemory.context``)."""
    from translate.formats import model_text

    revision = (data.get("revisions") or {}).get(seg.lang)
    fmt = _format(data)
    if seg.lang in KEPT_LANGUAGES or seg.translation is None or revision is None or fmt is None:
        return None
    return key_of({"model": revision, **(data.get("settings") or {})}), model_text(fmt, seg.text)


def _format(data: dict):
    """The format a batch JSON names (``txt`` when it names none), reading with the options it records
    (``read_options``: a PO catalogue translated with --retranslate), or None for a name no format has."""
    from translate.errors import UsageError
    from translate.formats import format_named
    from translate.formats.base import ReadOptions

    try:
        fmt = format_named(str(data.get("format", "txt")))
        options = data.get("read_options") or {}
        return fmt.reading(ReadOptions(**options)) if isinstance(options, dict) and options else fmt
    except (UsageError, TypeError):
        return None


def _by_context(human: dict[tuple[str, str], str]) -> dict[str, list[tuple[str, str]]]:
    grouped: dict[str, list[tuple[str, str]]] = {}
    for (context, text), edit in human.items():
        grouped.setdefault(context, []).append((text, edit))
    return grouped


def _rewrite_corpus_tmx(out_dir: Path, warning) -> None:
    """``corpus.tmx`` again, over the documents it held (the run's), from their JSON now. ``index.html``
    is left as it is: an edit changes none of its counts, and only the batch knows the run's failures."""
    from translate.formats.package import parse_xml
    from translate.fsutil import write_atomic
    from translate.writers.paths import output_paths
    from translate.writers.run_files import recorded_run_file
    from translate.writers.tmx_writer import corpus_tmx

    path = recorded_run_file(out_dir, "tmx")  # another name when a document took corpus.tmx
    try:
        root = parse_xml(path.read_bytes(), path.name)
        sources = list(dict.fromkeys(prop.text or "" for prop in root.iter("prop") if prop.get("type") == "x-document"))
        documents = [json.loads(output_paths(out_dir, source)["json"].read_text(encoding="utf-8")) for source in sources]
        write_atomic(path, corpus_tmx(documents))
    except Exception as err:  # the documents are written; only the run's TMX is stale
        warning(f"{path.name}: not rewritten ({err}); run `translate batch` again to refresh it")


def _segment(recorded: dict) -> Span:
    fields = Span.__dataclass_fields__
    seg = Span(**{name: value for name, value in recorded.items() if name in fields})
    seg.markup = None  # placed again by the English document's writer
    return seg


def _rewrite(out_dir: Path, input_dir: Path, data: dict, segments: list[Span], warning) -> bool:
    """Write the document's outputs again with ``segments``, by the batch's write stage."""
    import hashlib

    from translate.errors import InputError
    from translate.formats import read_source
    from translate.stages import FileOutcome, write_document
    from translate.writers import TranslatedDocument

    source, fmt = data["source"], _format(data)
    if fmt is None:
        warning(f"{source}: edits not applied: unknown format {data.get('format')!r} in its JSON")
        return False
    path = input_dir.joinpath(*source.split("/"))
    try:
        raw = path.read_bytes()
    except OSError as err:
        warning(f"{source}: edits not applied: cannot read the input {path}: {err.strerror or err}")
        return False
    if hashlib.sha256(raw).hexdigest() != data.get("sha256"):
        warning(f"{source}: edits not applied: the input changed since the batch; run `translate batch` again")
        return False
    try:
        document = read_source(path, source, data=raw, fmt=fmt)
    except InputError as err:
        warning(f"edits not applied: {err}")
        return False
    translated = TranslatedDocument(document, segments, models=data.get("models") or {},
                                    settings=data.get("settings") or {}, format=fmt.name,
                                    revisions=data.get("revisions") or {}, segmenter=data.get("segmenter"))
    outcome = write_document(out_dir, translated, FileOutcome(source, format=fmt.name))
    if not outcome.ok:
        warning(f"edits not applied: {outcome.error}")
    return outcome.ok
