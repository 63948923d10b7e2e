"""`translate models list|pull`: see and fetch the translation models."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from translate.cli.app import app
from translate.cli.options import LanguagesOption, ModelOption

models_app = typer.Typer(help="List or download the translation models.", no_args_is_help=True)
app.add_typer(models_app, name="models")


@models_app.command("list")
def list_models(model: ModelOption = None, languages: LanguagesOption = None) -> None:
    """Show the model of each language a run with these options translates, where it resolves
    (without downloading), and its size."""
    from rich.table import Table

    from translate.cli.console import literal, stdout
    from translate.models import (
        FALLBACK, find_local_model, folder_size, models_root, parse_languages, parse_model_options, plan_models,
    )

    plan = plan_models(parse_languages(languages), parse_model_options(model))
    table = Table("lang", "model", "status", "location", "size")
    for lang in sorted(plan.names, key=lambda lang: (lang == FALLBACK, lang)):
        name = plan.names[lang]
        found = find_local_model(name)
        if found:
            path, origin = found
            table.add_row(literal(lang), literal(name), literal(f"found ({origin})"), literal(path),
                          _human_size(folder_size(path)))
        elif lang in plan.lazy:
            table.add_row(literal(lang), literal(name), literal("on the Hub"),
                          literal(f"downloaded to {models_root()} when a document needs it"), "-")
        else:
            table.add_row(literal(lang), literal(name), literal("missing", "red"),
                          literal(f"would download to {models_root()}"), "-")
    stdout.print(table)


@models_app.command("pull")
def pull(
    langs: Annotated[Optional[list[str]], typer.Argument(
        help="Languages to download, or * for the fallback model (default: those a run with these options "
        "needs before it starts).")] = None,
    model: ModelOption = None,
    languages: LanguagesOption = None,
) -> None:
    """Download models from the Hugging Face Hub into the models root ahead of time."""
    from translate.cli.console import printable, stdout
    from translate.errors import UsageError
    from translate.models import (
        FALLBACK, default_model, is_translatable_code, parse_languages, parse_model_options, plan_models, resolve_model,
    )

    overrides = parse_model_options(model)
    if langs:
        wanted = {}
        for lang in langs:
            lang = lang.strip().lower()
            if lang != FALLBACK and not is_translatable_code(lang):
                raise UsageError(f"{lang!r}: expected a language code such as fr, es, it or de (not en or und), or *")
            if lang == FALLBACK and FALLBACK not in overrides:
                raise UsageError("*: give the fallback model with --model '*=ID'")
            wanted[lang] = overrides.get(lang) or default_model(lang)
    else:
        plan = plan_models(parse_languages(languages), overrides)
        wanted = {lang: plan.names[lang] for lang in sorted(plan.required)}
    for lang, name in wanted.items():
        resolved = resolve_model(lang, name)
        stdout.print(printable(f"{lang}: {resolved.name} -> {resolved.path} ({resolved.origin})"), markup=False)


def _human_size(size: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size} B"
