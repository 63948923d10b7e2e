"""Span stage: decoded text -> language spans, in fr, es, en or any other language.

Each word of the document gets language evidence from ``translate.langid`` (per-word
log-likelihoods in every language py3langid knows; names, acronyms, numbers and URLs
carry little or none). A Viterbi pass over all words of the document then picks one
language per word, paying a cost each time the language changes. The cost depends on
what separates the two words: small at a paragraph or line break, larger between
sentences, larger again inside a sentence after ``:`` ``;`` ``—`` ``–`` ``,`` quotes or
brackets, and highest between two plain words. So a short or ambiguous piece follows its
neighbours, while a piece with strong evidence ("Recent Posts" in a French page, "gagner
du temps." after a Spanish clause) keeps its own language. Inside a sentence, a run of
one or two capitalised words that came out in another language (a name: "Altman, quant à
lui...") takes the language of its neighbours.

Open set: a language other than fr/es/en costs ``other_cost`` per word, so it must be
earned by several words or strong ones. To keep the Viterbi small, the states are fr, es,
en and the languages that win at least one clause of the document on their own (a clause:
the words between two punctuation marks or line breaks); a document in fr/es/en only is
decoded over three states, as before. A word in a language py3langid does not know gets
the closest one it knows; text without letters is ``und``.

Frequent short words of fr/es/en (translate.lexicon) get evidence of their own; identifiers
(``Africa/Abidjan``, ``Buenos_Aires``, ``os.path``) get none. After the Viterbi,
translate.word_labels applies the rules of context: one-word insertions, short runs of another
language only on strong evidence, and the document's language (``language``: declared by the
file, or that of most of its text) for short, ambiguous sentences.

Figures: docs/segmentation-accuracy.md (benchmarks/langid.py on generated mixes,
benchmarks/langid_cs.py on real Spanish–English code-switching).

Spans are sentences, cut further where the language changes inside a sentence. Every
non-whitespace character of a block is in exactly one span, in order, with offsets
into the full text. A sentence without words (numbers, URLs, punctuation) is ``und``.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Sequence
from functools import lru_cache

from translate.document import LANGUAGES, UNDETERMINED, Block, Span
from translate.langid import combined_scores, langdetect_languages, open_languages, part_scores
from translate.segmenter_settings import DEFAULT_SETTINGS, SegmenterSettings
from translate.sentences import split_sentences
from translate.word_labels import CLAUSE, LINE, PARAGRAPH, SENTENCE, WORD, attach_names, label_words

__all__ = ["split_paragraphs", "split_sentences", "segment_document", "segment_source", "SegmenterSettings",
           "SEGMENTER_VERSION"]

# The version of the language decision, recorded in every document's JSON: bumped whenever the same text may get other
# spans or languages (other weights, rules or lexicon), so that a resumed run redoes the outputs an older segmenter
# wrote (translate.stages.outputs_up_to_date). 2: word-level switches, the lexicon and the document's language (issue
# 26). 3: English backchannels ("mmhm", "um") and more lexicon words, no insertion of "un", insertions at a sentence's
# start, no fr/es/en of a mixing document without a run of it (issue 26, second pass). 4: a run of one or two words in
# the third of fr/es/en inside a sentence that switches between the two others goes to those two (issue 26, third
# pass). 5 (issue 26, fourth pass): a switch inside a sentence moves to where the words' own evidence puts it, within
# two words, and a sentence's last one or two words in the third of fr/es/en go to the language before them; TeX is
# markup; exotic labels only with real evidence (name particles, repeated lines, runs inside a sentence of fr/es/en:
# inner_run, inner_margin; whole sentences taken back get their own evidence's language). 6 (fifth pass): handles and
# names like "iPad" carry no language; one-word and names-only runs of another language take their context's.
# 7 (sixth pass): how often words are written in fr/es/en (wordfreq) is evidence; soft hyphens are not in words; code
# and translate="no" text is no evidence; a short run of another language must beat every one of fr/es/en.
# 8 (seventh pass): ...and fr/es/en switching among themselves ("ya sabes wanna" is not Hausa); laughter
# ("hahaha", "jajajaja") is a sound of speech, its n-grams no evidence of a language. 9 (eighth pass): a Spanish
# verb with pronouns written onto it ("espérate", "dámelo") is a Spanish word, not French. 10 (ninth pass): a
# word whose accented letter was lost ("tambin") has the frequencies of the word with it put back; a word French
# and Spanish both write is no insertion between them; a one-word insertion does not make a sentence's ending in
# an established language a third one, and a third-language word before a comma goes to its sentence; decomposed
# accents (NFD) read as the composed ones.
SEGMENTER_VERSION = 10


def _mark_ranges() -> str:
    """Combining marks (Unicode category M) as a regex class body: vowel signs of Indic scripts,
    Arabic and Hebrew points, combining accents. They are part of words though not letters."""
    ranges, first, last = [], None, None
    for code in range(0x300, 0x10000):
        if unicodedata.category(chr(code))[0] == "M":
            if first is not None and code == last + 1:
                last = code
                continue
            if first is not None:
                ranges.append((first, last))
            first = last = code
    if first is not None:
        ranges.append((first, last))
    return "".join(chr(a) if a == b else f"{chr(a)}-{chr(b)}" for a, b in ranges)


_MARKS = _mark_ranges()
# A line break is \r\n, \n or a lone \r (old Mac files); \r(?!\n) keeps \r\n one break, not two.
_BREAK = r"(?:\r\n|\r(?!\n)|\n)"
_BLANK_LINE = re.compile(_BREAK + r"[ \t\f\v]*" + _BREAK + r"\s*")
# A word: white-space separated, trimmed of the punctuation around it (starts with a letter or
# digit, ends with one or with a combining mark).
_WORD = re.compile(rf"[^\W_](?:\S*(?:[^\W_]|[{_MARKS}]))?")
# Letter runs of a word (with their combining marks): what gets language evidence.
_PARTS = re.compile(rf"[^\W\d_](?:[^\W\d_]|[{_MARKS}])*")
_NO_EVIDENCE = re.compile(r"://|@|^www\.", re.IGNORECASE)
# An identifier: letters joined by _ or ., or by / with a capital after it (Africa/Abidjan,
# Buenos_Aires, os.path, en_US); "and/or" and "él/ella" stay words.
# A backslash before a letter inside a word is TeX or a Windows path (_{i}-\mathbf, C:\Users): one too.
_IDENTIFIER = re.compile(r"[^\W\d_][_.][^\W\d_]|/[^\W\d_]*[A-Z]|_|\\[^\W\d_]")
# A word right after one of these has no evidence of a language: a TeX command or argument (\mathbf {y}
# _{i}), or a handle (@elonmusk: _WORD leaves the @ out, so _NO_EVIDENCE does not see it). Not after _
# (plain-text _emphasis_); x_i is an identifier anyway.
_NO_EVIDENCE_BEFORE = frozenset("\\{@")
_NO_PARTS: tuple[tuple[str, ...], tuple[int, ...], bool] = ((), (), False)
# A character reference in HTML source text (&eacute; &amp; &#233;): no evidence of a language.
_CHARACTER_REFERENCE = re.compile(r"&(?:#\d+|#x[0-9a-f]+|[a-z][a-z0-9]*)(?:;|$)", re.IGNORECASE)
_DIGIT = re.compile(r"\d")
# Scripts written without spaces between words (CJK and after): a "word" there may be a whole
# sentence with numbers in it, and its letters still count.
_UNSPACED = "\u2e80"
# Punctuation after which a sentence may switch language.
_CLAUSE_MARKS = frozenset(":;,—–-\"'«»“”‘’„()[]/")
_OPENERS = "«“‘„([¿¡"
_OPENS_AFTER_SPACE = "\"'—–-"

# Part kinds: an ordinary (lower-case) part, a name-like one, a capitalised sentence start, and
# a single small letter (the d of d'OpenAI), ordinary but no evidence for another language.
_PLAIN, _NAME, _INITIAL, _LETTER = range(4)
# Clauses handled in one numpy step when looking for the document's languages (bounds memory).
_CANDIDATE_SLICE = 2048


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


class _Words:
    """The words of a document, as parallel lists (one entry per word)."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.boundaries: list[int] = []  # what separates each word from the previous one
        self.content: list[bool] = []  # starts with a small letter: not a name, acronym, number or URL
        # Letter parts of all words, in order: lower-cased text, kind, and the word they belong to.
        self.parts: list[str] = []
        self.kinds: list[int] = []
        self.owners: list[int] = []


def segment_document(
    text: str,
    blocks: Sequence[Block] | None = None,
    settings: SegmenterSettings = DEFAULT_SETTINGS,
    language: str | None = None,
    verbatim: Sequence[tuple[int, int]] = (),
) -> list[Span]:
    """Language segments of ``text``; ``blocks`` default to its paragraphs. A block whose
    ``language`` is given (a catalogue that declares its source language) is not detected:
    its sentences are in that language, or ``und`` when they have no letters.

    ``language``: the document's declared language (``<html lang>``, ``w:lang``...), any ISO
    639-1 code: evidence for its short and ambiguous sentences when the text does not
    contradict it (a French page declared ``en`` is French).

    ``verbatim``: sorted (start, end) ranges of text kept as written (code, ``translate="no"``): their
    words are no evidence of a language and follow their sentence ("Lancez ``pip install`` puis..." is
    one French sentence)."""
    if blocks is None:
        blocks = split_paragraphs(text)
    # Declared blocks are not detected: each of their sentences takes the declared language. They
    # stay in the list as empty blocks, so every other block keeps its index (its paragraph).
    declared: list[Span] = []
    for paragraph, block in enumerate(blocks):
        if block.language is not None:
            for start, end in split_sentences(text, block.start, block.end):
                lang = block.language if _PARTS.search(text, start, end) else UNDETERMINED
                declared.append(Span(paragraph, start, end, lang, text[start:end]))
    if declared:
        blocks = [Block(block.start, block.start) if block.language is not None else block for block in blocks]
    words, sentences = _read_words(text, blocks, verbatim)
    starts, ends = words.starts, words.ends
    evidence, languages, has_evidence, decode_blocks = _evidence(words, settings, language)
    labels = label_words(text, words, sentences, evidence, languages, has_evidence, decode_blocks, settings, language)
    segments: list[Span] = []
    for paragraph, start, end, first, after in sentences:
        if not any(has_evidence[first:after]):
            # No letters, or only URLs, e-mail addresses and numbers: nothing to translate.
            segments.append(Span(paragraph, start, end, UNDETERMINED, text[start:end]))
            continue
        sentence_labels = attach_names(words.content[first:after], labels[first:after], settings.name_run)
        piece_start = start
        for index in range(first + 1, after):
            label = sentence_labels[index - first]
            if label != sentence_labels[index - first - 1]:
                cut = _cut_between(text, ends[index - 1], starts[index])
                segments.append(_segment(text, paragraph, piece_start, cut, languages[sentence_labels[index - first - 1]]))
                piece_start = cut
        segments.append(_segment(text, paragraph, piece_start, end, languages[sentence_labels[-1]]))
    if declared:
        segments = sorted(segments + declared, key=lambda seg: seg.start)
    return bound_span_lengths(segments)


def segment_source(document) -> list[Span]:
    """Language segments of a read document: of its plain text when the format has one (HTML,
    Markdown: whole sentences across inline markup, offsets mapped back to the source), else of
    its blocks; the document's declared ``language`` is evidence."""
    language = getattr(document, "language", None)
    plain = getattr(document, "plain", None)  # a translate.markup.PlainText
    if plain is None:
        return segment_document(document.text, document.blocks, language=language)
    # ``text`` is the plain text of each span, ``start``/``end`` the source range from its first to its last character.
    segments = segment_document(plain.text, plain.blocks(), language=language, verbatim=plain.verbatim())
    for seg in segments:
        seg.start, seg.end = plain.source_range(seg.start, seg.end)
    return segments


_word_cache: dict[tuple[str, bool], tuple[tuple[str, ...], tuple[int, ...], bool]] = {}


def _read_words(text: str, blocks: Sequence[Block], verbatim: Sequence[tuple[int, int]] = ()
                ) -> tuple[_Words, list[tuple[int, int, int, int, int]]]:
    """The words of the blocks, and the sentences: (paragraph, start, end, index of the first
    word, index after the last word). One loop, as plain as possible: it runs once per word.
    Words inside a ``verbatim`` range have no parts (no evidence)."""
    verbatim_starts = [low for low, _ in verbatim]
    words = _Words()
    starts, ends, boundaries, content = words.starts, words.ends, words.boundaries, words.content
    parts, kinds, owners = words.parts, words.kinds, words.owners
    cache = _word_cache
    clause_marks = _CLAUSE_MARKS
    sentences = []
    for paragraph, block in enumerate(blocks):
        block_first = len(starts)
        for start, end in split_sentences(text, block.start, block.end):
            first = len(starts)
            previous_end = -1
            for match in _WORD.finditer(text, start, end):
                word_start, word_end = match.span()
                if text[word_start - 1 : word_start] == "&" and text.startswith(";", word_end):
                    continue  # a character reference in HTML source (&amp;): not a word
                if previous_end >= 0:
                    gap = text[previous_end:word_start]
                    if gap == " ":
                        boundary = WORD
                    elif "\n" in gap or "\r" in gap:
                        boundary = LINE
                    else:
                        boundary = WORD if clause_marks.isdisjoint(gap) else CLAUSE
                    key = (match.group(), False)
                else:
                    if first == block_first:
                        boundary = PARAGRAPH
                    else:
                        gap = text[ends[-1] : word_start]
                        boundary = LINE if "\n" in gap or "\r" in gap else SENTENCE
                    key = (match.group(), True)
                found = cache.get(key)
                if found is None:
                    if len(cache) > 200_000:
                        cache.clear()
                    found = cache[key] = _read_word(*key)
                if text[word_start - 1 : word_start] in _NO_EVIDENCE_BEFORE:
                    found = _NO_PARTS  # TeX (\mathbf, \sum, {y}) or a handle: no evidence of a language
                elif verbatim_starts and (inside := bisect_right(verbatim_starts, word_start) - 1) >= 0 \
                        and word_start < verbatim[inside][1]:
                    found = _NO_PARTS
                if found[0]:
                    parts.extend(found[0])
                    kinds.extend(found[1])
                    owners.extend([len(starts)] * len(found[0]))
                starts.append(word_start)
                ends.append(word_end)
                boundaries.append(boundary)
                content.append(found[2])
                previous_end = word_end
            sentences.append((paragraph, start, end, first, len(starts)))
    return words, sentences


def _read_word(token: str, starts_sentence: bool) -> tuple[tuple[str, ...], tuple[int, ...], bool]:
    """Letter parts of a word (lower-cased), their kinds, and whether it is an ordinary word.

    A URL or an e-mail address has no parts (no evidence), nor has a word with digits, except for
    its letters in scripts written without spaces (a Chinese sentence with a date). Kinds: a part
    with a capital inside (OpenAI, YouTube, NASA) or a capitalised part inside a sentence is a
    name; a capitalised first part of a sentence is an initial."""
    if _NO_EVIDENCE.search(token) or _IDENTIFIER.search(token):
        return _NO_PARTS
    if "&" in token:
        token = _CHARACTER_REFERENCE.sub("", token)
    if "\xad" in token:  # soft hyphens (where a line may break: "can\xaddi\xadda\xadture") are not in the word
        token = token.replace("\xad", "")
    if not token.isascii():
        # Decomposed accents (NFD: "e" + U+0301, as macOS file systems and some PDFs write them) are not
        # letters: "espérate" would read as "espe" and "rate", and miss every word list.
        token = unicodedata.normalize("NFC", token)
    found = _PARTS.findall(token)
    if _DIGIT.search(token):
        found = [part for part in found if part[0] >= _UNSPACED]
        if not found:
            return (), (), False
    parts, kinds = [], []
    for index, part in enumerate(found):
        if part[1:] != part[1:].lower():
            kind = _NAME  # a capital inside: a name or a brand (OpenAI, NASA, iPad, eBay)
        elif not part[0].isupper():
            kind = _LETTER if len(part) == 1 else _PLAIN
        elif starts_sentence and index == 0:
            kind = _INITIAL
        else:
            kind = _NAME
        parts.append(part.lower())
        kinds.append(kind)
    # Ordinary: a part with no capital (iPad is a name), or one of a script without capitals.
    content = _PLAIN in kinds or _LETTER in kinds
    return tuple(parts), tuple(kinds), content


def _evidence(words: _Words, settings: SegmenterSettings, declared: str | None = None):
    """Evidence of every word in the languages the document is decoded over.

    Returns (evidence, languages, has_evidence, blocks): ``evidence[i, k]`` (numpy) is the
    relative log-likelihood of word i in ``languages[k]`` (fr, es, en, then the other languages
    found in the document), scaled, capped and weighted per part, with the cost of the other
    languages taken off; ``blocks`` are (first word, end word, columns decoded there): each
    paragraph considers fr, es, en and the other languages found in that paragraph."""
    import numpy as np

    count = len(words.starts)
    if not words.parts:
        return np.zeros((count, 3)), LANGUAGES, [False] * count, [(0, count, [0, 1, 2])]
    unique = list(dict.fromkeys(words.parts))
    position = {part: index for index, part in enumerate(unique)}
    langdetect, langid = part_scores(unique)
    scores = combined_scores(langdetect, langid, settings.langid_weight)
    if not settings.open_set:
        scores = scores[:, :3]
    else:
        # Lower the other languages together (keeping their order) to at most other_cap above fr/es/en.
        ceiling = scores[:, :3].max(axis=1, keepdims=True) + settings.other_cap / settings.evidence_scale
        scores[:, 3:] -= np.maximum(0.0, scores[:, 3:].max(axis=1, keepdims=True) - ceiling)
    relative = np.maximum(-settings.word_cap, settings.evidence_scale * (scores - scores.max(axis=1, keepdims=True)))
    relative = relative.astype(np.float32)
    if settings.lexicon_bonus:
        from translate.lexicon import lexicon_evidence

        lexicon_evidence(relative, unique, settings.lexicon_bonus)
    weighed = None  # fr, es, en weighed by the words' frequencies (translate.lexicon)
    if settings.frequency_weight:
        from translate.lexicon import frequency_evidence

        weighed = frequency_evidence(relative[:, :3], unique, settings.frequency_weight, settings.frequency_floor,
                                     settings.frequency_ceiling)
    part_index = np.fromiter((position[p] for p in words.parts), dtype=np.intp, count=len(words.parts))
    kinds = np.asarray(words.kinds, dtype=np.intp)
    weights = np.array((1.0, settings.name_weight, settings.initial_weight, 1.0), dtype=np.float32)[kinds]
    names = kinds != _PLAIN  # capitalised (names, or the first word of a sentence), or one letter
    owners = np.asarray(words.owners, dtype=np.intp)
    # First part of each word that has parts.
    first_part = np.flatnonzero(np.r_[True, owners[1:] != owners[:-1]])
    boundaries = np.asarray(words.boundaries, dtype=np.intp)
    paragraph_starts = np.flatnonzero(boundaries == PARAGRAPH)
    found_words, found_columns = (np.zeros(0, dtype=np.intp),) * 2
    if settings.open_set:
        found_words, found_columns = _other_languages(relative, part_index, weights, names, owners, first_part, boundaries, settings)
    columns = [0, 1, 2, *np.unique(found_columns).tolist()]
    declared_column = _declared_column(declared) if settings.open_set else None
    if declared_column is not None and declared_column not in columns:
        # A short German menu item on a German page may win no clause of its own.
        columns = sorted([*columns, declared_column])
    gathered = relative[:, columns][part_index]
    if weighed is not None:  # names keep their n-grams' evidence only: a name's frequency says nothing of its sentence
        ordinary = kinds != _NAME
        gathered[ordinary, :3] = weighed[part_index[ordinary]]  # columns start with fr, es, en
    part_rows = _part_rows(gathered, weights, names, settings.name_other)
    evidence = np.zeros((count, len(columns)))
    evidence[owners[first_part]] = np.add.reduceat(part_rows, first_part, axis=0)
    evidence -= evidence.max(axis=1, keepdims=True)
    has_evidence = evidence.min(axis=1) < 0
    if len(columns) > 3:
        evidence[has_evidence, 3:] -= _other_costs(columns[3:], settings)
    # The states of each paragraph: fr, es, en and the languages found in it (positions in columns).
    extra: dict[int, set[int]] = {}
    paragraphs = np.searchsorted(paragraph_starts, found_words, side="right") - 1
    for paragraph, column in zip(paragraphs.tolist(), np.searchsorted(columns, found_columns).tolist()):
        extra.setdefault(paragraph, set()).add(column)
    blocks: list[tuple[int, int, list[int]]] = []
    ends = [*paragraph_starts.tolist()[1:], count]
    for paragraph, (first, end) in enumerate(zip(paragraph_starts.tolist(), ends)):
        states = [0, 1, 2, *sorted(extra.get(paragraph, ()))]
        if blocks and blocks[-1][2] == states:
            blocks[-1] = (blocks[-1][0], end, states)
        else:
            blocks.append((first, end, states))
    languages = open_languages()
    return evidence, tuple(languages[c] for c in columns), has_evidence.tolist(), blocks


def _declared_column(declared: str | None) -> int | None:
    """Column of ``open_languages()`` of a declared language tag (``de-DE`` -> de), or None."""
    primary = (declared or "").strip().replace("_", "-").split("-")[0].lower()
    languages = open_languages()
    return languages.index(primary) if primary in languages and languages.index(primary) >= 3 else None


def _part_rows(gathered, weights, names, allowance: float):
    """Evidence of each part occurrence: its row of evidence (``gathered``) times its weight. A name (a
    capitalised word inside a sentence, or one with capitals inside) may tell fr, es and en apart
    but is little evidence for another language: there it gets at most the best of fr/es/en
    plus ``allowance``."""
    import numpy as np

    rows = gathered * weights[:, None]
    if rows.shape[1] > 3 and names.any():
        named = rows[names]
        np.minimum(named[:, 3:], named[:, :3].max(axis=1, keepdims=True) + allowance, out=named[:, 3:])
        rows[names] = named
    return rows


def _other_languages(relative, part_index, weights, names, owners, first_part, boundaries, settings):
    """The languages other than fr/es/en that, with their cost, win a clause on its own (a
    clause: the words between two punctuation marks or line breaks), or one word by more than
    the cost of a switch between plain words (a sentence of a script without spaces after a
    French one, with no capital to start it). Returns (word indices, columns): where each was
    found (the clause's first word) and which. The Viterbi considers, in each paragraph, fr, es,
    en and the languages found in it."""
    import numpy as np

    word_boundaries = boundaries[owners[first_part]]
    # Indices into first_part of the words that start a clause.
    clause_starts = np.flatnonzero(word_boundaries != WORD)
    if clause_starts.size == 0 or clause_starts[0] != 0:
        clause_starts = np.r_[0, clause_starts]
    words_per_clause = np.diff(np.r_[clause_starts, first_part.size])
    costs = _other_costs(range(3, relative.shape[1]), settings)
    found_words, found_columns = [], []
    step = _CANDIDATE_SLICE
    for low in range(0, clause_starts.size, step):
        high = min(low + step, clause_starts.size)
        first_word = clause_starts[low]
        end_word = clause_starts[high] if high < clause_starts.size else first_part.size
        part_low = first_part[first_word]
        part_high = first_part[end_word] if end_word < first_part.size else part_index.size
        rows = _part_rows(
            relative[part_index[part_low:part_high]], weights[part_low:part_high], names[part_low:part_high], settings.name_other
        )
        word_sums = np.add.reduceat(rows, first_part[first_word:end_word] - part_low, axis=0)
        clause_sums = np.add.reduceat(word_sums, clause_starts[low:high] - first_word, axis=0)
        clause_sums[:, 3:] -= costs * words_per_clause[low:high, None]
        winners = clause_sums.argmax(axis=1)
        other = winners >= 3
        found_words.append(owners[first_part[clause_starts[low:high][other]]])
        found_columns.append(winners[other])
        # A word alone must win by more than a switch between two plain words.
        word_sums[:, 3:] -= costs + settings.switch_costs[WORD]
        winners = word_sums.argmax(axis=1)
        other = winners >= 3
        found_words.append(owners[first_part[first_word:end_word][other]])
        found_columns.append(winners[other])
    return np.concatenate(found_words), np.concatenate(found_columns)


def _other_costs(columns, settings: SegmenterSettings):
    """Cost per word of each of these columns of ``open_languages()`` (all other than fr/es/en)."""
    import numpy as np

    profiled = _profiled_columns()
    return np.array([settings.other_cost + (0.0 if c in profiled else settings.rare_cost) for c in columns])


@lru_cache(maxsize=1)
def _profiled_columns() -> frozenset[int]:
    return frozenset(i for i, lang in enumerate(open_languages()) if lang in langdetect_languages())


def bound_span_lengths(segments: list[Span], limit: int = MAX_SPAN_CHARACTERS) -> list[Span]:
    """``segments`` with every span longer than ``limit`` characters cut into shorter ones.

    The pieces keep the span's paragraph and language, and the JSON contract: offsets into
    the input, ``text == input[start:end]``, every non-whitespace character in exactly one span.
    """
    bounded: list[Span] = []
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
                bounded.append(Span(seg.paragraph, seg.start + start, seg.start + start + len(piece), seg.lang, piece))
            start = end
            while start < len(text) and text[start].isspace():
                start += 1
    return bounded

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

def _segment(text: str, paragraph: int, start: int, end: int, lang: str) -> Span:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(paragraph, start, end, lang, text[start:end])


def _append_block(blocks: list[Block], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        blocks.append(Block(start, end))
