"""`translate detect`: show the language spans of documents, without translating them."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from translate.cli import app

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
    paths: Annotated[list[Path], typer.Argument(help="Files or folders (folders are searched recursively).")],
    json_lines: Annotated[
        bool, typer.Option("--json", help="One JSON object per file per line: source and segments.")
    ] = False,
) -> None:
    """Show where each language starts and ends in the documents, as the batch segments them.

    Every language is shown with its ISO 639-1 code (fr, es, en, it, de, ru, zh...); und is
    text without letters.

    Example: [bold]translate detect seeds --json[/]
    """
    import json

    from translate.cli.console import error, stdout, warning
    from translate.errors import TranslateError
    from translate.formats import read_source
    from translate.segment import segment_document

    failed = False
    for path in _expand(paths, warning):
        try:
            document = read_source(path, path.as_posix())
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


def _expand(paths: list[Path], warning) -> list[Path]:
    """Files given directly, and the supported files under each folder, sorted."""
    from translate.formats import FORMATS

    files = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.suffix.lower() in FORMATS and p.is_file())
            if not found:
                warning(f"{path}: no {', '.join(sorted(FORMATS))} files in this folder")
            files.extend(found)
        else:
            files.append(path)  # read_source reports it when it is missing or unreadable
    return files


def _print_readable(console, source: str, segments) -> None:
    from rich.markup import escape

    console.print(f"[bold]{escape(source)}[/]", soft_wrap=True)
    paragraph = None
    for seg in segments:
        if seg.paragraph != paragraph:
            if paragraph is not None:
                console.print()
            paragraph = seg.paragraph
        style = language_style(seg.lang)
        console.print(f"  [{style} bold]{seg.lang:>3}[/] [{style}]{escape(seg.text)}[/]", soft_wrap=True)
    console.print()
