"""The Typer application the commands are added to (``translate.cli`` registers them)."""

from __future__ import annotations

import typer
from typer.core import TyperArgument, TyperGroup


class _Argument(TyperArgument):
    """An argument as in a man page: ``INPUT_DIR``, ``[PATHS]...`` in the usage line (typer writes
    ``{input_dir}``), and no Python type label (``<list[Path]>``) beside its help."""

    def display_type_rich(self, ctx) -> None:
        return None

    def get_usage_pieces(self, ctx) -> list[str]:
        name = self.display_name_raw if self.required else f"[{self.display_name_raw}]"
        return [name + ("..." if self.nargs != 1 else "")]


def _plain_help(command, ctx) -> None:
    """Help as users read it: a flag shows no type label (typer prints ``<bool>``), an argument its
    name in capitals; applied to every command as the group hands it out, sub-groups included."""
    for param in command.get_params(ctx):  # get_params: with the --help option made on demand
        if isinstance(param, TyperArgument):
            param.metavar = param.metavar or param.name.upper()
            # typer builds its own argument class; this one only changes how the usage line reads.
            param.__class__ = _Argument
        elif getattr(param, "is_flag", False) and param.metavar is None:
            param.metavar = ""  # shown as the type column, left empty
    for sub in getattr(command, "commands", {}).values():
        _plain_help(sub, ctx)


class _Group(TyperGroup):
    def get_command(self, ctx, cmd_name: str):
        command = super().get_command(ctx, cmd_name)
        if command is not None:
            _plain_help(command, ctx)
        return command

    def format_help(self, ctx, formatter) -> None:
        _plain_help(self, ctx)
        super().format_help(ctx, formatter)


app = typer.Typer(
    cls=_Group,
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
    ctx: typer.Context,
    version: bool = typer.Option(
        False, "--version", callback=_show_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    """Translate mixed French/Spanish/English documents to English and write side-by-side bilingual output."""
    from translate.arguments import cli_words

    ctx.call_on_close(cli_words())  # the commands call the API: its errors keep naming the CLI's options
