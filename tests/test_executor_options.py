"""`--executor`: a clear one-line error when Ray is missing, and Ray options only with Ray."""

from __future__ import annotations

import importlib.util

import pytest


def test_executor_ray_without_ray_installed_says_what_to_install(tmp_path, monkeypatch):
    from translate.batch import RunSettings, run_batch
    from translate.errors import UsageError

    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *args: None if name.split(".")[0] == "ray" else real_find_spec(name, *args))
    (tmp_path / "in").mkdir()
    with pytest.raises(UsageError) as caught:
        run_batch(RunSettings(tmp_path / "in", tmp_path / "out", executor="ray"))
    message = str(caught.value)
    assert "\n" not in message and "pip install 'translate-mixed[ray]'" in message
    assert not (tmp_path / "out").exists()  # nothing done before the check


def test_unknown_executor_and_ray_options_without_ray_are_usage_errors(tmp_path, isolated_env):
    from conftest import run_cli

    (tmp_path / "in").mkdir()
    result = run_cli("batch", str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--executor", "spark",
                     env=isolated_env)
    assert result.returncode == 2 and "--executor spark: choose one of in-process, ray" in result.stderr
    result = run_cli("batch", str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--ray-address", "auto",
                     env=isolated_env)
    assert result.returncode == 2 and "need --executor ray" in result.stderr
