"""Data of a spot-check: the spans read from batch JSON and the flags raised on them."""

from __future__ import annotations

from dataclasses import dataclass, field

Range = tuple[int, int]


@dataclass(frozen=True)
class Flag:
    """One signal raised on one span.

    ``source_ranges``/``translation_ranges`` are character ranges of the words the
    signal is about (a dropped number in the source, a loop in the output), used to
    highlight them in the report.
    """

    name: str
    explanation: str
    source_ranges: tuple[Range, ...] = ()
    translation_ranges: tuple[Range, ...] = ()


@dataclass
class Span:
    """A translated segment of one batch document (``seg`` is its index in ``segments``)."""

    document: str
    seg: int
    lang: str
    text: str
    translation: str
    score: float | None = None
    flags: list[Flag] = field(default_factory=list)
    model: str | None = None  # the model that translated it, when the batch recorded it

    @property
    def flag_names(self) -> list[str]:
        return [flag.name for flag in self.flags]


@dataclass
class BatchDocument:
    """One batch JSON file: its ``source`` field, where it was read, its translated spans, and the
    spans the run left untranslated (a language it had no model for; their ``translation`` is "")."""

    source: str
    path: str
    segments: int
    spans: list[Span]
    left_untranslated: list[Span] = field(default_factory=list)
    checksum: str = ""  # SHA-256 of the JSON file's bytes (what cached flags are kept under)
