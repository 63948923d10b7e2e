"""py3langid's model is read through an uncompressed per-user copy (translate.py3langid_model): the
same model as py3langid reads, a damaged or unwritable copy never in the way."""

from __future__ import annotations

import numpy as np
import pytest

from translate import py3langid_model


@pytest.fixture(scope="module")
def packaged():
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_modelpath(MODEL_DIR / MODEL_FILE)


def same_model(model, packaged) -> bool:
    return (model.nb_classes == packaged.nb_classes and model.tk_output == packaged.tk_output
            and model.tk_nextmove == packaged.tk_nextmove and model.tk_row == packaged.tk_row
            and model.nb_ptc.dtype == packaged.nb_ptc.dtype and np.array_equal(model.nb_ptc, packaged.nb_ptc)
            and np.array_equal(model.nb_pc, packaged.nb_pc)
            and model.rank("la réunion est reportée") == packaged.rank("la réunion est reportée"))


def copies(root):
    return sorted(path for path in root.iterdir() if (path / "manifest.json").exists()) if root.exists() else []


def test_the_first_read_writes_the_copy_and_the_next_reads_it(tmp_path, monkeypatch, packaged):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    root = py3langid_model.cache_root()
    assert same_model(py3langid_model.load_identifier(), packaged)
    [copy] = copies(root)
    assert not [path for path in root.iterdir() if path.name.startswith(".")]  # no temporary folder left
    monkeypatch.setattr(py3langid_model, "_decompress", lambda path: pytest.fail("decompressed again"))
    assert same_model(py3langid_model.load_identifier(), packaged)
    assert copies(root) == [copy]


def test_a_damaged_copy_is_replaced_and_an_old_one_removed(tmp_path, monkeypatch, packaged):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    root = py3langid_model.cache_root()
    py3langid_model.load_identifier()
    [copy] = copies(root)
    old = root / "0123456789abcdef"  # a copy for another py3langid
    old.mkdir()
    (old / "manifest.json").write_text("{}", encoding="utf-8")
    with open(copy / "nextmove.npy", "r+b") as handle:
        handle.truncate(1000)
    assert same_model(py3langid_model.load_identifier(), packaged)
    assert copies(root) == [copy]
    assert (copy / "nextmove.npy").stat().st_size > 1000  # written again


def test_a_cache_that_cannot_be_written_is_no_error(tmp_path, monkeypatch, packaged):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    assert same_model(py3langid_model.load_identifier(), packaged)


def test_a_py3langid_built_otherwise_is_read_as_py3langid_reads_it(tmp_path, monkeypatch, packaged):
    def other_internals(arrays):
        raise TypeError("LanguageIdentifier.__init__() got an unexpected keyword argument 'tk_row'")

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(py3langid_model, "_identifier", other_internals)
    assert same_model(py3langid_model.load_identifier(), packaged)
