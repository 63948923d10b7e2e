"""Align stage: word alignment between a span and its translation, from the model's attention.

The engine gives, for one translation, the source and target subword pieces and the
decoder's cross-attention (one row per target piece, one column per source piece; see
``engines.base.Hypothesis``). This module turns that into word pairs as character offsets:
``[[src_start, src_end, tgt_start, tgt_end], ...]`` into the segment's ``text`` and
``translation``.

1. Words are found in the *texts* (runs of letters and digits, with inner hyphens and
   apostrophes; a French elision such as ``l’`` or ``qu’`` is a word of its own).
   Punctuation is not a word and is never aligned.
2. Each piece is located in its text by matching characters, not by trusting the pieces
   to spell the text: SentencePiece normalises (NFKC: ``…`` -> ``...``, ``ﬁ`` -> ``fi``, no-break
   space -> space), marks word starts with ``▁`` rather than keeping the spacing, and a span
   split for the model's length limit is translated in parts joined with single spaces. Both
   sides are compared as NFKC-normalised, case-folded characters without whitespace; where
   they still differ (``<unk>``, an unusual normalisation) ``difflib`` finds the common parts,
   and a piece matching nothing is left out.
3. Word-to-word weight: for a target word and a source word, the attention of the target
   word's pieces (averaged) on the source word's pieces (summed). Each target word is
   aligned to the source word it attends to most (the usual hard alignment from attention).
   Source words that no target word attends to most stay unaligned.
"""

from __future__ import annotations

import difflib
import re
from bisect import bisect_left, bisect_right
import unicodedata
from collections.abc import Sequence
from dataclasses import replace

from translate.engines.base import Hypothesis

# Letters, digits and combining marks (decomposed accents), with inner hyphens/apostrophes
# (aujourd'hui, peut-être, don't); numbers keep their inner separators (2,5 / 10.000 / 14:30).
_WORD = re.compile(r"\d+(?:[.,:]\d+)+|[\w\u0300-\u036f]+(?:[-‐'’][\w\u0300-\u036f]+)*")
_ELISION = re.compile(r"(?i)(?:[cdjlmnst]|qu|jusqu|lorsqu|puisqu|quoiqu)['’](?=\w)")
_WORD_START = "▁"  # SentencePiece's mark of a word start (U+2581)

CharRange = tuple[int, int]


def find_words(text: str) -> list[CharRange]:
    """Character spans of the words of ``text``, in order."""
    words = []
    for match in _WORD.finditer(text):
        start, end = match.span()
        elision = _ELISION.match(text, start, end)
        if elision:
            words.append((start, elision.end()))
            start = elision.end()
        words.append((start, end))
    return words


def locate_pieces(text: str, pieces: Sequence[str]) -> list[CharRange | None]:
    """The character span of each subword piece in ``text`` (None for a piece found nowhere)."""
    text_chars = [(char, index) for index, ch in enumerate(text) for char in _comparable(ch)]
    piece_chars = [(char, number) for number, piece in enumerate(pieces) for ch in piece for char in _comparable(ch)]
    a = "".join(char for char, _ in piece_chars)
    b = "".join(char for char, _ in text_chars)
    if a == b:
        pairs = zip(range(len(a)), range(len(b)))
    else:
        matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
        pairs = ((i + k, j + k) for i, j, size in matcher.get_matching_blocks() for k in range(size))
    spans: list[CharRange | None] = [None] * len(pieces)
    for i, j in pairs:
        number, index = piece_chars[i][1], text_chars[j][1]
        span = spans[number]
        spans[number] = (index, index + 1) if span is None else (min(span[0], index), max(span[1], index + 1))
    return spans


def word_alignment(
    source_text: str,
    target_text: str,
    source_pieces: Sequence[str],
    target_pieces: Sequence[str],
    attention: Sequence[Sequence[float]],
) -> list[list[int]]:
    """``[[src_start, src_end, tgt_start, tgt_end], ...]``: each target word with the source word it attends to most."""
    if len(attention) != len(target_pieces) or any(len(row) != len(source_pieces) for row in attention):
        raise ValueError(
            f"attention is {len(attention)}x{len(attention[0]) if attention else 0},"
            f" expected {len(target_pieces)}x{len(source_pieces)} (target pieces x source pieces)"
        )
    source_words = find_words(source_text)
    target_words = find_words(target_text)
    source_of_piece = _words_of_pieces(locate_pieces(source_text, source_pieces), source_words)
    target_of_piece = _words_of_pieces(locate_pieces(target_text, target_pieces), target_words)

    pieces_of_target_word: dict[int, list[int]] = {}
    for piece, words in enumerate(target_of_piece):
        for word in words:
            pieces_of_target_word.setdefault(word, []).append(piece)

    alignment = []
    for target_word, pieces in sorted(pieces_of_target_word.items()):
        weight = [0.0] * len(source_words)
        for piece in pieces:
            row = attention[piece]
            total = sum(row)
            if total <= 0:
                continue
            for source_piece, value in enumerate(row):
                for source_word in source_of_piece[source_piece]:
                    weight[source_word] += value / total
        if not weight:
            continue
        best = max(range(len(weight)), key=lambda word: (weight[word], -word))  # ties: the first word
        if weight[best] > 0:
            alignment.append([*source_words[best], *target_words[target_word]])
    return alignment


def align_hypothesis(source_text: str, hypothesis: Hypothesis) -> list[list[int]] | None:
    """Word alignment of one translated span, or None when the engine gave no attention."""
    if hypothesis.attention is None or hypothesis.source_pieces is None or hypothesis.target_pieces is None:
        return None
    return word_alignment(
        source_text, hypothesis.text, hypothesis.source_pieces, hypothesis.target_pieces, hypothesis.attention
    )


def with_alignment(model_text: str, hypothesis: Hypothesis) -> Hypothesis:
    """``hypothesis`` with its word alignment over ``model_text`` (the text the model was given) and
    its translation, without the pieces and attention it came from: what the translation memory
    keeps (a few hundred bytes, where the attention took hundreds of kilobytes). A copy: the
    translator may share one hypothesis between texts."""
    alignment = hypothesis.alignment
    if alignment is None:
        alignment = align_hypothesis(model_text, hypothesis)
    return replace(hypothesis, source_pieces=None, target_pieces=None, attention=None, alignment=alignment)


def transfer_alignment(alignment: list[list[int]] | None, model_text: str, text: str) -> list[list[int]] | None:
    """``alignment`` over ``model_text`` with its source offsets moved onto ``text``, the span as
    written (they differ where a format resolves references: ``caf&eacute;`` -> ``café``). A word
    whose characters were rewritten takes the whole rewritten stretch of ``text``."""
    if alignment is None or model_text == text:
        return alignment
    blocks = difflib.SequenceMatcher(None, model_text, text, autojunk=False).get_opcodes()
    starts = [i1 for _, i1, _, _, _ in blocks]

    def moved(position: int, is_end: bool) -> int:
        # A start lies in the last block starting at or before it; an end in the last block starting before it.
        index = max(0, (bisect_left(starts, position) if is_end else bisect_right(starts, position)) - 1)
        tag, i1, i2, j1, j2 = blocks[index]
        if tag == "equal":
            return j1 + min(position - i1, j2 - j1)
        return j2 if is_end else j1

    return [[moved(s, False), moved(e, True), t_start, t_end] for s, e, t_start, t_end in alignment]


def _comparable(ch: str) -> str:
    """``ch`` as compared between pieces and text: NFKC, case-folded, without spaces or the word-start mark."""
    if ch == _WORD_START:
        return ""
    return "".join(c for c in unicodedata.normalize("NFKC", ch).casefold() if not c.isspace())


def _words_of_pieces(piece_spans: Sequence[CharRange | None], words: Sequence[CharRange]) -> list[list[int]]:
    """For each piece, the indices of the words it overlaps (usually one; none for punctuation)."""
    starts = [start for start, _ in words]
    result = []
    for span in piece_spans:
        found = []
        if span is not None:
            # The first word that could overlap: the last one starting at or before the piece.
            first = max(0, bisect_right(starts, span[0]) - 1)
            for number in range(first, len(words)):
                start, end = words[number]
                if start >= span[1]:
                    break
                if end > span[0]:
                    found.append(number)
        result.append(found)
    return result

