"""Run the signals over batch documents and summarise the flags."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from translate.spotcheck import signals
from translate.spotcheck.signals.base import BackTranslate, CheckContext, Signal
from translate.spotcheck.spans import BatchDocument, Span
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


def check_documents(documents: list[BatchDocument], thresholds: Thresholds,
                    back_translate: BackTranslate | None = None,
                    signal_set: Sequence[Signal] = signals.SIGNALS) -> list[str]:
    """Set ``flags`` on every span; returns notes about signals that could not run.

    Every signal gets the spans with an output; those whose output is empty go only to
    the signals that judge empty outputs (``empty``): nothing else can be said of them. The
    spans the run left untranslated go only to the signals that judge them
    (``untranslated_language``).
    """
    spans = [span for document in documents for span in document.spans]
    with_output = [span for span in spans if span.translation.strip()]
    left_untranslated = [span for document in documents for span in document.left_untranslated]
    context = CheckContext(thresholds, back_translate)
    for span in spans + left_untranslated:
        span.flags = []
    for signal in signal_set:
        if signal.judges_left_untranslated:
            judged = left_untranslated
        else:
            judged = spans if signal.judges_empty_output else with_output
        for span, flag in zip(judged, signal.check(judged, context), strict=True):
            if flag is not None:
                span.flags.append(flag)
    return context.notes


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
