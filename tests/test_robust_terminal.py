"""File names and text reach the terminal inert (issue 25): a name holding ESC sequences cannot
rewrite the screen, one holding a newline cannot split a log line."""

from __future__ import annotations

import os
import subprocess
import sys
from types import SimpleNamespace

from conftest import REPO
from translate.cli.console import error, literal, printable, warning
from translate.cli.progress import RichBatchProgress

EVIL = "evil\x1b[2K\rall files OK\nerror: none\x9b31m\u202etxt.md"
ESCAPED = "evil\\x1b[2K\\rall files OK\\nerror: none\\x9b31m\\u202etxt.md"


def test_printable_escapes_control_characters_and_keeps_the_rest():
    assert printable(EVIL) == ESCAPED
    assert printable("caf\u00e9 \u00e0 Paris, \u65e5\u672c") == "caf\u00e9 \u00e0 Paris, \u65e5\u672c"
    assert printable("line one\nline\ttwo\x1b", lines=True) == "line one\nline\ttwo\\x1b"
    assert literal(EVIL).plain == ESCAPED


def test_errors_warnings_and_log_lines_print_names_escaped_on_one_line(capsys):
    error(f"{EVIL}: not a text file")
    warning(f"{EVIL}: skipped: hidden")
    with RichBatchProgress(enabled=True) as progress:
        progress.start(1)
        progress.file_done(SimpleNamespace(source=EVIL, status="failed", reason="not a text file"))
    lines = capsys.readouterr().err.splitlines()
    assert lines == [f"error: {ESCAPED}: not a text file", f"warning: {ESCAPED}: skipped: hidden",
                     f"[1/1] {ESCAPED}: failed: not a text file"]


def test_detect_prints_a_hostile_file_name_escaped(tmp_path):
    name = "evil\x1b[2K\rall files OK\n.txt"
    (tmp_path / name).write_bytes(b"\x00\x01binary\x00")
    (tmp_path / "bon.txt").write_text("Le chat dort sur le canap\u00e9.\x1b[31m\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(REPO), "NO_COLOR": "1", "COLUMNS": "300"}
    result = subprocess.run([sys.executable, "-m", "translate", "detect", "."], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert "\x1b" not in result.stderr + result.stdout and "\r" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.strip()]
    assert errors == [line for line in errors if line.startswith("error: ")] and len(errors) == 1
    assert "./evil\\x1b[2K\\rall files OK\\n.txt: not a text file" in errors[0]
    assert "canap\u00e9.\\x1b[31m" in result.stdout


def test_log_mode_prints_no_spans_line_once_every_known_span_is_done(capsys, monkeypatch):
    import translate.cli.progress as progress_module

    clock = iter([0.0, 0.0, 100.0, 200.0, 300.0])
    monkeypatch.setattr(progress_module.time, "monotonic", lambda: next(clock))
    with RichBatchProgress(enabled=True) as progress:  # constructed at 0, started at 0
        progress.start(2)
        progress.spans_found(4)
        progress.spans_done(2)  # at 100 s: half done, worth a line
        progress.spans_done(2)  # at 200 s: all 4 done: the file lines say it
    lines = capsys.readouterr().err.splitlines()
    assert lines == ["spans: 2 of 4 known so far"]
