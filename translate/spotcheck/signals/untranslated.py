"""``untranslated``: the output largely copies the source.

Names, acronyms and numbers legitimately pass through unchanged, so only the
source's common words (starting lower-case, 2+ letters, not inside a name such as
"Parc des Princes") are counted: the share of them that reappears in the output in
the same order (a longest-matching-blocks alignment of the two word sequences). A
run with up to 3 common words that touches a capitalised word of the output is a name kept
in French or Spanish ("the Place de la Bastille") and is not counted.
"""

from __future__ import annotations

from collections import Counter
from difflib import SequenceMatcher

from translate.spotcheck.signals._text import merge_ranges, words
from translate.spotcheck.signals.base import TextSignal
from translate.spotcheck.spans import Flag

NAME = "untranslated"
SERIOUS = True
DESCRIPTION = "the output largely copies the source"

# Most common words a copied run may hold and still be a name kept in its language.
_NAME_RUN = 3


def check(text: str, translation: str, lang: str, thresholds) -> Flag | None:
    source_words = words(text)
    output_words = words(translation)
    capitalised = [text[s].isupper() for _, s, _ in source_words]
    # A small word between two capitalised ones is part of a name ("Parc des Princes", "Rosa de Lima").
    in_name = [0 < i < len(source_words) - 1 and capitalised[i - 1] and capitalised[i + 1]
               for i in range(len(source_words))]
    common = [len(w) >= 2 and text[s].islower() and not in_name[i] for i, (w, s, _) in enumerate(source_words)]
    if sum(common) < thresholds.untranslated_min_words:
        return None
    # Each copied word is a common source word matched with an output word of its own: the common
    # words the output has (counted with repeats) bound the copied share, and most outputs fall
    # below the threshold on that bound alone, without aligning the two sequences.
    available = Counter(w for w, _, _ in output_words)
    bound = 0
    for (word, _, _), is_common in zip(source_words, common):
        if is_common and available[word] > 0:
            available[word] -= 1
            bound += 1
    if bound / sum(common) < thresholds.untranslated_share:
        return None
    matcher = SequenceMatcher(None, [w for w, _, _ in source_words], [w for w, _, _ in output_words],
                              autojunk=False)
    output_capitalised = [translation[s].isupper() for _, s, _ in output_words]
    copied, ranges = 0, []
    for block in matcher.get_matching_blocks():
        counted = sum(common[block.a : block.a + block.size])
        # A short run touching a capitalised word of the output is a name kept in the source
        # language ("the Place de la Bastille", "the Fête de la Musique"), not a copied sentence.
        touching = output_capitalised[max(0, block.b - 1) : block.b + block.size + 1]
        if counted and counted <= _NAME_RUN and counted < sum(common) and any(touching):
            continue
        if counted:
            copied += counted
            # Highlight the copied run as a whole, names and punctuation inside it included.
            ranges.append((output_words[block.b][1], output_words[block.b + block.size - 1][2]))
    share = copied / sum(common)
    if share < thresholds.untranslated_share:
        return None
    return Flag(NAME, f"{share:.0%} of the source's common words are copied unchanged into the output",
                translation_ranges=merge_ranges(ranges))


SIGNAL = TextSignal(NAME, SERIOUS, DESCRIPTION, check)
