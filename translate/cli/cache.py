"""`translate cache stats|clear`: the translation memory (translations already made)."""

from __future__ import annotations

import typer

from translate.cli.app import app
from translate.cli.options import CacheOption

cache_app = typer.Typer(help="Inspect or empty the translation memory.", no_args_is_help=True)
app.add_typer(cache_app, name="cache")


def _open(cache):
    from translate.cli.console import printable, stdout, warning
    from translate.memory import TranslationMemory, default_memory_path
    from translate.models import models_root

    path = cache or default_memory_path(models_root())
    if not path.exists():
        stdout.print(f"{printable(path)}: no translation memory yet (it is created by the first `translate batch`)",
                     markup=False, soft_wrap=True)
        raise typer.Exit(0)
    return TranslationMemory(path, on_warning=warning)


@cache_app.command("stats")
def stats(cache: CacheOption = None) -> None:
    """Entries in the translation memory, per model and settings, and its size on disk."""
    from rich.table import Table

    from translate.cli.console import literal, printable, stdout

    memory = _open(cache)
    try:
        report = memory.stats()
    finally:
        memory.close()
    stdout.print(f"{printable(report.path)}: {report.entries} entries, {report.size_bytes / 1024:.1f} KB", markup=False, soft_wrap=True)
    if report.contexts:
        table = Table("model revision", "settings", "entries")
        for description, count in report.contexts:
            settings = ", ".join(f"{k}={v}" for k, v in sorted(description.items()) if k != "model")
            table.add_row(literal(description.get("model")), literal(settings), str(count))
        stdout.print(table)


@cache_app.command("clear")
def clear(cache: CacheOption = None) -> None:
    """Delete every entry of the translation memory."""
    from translate.cli.console import printable, stdout

    memory = _open(cache)
    try:
        removed = memory.clear()
    finally:
        memory.close()
    stdout.print(f"{printable(memory.path)}: removed {removed} entries", markup=False, soft_wrap=True)
