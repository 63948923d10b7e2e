"""`translate models list|pull`: see and fetch the translation models."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from translate.cli import app
from translate.cli.options import ModelOption

models_app = typer.Typer(help="List or download the translation models.", no_args_is_help=True)
app.add_typer(models_app, name="models")


@models_app.command("list")
def list_models(model: ModelOption = None) -> None:
    """Show each configured model, where it resolves (without downloading), and its size."""
    from rich.table import Table

    from translate.cli.console import literal, stdout
    from translate.models import configured_models, find_local_model, folder_size, models_root, parse_model_options

    table = Table("lang", "model", "status", "location", "size")
    for lang, name in configured_models(parse_model_options(model)).items():
        found = find_local_model(name)
        if found:
            path, origin = found
            table.add_row(literal(lang), literal(name), literal(f"found ({origin})"), literal(path),
                          _human_size(folder_size(path)))
        else:
            table.add_row(literal(lang), literal(name), literal("missing", "red"),
                          literal(f"would download to {models_root()}"), "-")
    stdout.print(table)


@models_app.command("pull")
def pull(
    langs: Annotated[Optional[list[str]], typer.Argument(help="Languages to download (default: all).")] = None,
    model: ModelOption = None,
) -> None:
    """Download models from the Hugging Face Hub into the models root ahead of time."""
    from translate.cli.console import stdout
    from translate.errors import UsageError
    from translate.models import configured_models, parse_model_options, resolve_model

    names = configured_models(parse_model_options(model))
    for lang in langs or list(names):
        if lang not in names:
            raise UsageError(f"unknown language {lang!r}: choose from {', '.join(names)}")
        resolved = resolve_model(lang, names[lang])
        stdout.print(f"{lang}: {resolved.name} -> {resolved.path} ({resolved.origin})", markup=False)


def _human_size(size: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size} B"
