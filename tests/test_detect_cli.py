"""`translate detect`: JSON Lines and readable output, folders, and unreadable inputs."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"


def run_detect(*args: str, cwd: Path = REPO, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, COLUMNS="200")
    return subprocess.run(
        [sys.executable, "-m", "translate", "detect", *args], capture_output=True, text=True, cwd=cwd, env=env,
        input=stdin if stdin is not None else "",
    )


def test_json_lines_for_a_folder_follow_the_segment_contract(tmp_path):
    folder = tmp_path / "docs"
    (folder / "sub").mkdir(parents=True)
    shutil.copy(SEEDS / "001_7d5254a00c7f58fe.txt", folder / "sub" / "b.txt")
    shutil.copy(SEEDS / "000_e292f1a6227b609f.txt", folder / "a.txt")
    (folder / "picture.png").write_bytes(b"\x89PNG\r\n")  # not a supported format: skipped

    result = run_detect("--json", "docs", cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["source"] for r in records] == ["docs/a.txt", "docs/sub/b.txt"]
    for record in records:
        text = (tmp_path / record["source"]).read_text(encoding="utf-8")
        for seg in record["segments"]:
            assert set(seg) == {"paragraph", "start", "end", "lang", "text"}
            assert text[seg["start"] : seg["end"]] == seg["text"]
        covered = sum(len("".join(s["text"].split())) for s in record["segments"])
        assert covered == len("".join(text.split()))
    spans = {(s["lang"], s["text"]) for s in records[1]["segments"]}
    assert ("fr", "gagner du temps.") in spans
    assert any(lang == "es" and text.startswith("Los motivos expuestos") for lang, text in spans)


def test_unreadable_file_is_reported_and_the_others_are_still_processed(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("El CEO de OpenAI explica cómo afectó la salida de Elon Musk de la empresa.", encoding="utf-8")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01\x02binary\x00 data\xff\xfe\x00")

    result = run_detect("--json", str(bad), str(tmp_path / "missing.txt"), str(good))

    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(errors) == 2
    assert "bad.txt" in errors[0] and "not a text file" in errors[0]
    assert "missing.txt" in errors[1]
    (record,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert record["source"] == str(good)
    assert [s["lang"] for s in record["segments"]] == ["es"]


def test_readable_view_lists_each_span_with_its_language():
    result = run_detect(str(SEEDS / "003_162310be4c9102ab.txt"))

    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].endswith("003_162310be4c9102ab.txt")
    assert any(line.split() == ["en", "Recent", "Posts"] for line in lines)
    assert "\x1b[" not in result.stdout  # no colour codes when not on a terminal


def test_a_dash_reads_standard_input_once_beside_files(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("Bonjour tout le monde.", encoding="utf-8")

    result = run_detect("--json", "-", str(good), "-", stdin="Hola mundo.\nThe weather is nice today.\n")

    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["source"] for r in records] == ["-", str(good), "-"]
    assert [(s["lang"], s["text"]) for s in records[0]["segments"]] == [
        ("es", "Hola mundo."), ("en", "The weather is nice today.")]
    assert records[2]["segments"] == records[0]["segments"]  # the stream is read once, not found empty


def test_standard_input_that_is_not_text_is_one_error_line():
    result = run_detect("-", stdin="\x00\x01binary\x00")

    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == ["error: -: not a text file (binary: contains NUL bytes)"]


def test_detect_is_listed_in_help():
    result = subprocess.run([sys.executable, "-m", "translate", "--help"], capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0
    assert "detect" in result.stdout
