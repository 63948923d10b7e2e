"""Run the signals over batch documents and summarise the flags."""

from __future__ import annotations

from dataclasses import dataclass, field

from translate.spotcheck import signals
from translate.spotcheck.signals import low_confidence, round_trip
from translate.spotcheck.signals.round_trip import BackTranslate
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


def check_span(span: Span, thresholds: Thresholds) -> list[Flag]:
    """The flags of the text signals on one span (an empty output gets only ``empty``)."""
    flags = []
    for signal in signals.TEXT_SIGNALS:
        flag = signal.check(span.text, span.translation, span.lang, thresholds)
        if flag is not None:
            flags.append(flag)
            if signal is signals.empty:
                break
    return flags


def check_documents(documents: list[BatchDocument], thresholds: Thresholds,
                    back_translate: BackTranslate | None = None) -> list[str]:
    """Set ``flags`` on every span; returns notes about signals that could not run."""
    spans = [span for document in documents for span in document.spans]
    notes = []
    for span in spans:
        span.flags = check_span(span, thresholds)

    scores_by_lang: dict[str, list[float]] = {}
    for span in spans:
        if span.score is not None and span.translation.strip():
            scores_by_lang.setdefault(span.lang, []).append(span.score)
    references = low_confidence.typical_scores(scores_by_lang, thresholds)
    if spans and not references:
        notes.append(f"low_confidence skipped: fewer than {thresholds.low_confidence_min_spans} "
                     "spans carry a model score")
    for span in spans:
        if span.translation.strip():
            _add(span, low_confidence.check(span.score, references.get(span.lang), thresholds))

    if back_translate is not None:
        items = [(span.text, span.translation, span.lang) for span in spans]
        for span, flag in zip(spans, round_trip.check_all(items, back_translate, thresholds), strict=True):
            _add(span, flag)
    return notes


def summarise(documents: list[BatchDocument], signals_run: list[str], notes: list[str]) -> Summary:
    """Counts per signal, per document, and the score: the share of spans without a serious flag."""
    summaries = []
    for document in documents:
        counts = _count(document.spans, signals_run)
        flagged = sum(1 for span in document.spans if is_serious(span))
        summaries.append(DocumentSummary(document.source, len(document.spans), flagged,
                                         _score(len(document.spans), flagged), counts))
    spans = [span for document in documents for span in document.spans]
    flagged = sum(doc.flagged for doc in summaries)
    return Summary(len(spans), _score(len(spans), flagged), _count(spans, signals_run), summaries,
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


def _add(span: Span, flag: Flag | None) -> None:
    if flag is not None:
        span.flags.append(flag)
