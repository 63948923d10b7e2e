"""Shared terminal output: results on stdout, messages on stderr.

Data (file names, document text, model names) must reach the terminal literally. Both consoles
have emoji codes off (rich prints ``:fire:`` in ``bad:fire:.txt`` as an emoji even with
``markup=False``), and data is handed to rich as ``Text`` (``literal``), never inside a markup
string: ``rich.markup.escape`` still loses a backslash before a closing tag (``a\\\\[/]``).
"""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

stdout = Console(highlight=False, emoji=False)
stderr = Console(stderr=True, highlight=False, emoji=False)


def literal(text: object, style: str = "") -> Text:
    """``text`` as a rich renderable that prints exactly as it is, in ``style``."""
    return Text(str(text), style=style)


def error(message: str, console: Console | None = None) -> None:
    """One-line error on stderr: the message carries user paths and is printed literally."""
    (console or stderr).print(Text.assemble(("error:", "bold red"), " ", str(message)), soft_wrap=True)


def warning(message: str, console: Console | None = None) -> None:
    (console or stderr).print(Text.assemble(("warning:", "yellow"), " ", str(message)), soft_wrap=True)
