"""`translate detect`: show the language spans of documents, without translating them."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from translate.cli import app

# Colours of the readable view, one per language.
LANGUAGE_STYLES = {"fr": "blue", "es": "yellow", "en": "green", "und": "dim"}


@app.command()
def detect(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders (folders are searched recursively).")],
    json_lines: Annotated[
        bool, typer.Option("--json", help="One JSON object per file per line: source and segments.")
    ] = False,
) -> None:
    """Show where each language starts and ends in the documents, as the batch segments them.

    Example: [bold]translate detect seeds --json[/]
    """
    import json

    from translate.cli.console import error, stdout, warning
    from translate.discover import discover_paths
    from translate.errors import TranslateError
    from translate.formats import read_source
    from translate.segment import segment_document

    failed = False
    files, excluded = discover_paths(paths)  # the same walk, with the same rules, as `translate batch`
    for where, why in excluded:
        warning(f"{where}: skipped: {why}")
    for item in files:
        try:
            document = read_source(item.path, item.source, fmt=item.fmt)
            segments = segment_document(document.text, document.blocks)
        except TranslateError as err:
            error(str(err))
            failed = True
            continue
        if json_lines:
            fields = ("paragraph", "start", "end", "lang", "text")
            record = {"source": document.source, "segments": [{k: getattr(s, k) for k in fields} for s in segments]}
            stdout.out(json.dumps(record, ensure_ascii=False), highlight=False)
        else:
            _print_readable(stdout, document.source, segments)
    if failed:
        raise typer.Exit(1)


def _print_readable(console, source: str, segments) -> None:
    from rich.text import Text

    console.print(Text(source, style="bold"), soft_wrap=True)
    paragraph = None
    for seg in segments:
        if seg.paragraph != paragraph:
            if paragraph is not None:
                console.print()
            paragraph = seg.paragraph
        style = LANGUAGE_STYLES.get(seg.lang, "")
        console.print(Text.assemble("  ", (f"{seg.lang:>3}", f"{style} bold"), " ", (seg.text, style)), soft_wrap=True)
    console.print()
