"""Markdown (.md): the text of headings, paragraphs, list items, quotes and table cells is
translated; everything else is kept byte for byte.

markdown-it-py (CommonMark, plus tables and strikethrough) finds the inline content of each
block and its lines. It gives no character offsets inside a line, so each text run is found
in the source from a cursor that moves forward only; a run that cannot be found verbatim
(tab-expanded, say) is left untranslated rather than guessed. Blocks are the runs of plain
text between inline markup: emphasis markers, links' targets and titles, inline code, HTML,
images, escapes and entities are never inside a block, so the structure cannot be broken by
a translation (an emphasised word is translated on its own). Code blocks, HTML blocks, YAML
front matter and bare URLs are not translated.
"""

from __future__ import annotations

import re
from functools import lru_cache

from translate.document import Block, Segment, SourceDocument
from translate.formats.base import TextFormat, line_starts, replace_blocks, trimmed_block
from translate.formats.encoding import decode_bytes

_FRONT_MATTER = re.compile(r"\A(?:\ufeff)?---[ \t]*\r?\n.*?^(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.DOTALL | re.MULTILINE)
_BARE_URL = re.compile(r"(?:https?://|ftp://|www\.)\S+|\S+@\S+\.\w+")
# Inline tokens whose source text is verbatim in the document: skipped over so that a later
# text run is not found inside them.
_VERBATIM_INLINE = ("code_inline", "html_inline")


@lru_cache(maxsize=1)
def _parser():
    from markdown_it import MarkdownIt

    parser = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    # Keep escapes and entities as their own tokens: their source differs from their content.
    parser.disable("text_join")
    return parser


class MarkdownFormat(TextFormat):
    name = "md"
    suffix = ".md"
    suffixes = (".md", ".markdown")

    def read(self, data: bytes, source: str, *, sha256: str) -> SourceDocument:
        text, encoding = decode_bytes(data, source)
        return SourceDocument(source, text, sha256, encoding, markdown_blocks(text))

    def write(self, document: SourceDocument, segments: list[Segment]) -> str:
        return replace_blocks(document.text, document.blocks, segments)


def markdown_blocks(text: str) -> list[Block]:
    front = _FRONT_MATTER.match(text)
    body_start = front.end() if front else 0
    # Blank out the front matter, keeping its line count so that token line numbers still match.
    parsed = "\n" * text.count("\n", 0, body_start) + text[body_start:]
    starts = line_starts(text)
    blocks: list[Block] = []
    cursor = body_start
    for token in _parser().parse(parsed):
        if token.type != "inline" or not token.children:
            continue
        if token.map:
            cursor = max(cursor, starts[token.map[0]])
            limit = starts[token.map[1]] if token.map[1] < len(starts) else len(text)
        else:
            limit = len(text)
        cursor = _inline_blocks(text, token.children, cursor, limit, blocks)
    return blocks


def _inline_blocks(text: str, children, cursor: int, limit: int, blocks: list[Block]) -> int:
    run: list[tuple[int, int]] = []  # found text pieces, merged when only whitespace separates them

    def flush() -> None:
        if run:
            for start, end in _without_urls(text, run[0][0], run[-1][1]):
                if block := trimmed_block(text, start, end):
                    blocks.append(block)
            run.clear()

    links = []  # open links: the text of an autolink is its URL, not prose
    for child in children:
        if child.type == "softbreak":
            continue
        if child.type == "text" and not (links and links[-1].markup == "autolink"):
            found = text.find(child.content, cursor, limit) if child.content else -1
            if found == -1:
                flush()
                continue
            if run and text[run[-1][1] : found].strip():
                flush()
            run.append((found, found + len(child.content)))
            cursor = found + len(child.content)
            continue
        flush()
        attrs = child.attrs or {}
        if child.type == "link_open":
            links.append(child)
        elif child.type == "link_close" and links:
            opened = links.pop()
            # Step over the target and title, so that no later text run is found inside them.
            for part in (opened.attrs or {}).get("href"), (opened.attrs or {}).get("title"):
                cursor = _skip_past(text, cursor, limit, part)
        elif child.type == "image":
            for part in child.content, attrs.get("src"), attrs.get("title"):
                cursor = _skip_past(text, cursor, limit, part)
        elif child.type in _VERBATIM_INLINE or child.type == "text":
            cursor = _skip_past(text, cursor, limit, child.content)
        elif child.type == "text_special":
            cursor = _skip_past(text, cursor, limit, child.markup)
    flush()
    return cursor


def _skip_past(text: str, cursor: int, limit: int, needle) -> int:
    if needle:
        found = text.find(str(needle), cursor, limit)
        if found != -1:
            return found + len(str(needle))
    return cursor


def _without_urls(text: str, start: int, end: int) -> list[tuple[int, int]]:
    pieces, cursor = [], start
    for match in _BARE_URL.finditer(text, start, end):
        pieces.append((cursor, match.start()))
        cursor = match.end()
    pieces.append((cursor, end))
    return pieces
