"""Shared fixtures: a tiny MarianMT model built locally, loaded like a real one."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"


def seed_texts() -> list[str]:
    return [line for path in sorted(SEEDS.glob("*.txt")) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="session", autouse=True)
def models_root_outside_the_repository(tmp_path_factory):
    """Every test, and every command a test runs, gets a temporary models root and cache: CTranslate2
    conversions of the test models and the translation memory (both written into the models root,
    ``./models`` by default) must never land in the repository's ``models/`` or the user's cache."""
    base = tmp_path_factory.mktemp("session-roots")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TRANSLATE_MODELS_DIR", str(base / "models-root"))
        patch.setenv("XDG_CACHE_HOME", str(base / "xdg-cache"))
        yield base / "models-root"


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory) -> Path:
    """A random-weight MarianMT folder with a SentencePiece vocabulary trained on the seeds."""
    from translate.modelbuild import build_marian_model

    return build_marian_model(tmp_path_factory.mktemp("models") / "tiny-marian", seed_texts())


@pytest.fixture(scope="session")
def short_input_model(tmp_path_factory) -> Path:
    """Like tiny_model but accepting only 24 input tokens, to exercise long-span splitting."""
    from translate.modelbuild import MarianShape, build_marian_model

    shape = MarianShape(max_positions=24, max_length=8)
    return build_marian_model(tmp_path_factory.mktemp("models") / "short-marian", seed_texts(), shape)


@pytest.fixture
def isolated_env(tmp_path, monkeypatch) -> dict[str, str]:
    """Environment with an empty models root and HF cache, and the Hub switched off."""
    env = dict(os.environ)
    env.update(
        TRANSLATE_MODELS_DIR=str(tmp_path / "models-root"),
        HF_HOME=str(tmp_path / "hf-home"),
        HF_HUB_OFFLINE="1",
        NO_COLOR="1",
        COLUMNS="200",
        # A subprocess started outside the repository must import this checkout's code, not another
        # install of the package.
        PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
    )
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return env


def run_cli(*args: str, env: dict[str, str] | None = None, cwd: Path = REPO, timeout: float = 300):
    """Run `python -m translate ARGS` as a user would, returning the CompletedProcess."""
    return subprocess.run(
        [sys.executable, "-m", "translate", *args],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout,
    )
