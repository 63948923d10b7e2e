"""Mixed French/Spanish/English documents with known gold spans, and letter-level accuracy.

``make_documents``: fr/es/en only. ``make_open_documents``: the same, quoting other languages
too (the 28 others of langid-dev: sentences, paragraphs, short lines, in-sentence switches).

Documents are built from the lines of ../shared/langid-dev/ (real web sentences, word
pairs and single words): paragraphs in one base language, with sentences, whole
paragraphs, short lines and in-sentence switches (after ``:`` ``;`` ``—`` ``–`` ``,``
quotes or brackets) in the other two. Lines are used as they are (some lack final
punctuation or carry broken accents), so sentence boundaries are not always marked.

Used by benchmarks/langid.py and by the accuracy floor in tests/test_segment.py.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

LANGUAGES = ("fr", "es", "en")
# The other languages of langid-dev, by ISO 639-1 code.
OTHER_LANGUAGES = tuple(
    "it pt ca ro de nl pl sv da tr ru uk zh ja ar el cs hu fi eu la eo af id vi ko hi he".split()
)
KINDS = ("sentences", "word-pairs", "single-words")
DEFAULT_ROOT = Path(__file__).resolve().parent.parent.parent / "shared" / "langid-dev"

# Separator before the switched part, and what closes it.
_SWITCHES = ((": ", ""), ("; ", ""), (" — ", ""), (" – ", ""), (", ", ""), (' "', '"'), (" « ", " »"), (" (", ")"))
_TRAILING_PUNCTUATION = re.compile(r"[\s.!?…:;,]+$")


@dataclass
class MixedDocument:
    text: str
    gold: list[tuple[int, int, str]]  # (start, end, lang) spans covering the letters


Pool = dict[str, dict[str, list[str]]]  # kind -> lang -> lines


def load_pool(root: Path = DEFAULT_ROOT, half: int | None = None, languages: Sequence[str] = LANGUAGES) -> Pool:
    """Lines of langid-dev; ``half`` 0 or 1 keeps only the even or odd lines (tune on one, report on the other)."""
    pool: Pool = {}
    for kind in KINDS:
        pool[kind] = {}
        for lang in languages:
            lines = [line.strip() for line in (root / kind / f"{lang}.txt").read_text("utf-8").splitlines()]
            lines = [line for line in lines if line]
            pool[kind][lang] = lines if half is None else lines[half::2]
    return pool


class _Builder:
    def __init__(self) -> None:
        self.parts: list[str] = []
        self.gold: list[tuple[int, int, str]] = []
        self.length = 0

    def add(self, text: str, lang: str | None = None) -> None:
        if lang is not None and text:
            self.gold.append((self.length, self.length + len(text), lang))
        self.parts.append(text)
        self.length += len(text)

    def document(self) -> MixedDocument:
        return MixedDocument("".join(self.parts), self.gold)


def make_documents(pool: Pool, count: int, seed: int = 0) -> list[MixedDocument]:
    """``count`` mixed documents drawn from ``pool`` with a fixed seed."""
    rng = random.Random(seed)
    return [_make_document(pool, rng) for _ in range(count)]


def _make_document(pool: Pool, rng: random.Random) -> MixedDocument:
    base = rng.choice(LANGUAGES)
    others = [lang for lang in LANGUAGES if lang != base]
    doc = _Builder()
    for index in range(rng.randint(4, 9)):
        if index:
            doc.add("\n\n")
        roll = rng.random()
        if roll < 0.5:
            _paragraph(doc, pool, rng, base, others)
        elif roll < 0.65:
            foreign = rng.choice(others)
            _paragraph(doc, pool, rng, foreign, [base])
        elif roll < 0.85:
            # A short line (heading, caption, menu item) in any language.
            lang = rng.choice(others) if rng.random() < 0.5 else base
            doc.add(_short_line(pool, rng, lang), lang)
        else:
            # A paragraph whose first line is a short line.
            lang = rng.choice(others) if rng.random() < 0.5 else base
            doc.add(_short_line(pool, rng, lang), lang)
            doc.add("\n")
            _paragraph(doc, pool, rng, base, others)
    return doc.document()


def make_open_documents(pool: Pool, count: int, seed: int = 0) -> list[MixedDocument]:
    """``count`` fr/es/en documents that also quote one to three other languages (``pool`` must hold
    them: ``load_pool(languages=LANGUAGES + OTHER_LANGUAGES)``), with a fixed seed."""
    rng = random.Random(seed)
    others = [lang for lang in pool["sentences"] if lang not in LANGUAGES]
    return [_make_open_document(pool, rng, others) for _ in range(count)]


def _make_open_document(pool: Pool, rng: random.Random, other_languages: Sequence[str]) -> MixedDocument:
    base = rng.choice(LANGUAGES)
    core = [lang for lang in LANGUAGES if lang != base]
    quoted = rng.sample(list(other_languages), rng.randint(1, 3))
    doc = _Builder()
    for index in range(rng.randint(4, 9)):
        if index:
            doc.add("\n\n")
        roll = rng.random()
        if roll < 0.45:
            # The base language, with sentences and switches in fr/es/en and in the quoted languages.
            _paragraph(doc, pool, rng, base, core + quoted)
        elif roll < 0.6:
            _paragraph(doc, pool, rng, rng.choice(quoted), [base])
        elif roll < 0.7:
            _paragraph(doc, pool, rng, rng.choice(core), [base])
        elif roll < 0.85:
            lang = rng.choice(quoted + core) if rng.random() < 0.5 else base
            doc.add(_short_line(pool, rng, lang, single_words=lang in LANGUAGES), lang)
        else:
            lang = rng.choice(quoted) if rng.random() < 0.5 else base
            doc.add(_short_line(pool, rng, lang, single_words=lang in LANGUAGES), lang)
            doc.add("\n")
            _paragraph(doc, pool, rng, base, core + quoted)
    return doc.document()


def _paragraph(doc: _Builder, pool: Pool, rng: random.Random, base: str, others: Sequence[str]) -> None:
    for index in range(rng.randint(1, 5)):
        if index:
            doc.add(" ")
        roll = rng.random()
        if roll < 0.2:
            lang = rng.choice(others)
            doc.add(rng.choice(pool["sentences"][lang]), lang)
        elif roll < 0.4:
            _switched_sentence(doc, pool, rng, base, rng.choice(others))
        else:
            doc.add(rng.choice(pool["sentences"][base]), base)


def _switched_sentence(doc: _Builder, pool: Pool, rng: random.Random, first: str, second: str) -> None:
    if rng.random() < 0.3:
        first, second = second, first
    head_words = rng.choice(pool["sentences"][first]).split()
    head = _TRAILING_PUNCTUATION.sub("", " ".join(head_words[: rng.randint(3, max(3, min(len(head_words), 16)))]))
    tail_words = rng.choice(pool["sentences"][second]).split()
    tail = " ".join(tail_words[-rng.randint(2, max(2, min(len(tail_words), 14))) :])
    opener, closer = rng.choice(_SWITCHES)
    doc.add(head, first)
    doc.add(opener)
    if closer:
        tail = _TRAILING_PUNCTUATION.sub("", tail)
        doc.add(tail, second)
        doc.add(closer + ".")
    else:
        doc.add(tail, second)


def _short_line(pool: Pool, rng: random.Random, lang: str, single_words: bool = True) -> str:
    """A word pair, a single word or the first 3-6 words of a sentence. A quoted language gets no
    single words: one word alone is not a quotation, and often a word of several languages."""
    roll = rng.random()
    if roll < 0.45:
        return rng.choice(pool["word-pairs"][lang])
    if roll < 0.6 and single_words:
        return rng.choice(pool["single-words"][lang])
    words = _TRAILING_PUNCTUATION.sub("", rng.choice(pool["sentences"][lang])).split()
    return " ".join(words[: rng.randint(3, 6)])


Spans = Iterable[tuple[int, int, str]]


def letter_labels(text: str, spans: Spans) -> list[tuple[int, str]]:
    """(offset, lang) of every letter of ``text``; letters outside ``spans`` get ``und``."""
    labels = ["und"] * len(text)
    for start, end, lang in spans:
        labels[start:end] = [lang] * (end - start)
    return [(i, labels[i]) for i, ch in enumerate(text) if ch.isalpha()]


def letter_confusion(documents: Sequence[MixedDocument], predict: Callable[[str], Spans]) -> dict[str, dict[str, int]]:
    """gold language -> predicted language -> letters."""
    confusion: dict[str, dict[str, int]] = {}
    for doc in documents:
        predicted = dict(letter_labels(doc.text, predict(doc.text)))
        for i, lang in letter_labels(doc.text, doc.gold):
            row = confusion.setdefault(lang, {})
            row[predicted[i]] = row.get(predicted[i], 0) + 1
    return confusion


def open_set_scores(confusion: dict[str, dict[str, int]]) -> dict[str, float]:
    """From ``letter_confusion``: ``core`` (fr/es/en letters right), ``flagged`` (other-language
    letters labelled neither fr, es nor en), ``named`` (other-language letters labelled with their
    own language)."""
    core_right = sum(confusion.get(lang, {}).get(lang, 0) for lang in LANGUAGES)
    core_total = sum(sum(confusion.get(lang, {}).values()) for lang in LANGUAGES)
    others = [lang for lang in confusion if lang not in LANGUAGES]
    other_total = sum(sum(confusion[lang].values()) for lang in others)
    flagged = sum(n for lang in others for label, n in confusion[lang].items() if label not in LANGUAGES)
    named = sum(confusion[lang].get(lang, 0) for lang in others)
    return {
        "core": core_right / core_total if core_total else 1.0,
        "flagged": flagged / other_total if other_total else 1.0,
        "named": named / other_total if other_total else 1.0,
    }


def letter_accuracy(documents: Sequence[MixedDocument], predict: Callable[[str], Spans]) -> float:
    """Share of letters whose predicted language equals the gold one."""
    right = total = 0
    for doc in documents:
        gold = letter_labels(doc.text, doc.gold)
        predicted = dict(letter_labels(doc.text, predict(doc.text)))
        total += len(gold)
        right += sum(predicted[i] == lang for i, lang in gold)
    return right / total if total else 1.0
