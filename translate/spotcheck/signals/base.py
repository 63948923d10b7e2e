"""The one interface every spot-check signal has.

A signal is an object with a ``name``, a ``serious`` bit, a one-line ``description``
and ``check(spans, context)``, which returns one ``Flag`` or ``None`` per span, in
order. Most signals judge each span alone (``TextSignal`` wraps such a function);
others need the whole corpus (``low_confidence`` compares a span's model score with
the other spans of the same model) or something from outside (``round_trip`` needs
a back-translation function, carried by the ``CheckContext``). With one signature
the checker runs them all the same way, and a new signal is one module plus one
line in the registry (``translate.spotcheck.signals.SIGNALS``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from translate.spotcheck.spans import Flag, Span

if TYPE_CHECKING:
    from translate.spotcheck.thresholds import Thresholds

# texts in English, source language -> back-translations in that language
BackTranslate = Callable[[list[str], str], list[str]]


@dataclass
class CheckContext:
    """What signals may use besides the spans; ``notes`` collects why a signal could not run."""

    thresholds: Thresholds
    back_translate: BackTranslate | None = None
    notes: list[str] = field(default_factory=list)


@runtime_checkable
class Signal(Protocol):
    name: str
    serious: bool  # a serious flag counts against the score
    description: str
    judges_empty_output: bool  # only such signals are given spans whose output is empty
    judges_left_untranslated: bool  # such signals are given only the spans the run left untranslated

    def check(self, spans: Sequence[Span], context: CheckContext) -> list[Flag | None]:
        """One flag or None per span of ``spans``, in order."""
        ...


@dataclass(frozen=True)
class TextSignal:
    """A signal that judges each span alone: ``judge(text, translation, lang, thresholds)``."""

    name: str
    serious: bool
    description: str
    judge: Callable[[str, str, str, Thresholds], Flag | None]
    judges_empty_output: bool = False
    judges_left_untranslated: bool = False

    def check(self, spans: Sequence[Span], context: CheckContext) -> list[Flag | None]:
        return [self.judge(span.text, span.translation, span.lang, context.thresholds) for span in spans]
