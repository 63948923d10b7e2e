"""HTML (.html, .htm): the text a reader sees is translated, a sentence at a time across inline
markup; tags, comments, scripts, styles and preformatted or code content are kept byte for byte.

The standard library's tokenizer (``html.parser``) reports each event with its source position.
Text between block boundaries (``<p>``, ``<li>``, ``<td>``...) is one *flow*: inline elements
(``a``, ``em``, ``strong``, ``span``, ``br``, ``img``...) do not end it. Its plain text has the
character references decoded and white space collapsed as a browser shows it; the segmenter and
the model see that (see ``translate.markup``). ``code``, ``kbd``, ``samp``, ``var`` and elements
marked ``translate="no"`` or ``class="notranslate"`` inside a sentence are verbatim elements: the
model sees their text in the sentence, and the English page has their source in place of it.

Attribute values a reader sees (``title``, ``alt``, ``placeholder``, ``aria-label``, the
``content`` of ``<meta name="description">`` and of ``og:title``/``og:description``) are flows of
their own. The English page's ``<html lang>`` is ``en``.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from translate.document import Span, SourceDocument
from translate.formats.base import TextFormat, line_starts
from translate.formats.encoding import decode_bytes
from translate.markup import INLINE, VERBATIM, VOID, Element, FlowWriter, PlainBuilder, link_attributes, render_document

# Elements whose content is not prose to translate.
_KEPT_ELEMENTS = frozenset({"script", "style", "pre", "textarea", "template", "svg", "math", "noscript", "iframe", "object"})
# Inline elements: a sentence runs on through them.
_INLINE = frozenset(
    "a abbr b bdi bdo big cite data del dfn em font i ins label mark q rp rt ruby s small span strike strong sub sup time tt u"
    .split()
)
_VERBATIM_INLINE = frozenset({"code", "kbd", "samp", "var"})
_VOID_INLINE = frozenset({"br", "img", "wbr"})
# Void elements (no end tag) of HTML: never pushed on the open-element stack.
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
_TRANSLATED_ATTRIBUTES = frozenset({"title", "alt", "placeholder", "aria-label"})
_META_CONTENT = frozenset({"description", "og:title", "og:description", "twitter:title", "twitter:description"})
_ATTRIBUTE = re.compile(r"""([^\s/>"'=][^\s/=>]*)(\s*=\s*('[^']*'|"[^"]*"|(?!['"])[^>\s]*))?""")
_WHITE = " \t\n\r\f"
# The page's declared language: <html lang="en-GB"> (evidence for the segmenter).
_HTML_LANG = re.compile(r"""<html\b[^>]*?\slang\s*=\s*["']?([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]+)*)""", re.IGNORECASE)


class HtmlFormat(TextFormat):
    name = "html"
    suffix = ".html"
    suffixes = (".html", ".htm")

    def read(self, data: bytes, source: str, *, sha256: str) -> SourceDocument:
        text, encoding = decode_bytes(data, source)
        plain = read_html(text)
        declared = _HTML_LANG.search(text)
        return SourceDocument(source, text, sha256, encoding, plain=plain, language=declared and declared.group(1))

    def write(self, document: SourceDocument, segments: list[Span]) -> str:
        return render_document(document.text, document.plain, segments, WRITER)

    def encode(self, document: SourceDocument, english: str) -> bytes:
        """The English page in the source's encoding, so that its own ``<meta charset>`` stays true;
        characters that encoding lacks become character references."""
        codec = "utf-8" if document.encoding.startswith("utf-8") else document.encoding
        return english.encode(codec, "xmlcharrefreplace")


WRITER = FlowWriter(escape_text=lambda text: html.escape(text, quote=False), escape_attribute=lambda text: html.escape(text, quote=True))


def read_html(text: str):
    reader = _Reader(text)
    reader.feed(text)
    reader.close()
    reader.end_flow(len(text))
    return reader.builder.finish()


def _attribute_values(tag_text: str, offset: int) -> dict[str, tuple[int, int, bool]]:
    """Source ranges of the attribute values (inside their quotes) of a start tag found at ``offset``,
    and whether they are quoted."""
    name_end = re.match(r"<[a-zA-Z][^\t\n\r\f />\x00]*", tag_text)
    values: dict[str, tuple[int, int, bool]] = {}
    if not name_end:
        return values
    for match in _ATTRIBUTE.finditer(tag_text, name_end.end()):
        if match.group(3) is None:
            continue
        start, end = match.span(3)
        quoted = tag_text[start] in "'\""
        if quoted:
            start, end = start + 1, end - 1
        values.setdefault(match.group(1).lower(), (offset + start, offset + end, quoted))
    return values


def _is_inline(tag: str) -> bool:
    return tag in _INLINE or tag in _VERBATIM_INLINE or tag in _VOID_INLINE


class _Reader(HTMLParser):
    def __init__(self, text: str):
        super().__init__(convert_charrefs=False)
        self.text = text
        self.starts = line_starts(text)
        self.builder = PlainBuilder()
        self.in_flow = False
        self.kept: list[str] = []  # open elements whose content is kept as it is
        self.open: list[tuple[str, int]] = []  # open inline elements of the flow: (tag, element index)
        self.verbatim: tuple[str, int, int, int] | None = None  # (tag, depth, element index, source start)
        self.elements: list[Element] = []
        self.pending_attributes: list[tuple[int, int, bool]] = []

    def _offset(self) -> int:
        line, column = self.getpos()
        return self.starts[line - 1] + column

    # -- flows ----------------------------------------------------------------------------------

    def _ensure_flow(self, start: int) -> None:
        if not self.in_flow:
            self.builder.begin(start)
            self.in_flow = True
            self.open = []
            self.elements = []

    def end_flow(self, at: int | None = None) -> None:
        """End the current flow (at source offset ``at``), then read the attributes it held."""
        if not self.in_flow:
            self._flush_attributes()
            return
        if self.verbatim is not None:
            self._close_verbatim(len(self.text) if at is None else at)
        end = self.builder.position
        for _tag, index in self.open:  # never closed in the source: they end with the flow
            self.elements[index].end = end
        for element in self.elements:
            self.builder.element(element)
        self.builder.end()
        self.in_flow = False
        self.open = []
        self._flush_attributes()

    def _parent(self) -> int | None:
        return self.open[-1][1] if self.open else None

    def _add_element(self, element: Element) -> int:
        element.parent = self._parent()
        self.elements.append(element)
        return len(self.elements) - 1

    def _text(self, plain: str, start: int, end: int) -> None:
        if self.kept:
            return
        self._ensure_flow(start)
        index, length = 0, len(plain)
        raw_same = end - start == length
        while index < length:
            if plain[index] in _WHITE:
                run = index
                while run < length and plain[run] in _WHITE:
                    run += 1
                if raw_same:
                    self.builder.space(start + index, start + run)
                else:
                    self.builder.space(start, end)
                index = run
            else:
                run = index
                while run < length and plain[run] not in _WHITE:
                    run += 1
                if raw_same:
                    self.builder.text(plain[index:run], start + index, start + run)
                else:
                    self.builder.text(plain[index:run], start, end)
                    start = end  # the whole reference stands behind its first character
                index = run

    # -- verbatim elements (code, translate="no") inside a flow ---------------------------------------

    def _open_verbatim(self, tag: str, start: int) -> None:
        index = self._add_element(Element(self.builder.position, self.builder.position, (start, start), (start, start), VERBATIM, tag))
        self.verbatim = (tag, 1, index, start)

    def _close_verbatim(self, end: int) -> None:
        _tag, _depth, index, start = self.verbatim
        element = self.elements[index]
        element.end = self.builder.position
        element.open = (start, end)
        element.close = (end, end)
        self.verbatim = None

    # -- events -----------------------------------------------------------------------------------

    def handle_data(self, data: str) -> None:
        start = self._offset()
        if not self.text.startswith(data, start):
            return  # never expected with unconverted references
        if self.verbatim is not None:
            self._verbatim_text(html.unescape(data), start, start + len(data))
            return
        self._text(data, start, start + len(data))

    def _verbatim_text(self, plain: str, start: int, end: int) -> None:
        """Text of a verbatim element: given to the model (collapsed), never written from the plain text."""
        collapsed = re.sub(r"[ \t\n\r\f]+", " ", plain)
        if collapsed.strip() or not self.builder.last_is_space():
            self.builder.text(collapsed, start, end)

    def _reference(self, prefix: str, name: str) -> None:
        start = self._offset()
        end = start + len(prefix) + len(name)
        if not self.text.startswith(prefix + name, start):
            return
        if self.text.startswith(";", end):
            end += 1
        source = self.text[start:end]
        plain = html.unescape(source)
        if self.verbatim is not None:
            self._verbatim_text(plain, start, end)
        elif plain.strip(_WHITE) == "" and plain:
            if not self.kept:
                self._ensure_flow(start)
                self.builder.space(start, end)
        else:
            self._text(plain, start, end)

    def handle_entityref(self, name: str) -> None:
        self._reference("&", name)

    def handle_charref(self, name: str) -> None:
        self._reference("&#", name)

    def handle_starttag(self, tag, attrs) -> None:
        self._start(tag, attrs, closed=False)

    def handle_startendtag(self, tag, attrs) -> None:
        self._start(tag, attrs, closed=True)

    def _start(self, tag: str, attrs, closed: bool) -> None:
        start = self._offset()
        raw = self.get_starttag_text() or ""
        end = start + len(raw)
        if self.verbatim is not None:
            if not _is_inline(tag):
                self._close_verbatim(start)  # a block boundary ends an unclosed code element
            else:
                if tag == self.verbatim[0] and not closed:
                    self.verbatim = (self.verbatim[0], self.verbatim[1] + 1, *self.verbatim[2:])
                return
        if self.kept:
            if tag not in _VOID and not closed:
                self.kept.append(tag)
            return
        values = dict(attrs)
        no_translate = (values.get("translate") or "").lower() == "no" or "notranslate" in (values.get("class") or "").split()
        if tag in _INLINE or tag in _VERBATIM_INLINE or tag in _VOID_INLINE:
            if tag in _VOID_INLINE or tag in _VOID or closed:
                self._ensure_flow(start)
                self._add_element(Element(self.builder.position, self.builder.position, (start, end), (end, end), VOID, tag))
                if tag == "br":
                    self.builder.space(end, end)
                if not no_translate:
                    self._attributes(tag, values, raw, start)
                return
            if no_translate or tag in _VERBATIM_INLINE:
                self._ensure_flow(start)
                self._open_verbatim(tag, start)
                return
            self._ensure_flow(start)
            index = self._add_element(Element(self.builder.position, self.builder.position, (start, end), (end, end), INLINE, tag))
            if tag == "a":
                self.elements[index].attributes = link_attributes(values.get("href"), values.get("title"))
            self.open.append((tag, index))
            self._attributes(tag, values, raw, start)
            return
        # A block boundary.
        self.end_flow(start)
        if tag == "html":
            value = _attribute_values(raw, start).get("lang")
            if value is not None:
                self.builder.plain.fixed.append((value[0], value[1], "en"))
        if tag in _KEPT_ELEMENTS or no_translate:
            if tag not in _VOID and not closed:
                self.kept.append(tag)
            return
        self._attributes(tag, values, raw, start)

    def _attributes(self, tag: str, values: dict, raw: str, start: int) -> None:
        """Attribute values a reader sees become flows of their own (after the current one's end)."""
        wanted = [name for name in _TRANSLATED_ATTRIBUTES if values.get(name)]
        if tag == "meta" and values.get("content") and ((values.get("name") or "").lower() in _META_CONTENT
                                                         or (values.get("property") or "").lower() in _META_CONTENT):
            wanted.append("content")
        if not wanted:
            return
        positions = _attribute_values(raw, start)
        for name in sorted(wanted, key=lambda n: positions.get(n, (0, 0))):
            if name in positions:
                self.pending_attributes.append(positions[name])
        if not self.in_flow:
            self._flush_attributes()

    def _flush_attributes(self) -> None:
        for low, high, quoted in self.pending_attributes:
            builder = self.builder
            builder.begin(low)
            source = self.text[low:high]
            plain = html.unescape(source)
            if plain == source:
                for offset, ch in enumerate(source):
                    (builder.space if ch in _WHITE else lambda a, b, c=ch: builder.text(c, a, b))(low + offset, low + offset + 1)
            else:
                builder.text(plain, low, high)
            flow = builder.end(attribute=True)
            if flow is not None and not quoted:  # the English may have spaces: quote it
                flow.prefix = flow.suffix = '"'
        self.pending_attributes = []

    def handle_endtag(self, tag) -> None:
        start = self._offset()
        raw_end = self.text.find(">", start)
        end = raw_end + 1 if raw_end != -1 else len(self.text)
        if self.verbatim is not None:
            name, depth, *rest = self.verbatim
            if tag == name:
                if depth > 1:
                    self.verbatim = (name, depth - 1, *rest)
                else:
                    self._close_verbatim(end)
                return
            if _is_inline(tag):
                return
            self._close_verbatim(start)
        if self.kept:
            if tag in self.kept:
                while self.kept and self.kept.pop() != tag:
                    pass
            return
        if tag in _INLINE or tag in _VERBATIM_INLINE or tag in _VOID_INLINE:
            if self.in_flow and any(open_tag == tag for open_tag, _ in self.open):
                while self.open:
                    open_tag, index = self.open.pop()
                    element = self.elements[index]
                    element.end = self.builder.position
                    if open_tag == tag:
                        element.close = (start, end)
                        break
                return
            # A stray end tag: kept where it is, as a point.
            self._ensure_flow(start)
            self._add_element(Element(self.builder.position, self.builder.position, (start, end), (end, end), VOID, "/" + tag))
            return
        self.end_flow(start)

    def _point(self, start: int, end: int, name: str) -> None:
        if self.in_flow and not self.kept:
            if self.verbatim is not None:
                return
            self._add_element(Element(self.builder.position, self.builder.position, (start, end), (end, end), VOID, name))

    def handle_comment(self, data) -> None:
        start = self._offset()
        end = self.text.find("-->", start)
        self._point(start, end + 3 if end != -1 else len(self.text), "#comment")

    def handle_decl(self, decl) -> None:
        self.end_flow(self._offset())

    def handle_pi(self, data) -> None:
        self.end_flow(self._offset())

    def unknown_decl(self, data) -> None:
        self.end_flow(self._offset())
