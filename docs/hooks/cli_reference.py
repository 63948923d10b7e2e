"""MkDocs hook: the CLI reference, generated from the Typer app at build time.

Every command, argument and option of ``translate`` (hidden ones excepted) is written from the
app itself, with the help text ``--help`` shows, so the page cannot miss one. The page
``cli.md`` holds the marker ``<!-- cli-reference -->``; this hook replaces it.
"""

from __future__ import annotations

import html
import sys
from pathlib import Path

MARKER = "<!-- cli-reference -->"


def on_config(config):
    # Document the checkout being built, not another install of the package in the same environment.
    root = str(Path(config.config_file_path).resolve().parent)
    if root not in sys.path:
        sys.path.insert(0, root)
    return config


def on_page_markdown(markdown: str, page, config, files) -> str:
    if MARKER not in markdown:
        return markdown
    return markdown.replace(MARKER, cli_reference())


def cli_reference() -> str:
    """The Markdown reference of every command of the ``translate`` app."""
    import typer

    import translate.cli as cli

    register = getattr(cli, "_register_commands", None)  # commands are added to the app on first use
    if register is not None:
        register()
    root = typer.main.get_command(cli.app)
    ctx = _context(root, "translate", None)
    lines: list[str] = []
    _command(root, ctx, "translate", lines, level=3)
    return "\n".join(lines) + "\n"


def _command(command, ctx, path: str, lines: list[str], level: int) -> None:
    subcommands = command.list_commands(ctx) if hasattr(command, "list_commands") else []
    arguments = [p for p in command.params if p.param_type_name == "argument"]
    usage = " ".join([path, "[OPTIONS]", *(_argument_usage(a) for a in arguments)])
    if subcommands:
        usage = f"{path} [OPTIONS] COMMAND [ARGS]..."
    lines += [f"{'#' * level} `{path}`", ""]
    if command.help:
        lines += [_help_text(command.help), ""]
    lines += ["```", usage, "```", ""]
    rows = []
    for param in command.params:
        if getattr(param, "hidden", False):
            continue
        if param.param_type_name == "argument":
            required = "required" if param.required else "optional"
            many = ", one or more" if param.nargs == -1 else ""
            rows.append((_argument_usage(param), f"{_plain(param.help or '')} ({required}{many})"))
        else:
            record = param.get_help_record(ctx)
            if record is not None:
                names, text = record
                own = param.help or ""
                # The help is Rich markup; what click appends ("  [default: out]", ranges) is plain text.
                extra = text[len(own):] if text.startswith(own) else ""
                rows.append((names, _plain(own) + extra if extra or own else text))
    if rows:
        lines += ["| argument or option | description |", "| --- | --- |"]
        lines += [f"| `{_code(name)}` | {_cell(text)} |" for name, text in rows]
        lines.append("")
    if subcommands:
        lines += ["Commands: " + ", ".join(f"[`{name}`](#{_anchor(path + ' ' + name)})" for name in subcommands), ""]
    for name in subcommands:
        sub = command.get_command(ctx, name)
        if sub is None or sub.hidden:
            continue
        _command(sub, _context(sub, name, ctx), f"{path} {name}", lines,
                 level=level if path == "translate" else min(level + 1, 6))


def _context(command, name: str, parent):
    # As the app makes it (its context settings, e.g. showing defaults), without parsing real arguments.
    return command.make_context(name, [], parent=parent, resilient_parsing=True)


def _argument_usage(argument) -> str:
    name = argument.name.upper()
    if argument.nargs == -1:
        name += "..."
    return name if argument.required else f"[{name}]"


def _plain(text: str) -> str:
    """Help text without Rich markup (``[bold]...[/]``; ``\\[`` is a literal bracket)."""
    from rich.text import Text

    return Text.from_markup(text).plain


def _help_text(text: str) -> str:
    # Paragraphs as written in the docstring; single line breaks inside a paragraph join.
    paragraphs = [" ".join(p.split()) for p in _plain(text).split("\n\n")]
    return "\n\n".join(html.escape(p, quote=False) for p in paragraphs if p)


def _cell(text: str) -> str:
    return html.escape(" ".join(text.split()), quote=False).replace("|", "\\|")


def _code(text: str) -> str:
    # Inside a code span nothing is escaped; the tables extension does not split cells at a pipe there.
    return " ".join(text.split()).replace("`", "'")


def _anchor(title: str) -> str:
    # The toc extension's slug of a heading `translate cache stats` (code marks dropped).
    return "-".join(title.lower().split())
