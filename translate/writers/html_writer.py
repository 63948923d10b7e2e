"""Side-by-side HTML: one self-contained page per document, rendered with autoescaping Jinja2.

Every piece of input text reaches the page only through Jinja2's autoescaping, never marked
safe. Each cell's text is written whole; its aligned words are listed as offsets in a data
attribute, and the page's script wraps them in elements (by splitting text nodes, never by
parsing markup) only for the rows near the screen, so a page of thousands of rows stays fast. The page's own CSS and JavaScript are
inlined from ``templates/`` and allowed by hash in a Content-Security-Policy, so even an
escaping mistake could not run an injected script, and nothing is fetched from anywhere.
"""

from __future__ import annotations

import base64
import hashlib
import math
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path, PurePosixPath
from urllib.parse import quote

from translate.document import TRANSLATED_LANGUAGES

# Rows from which a page lays out only the cells near the screen (CSS content-visibility).
LONG_PAGE_ROWS = 300
LANGUAGE_NAMES = {"fr": "French", "es": "Spanish", "en": "English", "und": "No language"}


@lru_cache(maxsize=1)
def environment():
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    return Environment(
        loader=PackageLoader("translate", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=StrictUndefined,
    )


@lru_cache(maxsize=None)
def inline_asset(name: str) -> tuple[str, str]:
    """A template asset (CSS or JS) as the page will inline it, and its CSP source expression."""
    text = environment().get_template(name).render()
    digest = base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")
    return text, f"'sha256-{digest}'"


def content_security_policy(styles: list[str], scripts: list[str]) -> str:
    """Nothing may load; only the named inline assets run."""
    style_src = " ".join(inline_asset(name)[1] for name in styles) or "'none'"
    script_src = " ".join(inline_asset(name)[1] for name in scripts) or "'none'"
    return (
        f"default-src 'none'; style-src {style_src}; script-src {script_src}; "
        "img-src 'none'; base-uri 'none'; form-action 'none'"
    )


@dataclass(frozen=True)
class TextPiece:
    """A slice of a cell's text; an aligned word carries its id and the ids of its counterparts."""

    text: str
    word: str | None = None
    links: str = ""


@dataclass
class Row:
    index: int  # position in the JSON segments
    lang: str
    translated: bool
    source: str
    target: str
    score: float | None
    aligned_words: int = 0
    source_words: str = ""  # the words the page's script makes hoverable: see ``word_attribute``
    target_words: str = ""

    @property
    def probability(self) -> float | None:
        """Geometric mean of the token probabilities: exp(mean log-probability)."""
        return None if self.score is None else math.exp(self.score)


@dataclass
class Paragraph:
    rows: list[Row] = field(default_factory=list)

    @property
    def all_kept(self) -> bool:
        return not any(row.translated for row in self.rows)


def slice_words(text: str, words: dict[tuple[int, int], tuple[str, list[str]]]) -> list[TextPiece]:
    """Cut ``text`` into plain slices and word slices at the given word spans.

    ``words`` maps (start, end) to (word id, linked ids). Spans out of range or
    overlapping an earlier one are ignored rather than trusted.
    """
    pieces: list[TextPiece] = []
    cursor = 0
    for (start, end), (word, links) in sorted(words.items()):
        if not (cursor <= start < end <= len(text)):
            continue
        if start > cursor:
            pieces.append(TextPiece(text[cursor:start]))
        pieces.append(TextPiece(text[start:end], word, " ".join(links)))
        cursor = end
    if cursor < len(text) or not pieces:
        pieces.append(TextPiece(text[cursor:]))
    return pieces


def aligned_pieces(text: str, translation: str, alignment) -> tuple[list[TextPiece], list[TextPiece], int]:
    """Source and target slices with word ids (``s0``.., ``t0``..) linked by the alignment."""
    pairs = []
    for pair in alignment or ():
        if len(pair) == 4 and all(isinstance(value, int) for value in pair):
            pairs.append(tuple(pair))
    source_ids = {span: f"s{n}" for n, span in enumerate(sorted({(p[0], p[1]) for p in pairs}))}
    target_ids = {span: f"t{n}" for n, span in enumerate(sorted({(p[2], p[3]) for p in pairs}))}
    source_links: dict[tuple[int, int], list[str]] = {span: [] for span in source_ids}
    target_links: dict[tuple[int, int], list[str]] = {span: [] for span in target_ids}
    for s0, s1, t0, t1 in pairs:
        if target_ids[(t0, t1)] not in source_links[(s0, s1)]:
            source_links[(s0, s1)].append(target_ids[(t0, t1)])
        if source_ids[(s0, s1)] not in target_links[(t0, t1)]:
            target_links[(t0, t1)].append(source_ids[(s0, s1)])
    source = slice_words(text, {span: (source_ids[span], links) for span, links in source_links.items()})
    target = slice_words(translation, {span: (target_ids[span], links) for span, links in target_links.items()})
    return source, target, len(pairs)


def browser_offsets(text: str) -> list[int] | None:
    """Where each character of ``text`` starts as the page's script sees the cell's text: in UTF-16
    code units (a character beyond U+FFFF takes two), after the HTML parser has made ``\\r\\n`` one
    ``\\n``. None when every offset stays as it is (the usual case)."""
    if "\r" not in text and all(ord(ch) <= 0xFFFF for ch in text):
        return None
    offsets, position = [], 0
    for index, ch in enumerate(text):
        offsets.append(position)
        if not (ch == "\r" and text[index + 1 : index + 2] == "\n"):
            position += 2 if ord(ch) > 0xFFFF else 1
    offsets.append(position)
    return offsets


def word_attribute(pieces: list[TextPiece]) -> str:
    """The aligned words of a cell, for the page's script: ``N,START,END,L.L ...`` per word, where
    ``sN``/``tN`` is its id, START/END its offsets in the cell's text as the script sees it, and
    L the numbers of the words it is linked with on the other side.

    Words are turned into hoverable elements by the script when their row comes near the screen
    (or is hovered or focused): a page of thousands of rows holds no per-word elements until
    then, so it loads and restyles fast. The text itself is in the page, escaped, as written.
    """
    text = "".join(piece.text for piece in pieces)
    offsets = browser_offsets(text)
    entries, position = [], 0
    for piece in pieces:
        end = position + len(piece.text)
        if piece.word:
            start_unit, end_unit = (position, end) if offsets is None else (offsets[position], offsets[end])
            links = ".".join(link[1:] for link in piece.links.split())
            entries.append(f"{piece.word[1:]},{start_unit},{end_unit},{links}")
        position = end
    return " ".join(entries)


def document_rows(segments) -> list[Paragraph]:
    paragraphs: dict[int, Paragraph] = {}
    for index, seg in enumerate(segments):
        translation = seg.translation if seg.translation is not None else seg.text
        source, target, aligned = aligned_pieces(seg.text, translation, seg.alignment)
        row = Row(index, seg.lang, seg.lang in TRANSLATED_LANGUAGES, seg.text, translation, seg.score, aligned,
                  word_attribute(source), word_attribute(target))
        paragraphs.setdefault(seg.paragraph, Paragraph()).rows.append(row)
    return [paragraph for _, paragraph in sorted(paragraphs.items())]


def sibling_links(source: str) -> dict[str, str]:
    """Relative URLs, from a document's page, of its English text, its JSON and the run's index."""
    from translate.writers import output_paths

    paths = output_paths(Path("."), source)  # the page, its English text and its JSON share a folder
    return {
        "english": quote(paths["english"].name),
        "json": quote(paths["json"].name),
        "index": "../" * (len(PurePosixPath(source).parts) - 1) + "index.html",
    }


def render_document(translated) -> str:
    segments = translated.segments
    counts = {lang: sum(1 for seg in segments if seg.lang == lang) for lang in LANGUAGE_NAMES}
    styles, scripts = ["page.css", "document.css"], ["document.js"]
    return environment().get_template("document.html.j2").render(
        source=translated.document.source,
        paragraphs=document_rows(segments),
        segment_count=len(segments),
        counts=counts,
        translated_count=sum(counts[lang] for lang in TRANSLATED_LANGUAGES),
        aligned=any(seg.alignment for seg in segments),
        models=translated.models,
        links=sibling_links(translated.document.source),
        language_names=LANGUAGE_NAMES,
        csp=content_security_policy(styles, scripts),
        long_page_rows=LONG_PAGE_ROWS,
    )
