"""The models of a run: resolved once, before anything is translated, fingerprinted once, and
their engines opened lazily, once each.

Every required model (the languages of ``--languages``, or fr, es and those given a ``--model``)
is resolved up front, so a missing model stops the run before any file is read, with every
missing model in one message; local paths are checked first, so a path that does not exist fails
at once. With ``--languages auto`` the default models found on disk are resolved up front too,
and those only listed on the Hub when a document first needs them. A language without a model of
its own uses the fallback ``*`` when there is one (``ModelRegistry.key``).
"""

from __future__ import annotations

import threading
from pathlib import Path

from translate.engines.base import Engine, EngineSettings
from translate.errors import ModelNotFoundError
from translate.models import ModelPlan, ResolvedModel, looks_like_path, model_key, resolve_model


class ModelRegistry:
    def __init__(self, names: dict[str, str], root: Path, engine_settings: EngineSettings, memory=None, *,
                 required: frozenset[str] | None = None, lazy: frozenset[str] = frozenset()):
        self.names = dict(names)  # lang (or "*") -> model name as configured (a Hub id or a path)
        self.root = root
        self.engine_settings = engine_settings
        self.memory = memory  # caches file digests for fingerprints
        self.required = frozenset(self.names) if required is None else required
        self.lazy = lazy  # resolved (downloaded) when first needed
        self.resolved: dict[str, ResolvedModel] = {}
        self._revisions: dict[str, str] = {}
        self._engines: dict[Path, Engine] = {}
        self._lock = threading.RLock()

    @classmethod
    def from_plan(cls, plan: ModelPlan, root: Path, engine_settings: EngineSettings, memory=None) -> ModelRegistry:
        return cls(plan.names, root, engine_settings, memory, required=plan.required, lazy=plan.lazy)

    def resolve_all(self) -> dict[str, ResolvedModel]:
        """Resolve every required model (downloading what is missing) and the optional ones found
        on disk; raise one ModelNotFoundError naming every required model that is not available.
        Local paths are checked before any download."""
        problems: list[str] = []
        ordered = sorted(self.required, key=lambda lang: not _is_local_path(self.names[lang]))
        for lang in ordered:
            try:
                # Once a model is missing the run cannot go on: look for the others locally only
                # (no network wait), to name every missing one in the same message.
                self.resolved[lang] = resolve_model(lang, self.names[lang], self.root, download=not problems)
            except ModelNotFoundError as err:
                problems.append(str(err))
        if problems:
            raise ModelNotFoundError("; ".join(problems))  # one line: errors print as one line
        for lang in sorted(set(self.names) - self.required - self.lazy):
            try:  # found on disk when the plan was made
                self.resolved[lang] = resolve_model(lang, self.names[lang], self.root, download=False)
            except ModelNotFoundError:
                del self.names[lang]  # gone since: the language is left untranslated
        return self.resolved

    def key(self, lang: str) -> str | None:
        """The entry of ``names`` that translates ``lang``: its own, else the fallback ``*``."""
        return model_key(self.names, lang)

    def translates(self, lang: str) -> bool:
        return self.key(lang) is not None

    def model_name(self, lang: str) -> str:
        return self.names[self.key(lang)]

    def ensure(self, lang: str) -> ResolvedModel:
        """``lang``'s model resolved, downloading it if it was left for later (``--languages auto``)."""
        key = self.key(lang)
        with self._lock:
            if key not in self.resolved:
                self.resolved[key] = resolve_model(key, self.names[key], self.root)
            return self.resolved[key]

    def revision(self, lang: str) -> str:
        """The content fingerprint of the model folder that translates ``lang`` (resolved if needed)."""
        from translate.memory import model_fingerprint

        key = self.key(lang)
        with self._lock:
            if key not in self._revisions:
                self._revisions[key] = model_fingerprint(self.ensure(lang).path, self.memory)
            return self._revisions[key]

    def revisions(self) -> dict[str, str]:
        """Fingerprints by ``names`` key: the resolved models now, the others added as they are
        resolved (the run's identity holds this same dict)."""
        for key in list(self.resolved):
            self.revision(key)
        return self._revisions

    def engine(self, lang: str):
        """The engine of ``lang``'s model, loaded on first use; languages sharing a folder share it."""
        from translate.engines import load_engine

        path = self.ensure(lang).path
        with self._lock:
            if path not in self._engines:
                self._engines[path] = load_engine(path, self.engine_settings)
            return self._engines[path]


def _is_local_path(name: str) -> bool:
    """A value meant as a folder: absolute, ``./``, ``../``, ``~``, or existing."""
    return looks_like_path(name) or Path(name).expanduser().exists()
