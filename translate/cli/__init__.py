"""Command-line layer: a thin typer app; each command lives in its own module.

Command modules import only typer/rich at import time and call library functions
lazily, so that ``translate --help`` does not pay for torch or transformers.
"""

from __future__ import annotations

import sys

import typer

from translate.errors import TranslateError

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


def _register_commands() -> None:
    # Imported for their side effect of adding commands to `app`.
    from translate.cli import align, batch, cache, detect, models, review, spot_check  # noqa: F401


def main() -> None:
    _register_commands()
    try:
        app()
    except TranslateError as err:
        from translate.cli.console import error

        error(str(err))
        sys.exit(err.exit_code)
    except KeyboardInterrupt:
        from translate.cli.console import error

        error("interrupted")
        sys.exit(130)
