"""``negation_dropped``: the source is negative, the output has no negation at all.

Dropping "ne ... pas" or "no" flips the meaning while everything else looks fine.
Markers: French "ne/n' ... pas, jamais, plus, rien, aucun, personne, guère", "non",
"sans"; Spanish "no", "nunca", "jamás", "nadie", "nada", "ningún/ninguna/ninguno",
"ni", "sin", "tampoco"; English "not", "n't", "never", "no", "none", "nobody",
"nothing", "neither", "nor", "without", "cannot", "nowhere". French "ne ... que"
(only) is not a negation. A hint, not serious: a translation may carry the negation
in a word ("refused", "failed", "unable").
"""

from __future__ import annotations

import re

from translate.spotcheck.signals.base import TextSignal
from translate.spotcheck.spans import Flag

NAME = "negation_dropped"
SERIOUS = False
DESCRIPTION = "the source is negative but the output has no negation"

_SOURCE = {
    "fr": re.compile(r"\b(?:ne|n['’])\s*(?:\w+['’]?\s*){1,4}?"
                     r"(?:pas|jamais|plus|rien|aucun|aucune|personne|guère|nullement)\b"
                     r"|\b(?:non|sans|jamais|aucun|aucune)\b", re.IGNORECASE),
    "es": re.compile(r"\b(?:no|nunca|jamás|nadie|nada|ningún|ninguna|ninguno|ni|sin|tampoco)\b", re.IGNORECASE),
}
_ENGLISH = re.compile(r"\b(?:not|never|no|none|nobody|nothing|neither|nor|without|cannot|nowhere|non)\b|n['’]t\b",
                      re.IGNORECASE)


def check(text: str, translation: str, lang: str, thresholds) -> Flag | None:
    pattern = _SOURCE.get(lang)
    if pattern is None:
        return None
    found = pattern.search(text)
    if found is None or _ENGLISH.search(translation):
        return None
    return Flag(NAME, f"the source is negative (“{found.group(0)}”) but the output has no negation",
                source_ranges=((found.start(), found.end()),))


SIGNAL = TextSignal(NAME, SERIOUS, DESCRIPTION, check)
