"""``round_trip``: the output, translated back, no longer resembles the source.

Optional: needs reverse models (en->fr, en->es). The back-translation is compared
with the source by chrF (Popović 2015): the F-score (beta=2, recall weighted) of
character 1- to 6-grams, spaces removed, with precision and recall averaged over
the n-gram orders both texts have. It is a dozen lines, so it is written here
rather than pulling in sacrebleu and its dependencies (lxml, numpy, portalocker...).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence

from translate.spotcheck.signals._text import shorten
from translate.spotcheck.signals.base import BackTranslate, CheckContext
from translate.spotcheck.spans import Flag, Span

NAME = "round_trip"
SERIOUS = False
DESCRIPTION = "the back-translation does not resemble the source"

__all__ = ["BackTranslate", "SIGNAL", "check_all", "chrf"]


def chrf(hypothesis: str, reference: str, max_order: int = 6, beta: float = 2.0) -> float:
    """chrF in [0, 1] of ``hypothesis`` against ``reference``."""
    hyp, ref = "".join(hypothesis.split()), "".join(reference.split())
    precisions, recalls = [], []
    for order in range(1, max_order + 1):
        hyp_grams = Counter(hyp[i : i + order] for i in range(len(hyp) - order + 1))
        ref_grams = Counter(ref[i : i + order] for i in range(len(ref) - order + 1))
        if not hyp_grams or not ref_grams:
            continue
        matches = sum((hyp_grams & ref_grams).values())
        precisions.append(matches / sum(hyp_grams.values()))
        recalls.append(matches / sum(ref_grams.values()))
    if not precisions:
        return 1.0 if hyp == ref else 0.0
    precision, recall = sum(precisions) / len(precisions), sum(recalls) / len(recalls)
    if precision + recall == 0:
        return 0.0
    return (1 + beta**2) * precision * recall / (beta**2 * precision + recall)


def check_all(items: Sequence[tuple[str, str, str]], back_translate: BackTranslate,
              thresholds, similarity: Callable[[str, str], float] = chrf) -> list[Flag | None]:
    """One flag or None per (source text, translation, source language), back-translating per language."""
    results: list[Flag | None] = [None] * len(items)
    by_lang: dict[str, list[int]] = {}
    for index, (_, translation, lang) in enumerate(items):
        if translation.strip():
            by_lang.setdefault(lang, []).append(index)
    for lang, indices in sorted(by_lang.items()):
        back = back_translate([items[i][1] for i in indices], lang)
        for index, back_text in zip(indices, back, strict=True):
            value = similarity(back_text, items[index][0])
            if value < thresholds.round_trip_min_chrf:
                results[index] = Flag(NAME, f"back-translation “{shorten(back_text)}” matches the source "
                                            f"at chrF {value:.2f}")
    return results


class RoundTrip:
    """Runs only when the context carries a back-translation function (local reverse models)."""

    name, serious, description, judges_empty_output = NAME, SERIOUS, DESCRIPTION, False
    judges_left_untranslated = False

    def check(self, spans: Sequence[Span], context: CheckContext) -> list[Flag | None]:
        if context.back_translate is None:
            return [None] * len(spans)
        items = [(span.text, span.translation, span.lang) for span in spans]
        return check_all(items, context.back_translate, context.thresholds)


SIGNAL = RoundTrip()
