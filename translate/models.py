"""Model management: which model translates each language, and where its files are.

Resolution order for a language: an explicit ``--model LANG=PATH_OR_ID``, then a
folder under the models root (``$TRANSLATE_MODELS_DIR``, else ``./models`` when it exists, else
``~/.cache/translate/models``), then the
Hugging Face cache, then a download from the Hub into the models root.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from translate.document import TRANSLATED_LANGUAGES
from translate.errors import ModelNotFoundError, UsageError

DEFAULT_MODELS = {
    "fr": "Helsinki-NLP/opus-mt-fr-en",
    "es": "Helsinki-NLP/opus-mt-es-en",
}
# Files a MarianMT folder needs; weights are taken as safetensors when the repo has them.
_CONFIG_FILES = ["config.json", "generation_config.json", "tokenizer_config.json", "vocab.json", "source.spm", "target.spm"]
_WEIGHT_FILES = ("model.safetensors", "pytorch_model.bin")
_NETWORK_PROBE_SECONDS = 5.0


@dataclass(frozen=True)
class ResolvedModel:
    """A model folder on disk, and how it was found."""

    lang: str
    name: str  # as configured: a Hub id or a path
    path: Path
    origin: str  # "path", "models root", "hf cache" or "downloaded"


def models_root() -> Path:
    """``$TRANSLATE_MODELS_DIR``; else ``./models`` when that folder exists (a checkout of the
    project has one); else the per-user cache ``$XDG_CACHE_HOME/translate/models`` (by default
    ``~/.cache/translate/models``), so running from any other folder finds the same models."""
    if os.environ.get("TRANSLATE_MODELS_DIR"):
        return Path(os.environ["TRANSLATE_MODELS_DIR"])
    local = Path.cwd() / "models"
    if local.is_dir():
        return local
    cache = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(cache) / "translate" / "models"


def parse_model_options(options: list[str] | None) -> dict[str, str]:
    """``["fr=DIR", "es=ID"]`` -> ``{"fr": "DIR", "es": "ID"}``; ``LANG`` may be ``fr``/``es`` only."""
    chosen: dict[str, str] = {}
    for option in options or []:
        lang, sep, name = option.partition("=")
        lang, name = lang.strip().lower(), name.strip()
        if not sep or not name:
            raise UsageError(f"--model {option!r}: expected LANG=PATH_OR_ID, for example fr=Helsinki-NLP/opus-mt-fr-en")
        if lang not in TRANSLATED_LANGUAGES:
            raise UsageError(f"--model {option!r}: LANG must be one of {', '.join(TRANSLATED_LANGUAGES)}")
        chosen[lang] = name
    return chosen


def configured_models(overrides: dict[str, str] | None = None) -> dict[str, str]:
    """The model name for each translated language: defaults, replaced by overrides."""
    return {**DEFAULT_MODELS, **(overrides or {})}


def local_folder_name(model_id: str) -> str:
    return model_id.replace("/", "--")


def is_model_folder(path: Path) -> bool:
    return (path / "config.json").is_file() and any((path / name).is_file() for name in _WEIGHT_FILES)


def folder_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def looks_like_path(name: str) -> bool:
    """A name that cannot be a Hub id (``org/name`` or ``name``) is meant as a folder."""
    return name.startswith((".", "/", "~")) or name.count("/") > 1 or "\\" in name


def find_local_model(name: str, root: Path | None = None) -> tuple[Path, str] | None:
    """Where ``name`` (a folder or a Hub id) is on disk without any network access, and how it was found."""
    as_path = Path(name).expanduser()
    if as_path.exists():
        return (as_path.resolve(), "path") if is_model_folder(as_path) else None
    root = root or models_root()
    for candidate in (root / local_folder_name(name), root / name.rsplit("/", 1)[-1]):
        if is_model_folder(candidate):
            return candidate.resolve(), "models root"
    cached = _hf_cache_folder(name)
    if cached is not None:
        return cached, "hf cache"
    return None


def places_looked(name: str, root: Path | None = None) -> list[str]:
    root = root or models_root()
    return [str(root / local_folder_name(name)), str(root / name.rsplit("/", 1)[-1]), "the Hugging Face cache"]


def resolve_model(lang: str, name: str, root: Path | None = None, *, download: bool = True) -> ResolvedModel:
    """Find ``name`` locally, else download it into the models root; raise ModelNotFoundError when neither works."""
    root = root or models_root()
    as_path = Path(name).expanduser()
    if as_path.exists() and not is_model_folder(as_path):
        raise ModelNotFoundError(
            f"model for {lang}: {name} is not a MarianMT model folder (it needs config.json and "
            f"model.safetensors or pytorch_model.bin)"
        )
    if looks_like_path(name) and not as_path.exists():
        raise ModelNotFoundError(f"model for {lang}: folder {name} does not exist")
    found = find_local_model(name, root)
    if found:
        return ResolvedModel(lang, name, *found)
    if not download:
        raise ModelNotFoundError(_missing_message(lang, name, root, "not downloaded (local only)"))
    return ResolvedModel(lang, name, download_model(lang, name, root), "downloaded")


def download_model(lang: str, model_id: str, root: Path) -> Path:
    """Download ``model_id`` from the Hub into ``root`` (with a progress bar) and return its folder."""
    from huggingface_hub import constants

    if constants.HF_HUB_OFFLINE:
        raise ModelNotFoundError(_missing_message(lang, model_id, root, "offline mode (HF_HUB_OFFLINE=1)"))
    # huggingface_hub retries unreachable hosts for ~25 s; a short probe fails fast instead.
    problem = _network_problem(constants.ENDPOINT)
    if problem:
        raise ModelNotFoundError(_missing_message(lang, model_id, root, f"no network ({problem})"))
    from huggingface_hub import HfApi, snapshot_download

    target = root / local_folder_name(model_id)
    try:
        files = set(HfApi().list_repo_files(model_id))
        weights = "model.safetensors" if "model.safetensors" in files else "pytorch_model.bin"
        snapshot_download(model_id, local_dir=target, allow_patterns=[*_CONFIG_FILES, weights])
    except Exception as err:  # the Hub client raises many kinds; all mean "could not download"
        reason = str(err).splitlines()[0] if str(err) else type(err).__name__
        raise ModelNotFoundError(_missing_message(lang, model_id, root, f"download failed: {reason}")) from None
    if not is_model_folder(target):
        raise ModelNotFoundError(f"model for {lang}: {model_id} downloaded into {target} but it has no weights")
    return target.resolve()


def _hf_cache_folder(model_id: str) -> Path | None:
    if looks_like_path(model_id):
        return None
    try:
        from huggingface_hub import try_to_load_from_cache
    except ImportError:
        return None
    config = try_to_load_from_cache(model_id, "config.json")
    if isinstance(config, str):
        folder = Path(config).parent
        if is_model_folder(folder):
            return folder
    return None


def _network_problem(endpoint: str) -> str | None:
    host = urlparse(endpoint).hostname or endpoint
    port = urlparse(endpoint).port or 443
    try:
        with socket.create_connection((host, port), timeout=_NETWORK_PROBE_SECONDS):
            return None
    except OSError as err:
        return f"cannot reach {host}: {err.strerror or err}"


def _missing_message(lang: str, model_id: str, root: Path, reason: str) -> str:
    looked = "; ".join(places_looked(model_id, root))
    folder = root / local_folder_name(model_id)
    return (
        f"model {model_id} for {lang} is not available: {reason}. Looked in: {looked}. "
        f"To fix: (1) on a connected machine run `translate models pull {lang}` and copy "
        f"models/{local_folder_name(model_id)} to {folder}; (2) put a MarianMT folder under the models root "
        f"{root} (or set TRANSLATE_MODELS_DIR); (3) pass --model {lang}=PATH_TO_MODEL_FOLDER."
    )
