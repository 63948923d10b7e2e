"""Read stage: input files -> decoded ``SourceDocument``s, and English documents back out.

Each format is one class with the same two methods (``read`` and ``write``), chosen
by file suffix. Plain text is the first; others register in ``FORMATS``.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from translate.document import SourceDocument
from translate.errors import InputError
from translate.formats.text import PlainTextFormat

FORMATS = {fmt.suffix: fmt for fmt in (PlainTextFormat(),)}


def format_for(path: Path):
    """The format that handles ``path`` (by suffix), or None."""
    return FORMATS.get(path.suffix.lower())


def read_source(path: Path, source: str | None = None) -> SourceDocument:
    """Read and decode ``path``; ``source`` is the name recorded for it (default: the path).

    Raises InputError (naming the file and the reason) when it cannot be read or decoded.
    """
    fmt = format_for(path) or FORMATS[".txt"]
    name = source if source is not None else str(path)
    try:
        data = path.read_bytes()
    except OSError as err:
        raise InputError(f"{path}: cannot read: {err.strerror or err}") from None
    return fmt.read(data, name, sha256=hashlib.sha256(data).hexdigest())
