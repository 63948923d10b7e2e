"""The review database as CSV or JSON (``translate review export``)."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timezone
from pathlib import Path

COLUMNS = ("document", "seg", "text", "reviewer", "verdict", "category", "comment", "edit", "time")


def export_text(out_dir: Path, output_format: str) -> str:
    """Every judgement, oldest first; ``time`` in UTC (ISO 8601)."""
    from translate.review.api import review_results

    rows = [{**{name: row[name] for name in COLUMNS if name != "time"}, "time": _iso(row["created"])}
            for row in review_results(out_dir)]
    if output_format == "json":
        return json.dumps(rows, ensure_ascii=False, indent=1) + "\n"
    from translate.spotcheck.writers import _inert_cell

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([_inert_cell(value) if isinstance(value, str) else ("" if value is None else value)
                         for value in (row[name] for name in COLUMNS)])
    return buffer.getvalue()


def _iso(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, timezone.utc).isoformat(timespec="seconds")
