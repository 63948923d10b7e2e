"""Read stage: input files -> decoded ``SourceDocument``s, and English documents back out.

Each format is one class implementing ``base.Format``, chosen by file suffix: ``read`` gives a
``SourceDocument`` whose ``blocks`` are the regions to translate (paragraphs, cells, cues, text
nodes), or whose ``plain`` is the plain text of its inline flows (HTML, Markdown: see
``translate.markup``), and ``english_document`` the English document's bytes; text formats derive from
``base.TextFormat`` and write a string. Formats that need a third-party library (lxml, pysubs2,
polib) import it only when they read or write, so listing the formats stays cheap.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from translate.document import SourceDocument
from translate.errors import InputError
from translate.formats.base import Format
from translate.formats.docx import DocxFormat
from translate.formats.epub import EpubFormat
from translate.formats.gettext import GettextFormat
from translate.formats.html_page import HtmlFormat
from translate.formats.markdown import MarkdownFormat
from translate.formats.odt import OdtFormat
from translate.formats.pptx import PptxFormat
from translate.formats.substation import SubStationFormat
from translate.formats.subrip import SubRipFormat
from translate.formats.text import PlainTextFormat
from translate.formats.webvtt import WebVttFormat
from translate.formats.xliff import XliffFormat

ALL_FORMATS: tuple[Format, ...] = (
    PlainTextFormat(), MarkdownFormat(), SubRipFormat(), HtmlFormat(),
    DocxFormat(), OdtFormat(), PptxFormat(), EpubFormat(),
    WebVttFormat(), SubStationFormat(), GettextFormat(), XliffFormat(),
)
FORMAT_NAMES = tuple(fmt.name for fmt in ALL_FORMATS)
FORMATS: dict[str, Format] = {suffix: fmt for fmt in ALL_FORMATS for suffix in fmt.suffixes}
_BY_NAME: dict[str, Format] = {fmt.name: fmt for fmt in ALL_FORMATS}


def format_named(name: str) -> Format:
    """The format called ``name`` (``md``, ``docx``...; case and a leading dot ignored): the one
    lookup by name.

    Raises:
        UsageError: no format has that name.
    """
    fmt = _BY_NAME.get(name.lower().lstrip("."))
    if fmt is None:
        from translate.errors import UsageError

        raise UsageError(f"format: unknown {name!r}; choose from {','.join(FORMAT_NAMES)}")
    return fmt


def format_for(path: Path, names: tuple[str, ...] | list[str] | None = None) -> Format | None:
    """The format that handles ``path`` (by suffix), or None; ``names`` restricts the formats."""
    fmt = FORMATS.get(Path(path).suffix.lower())
    if fmt is not None and names is not None and fmt.name not in names:
        return None
    return fmt


def model_text(fmt: Format, text: str) -> str:
    return fmt.model_text(text)


def read_source(path: Path, source: str | None = None, data: bytes | None = None, fmt: Format | None = None) -> SourceDocument:
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
