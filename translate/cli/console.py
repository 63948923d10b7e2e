"""Shared terminal output: results on stdout, messages on stderr.

Data (file names, document text, model names) must reach the terminal literally. Both consoles
have emoji codes off (rich prints ``:fire:`` in ``bad:fire:.txt`` as an emoji even with
``markup=False``), and data is handed to rich as ``Text`` (``literal``), never inside a markup
string: ``rich.markup.escape`` still loses a backslash before a closing tag (``a\\\\[/]``).

Control characters in data are printed as escapes (``printable``): a file name holding
``ESC [2K`` must not erase the line it is printed on, and one holding a newline must not split
a log line into two.
"""

from __future__ import annotations

import re

from rich.console import Console
from rich.text import Text

stdout = Console(highlight=False, emoji=False)
stderr = Console(stderr=True, highlight=False, emoji=False)


# C0 controls (newline and tab included), DEL, C1 controls (U+009B starts a sequence as ESC [ does),
# and the bidirectional overrides and isolates that reorder what follows them on screen.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_CONTROL_IN_TEXT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_NAMED_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match) -> str:
    char = match.group(0)
    return _NAMED_ESCAPES.get(char) or (f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}")


def printable(text: object, *, lines: bool = False) -> str:
    """``text`` with its control characters written as escapes (``\\x1b``, ``\\n``), so that it
    prints as one inert line; ``lines`` keeps line breaks and tabs (a document's text)."""
    return (_CONTROL_IN_TEXT if lines else _CONTROL).sub(_escape, str(text))


def literal(text: object, style: str = "") -> Text:
    """``text`` as a rich renderable that prints exactly as it is, in ``style``, on one line
    (control characters escaped)."""
    return Text(printable(text), style=style)


def error(message: str, console: Console | None = None) -> None:
    """One-line error on stderr: the message carries user paths and is printed literally."""
    (console or stderr).print(Text.assemble(("error:", "bold red"), " ", printable(message)), soft_wrap=True)


def warning(message: str, console: Console | None = None) -> None:
    (console or stderr).print(Text.assemble(("warning:", "yellow"), " ", printable(message)), soft_wrap=True)
