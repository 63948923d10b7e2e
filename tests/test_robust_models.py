"""Model folders and model options as users get them wrong (issue 25): one clear line, never a
traceback, advice that works when pasted into a shell."""

from __future__ import annotations

import os
import re
import shutil
import time
from pathlib import Path

import pytest

from conftest import run_cli
from translate.errors import ModelNotFoundError, UsageError
from translate.models import parse_model_options, resolve_model

FRENCH = "Le chat dort sur le canap\u00e9 du salon depuis ce matin.\n"


def one_error_line(result) -> str:
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert "Traceback" not in result.stderr
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    return lines[0]


def batch(tmp_path: Path, env: dict[str, str], *options: str):
    (tmp_path / "in").mkdir(exist_ok=True)
    (tmp_path / "in" / "chat.txt").write_text(FRENCH, encoding="utf-8")
    return run_cli("batch", str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--languages", "fr", "--quiet",
                   *options, env=env, timeout=300)


def test_truncated_safetensors_is_one_line_naming_the_folder(tiny_model, tmp_path, isolated_env):
    folder = tmp_path / "copied-fr-en"
    shutil.copytree(tiny_model, folder)
    weights = folder / "model.safetensors"
    os.truncate(weights, weights.stat().st_size // 2)  # an interrupted copy
    with pytest.raises(ModelNotFoundError, match="model.safetensors is damaged"):
        resolve_model("fr", str(folder), tmp_path)
    result = batch(tmp_path, isolated_env, "--model", f"fr={folder}")
    assert result.returncode == 1
    line = one_error_line(result)
    assert str(folder) in line and "model.safetensors is damaged (cut short" in line


def test_pickle_weights_that_are_not_only_tensors_are_refused_in_one_line(tiny_model, tmp_path, isolated_env):
    import fractions

    import torch
    from safetensors.torch import load_file

    folder = tmp_path / "pickled-fr-en"
    shutil.copytree(tiny_model, folder)
    state = load_file(folder / "model.safetensors")
    state["note"] = fractions.Fraction(1, 3)  # a class torch's safe loader refuses
    torch.save(state, folder / "pytorch_model.bin")
    (folder / "model.safetensors").unlink()
    result = batch(tmp_path, isolated_env, "--model", f"fr={folder}", "--engine", "transformers")
    assert result.returncode == 1
    line = one_error_line(result)
    assert str(folder) in line and "pytorch_model.bin" in line and "weights_only" not in line


def test_stale_conversion_folders_are_removed_and_nothing_else(tmp_path):
    from translate.models import remove_stale_conversions

    root = tmp_path / "models"
    root.mkdir()
    old = time.time() - 2 * 3600
    killed = root / ".Helsinki-NLP--opus-mt-fr-en.ct2-int8.k2j_9xq1"
    (killed / "model").mkdir(parents=True)
    (killed / "model" / "model.bin").write_bytes(b"partial")
    replaced = root / ".opus-mt-es-en.ct2-int8_float16.stale-4242"
    replaced.mkdir()
    running = root / ".opus-mt-it-en.ct2-int8.a1b2c3d4"  # a conversion in progress
    (running / "model").mkdir(parents=True)
    kept = [root / ".opus-mt-de-en.ct2-int8.notours", root / "Helsinki-NLP--opus-mt-fr-en.ct2-int8",
            root / ".cache", root / "opus-mt-pt-en"]
    for folder in kept:
        folder.mkdir()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    linked = root / ".opus-mt-nl-en.ct2-int8.zzzzzzzz"
    linked.symlink_to(elsewhere, target_is_directory=True)
    for path in [killed, killed / "model", killed / "model" / "model.bin", replaced, *kept, elsewhere]:
        os.utime(path, (old, old), follow_symlinks=False)
    os.utime(linked, (old, old), follow_symlinks=False)

    removed = remove_stale_conversions(root)
    assert sorted(removed) == sorted([killed, replaced])
    assert not killed.exists() and not replaced.exists()
    assert running.exists() and linked.is_symlink() and elsewhere.exists() and all(folder.exists() for folder in kept)


def test_ctranslate2_conversion_cleans_stale_work_folders_first(tiny_model, tmp_path):
    pytest.importorskip("ctranslate2")
    from translate.engines.ctranslate2_engine import ensure_converted

    root = tmp_path / "root"
    killed = root / ".tiny-marian.ct2-int8.abcdefgh"
    killed.mkdir(parents=True)
    old = time.time() - 2 * 3600
    os.utime(killed, (old, old))
    converted = ensure_converted(tiny_model, "int8", root)
    assert (converted / "model.bin").is_file() and not killed.exists()
    assert [path.name for path in root.iterdir() if path.name.startswith(".")] == []


def test_offline_message_offers_modelbuild_and_quotes_the_fallback_for_the_shell(tmp_path, isolated_env):
    with pytest.raises(ModelNotFoundError) as missing:
        resolve_model("fr", "Helsinki-NLP/opus-mt-fr-en", tmp_path / "root")
    assert "python -m translate.modelbuild" in str(missing.value)
    with pytest.raises(ModelNotFoundError) as fallback:
        resolve_model("*", "Helsinki-NLP/opus-mt-mul-en", tmp_path / "root")
    message = str(fallback.value)
    assert "translate models pull '*' --model '*=Helsinki-NLP/opus-mt-mul-en'" in message
    assert "--model '*=PATH_TO_MODEL_FOLDER'" in message
    assert not re.search(r"(?:--model|pull) \*", message)  # no bare * in a command


@pytest.mark.parametrize("with_models_folder", [True, False])
def test_missing_relative_model_folder_is_reported_as_a_folder(tmp_path, isolated_env, monkeypatch, with_models_folder):
    monkeypatch.chdir(tmp_path)
    if with_models_folder:
        (tmp_path / "models").mkdir()
    (tmp_path / "work").mkdir()
    for name in ("models/my-fr-en", "work/my-fr-en"):
        with pytest.raises(ModelNotFoundError) as missing:
            resolve_model("fr", name, tmp_path / "root")
        message = str(missing.value)
        assert f"folder {name} does not exist" in message and str(tmp_path / name) in message
        assert "models pull" not in message and "Hugging Face cache" not in message
    with pytest.raises(ModelNotFoundError) as hub:  # an org/name with no such folder here is still a Hub id
        resolve_model("fr", "someone/opus-mt-fr-en-custom", tmp_path / "root")
    assert "is not available" in str(hub.value)


def test_two_models_for_one_language_is_a_usage_error_naming_both(tmp_path, isolated_env):
    with pytest.raises(UsageError) as twice:
        parse_model_options(["fr=models/a", "es=x", "fr=models/b"])
    assert "fr=models/a" in str(twice.value) and "fr=models/b" in str(twice.value)
    assert parse_model_options(["fr=a", "fr=a"]) == {"fr": "a"}  # the same model twice is no conflict
    result = batch(tmp_path, isolated_env, "--model", "fr=models/a", "--model", "fr=models/b")
    assert result.returncode == 2
    line = one_error_line(result)
    assert "fr=models/a" in line and "fr=models/b" in line


def test_compute_type_with_the_transformers_engine_is_a_usage_error(tmp_path, isolated_env):
    result = batch(tmp_path, isolated_env, "--engine", "transformers", "--compute-type", "int8")
    assert result.returncode == 2
    line = one_error_line(result)
    assert "--compute-type int8" in line and "ctranslate2" in line
