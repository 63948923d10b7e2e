"""Filesystem helpers: atomic writes, so an interrupted run never leaves a half-written output; the
per-user cache folder."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def user_cache_dir(name: str) -> Path:
    """``$XDG_CACHE_HOME/translate/NAME`` (by default ``~/.cache/translate/NAME``): the per-user folder
    of models, conversions and model copies."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "translate" / name


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# mkstemp creates files readable by the owner only; outputs get the usual permissions instead.
_FILE_MODE = 0o666 & ~_current_umask()


def write_atomic(path: Path, data: str | bytes, encoding: str = "utf-8") -> None:
    """Write ``data`` to ``path`` via a temporary file in the same folder and an atomic rename."""
    write_atomic_all({path: data.encode(encoding) if isinstance(data, str) else data})


def write_atomic_all(files: dict[Path, bytes]) -> None:
    """Write several files, each through a temporary file in its folder: every temporary file is
    written and flushed to disk first, then all are renamed in order (the last one last). A kill
    leaves either none of them renamed or a prefix of them, with no time spent writing in between."""
    temporary: list[tuple[str, Path]] = []
    try:
        for path, payload in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            temporary.append((tmp_name, path))
            with os.fdopen(fd, "wb") as handle:
                handle.write(payload)
                os.fchmod(handle.fileno(), _FILE_MODE)
                handle.flush()
                os.fsync(handle.fileno())
        while temporary:
            tmp_name, path = temporary[0]
            os.replace(tmp_name, path)
            temporary.pop(0)
    except BaseException:
        for tmp_name, _path in temporary:
            Path(tmp_name).unlink(missing_ok=True)
        raise
