"""The Typer application the commands are added to (``translate.cli`` registers them)."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="translate",
    help="Translate mixed French/Spanish/English documents to English and write side-by-side bilingual output.",
    rich_markup_mode="rich",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


def _show_version(value: bool) -> None:
    if value:
        from translate._distribution import DISTRIBUTION, __version__

        typer.echo(f"{DISTRIBUTION} {__version__}")
        raise typer.Exit()


@app.callback()
def _global_options(
    version: bool = typer.Option(
        False, "--version", callback=_show_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    """Translate mixed French/Spanish/English documents to English and write side-by-side bilingual output."""
