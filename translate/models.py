"""Model management: which model translates each language, and where its files are.

Resolution order for a language: an explicit ``--model LANG=PATH_OR_ID``, then a
folder under the models root (``$TRANSLATE_MODELS_DIR``, else ``./models`` when it exists, else
``~/.cache/translate/models``), then the
Hugging Face cache, then a download from the Hub into the models root.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import socket
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from translate.document import KEPT_LANGUAGES
from translate.errors import ModelNotFoundError, UsageError
from translate.fsutil import user_cache_dir

DEFAULT_MODELS = {
    "fr": "Helsinki-NLP/opus-mt-fr-en",
    "es": "Helsinki-NLP/opus-mt-es-en",
}
# Files a MarianMT folder needs; weights are taken as safetensors when the repo has them.
_CONFIG_FILES = ["config.json", "generation_config.json", "tokenizer_config.json", "vocab.json", "source.spm", "target.spm"]
_WEIGHT_FILES = ("model.safetensors", "pytorch_model.bin")
_NETWORK_PROBE_SECONDS = 5.0
AUTO = "auto"  # --languages auto
FALLBACK = "*"  # --model '*=ID': the model of every translated language without its own
# The work folder of a CTranslate2 conversion (``.NAME.ct2-QUANT.XXXXXXXX``, tempfile's suffix) or the
# folder an older conversion is moved to while it is replaced (``.NAME.ct2-QUANT.stale-PID``).
_CONVERSION_WORK = re.compile(r"\..+\.ct2-[A-Za-z0-9_]+\.(?:[a-z0-9_]{8}|stale-\d+)")
# A conversion still being written touches its folder every few seconds; one untouched for an hour
# was killed midway.
STALE_CONVERSION_SECONDS = 3600
# Commands in backticks: the sentence's full stop is not part of the path.
_MODELBUILD_HINT = ("to try the pipeline offline, build a small random-weight model (its translations are "
                    "meaningless): `python -m translate.modelbuild /tmp/demo-model TEXT_FILE` (any text, for its "
                    "vocabulary), then pass `--model {option}`")
# A folder or Hub id of a one-language opus-mt model into English: its source language.
_DEFAULT_NAME = re.compile(r"(?:^|/|--)opus-mt-([a-z]{2,3})-en$")


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
    return user_cache_dir("models")


def parse_model_options(options: list[str] | None) -> dict[str, str]:
    """``["fr=DIR", "it=ID", "*=ID"]`` -> ``{"fr": "DIR", "it": "ID", "*": "ID"}``; ``LANG`` is any
    language code the segmenter gives (ISO 639-1: fr, es, it, de, ...), not en or und, or ``*``
    for the fallback model of translated languages that have none of their own."""
    chosen: dict[str, str] = {}
    given: dict[str, str] = {}  # the option as written, for messages
    for option in options or []:
        lang, sep, name = option.partition("=")
        lang, name = lang.strip().lower(), name.strip()
        if not sep or not name:
            raise UsageError(f"--model {option!r}: expected LANG=PATH_OR_ID, for example fr=Helsinki-NLP/opus-mt-fr-en")
        if lang != FALLBACK and not is_translatable_code(lang):
            raise UsageError(f"--model {option!r}: LANG must be a language code such as fr, es, it or de (not en or "
                             "und), or * for the model of every other language")
        if lang in chosen and chosen[lang] != name:
            raise UsageError(f"--model {given[lang]} and --model {option}: two models for {lang}; give one")
        chosen[lang], given[lang] = name, option
    return chosen


def model_key(names: dict[str, str], lang: str) -> str | None:
    """The entry of ``names`` (language -> model, ``*`` the fallback) that translates ``lang``: its
    own, else the fallback; None when there is neither, or for en and und (kept as written)."""
    if lang in KEPT_LANGUAGES:
        return None
    if lang in names:
        return lang
    return FALLBACK if FALLBACK in names else None


def is_translatable_code(lang: str) -> bool:
    return bool(re.fullmatch(r"[a-z]{2,3}", lang)) and lang not in KEPT_LANGUAGES


def parse_languages(value: str | list[str] | tuple[str, ...] | None) -> str | tuple[str, ...] | None:
    """``--languages``: None (the default: fr, es and every language given a --model), ``"auto"``,
    or the languages to translate (``"fr,es,it"`` or a list), in a stable order."""
    if value is None:
        return None
    parts = [part.strip().lower() for part in (value.split(",") if isinstance(value, str) else value)]
    parts = [part for part in parts if part]
    if parts == [AUTO]:
        return AUTO
    bad = [part for part in parts if not is_translatable_code(part)]
    if bad or not parts:
        raise UsageError(f"--languages {value if isinstance(value, str) else ','.join(value)!r}: expected auto or "
                         "language codes such as fr,es,it (not en or und)")
    return tuple(sorted(set(parts)))


@dataclass(frozen=True)
class ModelPlan:
    """Which languages a run translates, and with which model.

    ``names`` maps each language with a model to its name (a Hub id or a folder), ``*`` to the
    fallback model if any; ``required`` are resolved before any file is read (a missing one stops
    the run); the others (``--languages auto``: default models found locally or listed on the
    Hub) are resolved when a document first needs them."""

    names: dict[str, str]
    required: frozenset[str]
    languages: str | tuple[str, ...]  # "auto" or the languages chosen
    lazy: frozenset[str] = field(default_factory=frozenset)  # on the Hub only: downloaded when first needed

    def translates(self, lang: str) -> bool:
        return model_key(self.names, lang) is not None


def plan_models(languages: str | tuple[str, ...] | None, overrides: dict[str, str] | None,
                root: Path | None = None, *, hub: bool = True) -> ModelPlan:
    """The model plan of ``--languages`` and ``--model`` (see ModelPlan).

    Languages: by default fr, es and every language given a ``--model`` (``--model '*=ID'`` alone
    means ``auto``); a list: exactly those (a ``--model`` for another language is an error);
    ``auto``: fr, es, those given a ``--model``, every language whose default model
    (``Helsinki-NLP/opus-mt-{lang}-en``) is available, and, with a fallback, every other language.

    A language's model: its own ``--model``; else its default when that is available (in the
    models root or the Hugging Face cache, or, when the Hub can be reached and ``hub``, listed on
    the Hub) or when there is no fallback; else the fallback ``*``.
    """
    languages = check_model_choice(languages, overrides)
    overrides = dict(overrides or {})
    fallback = overrides.pop(FALLBACK, None)
    root = root or models_root()
    on_disk = local_default_languages(root)
    # One Hub listing, only when it can change the plan.
    listed = hub_default_languages() if hub and (languages == AUTO or fallback) else set()
    available = on_disk | listed

    def model_for(lang: str) -> str:
        if lang in overrides:
            return overrides[lang]
        return default_model(lang) if lang in available or not fallback else fallback

    chosen = languages if languages != AUTO else sorted({"fr", "es", *overrides, *available})
    names = {lang: model_for(lang) for lang in chosen}
    if languages != AUTO:  # the fallback is named per language: the run translates these only
        return ModelPlan(names, frozenset(names), languages)
    required = {"fr", "es", *overrides}
    if fallback:
        names[FALLBACK] = fallback
        required.add(FALLBACK)
    lazy = frozenset(lang for lang in names if lang not in required and lang not in on_disk)
    return ModelPlan(names, frozenset(required), AUTO, lazy=lazy)


def check_model_choice(languages: str | tuple[str, ...] | None, overrides: dict[str, str] | None) -> str | tuple[str, ...]:
    """The languages setting in full (``"auto"`` or a tuple); UsageError when a ``--model`` names a
    language outside an explicit ``--languages`` list."""
    overrides = dict(overrides or {})
    fallback = overrides.pop(FALLBACK, None)
    if languages is None:
        return AUTO if fallback else tuple(sorted(configured_models(overrides)))
    outside = sorted(set(overrides) - set(languages)) if languages != AUTO else []
    if outside:
        raise UsageError(f"--model {outside[0]}=...: {outside[0]} is not among --languages {','.join(languages)}; "
                         f"add it there, or use --languages auto")
    return languages


def local_default_languages(root: Path) -> set[str]:
    """Languages whose default model (``Helsinki-NLP/opus-mt-{lang}-en``) is on disk: a folder of
    the models root named after it, or in the Hugging Face cache."""
    langs: set[str] = set()
    places = [root]
    try:
        from huggingface_hub import constants

        places.append(Path(constants.HF_HUB_CACHE))
    except ImportError:
        pass
    for place in places:
        try:
            entries = list(place.iterdir())
        except OSError:
            continue
        for entry in entries:
            name = entry.name.removeprefix("models--")
            match = _DEFAULT_NAME.search(name)
            if match and is_translatable_code(match.group(1)) and find_local_model(default_model(match.group(1)), root):
                langs.add(match.group(1))
    return langs


def hub_default_languages() -> set[str]:
    """Languages with a ``Helsinki-NLP/opus-mt-{lang}-en`` model on the Hub (one listing call);
    empty when offline or the Hub cannot be reached."""
    try:
        from huggingface_hub import HfApi, constants
    except ImportError:
        return set()
    if constants.HF_HUB_OFFLINE or _network_problem(constants.ENDPOINT):
        return set()
    try:
        ids = [model.id for model in HfApi().list_models(author="Helsinki-NLP", search="opus-mt-")]
    except Exception:  # the Hub client raises many kinds; all mean "no listing": local models only
        return set()
    langs = set()
    for model_id in ids:
        match = _DEFAULT_NAME.search(model_id)
        if match and model_id == default_model(match.group(1)) and is_translatable_code(match.group(1)):
            langs.add(match.group(1))
    return langs


def default_model(lang: str) -> str:
    """The model a language gets without --model: fr and es their defaults, any other
    ``Helsinki-NLP/opus-mt-{lang}-en`` (which exists on the Hub for many languages, not all)."""
    return DEFAULT_MODELS.get(lang, f"Helsinki-NLP/opus-mt-{lang}-en")


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
    """A name meant as a folder: one that cannot be a Hub id (``org/name`` or ``name``), or an
    ``A/B`` whose ``A`` is a folder here or is ``models`` (``models/my-fr-en``, as the README lays
    models out), which no Hub organisation is named."""
    if name.startswith((".", "/", "~")) or name.count("/") > 1 or "\\" in name or (os.sep != "/" and os.sep in name):
        return True
    first, slash, _rest = name.partition("/")
    return bool(slash) and (first == "models" or Path(first).is_dir())


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
    """Find ``name`` locally, else download it into the models root; raise ModelNotFoundError when
    neither works, or when the folder's weights are damaged (see ``weights_problem``)."""
    root = root or models_root()
    as_path = Path(name).expanduser()
    if as_path.exists() and not is_model_folder(as_path):
        raise ModelNotFoundError(
            f"model for {lang}: {name} is not a MarianMT model folder (it needs config.json and "
            f"model.safetensors or pytorch_model.bin)"
        )
    if looks_like_path(name) and not as_path.exists():
        raise ModelNotFoundError(
            f"model for {lang}: folder {name} does not exist (looked for {as_path.absolute()}); give "
            f"--model {shlex.quote(f'{lang}=PATH')} the path of a MarianMT model folder, or a Hugging Face id such "
            f"as {default_model(lang) if lang != FALLBACK else 'Helsinki-NLP/opus-mt-mul-en'}"
        )
    found = find_local_model(name, root)
    if not found:
        if not download:
            raise ModelNotFoundError(_missing_message(lang, name, root, "not downloaded (local only)"))
        found = download_model(lang, name, root), "downloaded"
    problem = weights_problem(found[0])
    if problem:
        raise ModelNotFoundError(f"model for {lang}: {found[0]}: {problem}")
    return ResolvedModel(lang, name, *found)


def weights_problem(folder: Path) -> str | None:
    """Why the weights in ``folder`` cannot be loaded, found without loading them (None: no problem
    seen): a ``model.safetensors`` cut short (an interrupted copy or download) or whose header is
    not valid."""
    path = folder / "model.safetensors"
    if not path.is_file():
        return None
    damaged = "model.safetensors is damaged ({}); copy or download the model folder again"
    try:
        size = path.stat().st_size
        with path.open("rb") as weights:
            head = weights.read(8)
            length = int.from_bytes(head, "little") if len(head) == 8 else -1
            if length < 2 or 8 + length > size:
                return damaged.format(f"cut short: {size} bytes, less than its header")
            header = json.loads(weights.read(length))
        ends = [entry["data_offsets"][1] for key, entry in header.items() if key != "__metadata__"]
    except OSError as err:
        return f"model.safetensors cannot be read: {err.strerror or err}"
    except (ValueError, TypeError, KeyError, IndexError, AttributeError):
        return damaged.format("its header is not valid")
    expected = 8 + length + max(ends, default=0)
    if size != expected:
        return damaged.format(f"cut short: {size} of {expected} bytes" if size < expected
                              else f"{size} bytes where its header describes {expected}")
    return None


def load_problem(folder: Path, err: BaseException) -> str:
    """One line saying why loading the model in ``folder`` failed with ``err`` (a library's own error)."""
    import pickle

    if isinstance(err, pickle.UnpicklingError):
        # torch's message suggests weights_only=False, which would run the pickle's code: not said here.
        return (f"{folder}: pytorch_model.bin holds more than weights (a pickle that could run code) and is not "
                f"loaded; use a folder with model.safetensors")
    problem = weights_problem(folder)
    if problem:
        return f"{folder}: {problem}"
    reason = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
    return f"cannot load the model in {folder}: {reason}"


def remove_stale_conversions(root: Path, now: float | None = None) -> list[Path]:
    """Remove from ``root`` the work folders of CTranslate2 conversions killed midway (named as
    ``ensure_converted`` names them, real folders, nothing in them touched for
    ``STALE_CONVERSION_SECONDS``); the folders removed. Anything else is left alone."""
    now = time.time() if now is None else now
    removed = []
    try:
        entries = list(os.scandir(root))
    except OSError:
        return removed
    for entry in entries:
        if not _CONVERSION_WORK.fullmatch(entry.name) or not entry.is_dir(follow_symlinks=False):
            continue
        try:
            newest = max([entry.stat(follow_symlinks=False).st_mtime] +
                         [path.lstat().st_mtime for path in Path(entry.path).rglob("*")])
        except OSError:
            continue  # changing under us: in use
        if now - newest >= STALE_CONVERSION_SECONDS:
            shutil.rmtree(entry.path, ignore_errors=True)
            removed.append(Path(entry.path))
    return removed


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
    pull = ["translate", "models", "pull", lang]
    if lang == FALLBACK or model_id != default_model(lang):
        pull += ["--model", f"{lang}={model_id}"]
    # Commands are quoted for the shell: a bare * (the fallback) would be expanded to file names.
    return (
        f"model {model_id} for {lang} is not available: {reason}. Looked in: {looked}. "
        f"To fix: (1) on a connected machine run `{shlex.join(pull)}` and copy "
        f"{shlex.quote(str(Path('models') / local_folder_name(model_id)))} to {shlex.quote(str(folder))}; "
        f"(2) put a MarianMT folder under the models root {shlex.quote(str(root))} (or set TRANSLATE_MODELS_DIR); "
        f"(3) pass --model {shlex.quote(f'{lang}=PATH_TO_MODEL_FOLDER')}; (4) "
        + _MODELBUILD_HINT.format(option=shlex.quote(f"{lang}=/tmp/demo-model")) + "."
    )
