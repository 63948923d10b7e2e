"""Checks of arguments given from Python, at the API's boundary (``translate.api``), and the API's wording of errors.

Python callers get the same refusals as the CLI, in Python's terms: an argument of the wrong type
is a ``TypeError`` naming the parameter (the CLI's parser rules those out before any check runs),
and the shared checks' messages, written for the CLI (``--out X: ...``), name the API's parameters
instead (``out_dir X: ...``): ``api_words`` rewords every ``TranslateError`` leaving the API.
Values are checked once, by the shared code the CLI uses too (``translate.settings``,
``translate.models``, ``translate.engines``); only what the CLI never meets (types, text that is
not Unicode) is checked here.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Callable, Iterable, Mapping
from contextvars import ContextVar
from pathlib import Path
from typing import TypeVar

from translate.errors import InputError, TranslateError, UsageError

F = TypeVar("F", bound=Callable)

# True while a CLI command runs: the CLI calls the API, and its errors must keep naming its options.
_CLI_WORDS: ContextVar[bool] = ContextVar("translate_cli_words", default=False)

# CLI option -> the API's parameter, as messages name them. Options not listed lose their dashes
# (``--group-bytes`` -> ``group_bytes``), which is the API's spelling of the others.
API_NAMES = {
    "--out": "out_dir",
    "--model": "models",
    "--cache": "cache",
    "--ray-address": "RaySettings.address",
    "--ray-actors": "RaySettings.actors",
    "--ray-actor-cpus": "RaySettings.actor_cpus",
    "--no-round-trip": "round_trip=False",
    "--no-alignment": "alignment=False",
    "--threshold": "thresholds",
    "--force": "force=True",
    "--include-hidden": "include_hidden=True",
    "--retranslate": "retranslate=True",
}
# ``--model fr=ID``, ``--model 'fr=ID'``, ``--model "*=ID"``: the value as the API takes it.
_MODEL_OPTION = re.compile(r"--model (?:'(?P<single>[^']*)'|\"(?P<double>[^\"]*)\"|(?P<bare>[^\s,;:)]+))")
_OPTION = re.compile(r"(?<![\w-])--[a-z][a-z0-9-]*")


def api_words(message: str) -> str:
    """``message`` with each CLI option named as the API's parameter (``--model fr=X`` ->
    ``models={'fr': 'X'}``, ``--out`` -> ``out_dir``)."""

    def model(match: re.Match) -> str:
        option = next(group for group in match.group("single", "double", "bare") if group is not None)
        full_stop = "." if match.group("bare") and option.endswith(".") and not option.endswith("...") else ""
        lang, sep, name = option[:len(option) - len(full_stop)].partition("=")
        if not sep:
            return f"models {option!r}"
        return (f"models={{{lang!r}: ...}}" if name == "..." else f"models={{{lang!r}: {name!r}}}") + full_stop

    message = _MODEL_OPTION.sub(model, message)
    message = message.replace("--languages auto", "languages='auto'").replace("--executor ray", "executor='ray'")
    return _OPTION.sub(lambda match: API_NAMES.get(match.group(0), match.group(0)[2:].replace("-", "_")), message)


def api_boundary(function: F) -> F:
    """Raise the ``TranslateError`` of a call through ``function`` in the API's words (see
    ``api_words``), unless the CLI made the call (see ``cli_words``)."""

    @functools.wraps(function)
    def call(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        except TranslateError as err:
            if not _CLI_WORDS.get() and err.args and isinstance(err.args[0], str):
                err.args = (api_words(err.args[0]), *err.args[1:])
            raise

    return call  # type: ignore[return-value]


def cli_words() -> Callable[[], None]:
    """Until the returned function is called, errors keep the CLI's words (``--out``): the CLI's
    commands call the API."""
    token = _CLI_WORDS.set(True)
    return lambda: _CLI_WORDS.reset(token)


# -- types ------------------------------------------------------------------------------------------


def _kind(value: object) -> str:
    return "None" if value is None else type(value).__name__


def text_argument(name: str, value: object) -> str:
    """``value`` when it is a ``str`` that can be written as UTF-8; InputError at its first lone
    surrogate (text decoded with ``errors="surrogateescape"``, or half of a pair)."""
    if not isinstance(value, str):
        hint = " (decode bytes first, e.g. data.decode('utf-8'))" if isinstance(value, (bytes, bytearray)) else ""
        raise TypeError(f"{name}: expected str, got {_kind(value)}{hint}")
    surrogate = re.search(r"[\ud800-\udfff]", value)
    if surrogate:
        raise InputError(f"{name}: not valid Unicode: lone surrogate U+{ord(surrogate.group()):04X} at character "
                         f"{surrogate.start()} (text decoded with errors='surrogateescape'?); decode it with its "
                         "real encoding, or with errors='replace'")
    return value


def str_argument(name: str, value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{name}: expected str, got {_kind(value)}")
    return value


def path_argument(name: str, value: object) -> Path:
    if not isinstance(value, (str, os.PathLike)):
        raise TypeError(f"{name}: expected a path (str or os.PathLike), got {_kind(value)}")
    return Path(value)


def optional_path_argument(name: str, value: object) -> Path | None:
    return None if value is None else path_argument(name, value)


def int_argument(name: str, value: object, *, optional: bool = False) -> int | None:
    """An ``int`` (not a bool), or None when ``optional``; its range is the shared checks' business."""
    if value is None and optional:
        return None
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"{name}: expected int{' or None' if optional else ''}, got {_kind(value)}")
    return value


def bool_argument(name: str, value: object) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"{name}: expected True or False, got {_kind(value)}")
    return value


def model_choices(models: object) -> dict[str, str]:
    """``models`` as ``{language: model}`` with each model a str (a folder given as a Path too);
    TypeError for anything else: a list of languages, a model None (never looked up as "None")."""
    if models is None:
        return {}
    if not isinstance(models, Mapping):
        raise TypeError(f"models: expected a mapping of language to model, such as "
                        f"{{'fr': 'models/opus-mt-fr-en'}}, got {_kind(models)}")
    chosen = {}
    for lang, model in models.items():
        if not isinstance(lang, str):
            raise TypeError(f"models: a language must be a str such as 'fr', got {_kind(lang)}")
        if not isinstance(model, (str, os.PathLike)):
            raise TypeError(f"models[{lang!r}]: expected a model folder or a Hugging Face id (str or os.PathLike), "
                            f"got {_kind(model)}")
        if not os.fspath(model).strip():
            raise UsageError(f"models[{lang!r}]: empty; give a model folder or a Hugging Face id such as "
                             f"'Helsinki-NLP/opus-mt-{lang if lang != '*' else 'mul'}-en'")
        chosen[lang] = os.fspath(model)
    return chosen


def languages_argument(languages: object) -> str | list[str] | None:
    """None, ``"auto"``/``"fr,es"``, or an iterable of str (its values are the shared checks' business)."""
    if languages is None or isinstance(languages, str):
        return languages
    if isinstance(languages, Iterable) and not isinstance(languages, (bytes, bytearray, Mapping)):
        chosen = list(languages)
        if all(isinstance(lang, str) for lang in chosen):
            return chosen
    raise TypeError(f"languages: expected None, 'auto' or language codes such as ['fr', 'it'], got "
                    f"{_kind(languages)}")
