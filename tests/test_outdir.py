"""translate.outdir: where an output folder may be and which files in it a run may replace."""

from __future__ import annotations

import json

import pytest

from translate.errors import TranslateError, UsageError
from translate.outdir import (
    alignment_record_of, batch_record_of, check_output_folder, create_output_folder, in_the_way, run_file_paths,
)


def test_an_output_folder_may_not_be_nor_lie_inside_an_input_but_may_hold_it(tmp_path):
    (tmp_path / "site" / "docs").mkdir(parents=True)
    (tmp_path / "a.txt").write_text("x")
    docs = tmp_path / "site" / "docs"
    for out in (docs, docs / "en", docs / "." / "en" / ".." / "fr"):
        with pytest.raises(UsageError, match="must not"):
            check_output_folder(out, [docs])
    with pytest.raises(UsageError, match="must not be an input"):
        check_output_folder(tmp_path / "a.txt", [tmp_path / "a.txt"])
    check_output_folder(tmp_path / "site", [docs])  # the README's `batch site/docs --out site`
    check_output_folder(tmp_path / "out", [docs, tmp_path / "a.txt"])


def test_an_output_folder_that_cannot_be_made_is_an_error_and_a_file_a_usage_error(tmp_path):
    (tmp_path / "file").write_text("x")
    for out in (tmp_path / "file", tmp_path / "file" / "out"):
        with pytest.raises(TranslateError) as caught:
            create_output_folder(out)
        assert caught.value.exit_code == 1 and str(out) in str(caught.value)
    with pytest.raises(TranslateError) as caught:
        check_output_folder(tmp_path / "file" / "out", [])
    assert caught.value.exit_code == 1 and "is not a folder" in str(caught.value)
    with pytest.raises(UsageError, match="exists and is not a folder"):
        check_output_folder(tmp_path / "file", [])
    create_output_folder(tmp_path / "new" / "deeper")
    assert (tmp_path / "new" / "deeper").is_dir()


def test_only_the_runs_own_files_are_replaced(tmp_path):
    page, record = tmp_path / "a.html", tmp_path / "a.json"
    outputs = {page: b"<p>new</p>", record: b"{}"}
    assert in_the_way(outputs, record, batch_record_of("a.txt")) is None  # nothing there yet

    page.write_text("<p>mine</p>")
    assert in_the_way(outputs, record, batch_record_of("a.txt")) == page
    page.write_bytes(b"<p>new</p>")  # written before a kill, the JSON not yet: same bytes, nothing lost
    assert in_the_way(outputs, record, batch_record_of("a.txt")) is None

    page.write_text("<p>an older translation</p>")
    record.write_text(json.dumps({"contract": 3, "source": "a.txt", "segments": []}))
    assert in_the_way(outputs, record, batch_record_of("a.txt")) is None
    assert in_the_way(outputs, record, batch_record_of("sub/a.txt")) == page  # another document's
    assert in_the_way(outputs, record, alignment_record_of("a.txt")) == page  # another command's
    record.write_text(json.dumps({"source": "a.txt", "groups": [], "segments": []}))
    assert in_the_way(outputs, record, alignment_record_of("a.txt")) is None
    assert in_the_way(outputs, record, batch_record_of("a.txt")) == page
    assert in_the_way(outputs, record, alignment_record_of("a.txt"), protected=[page]) == page  # an input

    record.unlink()
    page.unlink()
    page.symlink_to(tmp_path / "elsewhere.html")
    assert in_the_way(outputs, record, batch_record_of("a.txt")) == page


def test_run_files_keep_their_names_unless_a_document_or_a_users_file_has_them(tmp_path):
    assert run_file_paths(tmp_path, set()) == {"index": tmp_path / "index.html", "tmx": tmp_path / "corpus.tmx"}
    from translate.writers.run_files import render_index

    (tmp_path / "index.html").write_text(render_index([], []), encoding="utf-8")  # ours
    (tmp_path / "corpus.tmx").write_text("<tmx>my own memory</tmx>")
    assert run_file_paths(tmp_path, set()) == {"index": tmp_path / "index.html",
                                               "tmx": tmp_path / "translate-corpus.tmx"}
    (tmp_path / "translate-corpus.tmx").write_text("<tmx>mine too</tmx>")
    (tmp_path / "translate-index.html").write_text("<!DOCTYPE html><title>Translated documents</title>")  # a look-alike
    chosen = run_file_paths(tmp_path, {tmp_path / "index.html"})  # index.md's page
    assert chosen == {"index": tmp_path / "translate-index-2.html", "tmx": tmp_path / "translate-corpus-2.tmx"}


def test_a_documents_files_are_renamed_only_once_all_are_written(tmp_path):
    """The outputs of one document are written to temporary files first, then renamed in order, so a
    failure (a disk full, a name that cannot be a file) leaves none of them and no temporary file."""
    from translate.fsutil import write_atomic_all

    (tmp_path / "blocker").write_text("a file, not a folder")
    with pytest.raises(OSError):
        write_atomic_all({tmp_path / "a.html": b"page", tmp_path / "blocker" / "a.json": b"{}"})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["blocker"]
    write_atomic_all({tmp_path / "a.html": b"page", tmp_path / "a.json": b"{}"})
    assert (tmp_path / "a.html").read_bytes() == b"page" and (tmp_path / "a.json").read_bytes() == b"{}"
