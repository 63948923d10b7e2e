"""Model resolution: explicit folders, the models root, and the offline error."""

from __future__ import annotations

import re
import shutil
import time

import pytest

from conftest import SEEDS, run_cli
from translate.errors import ModelNotFoundError, UsageError
from translate.models import parse_model_options, resolve_model


def test_offline_without_models_fails_fast_with_an_actionable_message(tmp_path, isolated_env):
    started = time.monotonic()
    result = run_cli("batch", str(SEEDS), "--out", str(tmp_path / "out"), env=isolated_env, timeout=60)
    assert time.monotonic() - started < 30
    assert result.returncode != 0
    message = result.stderr
    assert "Traceback" not in message
    assert "Helsinki-NLP/opus-mt-fr-en" in message
    assert isolated_env["TRANSLATE_MODELS_DIR"] in message, "names the places looked in"
    assert "Hugging Face cache" in message
    assert "translate models pull" in message and "--model fr=" in message and "TRANSLATE_MODELS_DIR" in message
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_unreachable_hub_fails_fast_too(tmp_path, isolated_env):
    env = {**isolated_env, "HF_HUB_OFFLINE": "0", "HF_ENDPOINT": "http://127.0.0.1:9"}
    started = time.monotonic()
    result = run_cli("batch", str(SEEDS), "--out", str(tmp_path / "out"), env=env, timeout=60)
    assert time.monotonic() - started < 30
    assert result.returncode == 1
    assert "no network" in result.stderr and "Traceback" not in result.stderr


def test_models_root_folder_is_found_before_download(tiny_model, tmp_path, isolated_env):
    root = tmp_path / "models-root"
    shutil.copytree(tiny_model, root / "Helsinki-NLP--opus-mt-fr-en")
    resolved = resolve_model("fr", "Helsinki-NLP/opus-mt-fr-en", root)
    assert resolved.origin == "models root"
    assert resolved.path == (root / "Helsinki-NLP--opus-mt-fr-en").resolve()
    with pytest.raises(ModelNotFoundError, match="opus-mt-es-en"):
        resolve_model("es", "Helsinki-NLP/opus-mt-es-en", root)


def test_explicit_folder_wins_and_bad_folders_are_rejected(tiny_model, tmp_path):
    assert resolve_model("fr", str(tiny_model), tmp_path).origin == "path"
    (tmp_path / "empty").mkdir()
    with pytest.raises(ModelNotFoundError, match="not a MarianMT model folder"):
        resolve_model("fr", str(tmp_path / "empty"), tmp_path)
    with pytest.raises(ModelNotFoundError, match="does not exist"):
        resolve_model("fr", "./no/such/folder", tmp_path)


def test_model_options_are_validated():
    assert parse_model_options(["fr=a", "es=b/c"]) == {"fr": "a", "es": "b/c"}
    assert parse_model_options(["it=d", "de=e"]) == {"it": "d", "de": "e"}  # any language code (issue 11)
    for bad in ("fr", "en=x", "und=x", "f1=x", "fr="):
        with pytest.raises(UsageError):
            parse_model_options([bad])


def test_models_list_shows_where_each_model_resolves(tiny_model, tmp_path, isolated_env):
    root = tmp_path / "models-root"
    shutil.copytree(tiny_model, root / "Helsinki-NLP--opus-mt-fr-en")
    result = run_cli("models", "list", env=isolated_env)
    assert result.returncode == 0, result.stderr
    rows = [line.strip("│ ") for line in result.stdout.splitlines()]
    lines = {row.split()[0]: row for row in rows if row.split()[:1] in (["fr"], ["es"])}
    assert "found (models root)" in lines["fr"] and re.search(r"\d+(\.\d)? (KB|MB)", lines["fr"])
    assert "missing" in lines["es"]


def test_any_language_defaults_to_its_opus_mt_model():
    from translate.models import default_model

    assert default_model("fr") == "Helsinki-NLP/opus-mt-fr-en"
    assert default_model("it") == "Helsinki-NLP/opus-mt-it-en"
