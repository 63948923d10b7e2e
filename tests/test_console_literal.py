"""Everything printed from data appears literally: no rich markup, no emoji codes, on a
terminal (colours on) and off it."""

from __future__ import annotations

import io

from rich.console import Console

from conftest import run_cli

NASTY = ["bad:fire:.txt", "user:x:1000", "[bold]name[/bold]", "[red]x[/]", "trailing\\\\", "a\\[b]"]


def _terminal() -> Console:
    return Console(file=io.StringIO(), force_terminal=True, width=200, highlight=False, emoji=False)


def _text_of(console: Console) -> str:
    from rich.text import Text

    return Text.from_ansi(console.file.getvalue()).plain


def test_console_helpers_print_data_literally(monkeypatch):
    from translate.cli import console as console_module

    terminal = _terminal()
    monkeypatch.setattr(console_module, "stderr", terminal)
    for text in NASTY:
        console_module.error(f"{text}: cannot read")
        console_module.warning(f"{text}: skipped")
        terminal.print(console_module.literal(text, "bold"))
    printed = _text_of(terminal)
    for text in NASTY:
        assert f"error: {text}: cannot read" in printed
        assert f"warning: {text}: skipped" in printed
        assert f"\n{text}\n" in printed
    # The module's own consoles have emoji codes off.
    assert console_module.stdout._emoji is False


def test_progress_lines_and_warnings_are_literal(monkeypatch):
    from types import SimpleNamespace

    from translate.cli import console as console_module
    from translate.cli import progress as progress_module

    for bars in (False, True):
        terminal = _terminal()
        monkeypatch.setattr(progress_module, "stderr", terminal)
        monkeypatch.setattr(console_module, "stderr", terminal)
        progress = progress_module.RichBatchProgress()
        progress.bars = bars
        with progress:
            progress.start(2)
            progress.warning("[bold]x[/bold]:fire:.txt: skipped")
            progress.file_done(SimpleNamespace(status="failed", source="bad:fire:[bold].txt", reason="not a text file"))
        printed = _text_of(terminal)
        assert "warning: [bold]x[/bold]:fire:.txt: skipped" in printed
        if not bars:
            assert "[1/2] bad:fire:[bold].txt: failed: not a text file" in printed


def test_detect_prints_names_and_text_literally(tmp_path, isolated_env):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "bad:fire:.txt").write_text("Bonjour user:x:1000 le monde [bold]gras[/bold] et a\\\\[/] fin.\n",
                                          encoding="utf-8")
    (folder / "[bold]x.txt").write_bytes(b"\x00\x01binary")

    result = run_cli("detect", "docs", env=isolated_env, cwd=tmp_path)

    assert "docs/bad:fire:.txt" in result.stdout
    for piece in ("user:x:1000 le monde", "[bold]gras[/bold]", "et a\\\\[/] fin."):
        assert piece in result.stdout
    assert "error: docs/[bold]x.txt: not a text file" in result.stderr
