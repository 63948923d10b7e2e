"""Align a document with its existing translation: sentences, then groups with offsets and confidences.

1. Each side is cut into sentences within its blocks (paragraphs, cues, text nodes) by the
   project's splitter (``translate.sentences``), which knows no language in particular: any
   target language whose sentences end in ``.!?…`` works.
2. When both sides have several paragraphs, paragraphs are aligned first (a paragraph is the
   normalised sum of its sentence vectors); if that alignment *agrees* (no paragraph left
   unaligned, at least half of them one-to-one), sentences are aligned within each aligned
   paragraph group. Otherwise the whole document is aligned at once.
3. Each group gets a confidence in [0, 1] (cosine similarity, chrF, or the Gale-Church length
   probability); below ``LOW_CONFIDENCE[similarity]`` the outputs mark it for review.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from translate.document import SourceDocument
from translate.sentalign import dp
from translate.sentalign.scoring import EmbeddingScorer, LengthScorer, SliceScorer
from translate.sentences import split_sentences

SIMILARITIES = ("encoder", "mt", "length")
# Confidence under which a group is marked for review, per similarity (see the README's table).
LOW_CONFIDENCE = {"encoder": 0.4, "mt": 0.3, "length": 0.1}
# Paragraph alignment is trusted when at least this share of paragraph groups is one-to-one.
_PARAGRAPH_ONE_TO_ONE = 0.5


@dataclass(frozen=True)
class Sentence:
    start: int  # character offsets into the decoded document
    end: int
    paragraph: int  # index of its block
    text: str  # what is compared: the source slice, or for HTML/Markdown the plain text (no markup)


@dataclass(frozen=True)
class AlignedGroup:
    """Sentences ``[source[0], source[1])`` of the source with ``[target[0], target[1])`` of the target
    (a one-sided group has an empty range on the other side), and the group's confidence."""

    source: tuple[int, int]
    target: tuple[int, int]
    confidence: float

    @property
    def one_sided(self) -> bool:
        return self.source[0] == self.source[1] or self.target[0] == self.target[1]


@dataclass
class DocumentAlignment:
    source: SourceDocument
    target: SourceDocument
    source_sentences: list[Sentence]
    target_sentences: list[Sentence]
    groups: list[AlignedGroup]
    similarity: str
    paragraphs_first: bool  # whether paragraphs were aligned first

    def span(self, side: str, group: AlignedGroup) -> tuple[int, int] | None:
        """Character offsets of a group's contiguous run of sentences on ``side``, or None when empty."""
        first, last = getattr(group, side)
        if first == last:
            return None
        sentences = self.source_sentences if side == "source" else self.target_sentences
        return sentences[first].start, sentences[last - 1].end

    def text(self, side: str, group: AlignedGroup) -> str:
        """The group's sentences on ``side`` as text: the source slice, or for HTML and Markdown their
        plain text (markup removed, references decoded), joined by spaces."""
        first, last = getattr(group, side)
        document = self.source if side == "source" else self.target
        sentences = self.source_sentences if side == "source" else self.target_sentences
        if first == last:
            return ""
        if getattr(document, "plain", None) is None:
            return document.text[sentences[first].start : sentences[last - 1].end]
        return " ".join(sentence.text for sentence in sentences[first:last])

    @property
    def review_threshold(self) -> float:
        """The confidence under which a group is marked for review (``LOW_CONFIDENCE``)."""
        return LOW_CONFIDENCE[self.similarity]

    def is_low_confidence(self, group: AlignedGroup) -> bool:
        return not group.one_sided and group.confidence < self.review_threshold


def document_sentences(document: SourceDocument) -> list[Sentence]:
    """The document's sentences within its blocks; HTML and Markdown are split on their plain text
    (whole sentences across inline markup), with offsets mapped back to the source."""
    plain = getattr(document, "plain", None)
    if plain is None:
        return [Sentence(start, end, index, document.text[start:end])
                for index, block in enumerate(document.blocks)
                for start, end in split_sentences(document.text, block.start, block.end)]
    sentences = []
    for index, block in enumerate(plain.blocks()):
        for start, end in split_sentences(plain.text, block.start, block.end):
            source_start, source_end = plain.source_range(start, end)
            sentences.append(Sentence(source_start, source_end, index, plain.text[start:end]))
    return sentences


def align_documents(source: SourceDocument, target: SourceDocument, similarity: str = "encoder", *,
                    translate_sources: Callable[[list[str]], list[str]] | None = None) -> DocumentAlignment:
    """Align ``target`` (a translation of ``source``) sentence by sentence.

    ``translate_sources`` (for ``similarity="mt"``) turns source sentences into the target language.
    """
    src, tgt = document_sentences(source), document_sentences(target)
    src_texts = [sentence.text for sentence in src]
    tgt_texts = [sentence.text for sentence in tgt]
    if not src or not tgt:  # nothing to compare: every sentence is one-sided, no model needed
        groups = [AlignedGroup((i, i + 1), (0, 0), 0.0) for i in range(len(src))]
        groups += [AlignedGroup((len(src), len(src)), (j, j + 1), 0.0) for j in range(len(tgt))]
        return DocumentAlignment(source, target, src, tgt, groups, similarity, False)
    scorer = make_scorer(similarity, src_texts, tgt_texts, translate_sources=translate_sources)
    groups, by_paragraph = align_with_paragraphs(scorer, _paragraph_ranges(src), _paragraph_ranges(tgt))
    return DocumentAlignment(source, target, src, tgt, groups, similarity, by_paragraph)


def make_scorer(similarity: str, src_texts: list[str], tgt_texts: list[str], *,
                translate_sources: Callable[[list[str]], list[str]] | None = None):
    src_lengths, tgt_lengths = [len(t) for t in src_texts], [len(t) for t in tgt_texts]
    if similarity == "encoder":
        from translate.sentalign.encoder import run_vectors

        return EmbeddingScorer(run_vectors(src_texts), run_vectors(tgt_texts), src_lengths, tgt_lengths)
    if similarity == "length":
        return LengthScorer(src_lengths, tgt_lengths)
    if similarity == "mt":
        from translate.sentalign.mt import ChrfScorer

        if translate_sources is None:
            raise ValueError("similarity 'mt' needs translate_sources")
        return ChrfScorer(translate_sources(src_texts), tgt_texts, src_lengths, tgt_lengths)
    raise ValueError(f"unknown similarity {similarity!r}; choose one of {', '.join(SIMILARITIES)}")


def align_with_paragraphs(scorer, src_paragraphs: list[tuple[int, int]],
                          tgt_paragraphs: list[tuple[int, int]]) -> tuple[list[AlignedGroup], bool]:
    """Groups of the whole document; paragraphs first when both sides' paragraphs agree."""
    plan = _paragraph_plan(scorer, src_paragraphs, tgt_paragraphs)
    if plan is None:
        return _with_confidence(scorer, dp.align(scorer), 0, 0), False
    groups = []
    for (s0, s1), (t0, t1) in plan:
        part = SliceScorer(scorer, s0, s1, t0, t1)
        groups.extend(_with_confidence(scorer, dp.align(part, full_search_cells=_UNBOUNDED), s0, t0))
    return groups, True


_UNBOUNDED = 1 << 62


def _paragraph_plan(scorer, src_paragraphs, tgt_paragraphs):
    """Pairs of (source sentence range, target sentence range) to align separately, or None."""
    if len(src_paragraphs) < 2 or len(tgt_paragraphs) < 2 or not hasattr(scorer, "paragraphs"):
        return None
    coarse = scorer.paragraphs(src_paragraphs, tgt_paragraphs)
    path = dp.align(coarse)
    if any(g.src_start == g.src_end or g.tgt_start == g.tgt_end for g in path):
        return None
    one_to_one = sum(1 for g in path if g.src_end - g.src_start == 1 and g.tgt_end - g.tgt_start == 1)
    if one_to_one < _PARAGRAPH_ONE_TO_ONE * len(path):
        return None
    plan = []
    for g in path:
        s0, s1 = src_paragraphs[g.src_start][0], src_paragraphs[g.src_end - 1][1]
        t0, t1 = tgt_paragraphs[g.tgt_start][0], tgt_paragraphs[g.tgt_end - 1][1]
        if (s1 - s0 + 1) * (t1 - t0 + 1) > 4 * dp.FULL_SEARCH_CELLS:
            return None  # a huge paragraph pair: the whole-document search is linear, this one would not be
        plan.append(((s0, s1), (t0, t1)))
    return plan


def _paragraph_ranges(sentences: list[Sentence]) -> list[tuple[int, int]]:
    """Sentence index ranges of the paragraphs that have sentences, in order."""
    ranges: list[tuple[int, int]] = []
    for index, sentence in enumerate(sentences):
        if index and sentences[index - 1].paragraph == sentence.paragraph:
            ranges[-1] = (ranges[-1][0], index + 1)
        else:
            ranges.append((index, index + 1))
    return ranges


def _with_confidence(scorer, path: list[dp.Group], src_offset: int, tgt_offset: int) -> list[AlignedGroup]:
    groups = []
    for g in path:
        src = (g.src_start + src_offset, g.src_end + src_offset)
        tgt = (g.tgt_start + tgt_offset, g.tgt_end + tgt_offset)
        confidence = 0.0 if src[0] == src[1] or tgt[0] == tgt[1] else scorer.confidence(src, tgt)
        groups.append(AlignedGroup(src, tgt, round(float(np.clip(confidence, 0.0, 1.0)), 4)))
    return groups
