"""Nothing lost, nothing surprising in the output folder (issue 25): an output folder inside an input,
the lock shared by every command, files the user wrote that a run would replace, the run's own files
beside a user's ``index.md``, a failed start that leaves nothing behind, an unwritable ``--out``,
and the formats named by ``align``. (The stale "spans: 2 of 2" line in log mode: test_robust_terminal.)"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

import pytest

from conftest import run_cli

FRENCH = "Le chat dort sur le canapé du salon.\n\nLa maison est très grande.\n"
ENGLISH = "The cat sleeps on the living-room sofa.\n\nThe house is very big.\n"
USER_PAGE = "<!DOCTYPE html>\n<p>My own home page, written by hand.</p>\n"
TWELVE_FORMATS = ("txt", "md", "srt", "html", "docx", "odt", "pptx", "epub", "vtt", "ass", "po", "xliff")


@pytest.fixture
def env(isolated_env) -> dict[str, str]:
    return {**isolated_env, "OMP_NUM_THREADS": "1"}


def models(model: Path) -> list[str]:
    return ["--model", f"fr={model}", "--model", f"es={model}", "--beams", "1", "--quiet"]


def error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("error:")]


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def aligned_pair(root: Path) -> tuple[Path, Path]:
    """Two folders, a French document and its English translation, paired by name."""
    source, translation = root / "fr", root / "en"
    source.mkdir()
    translation.mkdir()
    (source / "notes.txt").write_text(FRENCH, encoding="utf-8")
    (translation / "notes.en.txt").write_text(ENGLISH, encoding="utf-8")
    return source, translation


# -- 1. an output folder that is, or lies inside, an input -----------------------------------------


@pytest.mark.parametrize("where", ["source", "source/aligned", "translation", "translation/deep/er"])
def test_align_refuses_an_output_folder_that_is_or_lies_inside_an_input(tmp_path, env, where):
    source, translation = aligned_pair(tmp_path)
    before = tree(tmp_path)
    out = {"source": source, "translation": translation}[where.split("/")[0]].joinpath(*where.split("/")[1:])

    result = run_cli("align", str(source), str(translation), "--out", str(out), "--similarity", "length", env=env)

    assert result.returncode == 2, result.stderr
    assert len(error_lines(result.stderr)) == 1 and "Traceback" not in result.stderr
    assert str(out) in result.stderr and "input" in result.stderr
    assert tree(tmp_path) == before  # the source is not replaced by its side-by-side page, nothing created


def test_align_refuses_an_input_file_as_output_folder(tmp_path, env):
    source, translation = aligned_pair(tmp_path)
    before = tree(tmp_path)
    result = run_cli("align", str(source / "notes.txt"), str(translation / "notes.en.txt"),
                     "--out", str(source / "notes.txt"), "--similarity", "length", env=env)
    assert result.returncode == 2, result.stderr
    assert len(error_lines(result.stderr)) == 1 and "Traceback" not in result.stderr
    assert tree(tmp_path) == before


def test_batch_refuses_an_output_folder_inside_its_input(tmp_path, env):
    inputs = tmp_path / "docs"
    inputs.mkdir()
    (inputs / "a.txt").write_text(FRENCH, encoding="utf-8")
    result = run_cli("batch", str(inputs), "--out", str(inputs / "english"), "--quiet", env=env)
    assert result.returncode == 2, result.stderr
    assert len(error_lines(result.stderr)) == 1 and "inside the input" in result.stderr
    assert not (inputs / "english").exists()


# -- 2. the lock, and files the run did not write ----------------------------------------------------


def test_align_waits_for_no_one_and_writes_nothing_into_a_folder_another_run_holds(tmp_path, env):
    source, translation = aligned_pair(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    # What a running `translate batch` holds: an flock on OUT/.translate.lock.
    fd = os.open(out / ".translate.lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        os.write(fd, b"4242\n")
        result = run_cli("align", str(source), str(translation), "--out", str(out), "--similarity", "length", env=env)
    finally:
        os.close(fd)
    assert result.returncode == 1, result.stderr
    assert len(error_lines(result.stderr)) == 1 and "pid 4242" in result.stderr
    assert sorted(p.name for p in out.iterdir()) == [".translate.lock"]


def test_align_replaces_neither_a_users_file_nor_a_batch_output_nor_its_own_source(tmp_path, tiny_model, env):
    source, translation = aligned_pair(tmp_path)
    out = tmp_path / "out"
    # A batch run of the same document name into the folder align will write to.
    batch_in = tmp_path / "batch-in"
    batch_in.mkdir()
    (batch_in / "notes.txt").write_text(FRENCH, encoding="utf-8")
    result = run_cli("batch", str(batch_in), "--out", str(out), *models(tiny_model), env=env)
    assert result.returncode == 0, result.stderr
    batch_outputs = tree(out)
    assert "notes.json" in batch_outputs and "notes.html" in batch_outputs

    result = run_cli("align", str(source), str(translation), "--out", str(out), "--similarity", "length", env=env)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert str(out / "notes") in result.stderr  # names the file in the way
    assert tree(out) == batch_outputs  # the batch's notes.json and notes.html untouched, nothing half-written

    # A file of the user's in the way: a per-file error naming it; the other pair is still aligned.
    (source / "other.txt").write_text(FRENCH, encoding="utf-8")
    (translation / "other.en.txt").write_text(ENGLISH, encoding="utf-8")
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.html").write_text(USER_PAGE, encoding="utf-8")
    result = run_cli("align", str(source), str(translation), "--out", str(mine), "--similarity", "length", env=env)
    assert result.returncode == 1, result.stderr
    assert [line for line in error_lines(result.stderr) if str(mine / "notes.html") in line]
    assert (mine / "notes.html").read_text(encoding="utf-8") == USER_PAGE
    assert not (mine / "notes.json").exists() and (mine / "other.json").is_file()

    # Its own output in place: a second run replaces it.
    (mine / "notes.html").unlink()
    assert run_cli("align", str(source), str(translation), "--out", str(mine), "--similarity", "length",
                   env=env).returncode == 0
    assert run_cli("align", str(source), str(translation), "--out", str(mine), "--similarity", "length",
                   env=env).returncode == 0

    # An HTML source aligned into its own folder would be replaced by its side-by-side page.
    page = tmp_path / "site"
    page.mkdir()
    (page / "page.html").write_text(f"<p>{FRENCH}</p>", encoding="utf-8")
    (page / "page.en.html").write_text(f"<p>{ENGLISH}</p>", encoding="utf-8")
    before = tree(page)
    result = run_cli("align", "page.html", "page.en.html", "--out", ".", "--similarity", "length", env=env, cwd=page)
    assert result.returncode == 1, result.stderr
    assert "page.html" in result.stderr and "Traceback" not in result.stderr
    assert tree(page) == before


def test_batch_into_an_ancestor_keeps_a_hand_written_page(tmp_path, tiny_model, env):
    """The README's layout `translate batch site/docs --out site`."""
    site = tmp_path / "site"
    (site / "docs").mkdir(parents=True)
    (site / "page.html").write_text(USER_PAGE, encoding="utf-8")
    (site / "docs" / "page.html").write_text(f"<p>{FRENCH}</p>", encoding="utf-8")
    (site / "docs" / "other.txt").write_text(FRENCH, encoding="utf-8")
    # Files merely named like a killed run's temporary files, in the user's folders, stay; one beside
    # an output of this run is a leftover of ours and goes.
    users = [site / "docs" / ".page.html.abcd1234.tmp", site / ".notes.md.abcd1234.tmp"]
    for path in users:
        path.write_text("the user's", encoding="utf-8")
    (site / ".other.json.k3j_x9a2.tmp").write_text('{"source": "oth', encoding="utf-8")

    for _ in range(2):  # and again: the refused file is still refused, the rest up to date
        result = run_cli("batch", str(site / "docs"), "--out", str(site), *models(tiny_model), env=env)
        assert result.returncode == 1, result.stderr
        assert [line for line in error_lines(result.stderr) if str(site / "page.html") in line]
        assert (site / "page.html").read_text(encoding="utf-8") == USER_PAGE
        assert not (site / "page.json").exists() and not (site / "page.en.html").exists()
        assert (site / "other.json").is_file() and (site / "other.en.txt").is_file()
        assert all(path.read_text(encoding="utf-8") == "the user's" for path in users)
        assert not (site / ".other.json.k3j_x9a2.tmp").exists()


def test_batch_replaces_only_a_users_file_it_would_write_over_never_its_own(tmp_path, tiny_model, env):
    inputs, out = tmp_path / "in", tmp_path / "out"
    inputs.mkdir()
    (inputs / "a.txt").write_text(FRENCH, encoding="utf-8")
    out.mkdir()
    (out / "a.en.txt").write_text("my own English version\n", encoding="utf-8")
    result = run_cli("batch", str(inputs), "--out", str(out), *models(tiny_model), env=env)
    assert result.returncode == 1
    assert str(out / "a.en.txt") in result.stderr
    assert (out / "a.en.txt").read_text(encoding="utf-8") == "my own English version\n"

    (out / "a.en.txt").unlink()
    assert run_cli("batch", str(inputs), "--out", str(out), *models(tiny_model), env=env).returncode == 0
    # Its own outputs are redone (--force) without complaint.
    result = run_cli("batch", str(inputs), "--out", str(out), "--force", *models(tiny_model), env=env)
    assert result.returncode == 0, result.stderr


# -- 3. the run's own files beside a documentation folder's index.md --------------------------------


def test_an_index_md_at_the_top_is_translated_and_the_run_files_move_aside(tmp_path, tiny_model, env):
    inputs, out = tmp_path / "docs", tmp_path / "out"
    inputs.mkdir()
    (inputs / "index.md").write_text("# Accueil\n\n" + FRENCH, encoding="utf-8")
    (inputs / "corpus.md").write_text(FRENCH, encoding="utf-8")
    (inputs / "guide.md").write_text(FRENCH, encoding="utf-8")

    result = run_cli("batch", str(inputs), "--out", str(out), *models(tiny_model), env=env)

    assert result.returncode == 0, result.stderr
    assert (out / "index.json").is_file() and (out / "index.en.md").is_file()
    assert "Accueil" in (out / "index.html").read_text(encoding="utf-8")  # the page of index.md
    run_files = [p for p in out.iterdir() if p.suffix in (".html", ".tmx")
                 and p.name not in ("index.html", "corpus.html", "guide.html")]
    names = sorted(p.name for p in run_files)
    assert len(names) == 2 and any(n.endswith(".tmx") for n in names), names
    for path in run_files:
        assert path.name in result.stdout  # the summary says where they are
    run_index = next(p for p in run_files if p.suffix == ".html")
    assert "guide.html" in run_index.read_text(encoding="utf-8")


# -- 4. a failed start leaves nothing behind ---------------------------------------------------------


def test_a_run_stopped_by_a_missing_model_leaves_nothing_behind(tmp_path, env):
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "a.txt").write_text(FRENCH, encoding="utf-8")
    out, cache = tmp_path / "out" / "deeper", tmp_path / "tm.sqlite3"
    models_root = Path(env["TRANSLATE_MODELS_DIR"])

    result = run_cli("batch", str(inputs), "--out", str(out), "--model", f"fr={tmp_path / 'nowhere'}",
                     "--model", f"es={tmp_path / 'nowhere'}", "--cache", str(cache), env=env)
    assert result.returncode == 1 and "nowhere" in result.stderr
    assert not (tmp_path / "out").exists() and not list(tmp_path.glob("tm.sqlite3*"))

    result = run_cli("batch", str(inputs), "--out", str(out), "--model", f"fr={tmp_path / 'nowhere'}",
                     "--model", f"es={tmp_path / 'nowhere'}", env=env)
    assert result.returncode == 1
    assert not (tmp_path / "out").exists()
    assert not list(models_root.glob("translation-memory.sqlite3*"))


def test_align_stopped_by_a_missing_model_leaves_no_output_folder(tmp_path, env):
    source, translation = aligned_pair(tmp_path)
    out = tmp_path / "aligned" / "deeper"
    result = run_cli("align", str(source), str(translation), "--out", str(out), "--similarity", "mt",
                     "--model", f"fr={tmp_path / 'nowhere'}", "--model", f"es={tmp_path / 'nowhere'}", env=env)
    assert result.returncode == 1 and "nowhere" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "aligned").exists()
    assert not list(Path(env["TRANSLATE_MODELS_DIR"]).glob("translation-memory.sqlite3*"))


# -- 5. an unwritable --out ------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["batch", "align"])
@pytest.mark.parametrize("shape", ["under a file", "a file"])
def test_an_unwritable_output_folder_exits_1_with_one_line(tmp_path, env, command, shape):
    """A folder that cannot be made (a file in its path) exits 1; a file given as --out is a usage
    error (exit 2); both before any model is loaded, in one line."""
    source, translation = aligned_pair(tmp_path)
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder\n", encoding="utf-8")
    out = blocker / "out" if shape == "under a file" else blocker
    args = [str(source), "--quiet"] if command == "batch" else [str(source), str(translation), "--similarity", "length"]
    result = run_cli(command, *args, "--out", str(out), env=env)
    assert result.returncode == (1 if shape == "under a file" else 2), result.stderr
    assert len(error_lines(result.stderr)) == 1 and len(result.stderr.strip().splitlines()) == 1
    assert str(out) in result.stderr and "Traceback" not in result.stderr
    assert blocker.read_text(encoding="utf-8") == "not a folder\n"


# -- 6. align names every format ---------------------------------------------------------------------


def test_align_names_all_twelve_formats_for_an_unsupported_file(tmp_path, env):
    (tmp_path / "book.pdf").write_bytes(b"%PDF-1.4 not supported")
    (tmp_path / "book.en.txt").write_text(ENGLISH, encoding="utf-8")
    result = run_cli("align", "book.pdf", "book.en.txt", "--out", "out", "--similarity", "length", env=env,
                     cwd=tmp_path)
    assert result.returncode in (1, 2) and "book.pdf" in result.stderr
    [line] = error_lines(result.stderr)
    missing = [name for name in TWELVE_FORMATS if name not in line.split("format")[-1]]
    assert not missing, line
