"""Shared terminal output: results on stdout, messages on stderr."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape

stdout = Console(highlight=False)
stderr = Console(stderr=True, highlight=False)


def error(message: str) -> None:
    """One-line error on stderr; the message is escaped since it carries user paths."""
    stderr.print("[bold red]error:[/] " + escape(message), soft_wrap=True)


def warning(message: str) -> None:
    stderr.print("[yellow]warning:[/] " + escape(message), soft_wrap=True)
