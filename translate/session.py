"""The session: what every way of running the pipeline shares (batch in process, batch on Ray,
the Python API, ``translate align --similarity mt``).

A ``Session`` owns the translation memory, the model registry and the run identity (the
generation settings and the models that decide what a translation is). ``lookup`` asks the
memory, ``translate`` asks the model for the rest and stores each engine batch in the memory as
it is made, so what is used is what was stored; ``close`` releases the memory. Models are loaded
once per session, on first use.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from translate.engines import device_notice
from translate.engines.base import EngineSettings, Hypothesis
from translate.model_registry import ModelRegistry
from translate.stages import RunIdentity, generation_settings, memory_context, remember, translate
from translate.stagetimes import NO_STAGE_TIMES, TimedEngine


class Session:
    """The memory, the models and the run identity, shared by every document of a run (or of an
    API translator's calls)."""

    def __init__(self, memory, models: ModelRegistry, identity: RunIdentity):
        self.memory = memory
        self.models = models
        self.identity = identity
        self._contexts: dict[str, str] = {}

    @classmethod
    def open(cls, plan, engine: EngineSettings, *, models_root: Path | None = None, cache_path: Path | None = None,
             on_warning: Callable[[str], None] | None = None, times=NO_STAGE_TIMES, resolve_all: bool = True
             ) -> Session:
        """Resolve every model of ``plan`` (a ``translate.models.ModelPlan``), then open the memory
        (``cache_path``, default: in the models root): a missing model stops here, before any work
        and before the memory's database is created.
        With ``resolve_all`` False, each model is resolved when a text first needs it.

        Raises:
            ModelUnavailable: naming every model that cannot be found or downloaded.
        """
        from translate.memory import TranslationMemory, default_memory_path
        from translate.models import models_root as default_root

        root = models_root or default_root()
        with times.stage("model_load"):
            registry = ModelRegistry.from_plan(plan, root, engine)
            if resolve_all:
                registry.resolve_all()  # before the memory: a missing model leaves no database behind
        memory = registry.memory = _MemoryOnFirstUse(
            lambda: TranslationMemory(cache_path or default_memory_path(root), on_warning=on_warning))
        try:
            with times.stage("model_load"):
                identity = RunIdentity(generation_settings(engine), dict(registry.names), registry.revisions())
        except BaseException:
            memory.close()
            raise
        if on_warning is not None and (notice := device_notice(engine)):
            on_warning(notice)  # a GPU the engine cannot use: the run is slower than the user may expect
        return cls(memory, registry, identity)

    def close(self) -> None:
        self.memory.close()

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def translates(self, lang: str) -> bool:
        return self.models.translates(lang)

    def context(self, lang: str) -> str:
        """The memory's key for ``lang``'s translations (its model's fingerprint and the settings); a
        model left for when it is needed (``languages="auto"``) is resolved here."""
        if lang not in self._contexts:
            self.models.revision(lang)
            self._contexts[lang] = memory_context(self.memory, self.identity, lang)
        return self._contexts[lang]

    def lookup(self, lang: str, texts: Sequence[str], times=NO_STAGE_TIMES) -> dict[str, Hypothesis]:
        """What the memory has of ``texts`` in ``lang``'s context."""
        context = self.context(lang)
        with times.stage("memory"):
            return self.memory.lookup(context, list(texts))

    def remember(self, lang: str, pairs: list[tuple[str, Hypothesis]], times=NO_STAGE_TIMES
                 ) -> list[tuple[str, Hypothesis]]:
        """Store what a model translated (with its word alignment instead of its attention) and
        return it in the form stored."""
        return remember(self.memory, self.context(lang), pairs, times)

    def translate(
        self,
        lang: str,
        texts: Sequence[str],
        *,
        batch_size: int | None = None,
        on_translated: Callable[[list[tuple[str, Hypothesis]]], None] | None = None,
        times=None,
    ) -> dict[str, Hypothesis]:
        """Translate ``texts`` with ``lang``'s model (length-sorted batches, repeated texts once),
        storing each engine batch in the memory as soon as it is made (a kill loses at most one
        batch). ``on_translated(pairs)`` receives each batch's stored pairs. Returns every text's
        stored hypothesis. ``times`` (a ``StageTimes``) also times the engine's calls."""
        stage_times = times or NO_STAGE_TIMES
        context = self.context(lang)
        with stage_times.stage("model_load"):
            engine = self.models.engine(lang)
        if times is not None:
            engine = TimedEngine(engine, times)
        stored: dict[str, Hypothesis] = {}

        def store(pairs: list[tuple[str, Hypothesis]]) -> None:
            pairs = remember(self.memory, context, pairs, stage_times)
            stored.update(pairs)
            if on_translated is not None:
                on_translated(pairs)

        translate(engine, list(texts), batch_size=batch_size, on_translated=store)
        return stored


class _MemoryOnFirstUse:
    """The translation memory, opened when first used (a model's fingerprint, a lookup): with models
    resolved only when a text needs them (``resolve_all=False``), a run that stops on a missing model
    leaves no database behind."""

    def __init__(self, open_memory: Callable[[], object]):
        self._open_memory = open_memory
        self._memory = None

    def __getattr__(self, name: str):
        if self._memory is None:
            self._memory = self._open_memory()
        return getattr(self._memory, name)

    def close(self) -> None:
        if self._memory is not None:
            self._memory.close()
