"""Regression tests for defects found by trying `translate` as a new user would (issue 10):
run files and inputs, walking, unreadable inputs, unwritable output folders, model errors,
interruption and the models root."""

from __future__ import annotations

import errno
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import REPO, SEEDS, run_cli

FRENCH = "Le chat dort sur le canapé du salon.\n"


def batch_options(tmp_path: Path, inputs: Path, out: Path, models: dict[str, str]):
    from translate.batch import RunSettings
    from translate.engines import EngineSettings

    return RunSettings(inputs, out, models, EngineSettings(beams=1), models_root=tmp_path / "root",
                        cache_path=tmp_path / "tm.sqlite3")


def test_an_input_named_like_a_run_file_is_translated_and_the_run_files_move_aside(tmp_path, tiny_model):
    from translate.batch import SilentProgress, run_batch

    inputs, out = tmp_path / "in", tmp_path / "out"
    (inputs / "sub").mkdir(parents=True)
    (inputs / "index.txt").write_text(FRENCH, encoding="utf-8")  # its side-by-side page is OUT/index.html
    (inputs / "sub" / "index.txt").write_text(FRENCH, encoding="utf-8")  # OUT/sub/index.html: no clash
    (inputs / "corpus.txt").write_text(FRENCH, encoding="utf-8")

    report = run_batch(batch_options(tmp_path, inputs, out, {"fr": str(tiny_model), "es": str(tiny_model)}),
                       SilentProgress())

    assert not report.failed
    assert sorted(o.source for o in report.translated) == ["corpus.txt", "index.txt", "sub/index.txt"]
    assert (out / "index.json").is_file() and "Le chat" in (out / "index.html").read_text(encoding="utf-8")
    assert report.run_files == {"index": out / "translate-index.html", "tmx": out / "corpus.tmx",
                                "record": out / ".translate-run"}
    index = (out / "translate-index.html").read_text(encoding="utf-8")
    assert "sub/index.html" in index and 'href="index.html"' in index and 'href="corpus.tmx"' in index


def _index_link(page: Path) -> str:
    import re

    return re.search(r'<a href="([^"]*)">All documents</a>', page.read_text(encoding="utf-8")).group(1)


def test_every_page_links_to_the_run_index_wherever_it_went(tmp_path, tiny_model):
    from translate.batch import SilentProgress, run_batch

    inputs, out = tmp_path / "in", tmp_path / "out"
    (inputs / "guide").mkdir(parents=True)
    (inputs / "index.txt").write_text(FRENCH, encoding="utf-8")  # a site's home page: its page is OUT/index.html
    (inputs / "a.txt").write_text(FRENCH, encoding="utf-8")
    (inputs / "guide" / "b.txt").write_text(FRENCH, encoding="utf-8")
    options = batch_options(tmp_path, inputs, out, {"fr": str(tiny_model), "es": str(tiny_model)})

    report = run_batch(options, SilentProgress())
    assert report.run_files["index"] == out / "translate-index.html"
    for page, link in (("a.html", "translate-index.html"), ("guide/b.html", "../translate-index.html"),
                       ("index.html", "translate-index.html")):
        assert _index_link(out / page) == link, page
        assert (out / page).parent.joinpath(link).resolve() == (out / "translate-index.html").resolve()

    # A document added later links to where the index went at once (the run record says where).
    (inputs / "c.txt").write_text(FRENCH, encoding="utf-8")
    report = run_batch(options, SilentProgress())
    assert [o.source for o in report.translated] == ["c.txt"]
    assert _index_link(out / "c.html") == "translate-index.html"

    # The home page leaves the input and its outputs are deleted: the index is back at index.html, and
    # the pages this run did not redo (up to date) point there again.
    (inputs / "index.txt").unlink()
    for name in ("index.html", "index.json", "index.en.txt"):
        (out / name).unlink()
    report = run_batch(options, SilentProgress())
    assert {o.source for o in report.up_to_date} == {"a.txt", "c.txt", "guide/b.txt"}
    assert report.run_files["index"] == out / "index.html"
    assert _index_link(out / "a.html") == "index.html" and _index_link(out / "guide" / "b.html") == "../index.html"


def test_out_folder_above_the_input_skips_only_itself(tmp_path):
    from translate.batch import discover_inputs

    site = tmp_path / "site"
    (site / "docs" / "guide").mkdir(parents=True)
    (site / "docs" / "a.txt").write_text(FRENCH)
    (site / "docs" / "guide" / "b.txt").write_text(FRENCH)
    found, excluded = discover_inputs(site / "docs", site)
    assert [item.source for item in found] == ["a.txt", "guide/b.txt"] and not excluded

    (site / "docs" / "out" / "old").mkdir(parents=True)  # the output folder inside the input: skipped
    (site / "docs" / "out" / "old" / "c.txt").write_text(FRENCH)
    found, _ = discover_inputs(site / "docs", site / "docs" / "out")
    assert [item.source for item in found] == ["a.txt", "guide/b.txt"]


def test_detect_walks_like_batch_and_reports_bad_files_without_a_traceback(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.txt").write_text(FRENCH, encoding="utf-8")
    (folder / "bad.html").write_text("<p>Bonjour</p><![foo[ x ]]>", encoding="utf-8")
    outside = tmp_path / "secret.txt"
    outside.write_text("Ce fichier est en dehors du dossier.", encoding="utf-8")
    (folder / "link.txt").symlink_to(outside)

    # PYTHONPATH: the checkout under test, whatever the venv's editable install points at.
    env = dict(os.environ, COLUMNS="200", NO_COLOR="1", PYTHONPATH=str(REPO))
    result = subprocess.run([sys.executable, "-m", "translate", "detect", "--json", "docs"], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=120)

    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "docs/bad.html: cannot read as html" in result.stderr
    assert "docs/link.txt: skipped: symbolic link to outside the input folder" in result.stderr
    assert "dehors" not in result.stdout
    assert [line.split('"')[3] for line in result.stdout.splitlines()] == ["docs/a.txt"]


def test_an_output_folder_that_cannot_be_written_is_one_clear_error(tmp_path, monkeypatch, tiny_model):
    """A read-only mount: opening the lock file fails with EROFS (simulated: the suite runs as root)."""
    import translate.batch
    from translate.batch import SilentProgress, run_batch
    from translate.errors import TranslateError

    real_open = os.open

    def read_only_open(path, flags, *args):
        if str(path).endswith(".translate.lock"):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(path))
        return real_open(path, flags, *args)

    monkeypatch.setattr(translate.batch.os, "open", read_only_open)
    inputs, out = tmp_path / "in", tmp_path / "out"
    inputs.mkdir()
    out.mkdir()
    with pytest.raises(TranslateError, match=r"cannot write to the output folder: Read-only file system") as caught:
        # The models resolve first (a run that cannot start leaves nothing), then the folder is locked.
        run_batch(batch_options(tmp_path, inputs, out, {"fr": str(tiny_model), "es": str(tiny_model)}),
                  SilentProgress())
    assert caught.value.exit_code == 1 and "\n" not in str(caught.value)


def test_every_missing_model_is_reported_at_once_before_any_file_is_read(tmp_path, monkeypatch):
    import translate.models
    from translate.batch import SilentProgress, run_batch
    from translate.errors import ModelNotFoundError

    def no_network(*args, **kwargs):
        raise AssertionError("a missing local folder must fail without trying the network")

    monkeypatch.setattr(translate.models, "download_model", no_network)
    monkeypatch.setattr(translate.models, "_network_problem", no_network)
    inputs = tmp_path / "in"
    shutil.copytree(SEEDS, inputs)
    started = []

    class Recording(SilentProgress):
        def start(self, files):
            started.append(files)

    with pytest.raises(ModelNotFoundError) as caught:
        run_batch(batch_options(tmp_path, inputs, tmp_path / "out", {"fr": "/nonexistent"}), Recording())
    assert not started, "no file may be read before every model is resolved"
    message = str(caught.value)
    assert "model for fr: folder /nonexistent does not exist" in message
    assert "opus-mt-es-en for es is not available" in message  # the other missing model, in the same message
    assert not list((tmp_path / "out").glob("*.json"))


def test_a_missing_model_stops_the_run_before_anything_is_translated(tmp_path, tiny_model, isolated_env):
    """--model fr=... and no es model: nothing translated, one clear message, exit 1."""
    out = tmp_path / "out"
    result = run_cli("batch", str(SEEDS), "--out", str(out), "--model", f"fr={tiny_model}", "--quiet",
                     env=isolated_env)
    assert result.returncode == 1
    assert "Helsinki-NLP/opus-mt-es-en for es is not available" in result.stderr
    assert "Traceback" not in result.stderr
    assert not list(out.glob("*.json"))


def test_ctrl_c_says_how_many_files_are_done_and_that_rerunning_resumes(tmp_path, tiny_model, isolated_env):
    inputs, out = tmp_path / "in", tmp_path / "out"
    copies = 3
    for copy in range(copies):
        shutil.copytree(SEEDS, inputs / f"copy{copy}")
    total = copies * len(list(SEEDS.iterdir()))
    env = {**isolated_env, "OMP_NUM_THREADS": "1"}
    args = ["batch", str(inputs), "--out", str(out), "--model", f"fr={tiny_model}", "--model", f"es={tiny_model}",
            "--beams", "1", "--group-bytes", "4000", "--quiet"]
    # A test run started in the background by a shell (`... &`) ignores SIGINT, and the batch would inherit
    # that (as a user's background job should); the batch here gets Ctrl-C's default.
    process = subprocess.Popen([sys.executable, "-m", "translate", *args], cwd=REPO, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.monotonic() + 240
    while not list(out.rglob("*.json")) and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.05)
    process.send_signal(signal.SIGINT)
    _stdout, stderr = process.communicate(timeout=120)

    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr
    done = len(list(out.rglob("*.json")))
    assert 0 < done < total
    assert f"interrupted: {done} of {total} files done" in stderr
    assert "run the same command again to resume" in stderr  # resuming itself: test_batch_faults


def test_models_root_is_per_user_unless_the_folder_has_models(tmp_path, monkeypatch):
    from translate.models import models_root

    monkeypatch.delenv("TRANSLATE_MODELS_DIR", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.chdir(tmp_path)
    assert models_root() == tmp_path / "home" / ".cache" / "translate" / "models"
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert models_root() == tmp_path / "xdg" / "translate" / "models"
    (tmp_path / "models").mkdir()
    assert models_root() == tmp_path / "models"
    monkeypatch.setenv("TRANSLATE_MODELS_DIR", str(tmp_path / "chosen"))
    assert models_root() == tmp_path / "chosen"
