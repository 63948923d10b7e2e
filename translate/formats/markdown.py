"""Markdown (.md): the text of headings, paragraphs, list items, quotes and table cells is
translated a sentence at a time across inline markup; everything else is kept byte for byte.

markdown-it-py (CommonMark, plus tables and strikethrough) finds the inline content of each block
and its inline tokens, but gives no character offsets inside a line; each token's source is found
from a cursor that moves forward only, and checked (only white space and quote markers may lie
between two tokens). The inline content of a block is one *flow* (see ``translate.markup``): its
plain text is what a reader sees (escapes and entities decoded), emphasis, strong, strikethrough,
links and inline HTML tags are elements placed back on the aligned English words; inline code,
autolinks and bare URLs are verbatim elements (the model sees them in their sentence, the English
keeps their source); images and hard breaks are points, with an image's alt text and link and image
titles translated as flows of their own. A shortcut or collapsed reference link ``[texte]`` becomes
``[text][texte]`` so that it still finds its definition.

A block whose tokens cannot all be found verbatim (a tab expanded by the parser, say) is
translated run by run between its markup, as before: its structure is never guessed. Code blocks,
HTML blocks and YAML front matter are not translated.
"""

from __future__ import annotations

import re
from functools import lru_cache

from translate.document import Span, SourceDocument
from translate.formats.base import TextFormat
from translate.formats.encoding import decode_bytes
from translate.markup import INLINE, VERBATIM, VOID, Element, FlowWriter, PlainBuilder, link_attributes, render_document

_FRONT_MATTER = re.compile(r"\A(?:\ufeff)?---[ \t]*\r?\n.*?^(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.DOTALL | re.MULTILINE)
_BARE_URL = re.compile(r"(?:https?://|ftp://|www\.)\S+|\S+@\S+\.\w+")
_JUNK = " \t>"
_HTML_OPEN = re.compile(r"<([A-Za-z][A-Za-z0-9-]*)(?:\s[^>]*)?>\Z", re.DOTALL)
_HTML_CLOSE = re.compile(r"</([A-Za-z][A-Za-z0-9-]*)\s*>\Z")
_HTML_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
_ELEMENTS = {"em_open": "em", "strong_open": "strong", "s_open": "s"}
_CLOSES = {"em_close": "em", "strong_close": "strong", "s_close": "s"}


@lru_cache(maxsize=1)
def _parser():
    from markdown_it import MarkdownIt

    parser = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    # Keep escapes and entities as their own tokens: their source differs from their content.
    parser.disable("text_join")
    return parser


def _escape_text(text: str) -> str:
    """English text as Markdown: characters that would start markup are escaped."""
    return re.sub(r"([\\`*_\[\]<])", r"\\\1", text)


WRITER = FlowWriter(
    escape_text=_escape_text,
    escape_attribute=lambda text: re.sub(r"([\\\"'()\[\]])", r"\\\1", text),
    needs_words=frozenset({"em", "strong", "s"}),
    alternate_delimiters=True,
    # "1. ", "- ", "# ", "> ", "+ ", "=" at the start of a block's English would make another block.
    escape_flow_start=lambda text: re.sub(r"\A(\d{1,9})([.)])|\A([#>+=-])", lambda m: m.group(1) + "\\" + m.group(2) if m.group(1) else "\\" + m.group(3), text),
)


class MarkdownFormat(TextFormat):
    name = "md"
    suffix = ".md"
    suffixes = (".md", ".markdown")

    def read(self, data: bytes, source: str, *, sha256: str) -> SourceDocument:
        text, encoding = decode_bytes(data, source)
        return SourceDocument(source, text, sha256, encoding, plain=read_markdown(text))

    def write(self, document: SourceDocument, segments: list[Span]) -> str:
        return render_document(document.text, document.plain, segments, WRITER)


class _NotFound(Exception):
    """A token's source could not be found where it must be."""


def read_markdown(text: str):
    # markdown-it turns CR LF and CR into LF: parse the normalised text, keep offsets into the original.
    normalised, offsets = _normalise(text)
    front = _FRONT_MATTER.match(normalised)
    body_start = front.end() if front else 0
    # Blank out the front matter, keeping every offset.
    parsed = re.sub(r"[^\n]", " ", normalised[:body_start]) + normalised[body_start:]
    line_starts = [0] + [m.end() for m in re.finditer("\n", parsed)]
    builder = PlainBuilder()
    env: dict = {}
    tokens = _parser().parse(parsed, env)
    cursor = body_start
    for token in tokens:
        if token.type != "inline" or not token.children:
            continue
        if token.map:
            cursor = max(cursor, line_starts[token.map[0]])
            limit = line_starts[token.map[1]] if token.map[1] < len(line_starts) else len(parsed)
        else:
            limit = len(parsed)
        reader = _InlineReader(parsed, offsets, builder, env, cursor, limit)
        try:
            reader.read(token.children)
            cursor = reader.cursor
        except _NotFound:
            builder.abandon()
            _fragments(parsed, offsets, builder, token.children, cursor, limit)
    return builder.finish()


def _normalise(text: str) -> tuple[str, list[int]]:
    if "\r" not in text and "\0" not in text:
        return text, list(range(len(text) + 1))
    out, offsets = [], []
    index = 0
    while index < len(text):
        ch = text[index]
        offsets.append(index)
        if ch == "\r":
            out.append("\n")
            index += 2 if text.startswith("\r\n", index) else 1
            continue
        out.append("\ufffd" if ch == "\0" else ch)
        index += 1
    offsets.append(len(text))
    return "".join(out), offsets


class _InlineReader:
    """Reads the inline tokens of one block into a flow."""

    def __init__(self, text: str, offsets: list[int], builder: PlainBuilder, env: dict, cursor: int, limit: int):
        self.text, self.offsets, self.builder, self.env = text, offsets, builder, env
        self.cursor, self.limit = cursor, limit
        self.elements: list[Element] = []
        self.open: list[int] = []  # indices of open elements
        # Titles and alt texts: (start, end, plain text, suffix written after the English, end of the source replaced)
        self.attributes: list[tuple[int, int, str, str, int]] = []
        self.started = False

    # -- positions ----------------------------------------------------------------------------------

    def o(self, index: int) -> int:
        return self.offsets[index]

    def at(self, needle: str) -> int:
        """Where ``needle`` starts: at the cursor, after white space or quote markers only."""
        index = self.cursor
        if not self.started:  # the first token: after the block's own markers (#, -, 1., >, |)
            found = self.text.find(needle, index, self.limit) if needle else -1
            index = found if found != -1 else self.limit
        while index < self.limit and not self.text.startswith(needle, index) and self.text[index] in _JUNK:
            index += 1
        if not needle or not self.text.startswith(needle, index) or index + len(needle) > self.limit:
            raise _NotFound(needle)
        return index

    def start_flow(self, at: int) -> None:
        if not self.started:
            self.builder.begin(self.o(at))
            self.started = True

    def add(self, element: Element) -> int:
        element.parent = self.open[-1] if self.open else None
        self.elements.append(element)
        return len(self.elements) - 1

    def point(self, start: int, end: int, name: str, kind: str = VOID) -> int:
        position = self.builder.position
        return self.add(Element(position, position, (self.o(start), self.o(end)), (self.o(end), self.o(end)), kind, name))

    def plain_text(self, content: str, start: int) -> None:
        """Source text (verbatim) into the flow, bare URLs as verbatim elements."""
        cursor = 0
        for match in _BARE_URL.finditer(content):
            self._chars(content[cursor:match.start()], start + cursor)
            index = self.point(start + match.start(), start + match.end(), "url", VERBATIM)
            self._chars(match.group(), start + match.start())
            self.elements[index].end = self.builder.position
            cursor = match.end()
        self._chars(content[cursor:], start + cursor)

    def _chars(self, content: str, start: int) -> None:
        for offset, ch in enumerate(content):
            self.builder.text(ch, self.o(start + offset), self.o(start + offset + 1))

    # -- tokens -------------------------------------------------------------------------------------

    def read(self, children) -> None:
        index = 0
        while index < len(children):
            index = self.token(children, index)
        self.finish()

    def token(self, children, index: int) -> int:
        token = children[index]
        kind = token.type
        if kind == "text":
            if token.content:
                start = self.at(token.content)
                self.start_flow(start)
                self.plain_text(token.content, start)
                self.cursor = start + len(token.content)
        elif kind == "text_special":
            start = self.at(token.markup)
            self.start_flow(start)
            end = start + len(token.markup)
            self.builder.text(token.content, self.o(start), self.o(end))
            self.cursor = end
        elif kind in ("softbreak", "hardbreak"):
            start = self.cursor
            newline = self.text.find("\n", start, self.limit)
            if newline == -1 or self.text[start:newline].strip(" \t\\"):
                raise _NotFound(kind)
            end = newline + 1
            while end < self.limit and self.text[end] in _JUNK:
                end += 1
            self.start_flow(start)
            if kind == "hardbreak":
                self.point(start, end, "br")
                self.builder.space(self.o(end), self.o(end))
            else:
                self.builder.space(self.o(start), self.o(end))
            self.cursor = end
        elif kind in _ELEMENTS:
            start = self.at(token.markup)
            self.start_flow(start)
            end = start + len(token.markup)
            position = self.builder.position
            self.open.append(self.add(Element(position, position, (self.o(start), self.o(end)), (self.o(end), self.o(end)), INLINE, _ELEMENTS[kind])))
            self.cursor = end
        elif kind in _CLOSES:
            start = self.at(token.markup)
            end = start + len(token.markup)
            self.close_until(_CLOSES[kind], (self.o(start), self.o(end)))
            self.cursor = end
        elif kind == "link_open":
            if token.markup == "autolink":
                return self.autolink(children, index, token.attrGet("href"))
            start = self.at("[")
            self.start_flow(start)
            position = self.builder.position
            element = Element(position, position, (self.o(start), self.o(start + 1)), (self.o(start + 1), self.o(start + 1)), INLINE, "a",
                              attributes=link_attributes(token.attrGet("href"), token.attrGet("title")))
            self.open.append(self.add(element))
            self.cursor = start + 1
        elif kind == "link_close":
            self.link_close()
        elif kind == "image":
            self.image(token)
        elif kind == "code_inline":
            start = self.at(token.markup)
            closing = re.compile(r"(?<!`)" + re.escape(token.markup) + r"(?!`)")
            found = closing.search(self.text, start + len(token.markup), self.limit)
            if not found:
                raise _NotFound("`")
            self.start_flow(start)
            element = self.point(start, found.end(), "code", VERBATIM)
            self.builder.text(token.content, self.o(start), self.o(found.end()))
            self.elements[element].end = self.builder.position
            self.cursor = found.end()
        elif kind == "html_inline":
            self.html(token.content)
        else:
            raise _NotFound(kind)
        return index + 1

    def close_until(self, name: str, close: tuple[int, int]) -> None:
        while self.open:
            element = self.elements[self.open.pop()]
            element.end = self.builder.position
            if element.name == name:
                element.close = close
                return
        raise _NotFound(name)

    def autolink(self, children, index: int, href: str | None) -> int:
        start = self.at("<")
        end = self.text.find(">", start, self.limit)
        if end == -1:
            raise _NotFound("autolink")
        self.start_flow(start)
        element = self.point(start, end + 1, "autolink", VERBATIM)
        self.elements[element].attributes = link_attributes(href, None)
        self._chars(self.text[start + 1:end], start + 1)
        self.elements[element].end = self.builder.position
        self.cursor = end + 1
        while index < len(children) and children[index].type != "link_close":
            index += 1
        return index + 1

    def link_close(self) -> None:
        bracket = self.at("]")
        open_index = next((i for i in reversed(self.open) if self.elements[i].name == "a"), None)
        if open_index is None:
            raise _NotFound("]")
        label_start = self._source_index(self.elements[open_index].open[1])
        end, title, reference = self.link_tail(bracket)
        close = (self.o(bracket), self.o(end))
        self.close_until("a", close)
        element = self.elements[open_index]
        if reference == "":  # shortcut or collapsed: the English text needs its source label to match
            element.close_text = "][" + self.text[label_start:bracket] + "]"
        if title:
            self.attributes.append((*title, "", title[1]))
        self.cursor = end

    def _source_index(self, original: int) -> int:
        from bisect import bisect_left

        return bisect_left(self.offsets, original)

    def link_tail(self, bracket: int) -> tuple[int, tuple[int, int, str] | None, str | None]:
        """After a link's or image's ``]``: where the link ends, its title's range and plain text,
        and its reference label (None for an inline link, "" for a shortcut or collapsed one)."""
        from markdown_it.helpers import parseLinkDestination, parseLinkTitle

        text, limit = self.text, self.limit
        position = bracket + 1
        if position < limit and text[position] == "(":
            index = position + 1
            while index < limit and text[index] in " \t\n":
                index += 1
            if index < limit and text[index] == ")":
                return index + 1, None, None
            destination = parseLinkDestination(text, index, limit)
            if destination.ok:
                index = destination.pos
                after_destination = index
                while index < limit and text[index] in " \t\n":
                    index += 1
                title = None
                if index < limit and index != after_destination:
                    parsed = parseLinkTitle(text, index, limit)
                    if parsed.ok:
                        title = (index + 1, parsed.pos - 1, parsed.str)
                        index = parsed.pos
                        while index < limit and text[index] in " \t\n":
                            index += 1
                if index < limit and text[index] == ")":
                    return index + 1, title, None
                if text.startswith(")", index):
                    return index + 1, title, None
            # Not an inline link: a reference link followed by text in parentheses.
        if position < limit and text[position] == "[":
            close = text.find("]", position + 1, limit)
            if close != -1 and close == position + 1:
                return close + 1, None, ""  # collapsed: [texte][]
            if close != -1:
                return close + 1, None, text[position + 1:close]
        return position, None, ""

    def image(self, token) -> None:
        start = self.at("![")
        self.start_flow(start)
        label_start = start + 2
        if token.content:
            found = self.text.find(token.content, label_start, self.limit)
            if found != label_start:
                raise _NotFound("image label")
        bracket = self.at_from(label_start + len(token.content), "]")
        end, title, reference = self.link_tail(bracket)
        self.point(start, end, "img")
        if token.content.strip():
            alt_plain = "".join(child.content for child in (token.children or []) if child.type in ("text", "text_special", "code_inline"))
            suffix, replaced_end = "", bracket
            if reference == "":  # shortcut or collapsed: the English alt text needs its source label after it
                suffix, replaced_end = "][" + self.text[label_start:bracket], end - 1
            self.attributes.append((label_start, bracket, alt_plain or token.content, suffix, replaced_end))
        if title:
            self.attributes.append((*title, "", title[1]))
        self.cursor = end

    def at_from(self, index: int, needle: str) -> int:
        self.cursor = index
        return self.at(needle)

    def html(self, content: str) -> None:
        start = self.at(content)
        end = start + len(content)
        self.start_flow(start)
        opened, closed = _HTML_OPEN.match(content), _HTML_CLOSE.match(content)
        if opened and opened.group(1).lower() not in _HTML_VOID and not content.endswith("/>"):
            position = self.builder.position
            name = opened.group(1).lower()
            attributes = _html_link_attributes(content) if name == "a" else None
            self.open.append(self.add(Element(position, position, (self.o(start), self.o(end)), (self.o(end), self.o(end)), INLINE, "html:" + name,
                                              attributes=attributes)))
        elif closed and self.open and self.elements[self.open[-1]].name == "html:" + closed.group(1).lower():
            element = self.elements[self.open.pop()]
            element.end = self.builder.position
            element.close = (self.o(start), self.o(end))
        else:
            self.point(start, end, "html")
        self.cursor = end

    def finish(self) -> None:
        if not self.started:
            return
        position = self.builder.position
        for index in self.open:  # inline HTML never closed: it ends with the block
            self.elements[index].end = position
        self.open = []
        for element in self.elements:
            self.builder.element(element)
        self.builder.end()
        for start, end, plain, suffix, replaced_end in self.attributes:
            if not plain.strip():
                continue
            self.builder.begin(self.o(start))
            if self.text[start:end] == plain:
                self._chars(plain, start)
            else:
                self.builder.text(plain, self.o(start), self.o(end))
            flow = self.builder.end(attribute=True)
            if flow is not None and suffix:
                flow.suffix, flow.end = suffix, self.o(replaced_end)


def _html_link_attributes(tag: str) -> dict[str, str] | None:
    """``href`` and ``title`` of an inline HTML ``<a ...>`` tag (references decoded, as a browser reads them)."""
    from html.parser import HTMLParser

    found: dict[str, str | None] = {}

    class _Tag(HTMLParser):
        def handle_starttag(self, name, attrs):
            if not found:
                values = dict(attrs)
                found.update(href=values.get("href"), title=values.get("title"))

    parser = _Tag(convert_charrefs=True)
    parser.feed(tag)
    parser.close()
    return link_attributes(found.get("href"), found.get("title"))


def _fragments(text: str, offsets: list[int], builder: PlainBuilder, children, cursor: int, limit: int) -> None:
    """A block whose tokens were not all found: its plain text runs, each a flow of its own."""
    for child in children:
        if child.type != "text" or not child.content:
            continue
        found = text.find(child.content, cursor, limit)
        if found == -1:
            continue
        builder.begin(offsets[found])
        for offset, ch in enumerate(child.content):
            builder.text(ch, offsets[found + offset], offsets[found + offset + 1])
        builder.end()
        cursor = found + len(child.content)
