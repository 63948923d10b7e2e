"""`translate detect`: show the language spans of documents, without translating them."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from translate.cli.app import app

# The path that stands for standard input, as in most command-line tools.
STDIN = "-"

# Colours of the readable view: fixed for fr/es/en/und; any other language gets one of
# OTHER_STYLES, chosen from its code (always the same for the same code).
LANGUAGE_STYLES = {"fr": "blue", "es": "yellow", "en": "green", "und": "dim"}
OTHER_STYLES = ("magenta", "cyan", "red", "bright_magenta", "bright_cyan", "bright_red", "bright_blue", "bright_green")


def language_style(lang: str) -> str:
    """The rich style of a language code in the readable view."""
    if lang in LANGUAGE_STYLES:
        return LANGUAGE_STYLES[lang]
    return OTHER_STYLES[sum(map(ord, lang)) % len(OTHER_STYLES)]


@app.command()
def detect(
    paths: Annotated[list[Path], typer.Argument(
        help="Files or folders (folders are searched recursively); - reads plain text from standard input.")],
    json_lines: Annotated[
        bool, typer.Option("--json", help="One JSON object per file per line: source and segments.")
    ] = False,
    include_hidden: Annotated[
        bool, typer.Option("--include-hidden", help="Also search hidden files and folders (.git, .venv, .notes.md).")
    ] = False,
) -> None:
    """Show where each language starts and ends in the documents, as the batch segments them.

    Every language is shown with its ISO 639-1 code (fr, es, en, it, de, ru, zh...); und is
    text without letters.

    Examples: [bold]translate detect seeds --json[/]; [bold]echo "Hola mundo." | translate detect -[/]
    """
    import json
    import sys

    from translate.cli.console import error, stdout, warning
    from translate.discover import discover_paths
    from translate.errors import TranslateError
    from translate.formats import format_named, read_source
    from translate.segment import segment_source

    failed = False
    files, excluded = discover_paths(paths, include_hidden=include_hidden)  # the same walk, with the same rules, as `translate batch`
    for where, why in excluded:
        warning(f"{where}: skipped: {why}")
    standard_input = None
    for item in files:
        data = None
        if item.source == STDIN:
            # Read once: a second "-" would find the stream empty. Path("./-") is "-" too, so a file
            # named "-" is given by a longer path ($PWD/-).
            if standard_input is None:
                standard_input = sys.stdin.buffer.read()
            data = standard_input
        try:
            document = read_source(item.path, item.source, data, fmt=format_named(item.format))
            segments = segment_source(document)
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

    from translate.cli.console import literal, printable

    console.print(literal(source, "bold"), soft_wrap=True)
    paragraph = None
    for seg in segments:
        if seg.paragraph != paragraph:
            if paragraph is not None:
                console.print()
            paragraph = seg.paragraph
        style = language_style(seg.lang)
        console.print(Text.assemble("  ", (f"{seg.lang:>3}", f"{style} bold"), " ", (printable(seg.text, lines=True), style)), soft_wrap=True)
    console.print()
