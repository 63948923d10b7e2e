"""The reviewed quality figure on the terminal and in ``--json``."""

from __future__ import annotations

from dataclasses import asdict

from translate.spotcheck.quality import Quality


def quality_payload(quality: Quality) -> dict:
    return {"method": "post-stratified by language and flag class; Wilson 95 % interval with Kish effective n",
            "overall": asdict(quality.overall), "languages": {lang: asdict(e) for lang, e in quality.languages.items()},
            "serious_flags": asdict(quality.flags), "verdicts": quality.verdicts}


def print_quality(console, quality: Quality) -> None:
    from rich.table import Table

    table = Table(title=f"Reviewed quality ({quality.overall.reviewed} sampled spans judged; "
                        f"{quality.verdicts} spans judged in all)")
    for column in ("language", "acceptable", "95 % interval", "judged", "spans"):
        table.add_column(column, justify="left" if column == "language" else "right")
    rows = [("all", quality.overall), *quality.languages.items()]
    for name, estimate in rows:
        table.add_row(name, f"{estimate.share:.1%}", f"{estimate.low:.1%} - {estimate.high:.1%}",
                      str(estimate.reviewed), f"{estimate.spans_covered}/{estimate.spans}")
    console.print(table)
    flags = quality.flags
    shown = lambda value: "n/a" if value is None else f"{value:.1%}"  # noqa: E731
    console.print(f"serious flags vs reviewers (major/critical): precision {shown(flags.precision)}, "
                  f"recall {shown(flags.recall)} on {flags.reviewed} sampled spans", soft_wrap=True)
