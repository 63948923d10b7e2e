"""``untranslated_language``: a span in a language the run had no model for, kept as written.

Not an error of a model, so not serious: the English document still holds that text in its own
language, and the flag says which (add ``--model LANG=...`` or ``--languages auto`` to translate it).
"""

from __future__ import annotations

from translate.spotcheck.signals.base import TextSignal
from translate.spotcheck.spans import Flag

NAME = "untranslated_language"
SERIOUS = False
DESCRIPTION = "a span in a language the run had no model for, kept as written"


def check(text: str, translation: str, lang: str, thresholds) -> Flag | None:
    if translation:  # only spans without a translation are left untranslated
        return None
    return Flag(NAME, f"kept in {lang}: the run had no model for {lang} (add --model {lang}=... or --languages auto)")


SIGNAL = TextSignal(NAME, SERIOUS, DESCRIPTION, check, judges_empty_output=True, judges_left_untranslated=True)
