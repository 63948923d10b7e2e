"""HTML text nodes as blocks, for formats that carry bits of HTML (EPUB's XHTML documents, WebVTT cue
text): each run of text and character references between two tags is one block, translated on its
own, and tags, comments and the content of scripts, styles, code and preformatted elements are kept.

(``.html`` files themselves are read a sentence at a time across inline markup: see ``html_page``.)
The standard library's tokenizer (``html.parser``) reports each event with its source position; with
character references left unconverted, every text event is a verbatim slice of the source.
"""

from __future__ import annotations

from html.parser import HTMLParser

from translate.document import Block
from translate.formats.base import line_starts, trimmed_block

# Elements whose content is not prose to translate.
_KEPT_ELEMENTS = frozenset({"script", "style", "pre", "code", "kbd", "samp", "var", "textarea", "template", "svg", "math"})


def html_text_blocks(text: str) -> list[Block]:
    collector = _TextCollector(text)
    collector.feed(text)
    collector.close()
    collector.end_run()
    return collector.blocks


class _TextCollector(HTMLParser):
    def __init__(self, text: str):
        super().__init__(convert_charrefs=False)
        self.text = text
        self.starts = line_starts(text)
        self.blocks: list[Block] = []
        self.kept_depth: dict[str, int] = {}
        self.run: tuple[int, int] | None = None

    def _offset(self) -> int:
        line, column = self.getpos()
        return self.starts[line - 1] + column

    def _add(self, start: int, end: int) -> None:
        if any(self.kept_depth.values()):
            return
        if self.run and self.run[1] == start:
            self.run = (self.run[0], end)
        else:
            self.end_run()
            self.run = (start, end)

    def end_run(self) -> None:
        if self.run and (block := trimmed_block(self.text, *self.run)):
            self.blocks.append(block)
        self.run = None

    def handle_data(self, data: str) -> None:
        start = self._offset()
        if self.text.startswith(data, start):
            self._add(start, start + len(data))
        else:  # never expected with unconverted references; keep the text as it is
            self.end_run()

    def _reference(self, prefix: str, name: str) -> None:
        start = self._offset()
        end = start + len(prefix) + len(name)
        if self.text.startswith(prefix + name, start):
            if self.text.startswith(";", end):
                end += 1
            self._add(start, end)
        else:
            self.end_run()

    def handle_entityref(self, name: str) -> None:
        self._reference("&", name)

    def handle_charref(self, name: str) -> None:
        self._reference("&#", name)

    def handle_starttag(self, tag, attrs) -> None:
        self.end_run()
        if tag in _KEPT_ELEMENTS:
            self.kept_depth[tag] = self.kept_depth.get(tag, 0) + 1

    def handle_startendtag(self, tag, attrs) -> None:
        self.end_run()

    def handle_endtag(self, tag) -> None:
        self.end_run()
        if self.kept_depth.get(tag):
            self.kept_depth[tag] -= 1

    def handle_comment(self, data) -> None:
        self.end_run()

    def handle_decl(self, decl) -> None:
        self.end_run()

    def handle_pi(self, data) -> None:
        self.end_run()

    def unknown_decl(self, data) -> None:
        self.end_run()
