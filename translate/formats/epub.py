"""EPUB (.epub): the book's title and every XHTML document of the spine, read as the HTML format
reads a page (a sentence at a time across inline markup, attributes a reader sees); the English
book keeps everything else byte for byte.

- ``NAME.en.epub``: the same book in English: each chapter's sentences translated whole and
  their links and emphasis put back on the English words (``translate.markup``), the package's
  ``dc:title`` translated and ``dc:language`` set to ``en``, each document's ``lang`` and
  ``xml:lang`` set to ``en``.
- ``NAME.bilingual.epub``: the source book with, after each paragraph-like element (``p``,
  headings, list items, table cells, ...) whose English differs, its English in a
  ``<div class="translate-en" lang="en">`` styled by a small ``<style>`` added to each
  document; the title becomes "source / English".

The document text (what the JSON's source offsets point into) is the package document followed
by the spine's XHTML documents, as written, separated by blank lines; a span's ``text`` is its
plain text, as for HTML. Zip limits, encrypted (DRM) content and XML without entity expansion:
see ``package``. Only ``zipfile`` and ``lxml`` are used (ebooklib is AGPL).
"""

from __future__ import annotations

import copy
import html
import posixpath
import re
from dataclasses import dataclass
from urllib.parse import unquote

from translate.document import Span, SourceDocument
from translate.errors import InputError
from translate.formats.base import EnglishDocument, Format, fresh_spans
from translate.formats.html_page import WRITER, read_html
from translate.formats.package import Package, open_package, parse_xml, serialize_xml
from translate.markup import PlainText, join_plain, render_parts

CONTAINER = "{urn:oasis:names:tc:opendocument:xmlns:container}"
OPF = "{http://www.idpf.org/2007/opf}"
XHTML = "{http://www.w3.org/1999/xhtml}"
ENC = "{http://www.w3.org/2001/04/xmlenc#}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
SEPARATOR = "\n\n"
_XHTML_TYPES = ("application/xhtml+xml", "text/html")
_TITLE = re.compile(r"(<dc:title\b[^>]*>)([^<]*)(</dc:title>)")
_LANGUAGE = re.compile(r"(<dc:language\b[^>]*>)([^<]*)(</dc:language>)")
_HTML_TAG = re.compile(r"<html\b[^>]*>")
_LANG_ATTRIBUTE = re.compile(r"""(\s(?:xml:)?lang\s*=\s*)(["'])[^"']*\2""")
# Elements whose English is shown after them (or, for list items and cells, inside them).
_PARAGRAPHS = {XHTML + tag for tag in ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "dt", "dd", "blockquote",
                                       "figcaption", "caption", "td", "th", "div", "pre")}
_INSIDE = {XHTML + tag for tag in ("li", "td", "th", "caption", "dt", "dd")}
BILINGUAL_CSS = (
    ".translate-en { margin: 0.25em 0 1em 0; padding: 0.2em 0 0.2em 0.8em; border-left: 3px solid #7a9cc6; "
    "color: #1f3b5a; font-style: italic; }"
)


@dataclass
class _Part:
    name: str  # member of the package
    start: int  # where its text starts in the document text
    text: str


@dataclass
class _Book:
    package: Package
    text: str
    plain: PlainText  # the flows of every part, over ``text``
    parts: list[_Part]  # the package document first, then the spine's documents
    language: str | None = None  # the book's dc:language


class EpubFormat(Format):
    name = "epub"
    suffix = ".epub"
    suffixes = (".epub",)
    extra_outputs = ("bilingual",)

    def read(self, data: bytes, source: str, *, sha256: str) -> SourceDocument:
        book = _open_book(data, source)
        return SourceDocument(source, book.text, sha256, "utf-8", plain=book.plain, original=data, parsed=book,
                              language=book.language)

    def english_document(self, document: SourceDocument, segments: list[Span]) -> bytes:
        return self.english(document, segments).data

    def english(self, document: SourceDocument, segments: list[Span]) -> EnglishDocument:
        """The English book and the bilingual one, from one rendering of its English and the package
        as read (opened again only in another process than the reader's)."""
        spans = fresh_spans(segments)
        book = document.take_parsed() or _open_book(document.original, document.source)
        english = _english_parts(book, spans)
        return EnglishDocument(_english_book(book, english), tuple(spans),
                               extras={"bilingual": _bilingual_book(book, english)})


def _english_book(book: _Book, english: dict[str, str]) -> bytes:
    replaced = {}
    for index, part in enumerate(book.parts):
        text = english[part.name]
        if index == 0:
            text = _LANGUAGE.sub(lambda m: m.group(1) + "en" + m.group(3), text)
        else:
            text = _HTML_TAG.sub(lambda m: _LANG_ATTRIBUTE.sub(lambda a: f"{a.group(1)}{a.group(2)}en{a.group(2)}", m.group(0)), text, count=1)
        replaced[part.name] = text.encode("utf-8")
    return book.package.rewrite(replaced)


def _bilingual_book(book: _Book, english: dict[str, str]) -> bytes:
    replaced = {}
    opf = book.parts[0]
    source_title, english_title = _title(opf.text), _title(english[opf.name])
    title = source_title if english_title in (None, source_title) else f"{source_title} / {english_title}"
    replaced[opf.name] = _TITLE.sub(lambda m: m.group(1) + html.escape(html.unescape(title or ""), quote=False) + m.group(3),
                                    opf.text, count=1).encode("utf-8")
    for part in book.parts[1:]:
        replaced[part.name] = _bilingual_xhtml(part, english[part.name])
    return book.package.rewrite(replaced)


def _title(opf_text: str) -> str | None:
    match = _TITLE.search(opf_text)
    return match.group(2) if match else None


def _decode(data: bytes, where: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise InputError(f"{where}: not UTF-8 ({err.reason} at byte {err.start})") from None


def _open_book(data: bytes, source: str) -> _Book:
    package = open_package(data, source, "EPUB book")
    package.require("META-INF/container.xml", "EPUB book")
    rootfile = package.xml("META-INF/container.xml").find(f".//{CONTAINER}rootfile")
    if rootfile is None or not rootfile.get("full-path"):
        raise InputError(f"{source}: not an EPUB book (no package document named in META-INF/container.xml)")
    opf_name = rootfile.get("full-path")
    package.require(opf_name, "EPUB book")
    opf_bytes = package.read(opf_name)
    opf = parse_xml(opf_bytes, f"{source}: {opf_name}")
    folder = posixpath.dirname(opf_name)
    manifest = {}
    for item in opf.iter(OPF + "item"):
        href = posixpath.normpath(posixpath.join(folder, unquote(item.get("href", "").split("#")[0])))
        manifest[item.get("id")] = (href, item.get("media-type", ""))
    spine = []
    for itemref in opf.iter(OPF + "itemref"):
        href, media_type = manifest.get(itemref.get("idref"), (None, ""))
        if href and media_type in _XHTML_TYPES and package.has(href) and href not in spine:
            spine.append(href)
    if package.has("META-INF/encryption.xml"):
        encrypted = {unquote(ref.get("URI", "")) for ref in package.xml("META-INF/encryption.xml").iter(ENC + "CipherReference")}
        if encrypted & set(spine):
            raise InputError(f"{source}: encrypted book (DRM): its text cannot be read")

    texts, parts, pieces = [], [], []
    offset = 0
    opf_text = _decode(opf_bytes, f"{source}: {opf_name}")
    for name in [opf_name, *spine]:
        text = opf_text if name == opf_name else _decode(package.read(name), f"{source}: {name}")
        if parts:
            texts.append(SEPARATOR)
            offset += len(SEPARATOR)
        if name == opf_name:
            if title := _TITLE.search(text):  # the title alone: the rest of the package is not prose
                pieces.append((offset + title.start(2), read_html(title.group(2))))
        else:
            pieces.append((offset, read_html(text)))
        parts.append(_Part(name, offset, text))
        texts.append(text)
        offset += len(text)
    language = _LANGUAGE.search(opf_bytes.decode("utf-8", "replace"))
    return _Book(package, "".join(texts), join_plain(pieces), parts, language and html.unescape(language.group(2)).strip())


def _english_parts(book: _Book, segments: list[Span]) -> dict[str, str]:
    """Each part's text with its flows rewritten in English (markup put back on the English words)."""
    ranges = [(part.start, part.start + len(part.text)) for part in book.parts]
    english = render_parts(book.text, book.plain, segments, WRITER, ranges)
    return {part.name: text for part, text in zip(book.parts, english)}


def _bilingual_xhtml(part: _Part, english: str) -> bytes:
    """The source document with each paragraph's English after it (or inside it, for list items
    and cells); a document that is not well-formed XML gets its English alone."""
    if english == part.text:
        return part.text.encode("utf-8")
    try:
        source_root = parse_xml(part.text.encode("utf-8"), part.name)
        english_root = parse_xml(english.encode("utf-8"), part.name)
    except InputError:
        return english.encode("utf-8")
    # Paragraph-like elements pair up in document order: translation moves inline elements within a
    # sentence, never a block.
    source_paragraphs = [element for element in source_root.iter() if element.tag in _PARAGRAPHS]
    english_paragraphs = [element for element in english_root.iter() if element.tag in _PARAGRAPHS]
    if [e.tag for e in source_paragraphs] != [e.tag for e in english_paragraphs]:
        return english.encode("utf-8")  # never expected: the structure is kept
    innermost = [
        (src, eng) for src, eng in zip(source_paragraphs, english_paragraphs)
        if not any(inner.tag in _PARAGRAPHS for inner in src.iterdescendants())
        and not any(outer.tag == XHTML + "nav" for outer in src.iterancestors())  # a table of contents stays one
    ]
    for src, eng in innermost:
        if _normalised(src) == _normalised(eng) or not _normalised(eng):
            continue
        block = src.makeelement(XHTML + "div", {"class": "translate-en", "lang": "en", XML_LANG: "en"})
        block.text = eng.text
        for child in eng:
            block.append(copy.deepcopy(child))
        for element in block.iter():
            element.attrib.pop("id", None)  # ids must stay unique
        if src.tag in _INSIDE:
            src.append(block)
        else:
            block.tail = src.tail
            src.tail = None
            src.addnext(block)
    head = source_root.find(XHTML + "head")
    if head is not None:
        style = head.makeelement(XHTML + "style", {"type": "text/css"})
        style.text = BILINGUAL_CSS
        head.append(style)
    return serialize_xml(source_root, part.text.encode("utf-8"))


def _normalised(element) -> str:
    return " ".join("".join(element.itertext()).split())
