"""Run the signals over batch documents and summarise the flags."""

from __future__ import annotations

import sys
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from translate.spotcheck import signals
from translate.spotcheck.signals.base import BackTranslate, CheckContext, Signal, TextSignal
from translate.spotcheck.spans import BatchDocument, Flag, Span
from translate.spotcheck.thresholds import Thresholds


@dataclass
class DocumentSummary:
    source: str
    spans_checked: int
    flagged: int  # spans with at least one serious flag
    score: float
    flag_counts: dict[str, int]


@dataclass
class Summary:
    spans_checked: int
    score: float
    flag_counts: dict[str, int]
    documents: list[DocumentSummary]
    signals_run: list[str]
    notes: list[str] = field(default_factory=list)

    def worst_documents(self, limit: int = 5) -> list[DocumentSummary]:
        """Documents with serious flags, lowest score first."""
        flagged = [doc for doc in self.documents if doc.flagged]
        return sorted(flagged, key=lambda doc: (doc.score, -doc.flagged, doc.source))[:limit]


class FlagCache(Protocol):
    """Where the flags of the per-span signals of each batch JSON file are kept between checks
    (``translate review`` keeps them in its database), by the file's checksum and a ``signature``
    of the signals and thresholds that raised them."""

    def cached_flags(self, signature: str, checksums: list[str]) -> dict[str, list]: ...

    def store_flags(self, signature: str, flags: dict[str, list], keep: set[str]) -> None: ...


def check_documents(documents: list[BatchDocument], thresholds: Thresholds,
                    back_translate: BackTranslate | None = None,
                    signal_set: Sequence[Signal] = signals.SIGNALS, cache: FlagCache | None = None) -> list[str]:
    """Set ``flags`` on every span; returns notes about signals that could not run.

    Every signal gets the spans with an output; those whose output is empty go only to
    the signals that judge empty outputs (``empty``): nothing else can be said of them. The
    spans the run left untranslated go only to the signals that judge them
    (``untranslated_language``).

    With a ``cache``, the flags of the signals that judge each span alone (``TextSignal``) are
    taken from it for each document whose JSON file is unchanged, and stored for the others; the
    signals that compare spans across the run (``low_confidence``) always run. The flags are
    the same either way, in signal order.

    In a large check, the ``TextSignal`` flags are computed in a few processes (``_processes``).
    """
    context = CheckContext(thresholds, back_translate)
    for document in documents:
        for span in document.spans + document.left_untranslated:
            span.flags = []
    local = [signal for signal in signal_set if isinstance(signal, TextSignal)]
    if cache is None:
        _run_text_signals(documents, local, context)
        _run_signals(documents, [signal for signal in signal_set if not isinstance(signal, TextSignal)], context)
        _sort_flags(documents, signal_set)
        return context.notes
    signature = flags_signature(thresholds, local)
    found = cache.cached_flags(signature, sorted({doc.checksum for doc in documents if doc.checksum}))
    fresh = []
    for document in documents:
        spans = document.spans + document.left_untranslated
        stored = found.get(document.checksum)
        if stored is not None and len(stored) == len(spans):
            for span, flags in zip(spans, stored):
                span.flags = [Flag(name, explanation, tuple(map(tuple, source)), tuple(map(tuple, translation)))
                              for name, explanation, source, translation in flags]
        else:
            fresh.append(document)
    _run_text_signals(fresh, local, context)
    cache.store_flags(signature, {
        document.checksum: [[[flag.name, flag.explanation, flag.source_ranges, flag.translation_ranges]
                             for flag in span.flags] for span in document.spans + document.left_untranslated]
        for document in fresh if document.checksum}, {doc.checksum for doc in documents})
    _run_signals(documents, [signal for signal in signal_set if not isinstance(signal, TextSignal)], context)
    _sort_flags(documents, signal_set)
    return context.notes


def _sort_flags(documents: list[BatchDocument], signal_set: Sequence[Signal]) -> None:
    """Each span's flags in signal order, as when every signal runs in turn (a signal raises at
    most one flag per span; the sort is stable)."""
    order = {signal.name: index for index, signal in enumerate(signal_set)}
    for document in documents:
        for span in document.spans + document.left_untranslated:
            span.flags.sort(key=lambda flag: order.get(flag.name, len(order)))


def flags_signature(thresholds: Thresholds, signal_set: Sequence[Signal]) -> str:
    """What decides the per-span flags besides the spans: the thresholds, the signals, the version
    and the signals' source code (an edited signal is never answered from the cache)."""
    import hashlib
    from pathlib import Path

    from translate._distribution import __version__

    digest = hashlib.sha256(repr((__version__, repr(thresholds), [s.name for s in signal_set])).encode("utf-8"))
    folder = Path(signals.__file__).parent
    for path in sorted([*folder.glob("*.py"), folder.parent / "thresholds.py"]):
        digest.update(path.read_bytes())
    return digest.hexdigest()


# A check forks one more process per this many spans (forking and gathering cost about as much as
# checking a few hundred spans), up to the cores this process may use and _MAX_PROCESSES.
SPANS_PER_PROCESS = 2000
_MAX_PROCESSES = 8
# What the forked processes check: (groups of documents, signals, context), set just before forking.
_forked_work: tuple | None = None


def _processes(documents: list[BatchDocument], context: CheckContext) -> int:
    """How many processes check ``documents``: more than one only on Linux (where forking a
    process is cheap and safe), in a process with no other thread (a fork copies no thread, and
    a lock another thread held stays locked in the copy) and no back-translating model."""
    if not sys.platform.startswith("linux") or context.back_translate is not None or threading.active_count() > 1:
        return 1
    spans = sum(len(document.spans) + len(document.left_untranslated) for document in documents)
    return max(1, min(_cores(), _MAX_PROCESSES, spans // SPANS_PER_PROCESS, len(documents) - 1))


def _cores() -> int:
    from translate.engines.threads import available_cpus

    return available_cpus()


def _run_text_signals(documents: list[BatchDocument], signal_set: Sequence[Signal], context: CheckContext) -> None:
    """``_run_signals`` for signals that judge each span alone (``TextSignal``), so that the spans
    can be shared among processes: this one checks the first document (loading what the signals
    load once, such as py3langid's model, which the forked processes then share), forks, and
    checks its part while each forked process checks another; their flags come back in order."""
    global _forked_work
    processes = _processes(documents, context)
    if processes == 1:
        _run_signals(documents, signal_set, context)
        return
    import multiprocessing

    _run_signals(documents[:1], signal_set, context)
    groups = _split(documents[1:], processes)
    _forked_work = (groups, signal_set, context)
    try:
        try:
            pool = multiprocessing.get_context("fork").Pool(processes - 1)
        except OSError:  # no process or semaphore to be had (some containers): check them all here
            _run_signals(documents[1:], signal_set, context)
            return
        with pool:
            pending = pool.map_async(_check_group, range(1, processes), chunksize=1)
            _run_signals(groups[0], signal_set, context)
            results = pending.get()
    finally:
        _forked_work = None
    for group, flags in zip(groups[1:], results, strict=True):
        for document, document_flags in zip(group, flags, strict=True):
            for span, span_flags in zip(document.spans + document.left_untranslated, document_flags, strict=True):
                span.flags.extend(span_flags)


def _check_group(index: int) -> list[list[list[Flag]]]:
    """In a forked process: the flags of every span of group ``index``, per document."""
    groups, signal_set, context = _forked_work
    _run_signals(groups[index], signal_set, context)
    return [[span.flags for span in document.spans + document.left_untranslated] for document in groups[index]]


def _split(documents: list[BatchDocument], parts: int) -> list[list[BatchDocument]]:
    """``documents`` (at least ``parts``) in ``parts`` consecutive groups of about as many spans
    each; a document is never split, and no group is empty."""
    from bisect import bisect_left
    from itertools import accumulate

    before = list(accumulate((len(d.spans) + len(d.left_untranslated) for d in documents), initial=0))
    bounds = [0]
    for part in range(1, parts):
        index = bisect_left(before, before[-1] * part / parts)  # the first document past this share
        bounds.append(max(bounds[-1] + 1, min(index, len(documents) - (parts - part))))
    bounds.append(len(documents))
    return [documents[start:end] for start, end in zip(bounds, bounds[1:])]


def _run_signals(documents: list[BatchDocument], signal_set: Sequence[Signal], context: CheckContext) -> None:
    spans = [span for document in documents for span in document.spans]
    with_output = [span for span in spans if span.translation.strip()]
    left_untranslated = [span for document in documents for span in document.left_untranslated]
    for signal in signal_set:
        if signal.judges_left_untranslated:
            judged = left_untranslated
        else:
            judged = spans if signal.judges_empty_output else with_output
        for span, flag in zip(judged, signal.check(judged, context), strict=True):
            if flag is not None:
                span.flags.append(flag)


def summarise(documents: list[BatchDocument], signals_run: list[str], notes: list[str]) -> Summary:
    """Counts per signal, per document, and the score: the share of translated spans without a
    serious flag (spans left untranslated are counted under their flag, not in the score)."""
    summaries = []
    for document in documents:
        counts = _count(document.spans + document.left_untranslated, signals_run)
        flagged = sum(1 for span in document.spans if is_serious(span))
        summaries.append(DocumentSummary(document.source, len(document.spans), flagged,
                                         _score(len(document.spans), flagged), counts))
    spans = [span for document in documents for span in document.spans]
    left_untranslated = [span for document in documents for span in document.left_untranslated]
    flagged = sum(doc.flagged for doc in summaries)
    return Summary(len(spans), _score(len(spans), flagged), _count(spans + left_untranslated, signals_run), summaries,
                   list(signals_run), list(notes))


def is_serious(span: Span) -> bool:
    return any(flag.name in signals.SERIOUS for flag in span.flags)


def _score(checked: int, flagged: int) -> float:
    # No translated span means nothing was found wrong.
    return 1.0 if checked == 0 else (checked - flagged) / checked


def _count(spans: list[Span], names: list[str]) -> dict[str, int]:
    counts = dict.fromkeys(names, 0)
    for span in spans:
        for name in set(span.flag_names):
            counts[name] = counts.get(name, 0) + 1
    return counts
