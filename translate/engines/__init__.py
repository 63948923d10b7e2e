"""Translation engines behind one interface.

An engine loads one model folder and translates batches of texts; see ``base.Engine``.
Engines are imported lazily: they pull in torch or ctranslate2.
"""

from __future__ import annotations

from pathlib import Path

from translate.engines.base import Engine, EngineSettings, Hypothesis
from translate.errors import UsageError

ENGINE_NAMES = ("transformers",)


def load_engine(model_path: Path, settings: EngineSettings) -> Engine:
    """Load the model folder with the engine named in ``settings``."""
    if settings.engine in ("transformers", "auto"):
        from translate.engines.transformers_engine import TransformersEngine

        return TransformersEngine(model_path, settings)
    raise UsageError(f"unknown engine {settings.engine!r}: choose one of {', '.join(ENGINE_NAMES)}, auto")


__all__ = ["Engine", "EngineSettings", "Hypothesis", "load_engine", "ENGINE_NAMES"]
