"""Segment stage: decoded text -> language spans.

Each word of the document gets language evidence from ``translate.langid`` (per-word
log-likelihoods; names, acronyms, numbers and URLs carry little or none). A Viterbi
pass over all words of the document then picks one language per word, paying a cost
each time the language changes. The cost depends on what separates the two words:
small at a paragraph or line break, larger between sentences, larger again inside a
sentence after ``:`` ``;`` ``—`` ``–`` ``,`` quotes or brackets, and highest between two
plain words. So a short or ambiguous piece follows its neighbours, while a piece with
strong evidence ("Recent Posts" in a French page, "gagner du temps." after a Spanish
clause) keeps its own language. Inside a sentence, a run of one or two capitalised
words that came out in another language (a name: "Altman, quant à lui...") takes the
language of its neighbours.

On mixed documents built from langid-dev lines not used for tuning, 99.3% of letters
get the right language, against 93% for langdetect or lingua run on each sentence
(benchmarks/langid.py).

Spans are sentences, cut further where the language changes inside a sentence. Every
non-whitespace character of a block is in exactly one span, in order, with offsets
into the full text. A sentence without words (numbers, URLs, punctuation) is ``und``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from translate.document import LANGUAGES, UNDETERMINED, Block, Segment
from translate.langid import LANGID_WEIGHT, word_scores
from translate.sentences import split_sentences

__all__ = ["split_paragraphs", "split_sentences", "segment_document", "SegmenterSettings"]

# A line break is \r\n, \n or a lone \r (old Mac files); \r(?!\n) keeps \r\n one break, not two.
_BREAK = r"(?:\r\n|\r(?!\n)|\n)"
_BLANK_LINE = re.compile(_BREAK + r"[ \t\f\v]*" + _BREAK + r"\s*")
_TOKEN = re.compile(r"\S+")
_PARTS = re.compile(r"[^\W\d_]+")
_NO_EVIDENCE = re.compile(r"\d|://|@|^www\.", re.IGNORECASE)
# Punctuation after which a sentence may switch language.
_CLAUSE_MARKS = frozenset(":;,—–-\"'«»“”‘’„()[]/")
_OPENERS = "«“‘„([¿¡"
_OPENS_AFTER_SPACE = "\"'—–-"

PARAGRAPH, LINE, SENTENCE, CLAUSE, WORD = range(5)


@dataclass(frozen=True)
class SegmenterSettings:
    """Weights of the language decision, tuned on the even lines of ../shared/langid-dev
    (documents of benchmarks/mixed_documents.py); the odd lines are kept for checking."""

    # Cost (in nats of evidence) of changing language, by what separates the two words.
    switch_costs: tuple[float, float, float, float, float] = (2.7, 3.0, 4.2, 4.7, 20.0)
    # Evidence of one word is scaled by this (n-grams overlap, so raw sums are overconfident)...
    evidence_scale: float = 0.25
    # ...and capped, so that one odd word (a name, a typo) cannot decide alone.
    word_cap: float = 30.0
    # Weight of a word that looks like a name: capitalised inside a sentence, all capitals,
    # or with a capital inside (OpenAI, YouTube)...
    name_weight: float = 0.4
    # ...and of a capitalised word that starts a sentence (a name or not).
    initial_weight: float = 1.0
    # Weight of py3langid's evidence next to langdetect's (0: langdetect alone).
    langid_weight: float = LANGID_WEIGHT
    # Longest run of capitalised words inside a sentence that is taken as a name and attached
    # to the neighbouring language (0: never).
    name_run: int = 2


DEFAULT_SETTINGS = SegmenterSettings()


@dataclass
class _Word:
    start: int
    end: int
    boundary: int  # what separates it from the previous word
    evidence: tuple[float, float, float]
    is_content: bool  # starts with a small letter: not a name, acronym, number or URL


def split_paragraphs(text: str) -> list[Block]:
    """Blank-line separated paragraphs; single line breaks stay inside a paragraph."""
    blocks, start = [], 0
    for match in _BLANK_LINE.finditer(text):
        _append_block(blocks, text, start, match.start())
        start = match.end()
    _append_block(blocks, text, start, len(text))
    return blocks


# Longest span handed on: a "sentence" without punctuation (a 1 MB line) is cut into spans of at most
# this many characters, preferably after a clause, else between words; the translator then fits each
# piece to the model. Cutting here keeps that fitting cheap (it tokenises candidate pieces), and
# `detect` shows the spans `batch` translates.
MAX_SPAN_CHARACTERS = 1000
_CLAUSE_END = re.compile(r"[,;:](?=\s)")


def segment_document(
    text: str, blocks: Sequence[Block] | None = None, settings: SegmenterSettings = DEFAULT_SETTINGS
) -> list[Segment]:
    """Language segments of ``text``; ``blocks`` default to its paragraphs. A block whose
    ``language`` is given (a catalogue that declares its source language) is not detected:
    its sentences are in that language, or ``und`` when they have no letters."""
    if blocks is None:
        blocks = split_paragraphs(text)
    # sentences[i] = (paragraph, start, end, index of its first word, number of words)
    sentences: list[tuple[int, int, int, int, int]] = []
    words: list[_Word] = []
    declared: list[Segment] = []
    for paragraph, block in enumerate(blocks):
        if block.language is not None:
            for start, end in split_sentences(text, block.start, block.end):
                lang = block.language if _PARTS.search(text, start, end) else UNDETERMINED
                declared.append(Segment(paragraph, start, end, lang, text[start:end]))
            continue
        block_first = len(words)
        for start, end in split_sentences(text, block.start, block.end):
            first = len(words)
            for position, token in enumerate(_tokens(text, start, end)):
                if len(words) == block_first:
                    boundary = PARAGRAPH
                elif position:
                    boundary = _boundary_inside(text, words[-1].end, token[0])
                else:
                    boundary = LINE if _has_line_break(text[words[-1].end : token[0]]) else SENTENCE
                token_text = text[token[0] : token[1]]
                evidence = _evidence(token_text, position == 0, settings)
                words.append(_Word(token[0], token[1], boundary, evidence, _is_content(token_text)))
            sentences.append((paragraph, start, end, first, len(words) - first))
    labels = _decode(words, settings)
    segments: list[Segment] = []
    for paragraph, start, end, first, count in sentences:
        sentence = _sentence_segments(
            text, paragraph, start, end, words[first : first + count], labels[first : first + count], settings
        )
        segments.extend(sentence)
    if declared:
        segments = sorted(segments + declared, key=lambda seg: seg.start)
    return bound_span_lengths(segments)


def bound_span_lengths(segments: list[Segment], limit: int = MAX_SPAN_CHARACTERS) -> list[Segment]:
    """``segments`` with every span longer than ``limit`` characters cut into shorter ones.

    The pieces keep the span's paragraph and language, and the JSON contract: offsets into
    the input, ``text == input[start:end]``, every non-whitespace character in exactly one span.
    """
    bounded: list[Segment] = []
    for seg in segments:
        if seg.end - seg.start <= limit:
            bounded.append(seg)
            continue
        text, start = seg.text, 0
        while start < len(text):
            end = len(text)
            if end - start > limit:
                window = text[start : start + limit]
                clause = max((m.end() for m in _CLAUSE_END.finditer(window, limit // 2)), default=0)
                space = max(window.rfind(" "), window.rfind("\n"), window.rfind("\r"), window.rfind("\t"))
                end = start + (clause or (space if space > 0 else limit))
            piece = text[start:end].rstrip()
            if piece:
                bounded.append(Segment(seg.paragraph, seg.start + start, seg.start + start + len(piece), seg.lang, piece))
            start = end
            while start < len(text) and text[start].isspace():
                start += 1
    return bounded


def _tokens(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Words of a sentence: white-space separated tokens with at least one letter or digit,
    trimmed of the punctuation around them."""
    tokens = []
    for match in _TOKEN.finditer(text, start, end):
        token_start, token_end = match.span()
        while token_start < token_end and not text[token_start].isalnum():
            token_start += 1
        while token_end > token_start and not text[token_end - 1].isalnum():
            token_end -= 1
        if token_start < token_end:
            tokens.append((token_start, token_end))
    return tokens


def _has_line_break(gap: str) -> bool:
    return "\n" in gap or "\r" in gap


def _boundary_inside(text: str, previous_end: int, start: int) -> int:
    gap = text[previous_end:start]
    if _has_line_break(gap):
        return LINE
    return CLAUSE if any(ch in _CLAUSE_MARKS for ch in gap) else WORD


@lru_cache(maxsize=65536)
def _evidence(token: str, starts_sentence: bool, settings: SegmenterSettings) -> tuple[float, float, float]:
    """Relative log-likelihoods (best language at 0) of one token: per part scaled, capped, weighted."""
    if _NO_EVIDENCE.search(token):
        return (0.0, 0.0, 0.0)
    total = [0.0, 0.0, 0.0]
    for index, part in enumerate(_PARTS.findall(token)):
        if not part[0].isupper():
            weight = 1.0
        elif any(ch.isupper() for ch in part[1:]):
            weight = settings.name_weight
        elif starts_sentence and index == 0:
            weight = settings.initial_weight
        else:
            weight = settings.name_weight
        scores = word_scores(part, settings.langid_weight)
        best = max(scores)
        for i, score in enumerate(scores):
            total[i] += weight * max(-settings.word_cap, settings.evidence_scale * (score - best))
    best = max(total)
    return (total[0] - best, total[1] - best, total[2] - best)


def _is_content(token: str) -> bool:
    """An ordinary word: starts with a small letter (a capitalised one may be a name), no digits."""
    if _NO_EVIDENCE.search(token):
        return False
    return any(part[0].islower() for part in _PARTS.findall(token))


def _decode(words: Sequence[_Word], settings: SegmenterSettings) -> list[int]:
    """Most likely language index of each word (Viterbi over the three languages)."""
    if not words:
        return []
    states = range(len(LANGUAGES))
    costs = [-e for e in words[0].evidence]
    back: list[tuple[int, ...]] = []
    for word in words[1:]:
        switch = settings.switch_costs[word.boundary]
        best_state = min(states, key=costs.__getitem__)
        best_cost = costs[best_state]
        step_back, new_costs = [], []
        for state in states:
            stay = costs[state]
            if best_cost + switch < stay:
                step_back.append(best_state)
                cost = best_cost + switch
            else:
                step_back.append(state)
                cost = stay
            new_costs.append(cost - word.evidence[state])
        back.append(tuple(step_back))
        costs = new_costs
    state = min(states, key=costs.__getitem__)
    labels = [state]
    for step_back in reversed(back):
        state = step_back[state]
        labels.append(state)
    labels.reverse()
    return labels


def _sentence_segments(
    text: str,
    paragraph: int,
    start: int,
    end: int,
    words: Sequence[_Word],
    labels: Sequence[int],
    settings: SegmenterSettings,
) -> list[Segment]:
    if not any(any(w.evidence) for w in words):
        # No letters, or only URLs, e-mail addresses and numbers: nothing to translate.
        return [Segment(paragraph, start, end, UNDETERMINED, text[start:end])]
    labels = _attach_names(words, labels, settings.name_run)
    segments = []
    piece_start = start
    for index in range(1, len(words)):
        if labels[index] != labels[index - 1]:
            cut = _cut_between(text, words[index - 1].end, words[index].start)
            segments.append(_segment(text, paragraph, piece_start, cut, labels[index - 1]))
            piece_start = cut
    segments.append(_segment(text, paragraph, piece_start, end, labels[-1]))
    return segments


def _attach_names(words: Sequence[_Word], labels: Sequence[int], longest: int) -> list[int]:
    """A run of a sentence with only capitalised words or numbers (names, mostly) takes the
    language of the next run with ordinary words, or else of the previous one."""
    runs: list[list[int]] = []  # [first, end, label]
    for index, label in enumerate(labels):
        if runs and runs[-1][2] == label:
            runs[-1][1] = index + 1
        else:
            runs.append([index, index + 1, label])
    if len(runs) == 1:
        return list(labels)
    content = [any(w.is_content for w in words[first:end]) for first, end, _ in runs]
    if not any(content):
        return list(labels)
    result = list(labels)
    for i, (first, end, _) in enumerate(runs):
        if content[i] or end - first > longest:
            continue
        after = next((runs[j][2] for j in range(i + 1, len(runs)) if content[j]), None)
        before = next((runs[j][2] for j in range(i - 1, -1, -1) if content[j]), None)
        result[first:end] = [after if after is not None else before] * (end - first)
    return result


def _cut_between(text: str, left: int, right: int) -> int:
    """Where to cut between two words: closing punctuation stays left, opening punctuation goes right."""
    cut = right
    while cut > left:
        ch = text[cut - 1]
        if ch.isspace() or ch in _OPENERS:
            cut -= 1
        elif ch in _OPENS_AFTER_SPACE and text[cut - 2].isspace():
            cut -= 1  # a straight quote or a dash opens when a space comes before it
        else:
            break
    return cut


def _segment(text: str, paragraph: int, start: int, end: int, label: int) -> Segment:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Segment(paragraph, start, end, LANGUAGES[label], text[start:end])


def _append_block(blocks: list[Block], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        blocks.append(Block(start, end))
