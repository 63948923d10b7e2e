"""Every command's ``--help`` reads as a manual at 80 columns: no internal type labels (``<bool>``),
arguments named in capitals, nothing cut off with an ellipsis, and option lists that match what the
code accepts."""

from __future__ import annotations

import os
import re

import pytest

from conftest import run_cli

def command_paths() -> list[tuple[str, ...]]:
    import typer

    from translate.cli import _register_commands, app

    _register_commands()
    paths = []

    def walk(command, path):
        paths.append(path)
        for name, sub in sorted(getattr(command, "commands", {}).items()):
            if not sub.hidden:
                walk(sub, (*path, name))

    walk(typer.main.get_command(app), ())
    return paths


COMMANDS = command_paths()


def help_text(path: tuple[str, ...], columns: int) -> str:
    env = dict(os.environ, COLUMNS=str(columns), NO_COLOR="1", TERM="dumb")
    env.pop("FORCE_COLOR", None)
    done = run_cli(*path, "--help", env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.parametrize("path", COMMANDS, ids=lambda path: " ".join(path) or "translate")
def test_help_names_arguments_in_capitals_and_shows_no_type_labels(path):
    text = help_text(path, 80)
    assert "<bool>" not in text, "a flag shows an internal type label"
    assert "list[" not in text, "an argument shows its Python type"
    usage = next(line for line in text.splitlines() if "Usage:" in line)
    assert not re.search(r"[{}]", usage), f"placeholder braces in the usage line: {usage.strip()}"
    assert not re.search(r"\b[a-z]+_[a-z_]+\b", usage), f"an argument named in lower case: {usage.strip()}"


@pytest.mark.parametrize("path", [("batch",), ("align",)], ids=" ".join)
def test_help_at_80_columns_is_not_cut(path):
    text = help_text(path, 80)
    assert "…" not in text, "help cut off at 80 columns:\n" + "\n".join(
        line for line in text.splitlines() if "…" in line)
    assert max(len(line) for line in text.splitlines()) <= 80


def test_no_help_is_cut_at_80_columns():
    for path in COMMANDS:
        if path not in (("batch",), ("align",)):  # those two: test_help_at_80_columns_is_not_cut
            assert "…" not in help_text(path, 80), " ".join(path)


def test_formats_help_lists_every_format_and_the_default_whole():
    from translate.formats import FORMAT_NAMES

    words = " ".join(help_text(("batch",), 80).split())
    for name in FORMAT_NAMES:
        assert re.search(rf"\b{name}\b", words), f"{name} missing from --formats help"


@pytest.mark.parametrize("command", ["batch", "align"])
def test_compute_type_help_names_every_accepted_type_and_its_engine(command):
    from translate.engines.ctranslate2_engine import COMPUTE_TYPES

    text = help_text((command,), 200)
    option = " ".join(text[text.index("--compute-type"):].split("│ --")[0].split())
    for name in COMPUTE_TYPES:
        assert re.search(rf"(?<![\w]){name}(?![\w])", option), f"{name} missing from: {option}"
    assert "ctranslate2" in option
