"""`translate spot-check`: flag suspicious translations in a batch's output and sample them for review."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from translate.cli.app import app

_SERIOUS_HELP = "empty, untranslated, not_english, repetition, number_mismatch, truncated"


@app.command("spot-check")
def spot_check(
    out_dir: Path = typer.Argument(..., metavar="OUT_DIR", help="Output folder of `translate batch`."),
    sample: int = typer.Option(20, "--sample", min=0, metavar="N", help="Spans to sample for human review."),
    seed: int = typer.Option(0, "--seed", metavar="S", help="Seed of the sample (same seed, same sample)."),
    report: Optional[Path] = typer.Option(None, "--report", metavar="FILE.html",
                                          help="Write a self-contained HTML report."),
    csv_file: Optional[Path] = typer.Option(None, "--csv", metavar="FILE.csv",
                                            help="Write the sample as CSV with empty verdict/comment columns."),
    json_output: bool = typer.Option(False, "--json", help="Print only a JSON summary on stdout."),
    fail_under: Optional[float] = typer.Option(None, "--fail-under", min=0.0, max=1.0, metavar="SCORE",
                                               help="Exit with status 1 when the score is below SCORE."),
    threshold: Optional[list[str]] = typer.Option(
        None, "--threshold", metavar="NAME=VALUE",
        help="Change a signal threshold (repeatable), e.g. low_confidence_z=3; an unknown NAME lists the "
             "valid ones, and docs/spot-check.md and the HTML report explain them."),
    round_trip: bool = typer.Option(True, "--round-trip/--no-round-trip",
                                    help="Back-translate when reverse models (en->fr, en->es) are on disk."),
) -> None:
    """Check the translations of a batch: flag suspicious spans, score them and sample some for review.

    The score is the share of translated spans without a serious flag
    (serious: empty, untranslated, not_english, repetition, number_mismatch, truncated).
    A batch JSON file that cannot be read is skipped, counted, and makes the exit status 1.
    """
    import json

    from translate.cli.console import literal, stderr, stdout, warning
    from translate.errors import TranslateError
    from translate.spotcheck.run import run_spot_check
    from translate.spotcheck.writers import html_report, json_payload, sample_csv

    checked = run_spot_check(out_dir, sample=sample, seed=seed, thresholds=threshold or [], round_trip=round_trip)
    for message in checked.warnings:
        warning(message)
    summary, documents, chosen = checked.summary, checked.documents, checked.sample
    skipped = checked.skipped
    # The score covers only the documents read: say how many were not, wherever the score is given.
    coverage = f"{len(skipped)} of {len(documents) + len(skipped)} batch documents skipped (unreadable)"

    for note in summary.notes:
        stderr.print(literal(note, "dim"), soft_wrap=True)
    if report is not None:
        title = f"Spot-check of {out_dir.resolve().name}"
        _write(report, html_report(title, summary, documents, chosen, checked.thresholds, checked.warnings))
        stderr.print(literal(f"wrote {report}"), soft_wrap=True)
    if csv_file is not None:
        _write(csv_file, sample_csv(chosen))
        stderr.print(literal(f"wrote {csv_file}"), soft_wrap=True)

    if json_output:
        payload = {**json_payload(summary, chosen), "documents_skipped": len(skipped), "skipped": skipped}
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        _print_summary(stdout, summary)
        if skipped:
            stdout.print(literal(f"{coverage}; the score covers the other {len(documents)}", "bold red"), soft_wrap=True)
        _print_sample(stdout, chosen)

    if fail_under is not None and summary.score < fail_under:
        raise TranslateError(f"score {summary.score:.3f} is below --fail-under {fail_under:g}")
    if skipped:
        raise TranslateError(f"{coverage}: the check is incomplete")


def _print_summary(console, summary) -> None:
    from rich.table import Table

    from translate.cli.console import literal
    from translate.spotcheck.signals import DESCRIPTIONS, SERIOUS

    documents = len(summary.documents)
    table = Table(title=f"{summary.spans_checked} translated spans checked in {documents} "
                        f"document{'' if documents == 1 else 's'}")
    table.add_column("signal")
    table.add_column("meaning")
    table.add_column("spans", justify="right")
    table.add_column("share", justify="right")
    for name, count in summary.flag_counts.items():
        share = count / summary.spans_checked if summary.spans_checked else 0.0
        label = literal(name, "bold red" if name in SERIOUS else "")
        table.add_row(label, literal(DESCRIPTIONS.get(name, "")), str(count), f"{share:.1%}")
    console.print(table)
    worst = summary.worst_documents()
    if worst:
        docs = Table(title="Worst documents")
        docs.add_column("document")
        docs.add_column("spans", justify="right")
        docs.add_column("serious", justify="right")
        docs.add_column("score", justify="right")
        for doc in worst:
            docs.add_row(literal(doc.source), str(doc.spans_checked), str(doc.flagged), f"{doc.score:.3f}")
        console.print(docs)
    console.print(f"[bold]score {summary.score:.3f}[/] (share of translated spans without a serious flag: "
                  f"{_SERIOUS_HELP})", soft_wrap=True)


def _print_sample(console, chosen) -> None:
    from rich.table import Table
    from rich.text import Text

    from translate.cli.console import printable

    if not chosen:
        console.print("no span to sample")
        return

    table = Table(title=f"Sample for review ({len(chosen)} spans)", show_lines=True)
    table.add_column("source", ratio=2)
    table.add_column("English", ratio=2)
    table.add_column("flags", ratio=1)
    for span in chosen:
        where = Text.assemble((printable(f"{span.document} #{span.seg} ({span.lang})"), "dim"), "\n",
                              printable(span.text, lines=True))
        flags = Text("\n").join(Text.assemble((flag.name, "bold"), ": ", flag.explanation) for flag in span.flags)
        table.add_row(where, Text(printable(span.translation, lines=True)), flags if span.flags else Text("-", style="dim"))
    console.print(table)


def _write(path: Path, content: str) -> None:
    from translate.errors import TranslateError

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
    except OSError as err:
        raise TranslateError(f"{path}: cannot write: {err.strerror or err}") from None
