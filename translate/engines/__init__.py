"""Translation engines behind one interface.

An engine loads one model folder and translates batches of texts; see ``base.Engine``.
Engines are imported lazily: they pull in torch or ctranslate2.
"""

from __future__ import annotations

from pathlib import Path

from translate.engines.base import Engine, EngineSettings, Hypothesis
from translate.engines.threads import check_threads
from translate.errors import UsageError

ENGINE_NAMES = ("transformers", "ctranslate2")
DEVICES = ("auto", "cpu", "cuda")


def ctranslate2_available() -> bool:
    import importlib.util

    return importlib.util.find_spec("ctranslate2") is not None


def resolve_engine_name(name: str) -> str:
    """``auto`` -> ``ctranslate2`` when it is installed, else ``transformers``."""
    if name == "auto":
        return "ctranslate2" if ctranslate2_available() else "transformers"
    if name not in ENGINE_NAMES:
        raise UsageError(f"--engine {name}: choose one of {', '.join(ENGINE_NAMES)}, auto")
    if name == "ctranslate2" and not ctranslate2_available():
        raise UsageError("--engine ctranslate2: the ctranslate2 package is not installed (pip install ctranslate2)")
    return name


def check_engine_settings(settings: EngineSettings) -> None:
    """Reject an unknown engine, compute type, device or thread count before any work is done (no heavy import)."""
    from translate.engines.ctranslate2_engine import COMPUTE_TYPES

    engine = resolve_engine_name(settings.engine)
    check_threads(settings.threads)
    if settings.compute_type not in COMPUTE_TYPES:
        raise UsageError(f"--compute-type {settings.compute_type}: choose one of {', '.join(COMPUTE_TYPES)}")
    if engine == "transformers" and settings.compute_type not in ("auto", "float32"):
        raise UsageError(f"--compute-type {settings.compute_type} is a ctranslate2 setting; the transformers engine "
                         f"always computes in float32 (use --engine ctranslate2, or drop --compute-type)")
    if settings.device not in DEVICES:
        raise UsageError(f"--device {settings.device}: choose {', '.join(DEVICES[:-1])} or {DEVICES[-1]}")


def load_engine(model_path: Path, settings: EngineSettings) -> Engine:
    """Load the model folder with the engine named in ``settings``."""
    from translate.errors import TranslateError
    from translate.models import load_problem

    try:
        if resolve_engine_name(settings.engine) == "ctranslate2":
            from translate.engines.ctranslate2_engine import CTranslate2Engine

            return CTranslate2Engine(model_path, settings)
        from translate.engines.transformers_engine import TransformersEngine

        return TransformersEngine(model_path, settings)
    except TranslateError:
        raise
    except Exception as err:  # torch, safetensors and the converter raise many kinds for a damaged folder
        raise TranslateError(load_problem(Path(model_path), err)) from None


def device_notice(settings: EngineSettings) -> str | None:
    """Why ``--device auto`` will translate on the CPU although a GPU is there, or None (imports ctranslate2
    only for that engine, not torch)."""
    if settings.device != "auto" or resolve_engine_name(settings.engine) != "ctranslate2":
        return None
    from translate.engines.ctranslate2_engine import cuda_problem

    problem = cuda_problem()
    if problem is None or problem.startswith("no CUDA device"):
        return None
    return f"translating on the CPU: {problem}"


def planned_engine_record(settings: EngineSettings) -> dict:
    """The engine and compute type ``settings`` will load, ``auto`` resolved (imports ctranslate2, not torch)."""
    name = resolve_engine_name(settings.engine)
    if name == "ctranslate2":
        from translate.engines.ctranslate2_engine import ALIGNMENT_ATTENTION, pick_compute_type, pick_device

        record = {"engine": name, "compute_type": pick_compute_type(settings.compute_type, pick_device(settings.device))}
        if settings.attention:
            # Which attention the alignment reads: stored attention and outputs made from the converter's
            # default head (before this was recorded) are not reused.
            record["alignment_attention"] = ALIGNMENT_ATTENTION
        return record
    from translate.engines.transformers_engine import TransformersEngine

    return {"engine": name, "compute_type": TransformersEngine.compute_type}


__all__ = ["Engine", "EngineSettings", "Hypothesis", "load_engine", "resolve_engine_name", "planned_engine_record", "device_notice", "check_engine_settings", "ENGINE_NAMES"]
