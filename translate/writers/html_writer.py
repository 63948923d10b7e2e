"""Side-by-side HTML: one self-contained page per document, rendered with autoescaping Jinja2.

Every piece of input text reaches the page escaped: through Jinja2's autoescaping, or, in a cell
with inline markup (HTML and Markdown inputs: the JSON ``markup``), through ``marked_text``,
which escapes each slice of text and writes only elements and attributes of its own choosing
(links only to http, https, mailto and relative URLs). Each cell's text is written whole; its
aligned words are listed as offsets in a data attribute, and the page's script wraps them in
elements (by splitting text nodes, never by parsing markup) only for the rows near the screen,
so a page of thousands of rows stays fast. The page's own CSS and JavaScript are inlined from
``templates/`` and allowed by hash in a Content-Security-Policy, so even an escaping mistake
could not run an injected script, and nothing is fetched from anywhere.
"""

from __future__ import annotations

import base64
import hashlib
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING
from urllib.parse import quote

from translate.document import KEPT_LANGUAGES

if TYPE_CHECKING:  # markupsafe is imported where pages are written (kept out of --help's imports)
    from markupsafe import Markup

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


# Inline elements of the JSON ``markup`` (HTML names; Markdown's inline HTML is ``html:NAME``) shown
# on the page, as the element the page writes. Others (span, font, time, ...) are not shown.
PAGE_ELEMENTS = {
    **{name: name for name in "em i strong b u s del ins sub sup mark small q cite abbr dfn code kbd samp var".split()},
    "strike": "s", "tt": "code", "big": "strong",
}
# Points shown as a marker (drawn by the stylesheet, so the cell's text, which the word offsets
# count, is unchanged); other points (comments, stray tags, ``<wbr>``) are not shown.
PAGE_POINTS = {"br": "Line break", "img": "Image"}
LINK_ELEMENTS = frozenset({"a", "autolink"})
SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*):")
_IGNORED_IN_URL = re.compile(r"[\x00-\x20\x7f]")


def safe_href(href: str) -> str | None:
    """``href`` when a page may link to it: http, https, mailto or a relative URL; else None.

    The scheme is read after removing every control character and space, more than browsers
    ignore (tabs and new lines anywhere, controls and spaces at the ends), so no spelling such
    as ``java\tscript:`` gets past it.
    """
    compact = _IGNORED_IN_URL.sub("", href)
    scheme = _SCHEME.match(compact)
    if scheme and scheme.group(1).lower() not in SAFE_SCHEMES:
        return None
    return href.strip()


@dataclass
class Mark:
    """An element to write over a cell's text: ``tag`` over [start, end), or a point (br, img)."""

    start: int
    end: int
    tag: str
    attributes: tuple[tuple[str, str], ...] = ()
    point: bool = False
    children: list[Mark] = field(default_factory=list)


def cell_marks(markup, side: str, length: int) -> list[Mark]:
    """The elements of ``markup`` (the JSON records) to show over one cell's text: ``side`` is
    ``source`` (ranges in ``text``) or ``target`` (in ``translation``), ``length`` that text's length.

    Records that are malformed, out of range, empty, of an element the page does not show, or
    that cross an earlier one, and links inside links, are dropped: a mark is lost, never the page's
    structure. The result is the top level of a tree (``children``), in text order.
    """
    candidates = []
    for position, record in enumerate(markup or ()):
        if not isinstance(record, dict) or not isinstance(record.get("element"), str):
            continue
        span = record.get(side)
        if not (isinstance(span, list | tuple) and len(span) == 2 and all(type(v) is int for v in span)):
            continue
        start, end = span
        if not 0 <= start <= end <= length:
            continue
        name = record["element"].removeprefix("html:")
        if name in PAGE_POINTS and start == end:
            mark = Mark(start, end, "span", (("class", f"pt {name}"), ("title", PAGE_POINTS[name])), point=True)
        elif start == end:
            continue
        elif name in LINK_ELEMENTS:
            mark = link_mark(start, end, record.get("href"), record.get("title"))
            if mark is None:
                continue
        elif name in PAGE_ELEMENTS:
            mark = Mark(start, end, PAGE_ELEMENTS[name])
        else:
            continue
        candidates.append((position, mark))
    # Outer before inner: by start, then longest; of two equal ranges the earlier record is outer.
    candidates.sort(key=lambda item: (item[1].start, -item[1].end, item[1].point, item[0]))
    top: list[Mark] = []
    stack: list[Mark] = []
    for _, mark in candidates:
        while stack and stack[-1].end <= mark.start:  # a point at an element's end is after it
            stack.pop()
        if stack and mark.end > stack[-1].end:
            continue  # crosses the open element: not nested, so not shown
        if mark.tag == "a" and any(outer.tag == "a" for outer in stack):
            continue  # a link inside a link is not HTML
        (stack[-1].children if stack else top).append(mark)
        if not mark.point:
            stack.append(mark)
    return top


def link_mark(start: int, end: int, href, title) -> Mark | None:
    """A link: a real ``a`` for a safe target, else text styled as a link with its target in a tooltip."""
    title = title if isinstance(title, str) and title else None
    if not isinstance(href, str) or not href.strip():
        return None  # an anchor without a target is not a link
    safe = safe_href(href)
    if safe is None:
        tooltip = f"Not opened from this page: {href}" + (f" ({title})" if title else "")
        return Mark(start, end, "span", (("class", "link unsafe"), ("title", tooltip)))
    attributes = [("href", safe), ("rel", "noopener noreferrer")]
    if title:
        attributes.append(("title", title))
    return Mark(start, end, "a", tuple(attributes))


def marked_text(text: str, markup, side: str) -> str | Markup:
    """A cell's text with its inline markup as page elements (see ``cell_marks``), every slice of
    text and every attribute value escaped; ``text`` itself (escaped by the template) when there is
    none to show."""
    from markupsafe import Markup, escape

    marks = cell_marks(markup, side, len(text))
    if not marks:
        return text
    out: list[str] = []

    def write(marks: list[Mark], low: int, high: int) -> None:
        cursor = low
        for mark in marks:
            out.append(escape(text[cursor:mark.start]))
            attributes = "".join(f' {name}="{escape(value)}"' for name, value in mark.attributes)
            out.append(f"<{mark.tag}{attributes}>")
            if not mark.point:
                write(mark.children, mark.start, mark.end)
            out.append(f"</{mark.tag}>")
            cursor = mark.end
        out.append(escape(text[cursor:high]))

    write(marks, 0, len(text))
    return Markup("".join(out))


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
    source_html: str = ""  # the cell's text with its inline markup, for the template: see ``marked_text``
    target_html: str = ""

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
        translated = seg.lang not in KEPT_LANGUAGES and seg.translation is not None
        # A kept span's English is its text: its markup's source ranges hold there too.
        target_side = "target" if seg.translation is not None and seg.translation != seg.text else "source"
        row = Row(index, seg.lang, translated, seg.text, translation, seg.score, aligned,
                  word_attribute(source), word_attribute(target),
                  marked_text(seg.text, seg.markup, "source"), marked_text(translation, seg.markup, target_side))
        paragraphs.setdefault(seg.paragraph, Paragraph()).rows.append(row)
    return [paragraph for _, paragraph in sorted(paragraphs.items())]


def index_link(source: str, index_name: str = "index.html") -> str:
    """The URL of the run's index page (``index_name`` in the output folder) from the page of ``source``."""
    return "../" * (len(PurePosixPath(source).parts) - 1) + quote(index_name)


# The page's one link to the run's index, as document.html.j2 writes it. Text from the data is escaped,
# so this markup can only be the template's.
_INDEX_CRUMB = re.compile(r'(<p class="crumb no-print"><a href=")([^"]*)(">All documents</a></p>)')


def relinked(page: str, href: str) -> str | None:
    """``page`` with its link to the run's index pointing to ``href``; None when it does already, or
    when the page has no such link (not a document page of ours)."""
    found = _INDEX_CRUMB.search(page)
    if found is None or found.group(2) == href:
        return None
    return page[: found.start(2)] + href + page[found.end(2):]


def sibling_links(source: str, index_name: str = "index.html") -> dict[str, str]:
    """Relative URLs, from a document's page, of its English text, its JSON and the run's index
    (``index_name`` in the output folder)."""
    from translate.writers.paths import output_paths

    paths = output_paths(Path("."), source)  # the page, its English text and its JSON share a folder
    return {
        "english": quote(paths["english"].name),
        "json": quote(paths["json"].name),
        "index": index_link(source, index_name),
    }


def render_document(translated, index_name: str = "index.html") -> str:
    segments = translated.segments
    counts = dict.fromkeys(LANGUAGE_NAMES, 0)
    for seg in segments:
        counts[seg.lang] = counts.get(seg.lang, 0) + 1
    # fr, es, en, the other languages of the document (alphabetically), und.
    languages = ["fr", "es", "en", *sorted(counts.keys() - LANGUAGE_NAMES.keys()), "und"]
    styles, scripts = ["page.css", "document.css"], ["document.js"]
    return environment().get_template("document.html.j2").render(
        source=translated.document.source,
        paragraphs=document_rows(segments),
        segment_count=len(segments),
        counts=counts,
        translated_count=sum(1 for seg in segments if seg.lang not in KEPT_LANGUAGES and seg.translation is not None),
        languages=languages,
        aligned=any(seg.alignment for seg in segments),
        models=translated.models,
        links=sibling_links(translated.document.source, index_name),
        language_names=LANGUAGE_NAMES,
        csp=content_security_policy(styles, scripts),
        long_page_rows=LONG_PAGE_ROWS,
    )
