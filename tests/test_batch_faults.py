"""Batch runs on real-world folders and faults: odd encodings, broken files, links, a kill -9
in the middle of a run, a corrupt translation memory, two runs on one output folder."""

from __future__ import annotations

import dataclasses
import codecs
import html
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import REPO, SEEDS, run_cli
from test_formats import HTML, MARKDOWN, SUBRIP, html_events
from translate.formats.encoding import decode_bytes

SUPPORTED = (".txt", ".md", ".srt", ".html")


@pytest.fixture
def env(isolated_env) -> dict[str, str]:
    # One torch thread: a tiny model gains nothing from more, and on a busy machine (other test
    # processes on 2 cores) spinning worker threads made each step ~10x slower.
    return {**isolated_env, "OMP_NUM_THREADS": "1"}


def model_args(model: Path) -> list[str]:
    return ["--model", f"fr={model}", "--model", f"es={model}", "--beams", "1"]


def snapshot(folder: Path, skip: Path | None = None) -> dict[str, bytes]:
    files = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        if skip is not None and Path(dirpath) == skip.parent:
            dirnames[:] = [d for d in dirnames if Path(dirpath, d) != skip]
        for name in filenames:
            path = Path(dirpath, name)
            if not path.is_symlink():
                files[str(path.relative_to(folder))] = path.read_bytes()
    return files


def make_mixed_folder(root: Path) -> None:
    root.mkdir()
    (root / "good.txt").write_text("Le chat dort sur le canapé du salon.\n\nThe dog is sleeping in the garden.\n",
                                   encoding="utf-8")
    (root / "notes.md").write_text(MARKDOWN, encoding="utf-8")
    (root / "film.srt").write_text(SUBRIP, encoding="utf-8")
    (root / "page.html").write_text(HTML, encoding="utf-8")
    (root / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" * 20)
    (root / "empty.txt").write_bytes(b"")
    (root / "ancien.txt").write_bytes("Le garçon est allé à l'école près de la forêt.".encode("cp1252"))
    (root / "unicode16.txt").write_bytes(codecs.BOM_UTF16_LE + "El niño comió una manzana roja.".encode("utf-16-le"))
    nested = root / "dossier été" / "sous dossier"
    nested.mkdir(parents=True)
    (nested / "ñandú café.md").write_text("# Un titre\n\nLa maison est très grande.\n", encoding="utf-8")
    (root / "boucle").symlink_to(root)  # a link loop
    (nested / "remonte").symlink_to("../..")
    outside = root.parent / "dehors"
    outside.mkdir()
    (outside / "secret.txt").write_text("Ce fichier est en dehors du dossier.", encoding="utf-8")
    (root / "sortie").symlink_to(outside)
    (root / "secret.txt").symlink_to(outside / "secret.txt")
    (root / "ignored.pdf").write_bytes(b"%PDF-1.4 not a supported format")


def test_mixed_folder_translates_what_it_can_and_lists_failures(tmp_path, tiny_model, env):
    inputs = tmp_path / "in"
    make_mixed_folder(inputs)
    out = tmp_path / "out"  # beside the input (inside it is refused: test_output_safety)
    before = {**snapshot(inputs, skip=out), **snapshot(tmp_path / "dehors")}

    result = run_cli("batch", str(inputs), "--out", str(out), *model_args(tiny_model), env=env)
    assert result.returncode == 1, result.stderr
    assert "8 of 9 files translated" in result.stdout
    assert re.search(r"error:.*image\.txt: not a text file", result.stderr)
    assert "sortie: skipped: symbolic link to outside the input folder" in result.stderr
    assert "secret.txt: skipped: symbolic link to outside" in result.stderr
    assert "Traceback" not in result.stderr
    assert {**snapshot(inputs, skip=out), **snapshot(tmp_path / "dehors")} == before, "nothing written outside OUT"

    expected = {
        "good.txt": ("txt", "utf-8"), "notes.md": ("md", "utf-8"), "film.srt": ("srt", "utf-8"),
        "page.html": ("html", "utf-8"), "empty.txt": ("txt", "utf-8"), "ancien.txt": ("txt", "cp1252"),
        "unicode16.txt": ("txt", "utf-16"), "dossier été/sous dossier/ñandú café.md": ("md", "utf-8"),
    }
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.json"))
    assert written == sorted(name.rsplit(".", 1)[0] + ".json" for name in expected)
    for name, (fmt, encoding) in expected.items():
        stem, ext = name.rsplit(".", 1)
        data = json.loads((out / f"{stem}.json").read_text(encoding="utf-8"))
        assert (data["source"], data["format"], data["encoding"]) == (name, fmt, encoding)
        text, _ = decode_bytes((inputs / name).read_bytes(), name)
        for seg in data["segments"]:
            if ext in ("txt", "srt"):  # HTML and Markdown: `text` is the plain text of the source range
                assert text[seg["start"]:seg["end"]] == seg["text"]
            else:
                # The source range runs from its first character to its last (references and escapes decoded).
                source = re.sub(r"\\(.)", r"\1", html.unescape(text[seg["start"]:seg["end"]]))
                assert source[0] == seg["text"][0] and source[-1] == seg["text"][-1], (source, seg["text"])
        assert (out / f"{stem}.html").is_file() and (out / f"{stem}.en.{ext}").is_file()
    empty = json.loads((out / "empty.json").read_text(encoding="utf-8"))
    assert empty["segments"] == [] and (out / "empty.en.txt").read_text() == ""
    assert json.loads((out / "ancien.json").read_text(encoding="utf-8"))["segments"][0]["text"].startswith("Le garçon")
    # The English documents keep their format's structure.
    english_srt = (out / "film.en.srt").read_text(encoding="utf-8").splitlines()
    assert [line for line in english_srt if "-->" in line or line.isdigit()] == [
        line for line in SUBRIP.splitlines() if "-->" in line or line.isdigit()]
    def without_translated_attributes(events):  # title is translated, <html lang> becomes en
        return [(e[0], e[1], [(k, v) for k, v in e[2] if k not in ("title", "lang")]) if e[0] == "start" else e
                for e in events]

    assert (without_translated_attributes(html_events((out / "page.en.html").read_text(encoding="utf-8")).events)
            == without_translated_attributes(html_events(HTML).events))
    assert '```python\nprint("ne pas traduire")\n```' in (out / "notes.en.md").read_text(encoding="utf-8")
    assert not list(out.rglob("*secret*")) and not list(out.rglob(".*.tmp"))

    # A second run translates nothing: every file is up to date (the broken one still fails).
    again = run_cli("batch", str(inputs), "--out", str(out), *model_args(tiny_model), env=env)
    assert again.returncode == 1
    assert "0 of 9 files translated" in again.stdout and "8 up to date" in again.stdout
    assert "0 texts translated by the model, 0 from the translation memory" in again.stdout

    # --formats restricts the walk; --force redoes the files, from the translation memory.
    forced = run_cli("batch", str(inputs), "--out", str(out), "--formats", "srt,html", "--force", "--quiet",
                     *model_args(tiny_model), env=env)
    assert forced.returncode == 0, forced.stderr
    assert "2 of 2 files translated" in forced.stdout and "0 texts translated by the model" in forced.stdout


def test_bad_formats_option_is_a_usage_error(tmp_path, env):
    (tmp_path / "in").mkdir()
    result = run_cli("batch", str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--formats", "txt,doc",
                     env=env)
    assert result.returncode == 2 and "unknown doc;" in result.stderr and ",docx," in result.stderr


def memory_entries(path: Path) -> int:
    with sqlite3.connect(path) as db:
        return db.execute("SELECT COUNT(*) FROM translations").fetchone()[0]


def write_many_files(folder: Path, count: int) -> None:
    """``count`` files of distinct French sentences taken from the seeds."""
    lines = [line.strip() for path in sorted(SEEDS.glob("*.txt")) for line in path.read_text(encoding="utf-8").splitlines()
             if len(line.strip()) > 30]
    folder.mkdir()
    for index in range(count):
        mine = lines[index::count][:3]
        (folder / f"doc{index:02d}.txt").write_text("\n\n".join(mine) + "\n", encoding="utf-8")


FILES = 10


def test_kill_9_mid_run_then_resume_loses_nothing_and_translates_nothing_twice(tmp_path, tiny_model, env):
    inputs, out, cache = tmp_path / "in", tmp_path / "out", tmp_path / "tm.sqlite3"
    write_many_files(inputs, FILES)
    args = ["batch", str(inputs), "--out", str(out), "--cache", str(cache), "--group-bytes", "700",
            *model_args(tiny_model)]
    first = subprocess.Popen([sys.executable, "-m", "translate", *args], cwd=REPO, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        while len(list(out.glob("*.json"))) < 2:
            assert first.poll() is None, first.communicate()
            assert time.monotonic() < deadline
            time.sleep(0.01)
        # Frozen mid-run (still holding its lock): a second run on the same output folder is refused at once.
        first.send_signal(signal.SIGSTOP)
        second = run_cli(*args, env=env, timeout=60)
        assert second.returncode == 1
        assert "another translate run is writing to this output folder" in second.stderr
        first.send_signal(signal.SIGKILL)
        first.wait()
    finally:
        if first.poll() is None:
            first.kill()
            first.wait()
    done_before = {p.name: p.stat().st_mtime_ns for p in out.glob("*.json")}
    assert 2 <= len(done_before) < FILES, "killed mid-way"
    # No partial output: no visible temporary file, every JSON complete, with its two companions.
    for path in out.iterdir():
        assert path.name.startswith(".") or path.suffix in (".json", ".html", ".txt"), path.name
    for name in done_before:
        json.loads((out / name).read_text(encoding="utf-8"))
        assert (out / name.replace(".json", ".html")).is_file() and (out / name.replace(".json", ".en.txt")).is_file()
    stored_before_resume = memory_entries(cache)
    assert stored_before_resume > 0

    resumed = run_cli(*args, env=env)  # the killed run's lock does not block it
    assert resumed.returncode == 0, resumed.stderr
    assert f"{FILES - len(done_before)} of {FILES} files translated" in resumed.stdout
    assert f"{len(done_before)} up to date" in resumed.stdout
    assert {p.name: p.stat().st_mtime_ns for p in out.glob("*.json") if p.name in done_before} == done_before
    assert not list(out.glob(".*.tmp"))
    model_calls = int(re.search(r"(\d+) texts translated by the model", resumed.stdout).group(1))
    texts = {seg["text"] for path in out.glob("*.json") for seg in json.loads(path.read_text(encoding="utf-8"))["segments"]
             if seg["lang"] in ("fr", "es")}
    # Everything translated exactly once across the two runs: what the killed run stored plus
    # what the resumed run translated is every distinct text, and the memory holds each once.
    assert stored_before_resume + model_calls == len(texts) == memory_entries(cache)
    stats = run_cli("cache", "stats", "--cache", str(cache), env=env)
    assert stats.returncode == 0 and f"{len(texts)} entries" in stats.stdout


def test_a_corrupt_translation_memory_is_set_aside_and_rebuilt(tmp_path, tiny_model, env):
    from translate.batch import RunSettings, SilentProgress, run_batch
    from translate.engines import EngineSettings

    inputs, cache = tmp_path / "in", tmp_path / "tm.sqlite3"
    write_many_files(inputs, 2)
    cache.write_bytes(b"this is not a SQLite database" * 100)
    (tmp_path / "out").mkdir()
    stale = tmp_path / "out" / ".doc00.json.k3j_x9a2.tmp"  # what write_atomic leaves when killed mid-write
    stale.write_text('{"source": "doc0')
    keep = tmp_path / "out" / ".notes.tmp"
    keep.write_text("not ours")
    warnings = []

    class Recording(SilentProgress):
        def warning(self, message):
            warnings.append(message)

    options = RunSettings(inputs, tmp_path / "out", {"fr": str(tiny_model), "es": str(tiny_model)},
                           EngineSettings(beams=1), cache_path=cache)
    report = run_batch(options, Recording())
    assert len(report.translated) == 2 and not report.failed
    assert any("unreadable" in w and "moved it to" in w for w in warnings), warnings
    assert not stale.exists() and keep.exists()
    assert any("removed 1 unfinished temporary file" in w for w in warnings), warnings
    [aside] = tmp_path.glob("tm.sqlite3.corrupt-*")
    assert aside.read_bytes().startswith(b"this is not a SQLite database")
    assert memory_entries(cache) == report.model_translations > 0

    # The rebuilt memory serves the next run.
    again = run_batch(dataclasses.replace(options, force=True), SilentProgress())
    assert again.model_translations == 0 and again.memory_hits == report.model_translations


def test_translation_memory_keys_on_model_revision_and_settings(tmp_path, tiny_model, env):
    from translate.engines.base import Hypothesis
    from translate.memory import TranslationMemory, model_fingerprint

    memory = TranslationMemory(tmp_path / "tm.sqlite3")
    revision = model_fingerprint(tiny_model, memory)
    assert model_fingerprint(tiny_model, memory) == revision
    greedy = memory.context({"model": revision, "engine": "auto", "beams": 1})
    beam4 = memory.context({"model": revision, "engine": "auto", "beams": 4})
    memory.store(greedy, [("Bonjour.", Hypothesis("Hello.", -0.5, 3))])
    assert memory.lookup(greedy, ["Bonjour.", "Merci."]) == {"Bonjour.": Hypothesis("Hello.", -0.5, 3)}
    assert memory.lookup(beam4, ["Bonjour."]) == {}
    # Another revision of the weights is another model.
    copy = tmp_path / "copy"
    copy.mkdir()
    for path in tiny_model.iterdir():
        (copy / path.name).write_bytes(path.read_bytes())
    assert model_fingerprint(copy, memory) == revision, "a copied folder is the same model"
    (copy / "config.json").write_text((copy / "config.json").read_text().replace("}", ', "extra": 1}', 1))
    assert model_fingerprint(copy, memory) != revision
    assert memory.clear() == 1 and memory.stats().entries == 0


def test_output_lock_is_exclusive_and_released(tmp_path):
    from translate.batch import OutputLock, OutputLockedError

    with OutputLock(tmp_path):
        with pytest.raises(OutputLockedError, match=f"pid {os.getpid()}"):
            OutputLock(tmp_path).__enter__()
    with OutputLock(tmp_path):
        pass
    assert not (tmp_path / ".translate.lock").exists()
