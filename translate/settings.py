"""The settings of a batch run, checked once where they are made (the CLI, through the API, or a
library caller) and passed down unchanged: nothing below parses or checks them again."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from translate.arguments import api_boundary, bool_argument, int_argument, path_argument, str_argument
from translate.engines.base import EngineSettings
from translate.errors import UsageError
from translate.executors import EXECUTORS, require_ray
from translate.formats import FORMAT_NAMES
from translate.outdir import check_output_folder
from translate.formats.base import ReadOptions
from translate.stagetimes import StageTimes


@dataclass(frozen=True)
class RaySettings:
    """``--executor ray``'s options.

    Attributes:
        address: a running Ray cluster (``host:port``, ``ray://...``, ``auto``); None starts a local Ray.
        actors: translation actors; None: one per ``actor_cpus`` CPUs of the cluster (one per GPU with cuda).
        actor_cpus: CPUs (and CPU threads) of each actor.
    """

    address: str | None = None
    actors: int | None = None
    actor_cpus: int = 1

    @api_boundary
    def __post_init__(self) -> None:
        if self.address is not None:
            str_argument("address", self.address)
        int_argument("actors", self.actors, optional=True)
        int_argument("actor_cpus", self.actor_cpus)
        if self.actors is not None and self.actors < 1:
            raise UsageError("--ray-actors: must be at least 1")
        if self.actor_cpus < 1:
            raise UsageError("--ray-actor-cpus: must be at least 1")

    def is_default(self) -> bool:
        return self.address is None and self.actors is None


@dataclass(frozen=True)
class RunSettings:
    """Everything ``translate.batch.run_batch`` needs to know, checked when made.

    Attributes:
        input_dir: the folder of documents (searched recursively).
        out_dir: the output folder (created by the run once its models are resolved).
        models: overrides of the default model per language (``"*"``: the fallback).
        engine: the engine's settings (attention on by default: word alignment).
        models_root: where models are looked for and downloaded; None: ``translate.models.models_root()``.
        formats: the formats translated, as names, a list or a comma-separated string (``"md,html"``).
        cache_path: the translation memory; None: in the models root.
        force: redo files whose outputs are up to date.
        group_bytes: bytes of input per group of documents translated together (``stages.group_inputs``).
        executor: ``in-process`` or ``ray``.
        ray: Ray's options (only with ``executor="ray"``).
        stage_times: seconds per stage, for benchmarks (``translate.stagetimes``).
        languages: the languages translated: None (fr, es and those in ``models``), ``"auto"`` or a list.
        retranslate: replace the translations a file already has (PO ``msgstr``) instead of keeping them.
        include_hidden: also walk hidden files and folders (``.git/``, ``.venv/``, ``.notes.md``).

    Raises:
        UsageError: a missing input folder, an output folder that is a file, the input folder or lies
            inside it, an unknown format or executor, Ray options without Ray, Ray not installed.
        TranslateError: an output folder that cannot be made (a file in its path) or written to.
    """

    input_dir: Path
    out_dir: Path
    models: Mapping[str, str] = field(default_factory=dict)
    # Attention is on by default: word alignment costs one extra decoder pass, little next to generation.
    engine: EngineSettings = field(default_factory=lambda: EngineSettings(attention=True))
    models_root: Path | None = None
    formats: tuple[str, ...] | str = FORMAT_NAMES
    cache_path: Path | None = None
    force: bool = False
    group_bytes: int = 64 * 1024
    executor: str = "in-process"
    ray: RaySettings = RaySettings()
    stage_times: StageTimes | None = field(default=None, compare=False)
    languages: str | tuple[str, ...] | None = None
    retranslate: bool = False
    include_hidden: bool = False

    @api_boundary  # made by the CLI and by Python callers: the errors in their words
    def __post_init__(self) -> None:
        set_field = object.__setattr__  # frozen: normalised once, here
        set_field(self, "input_dir", path_argument("input_dir", self.input_dir))
        set_field(self, "out_dir", path_argument("out_dir", self.out_dir))
        set_field(self, "formats", parse_formats(self.formats))
        for name in ("force", "retranslate", "include_hidden"):
            bool_argument(name, getattr(self, name))
        int_argument("group_bytes", self.group_bytes)
        str_argument("executor", self.executor)
        if not isinstance(self.ray, RaySettings):
            raise TypeError(f"ray: expected RaySettings(address=..., actors=..., actor_cpus=...), "
                            f"got {type(self.ray).__name__}")
        if not self.input_dir.is_dir():
            raise UsageError(f"{self.input_dir}: input folder does not exist or is not a folder")
        check_output_folder(self.out_dir, [self.input_dir])
        if self.group_bytes < 1:
            raise UsageError("--group-bytes: must be at least 1")
        if self.executor not in EXECUTORS:
            raise UsageError(f"--executor {self.executor}: choose one of {', '.join(EXECUTORS)}")
        if self.executor != "ray" and not self.ray.is_default():
            raise UsageError("--ray-address and --ray-actors need --executor ray")
        if self.executor == "ray" and self.engine.threads is not None:
            raise UsageError("--threads is for the in-process run; with --executor ray use --ray-actor-cpus")
        if self.executor == "ray":
            require_ray()

    @property
    def read_options(self) -> ReadOptions:
        """What the formats are told when reading (``Format.reading``)."""
        return ReadOptions(retranslate=self.retranslate)


def parse_formats(formats: Iterable[str] | str | None) -> tuple[str, ...]:
    """Format names as ``--formats`` takes them (``"md,html"`` or a list); all formats for None.

    Raises:
        TypeError: neither a str nor an iterable of str.
        UsageError: an unknown format name, or none.
    """
    if formats is None:
        return FORMAT_NAMES
    names = formats.split(",") if isinstance(formats, str) else _names(formats)
    chosen = tuple(dict.fromkeys(name.strip().lower().lstrip(".") for name in names if name.strip()))
    unknown = sorted(set(chosen) - set(FORMAT_NAMES))
    if unknown or not chosen:
        raise UsageError(f"--formats: unknown {', '.join(unknown) or '(none given)'}; choose from {','.join(FORMAT_NAMES)}")
    return chosen


def _names(formats: object) -> list[str]:
    """``formats`` given as a list of names (any iterable of str); TypeError for anything else."""
    names = list(formats) if isinstance(formats, Iterable) and not isinstance(formats, (bytes, bytearray)) else None
    if names is None or not all(isinstance(name, str) for name in names):
        raise TypeError(f"formats: expected names such as 'md,html' or ['md', 'html'], got {type(formats).__name__}")
    return names
