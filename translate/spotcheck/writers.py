"""Outputs of a spot-check: the JSON object, the reviewers' CSV and the HTML report."""

from __future__ import annotations

import csv
import io

from translate.spotcheck import signals
from translate.spotcheck.checker import Summary
from translate.spotcheck.highlight import pieces
from translate.spotcheck.spans import BatchDocument, Span
from translate.spotcheck.thresholds import Thresholds, threshold_help

CSV_COLUMNS = ("source", "seg", "lang", "text", "translation", "flags", "explanations", "verdict", "comment")


def sample_entry(span: Span) -> dict:
    return {"source": span.document, "seg": span.seg, "lang": span.lang, "text": span.text,
            "translation": span.translation, "flags": span.flag_names}


def json_payload(summary: Summary, sample: list[Span]) -> dict:
    """The object printed by ``--json``."""
    return {
        "score": summary.score,
        "spans_checked": summary.spans_checked,
        "flag_counts": summary.flag_counts,
        "sample": [sample_entry(span) for span in sample],
        "documents": [
            {"source": doc.source, "spans_checked": doc.spans_checked, "flagged": doc.flagged,
             "score": doc.score, "flag_counts": doc.flag_counts}
            for doc in summary.documents
        ],
    }


def sample_csv(sample: list[Span]) -> str:
    """The sample for reviewers, with empty ``verdict`` and ``comment`` columns to fill in."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for span in sample:
        writer.writerow([span.document, span.seg, span.lang, _inert_cell(span.text), _inert_cell(span.translation),
                         " ".join(span.flag_names),
                         " | ".join(f"{flag.name}: {flag.explanation}" for flag in span.flags), "", ""])
    return buffer.getvalue()


def _inert_cell(value: str) -> str:
    # Spreadsheets run cells starting with these as formulas; a leading quote keeps them text.
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def html_report(title: str, summary: Summary, documents: list[BatchDocument], sample: list[Span],
                thresholds: Thresholds, warnings: list[str]) -> str:
    """Self-contained HTML (inline CSS, no script, nothing fetched); every text is escaped."""
    from jinja2 import Environment, PackageLoader, StrictUndefined

    env = Environment(loader=PackageLoader("translate", "templates"), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    values = {name: getattr(thresholds, name) for name, _, _ in threshold_help()}
    return env.get_template("spot_check.html.j2").render(
        title=title,
        summary=summary,
        signals=[{"name": name, "serious": name in signals.SERIOUS, "description": signals.DESCRIPTIONS[name],
                  "count": summary.flag_counts.get(name, 0)} for name in summary.signals_run],
        thresholds=[{"name": name, "value": values[name], "default": default, "help": help}
                    for name, default, help in threshold_help()],
        sample=[_row(span) for span in sample],
        flagged_documents=[
            {"source": doc.source, "rows": [_row(span) for span in doc.spans if span.flags]}
            for doc in documents if any(span.flags for span in doc.spans)
        ],
        warnings=warnings,
    )


def _row(span: Span) -> dict:
    return {
        "document": span.document,
        "seg": span.seg,
        "lang": span.lang,
        "source": pieces(span.text, span.flags, "source"),
        "translation": pieces(span.translation, span.flags, "translation"),
        "flags": [{"name": flag.name, "explanation": flag.explanation,
                   "serious": flag.name in signals.SERIOUS} for flag in span.flags],
        "score": span.score,
    }
