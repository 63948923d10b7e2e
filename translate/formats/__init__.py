"""Read stage: input files -> decoded ``SourceDocument``s, and English documents back out.

Each format is one class with the same interface, chosen by file suffix:

- ``name`` (as given to ``--formats``), ``suffix`` (the main one) and ``suffixes``;
- ``read(data, source, sha256=...) -> SourceDocument`` whose ``blocks`` are the regions to
  translate (paragraphs, cues, text nodes); raises InputError for a file it cannot read;
- ``write(document, segments) -> str``: the English document, in the same format;
- optionally ``model_text(text) -> str``: what the model is given for a span (HTML resolves
  character references); the identity when absent;
- optionally ``encode(document, english) -> bytes``: the bytes of the English document (HTML keeps
  the source's encoding); UTF-8 when absent.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from translate.document import SourceDocument
from translate.errors import InputError
from translate.formats.html_page import HtmlFormat
from translate.formats.markdown import MarkdownFormat
from translate.formats.subrip import SubRipFormat
from translate.formats.text import PlainTextFormat

ALL_FORMATS = (PlainTextFormat(), MarkdownFormat(), SubRipFormat(), HtmlFormat())
FORMAT_NAMES = tuple(fmt.name for fmt in ALL_FORMATS)
FORMATS = {suffix: fmt for fmt in ALL_FORMATS for suffix in fmt.suffixes}


def format_for(path: Path, names: tuple[str, ...] | list[str] | None = None):
    """The format that handles ``path`` (by suffix), or None; ``names`` restricts the formats."""
    fmt = FORMATS.get(Path(path).suffix.lower())
    if fmt is not None and names is not None and fmt.name not in names:
        return None
    return fmt


def model_text(fmt, text: str) -> str:
    convert = getattr(fmt, "model_text", None)
    return convert(text) if convert else text


def read_source(path: Path, source: str | None = None, data: bytes | None = None, fmt=None) -> SourceDocument:
    """Read and decode ``path``; ``source`` is the name recorded for it (default: the path).

    The one read function of every command: raises InputError (naming the file and the reason)
    when the file cannot be read or decoded, and when its format's parser fails on it, so a
    bad file is a per-file "cannot read" error everywhere, never a traceback. ``fmt`` defaults
    to the format of the path's suffix (plain text for others).
    """
    fmt = fmt or format_for(path) or FORMATS[".txt"]
    name = source if source is not None else str(path)
    if data is None:
        try:
            data = path.read_bytes()
        except OSError as err:
            raise InputError(f"{name}: cannot read: {err.strerror or err}") from None
    try:
        return fmt.read(data, name, sha256=hashlib.sha256(data).hexdigest())
    except InputError:
        raise
    except Exception as err:  # a parser choking on one file must not stop a command
        raise InputError(f"{name}: cannot read as {fmt.name}: {type(err).__name__}: {err}") from None
