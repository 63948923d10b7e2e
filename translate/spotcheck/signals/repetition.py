"""``repetition``: a word or phrase repeated back to back, the usual sign of a looping model.

A phrase of 1 to ``repetition_max_phrase`` words repeated ``repetition_min_repeats``
times in a row (punctuation between repeats ignored) is flagged, unless the source
itself repeats something as often ("non, non, non"). A 3-word phrase that occurs
``repetition_min_repeats`` times anywhere in the output is flagged too (loops
interleaved with other words), unless the source repeats a phrase as often: the
source's most frequent word pair is the yardstick, as a translation of a repeated
French phrase ("la guerre ... la guerre ... la guerre") repeats it too.
"""

from __future__ import annotations

from collections import Counter

from translate.spotcheck.signals._text import shorten, words
from translate.spotcheck.signals.base import TextSignal
from translate.spotcheck.spans import Flag

NAME = "repetition"
SERIOUS = True
DESCRIPTION = "repeated words or phrases (a looping model)"


def longest_loop(tokens: list[str], max_phrase: int) -> tuple[int, int, int]:
    """(repeats, start, phrase length) of the most repeated back-to-back phrase; repeats is 1 if none."""
    best = (1, 0, 1)
    for size in range(1, max_phrase + 1):
        for start in range(len(tokens) - 2 * size + 1):
            phrase = tokens[start : start + size]
            if start >= size and tokens[start - size : start] == phrase:
                continue  # inside a run already counted from its first occurrence
            repeats = 1
            while tokens[start + repeats * size : start + (repeats + 1) * size] == phrase:
                repeats += 1
            if repeats > best[0]:
                best = (repeats, start, size)
    return best


def check(text: str, translation: str, lang: str, thresholds) -> Flag | None:
    output_words = words(translation)
    tokens = [w for w, _, _ in output_words]
    minimum = thresholds.repetition_min_repeats
    # Both tests need a word that occurs ``minimum`` times (the first word of the repeated phrase or
    # trigram): without one, nothing can be flagged, and most outputs are ruled out at this cost.
    if not tokens or max(Counter(tokens).values()) < minimum:
        return None
    repeats, start, size = longest_loop(tokens, thresholds.repetition_max_phrase)
    # The source's own loops matter only for a loop long enough to flag.
    if repeats >= minimum and repeats > longest_loop([w for w, _, _ in words(text)],
                                                     thresholds.repetition_max_phrase)[0]:
        phrase = translation[output_words[start][1] : output_words[start + size - 1][2]]
        first, last = output_words[start][1], output_words[start + repeats * size - 1][2]
        return Flag(NAME, f"“{shorten(phrase, 40)}” is repeated {repeats} times in a row",
                    translation_ranges=((first, last),))
    trigrams = Counter(tuple(tokens[i : i + 3]) for i in range(len(tokens) - 2))
    if trigrams:
        trigram, count = max(sorted(trigrams.items()), key=lambda item: item[1])
        source_tokens = [w for w, _, _ in words(text)]
        source_pairs = Counter(tuple(source_tokens[i : i + 2]) for i in range(len(source_tokens) - 1))
        if count >= minimum and count > max(source_pairs.values(), default=0):
            ranges = tuple((output_words[i][1], output_words[i + 2][2])
                           for i in range(len(tokens) - 2) if tuple(tokens[i : i + 3]) == trigram)
            return Flag(NAME, f"“{' '.join(trigram)}” occurs {count} times", translation_ranges=ranges)
    return None


SIGNAL = TextSignal(NAME, SERIOUS, DESCRIPTION, check)
