"""The models of a run: resolved once, before anything is translated, fingerprinted once, and
their engines opened lazily, once each.

Every configured model (the defaults for fr and es, replaced by ``--model``) is resolved up
front, so a missing model stops the run before any file is read, with every missing model in
one message; local paths are checked first, so a path that does not exist fails at once.
"""

from __future__ import annotations

import threading
from pathlib import Path

from translate.engines.base import Engine, EngineSettings
from translate.errors import ModelNotFoundError
from translate.models import ResolvedModel, looks_like_path, resolve_model


class ModelRegistry:
    def __init__(self, names: dict[str, str], root: Path, engine_settings: EngineSettings, memory=None):
        self.names = dict(names)  # lang -> model name as configured (a Hub id or a path)
        self.root = root
        self.engine_settings = engine_settings
        self.memory = memory  # caches file digests for fingerprints
        self.resolved: dict[str, ResolvedModel] = {}
        self._revisions: dict[str, str] = {}
        self._engines: dict[Path, Engine] = {}
        self._lock = threading.Lock()

    def resolve_all(self) -> dict[str, ResolvedModel]:
        """Resolve every configured model (downloading what is missing); raise one ModelNotFoundError
        naming every model that is not available. Local paths are checked before any download."""
        problems: list[str] = []
        ordered = sorted(self.names, key=lambda lang: not _is_local_path(self.names[lang]))
        for lang in ordered:
            try:
                # Once a model is missing the run cannot go on: look for the others locally only
                # (no network wait), to name every missing one in the same message.
                self.resolved[lang] = resolve_model(lang, self.names[lang], self.root, download=not problems)
            except ModelNotFoundError as err:
                problems.append(str(err))
        if problems:
            raise ModelNotFoundError("\n".join(problems))
        return self.resolved

    def model_name(self, lang: str) -> str:
        return self.names[lang]

    def revision(self, lang: str) -> str:
        """The content fingerprint of the resolved model folder for ``lang``."""
        from translate.memory import model_fingerprint

        with self._lock:
            if lang not in self._revisions:
                self._revisions[lang] = model_fingerprint(self.resolved[lang].path, self.memory)
            return self._revisions[lang]

    def revisions(self) -> dict[str, str]:
        return {lang: self.revision(lang) for lang in self.resolved}

    def engine(self, lang: str):
        """The engine of ``lang``'s model, loaded on first use; languages sharing a folder share it."""
        from translate.engines import load_engine

        path = self.resolved[lang].path
        with self._lock:
            if path not in self._engines:
                self._engines[path] = load_engine(path, self.engine_settings)
            return self._engines[path]


def _is_local_path(name: str) -> bool:
    """A value meant as a folder: absolute, ``./``, ``../``, ``~``, or existing."""
    return looks_like_path(name) or Path(name).expanduser().exists()
