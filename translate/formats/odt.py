"""OpenDocument text (.odt): paragraphs and headings of the body (lists, tables, frames and
footnotes included) in ``content.xml``; everything else in the package is kept byte for byte.

A paragraph's text and its spans are ranges over its plain text (see ``xmltext``); links
(``<text:a>``) keep their targets; tabs, line breaks, fields (page numbers, dates), frames and
footnotes cut the text and are kept; bookmarks and other zero-width marks are kept in place, as
are ``<text:s/>`` spaces (they cut the text when they are the only space between two words).
Footnotes and text in frames come after their paragraph. ``lxml`` reads ``content.xml``
directly: odfdo would parse it the same way and add nothing this needs.
"""

from __future__ import annotations

from translate.errors import InputError
from translate.formats.package import Package
from translate.formats.xmltext import UnitCollector, XmlPackageFormat

TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
DRAW = "{urn:oasis:names:tc:opendocument:xmlns:drawing:1.0}"

_PARAGRAPHS = {TEXT + "p", TEXT + "h"}
# Not document text: declarations, tracked deletions, comments, change records.
_SKIPPED_BLOCKS = {TEXT + "tracked-changes", TEXT + "sequence-decls", TEXT + "variable-decls",
                   TEXT + "user-field-decls", OFFICE + "annotation", OFFICE + "forms"}
# Inline elements with no text of their own: the text after them continues the paragraph.
_MARKS = {TEXT + name for name in ("s", "bookmark", "bookmark-start", "bookmark-end", "reference-mark",
                                   "reference-mark-start", "reference-mark-end", "soft-page-break", "change",
                                   "change-start", "change-end", "alphabetical-index-mark", "toc-mark")}
_FORMATTING = {TEXT + "span", TEXT + "meta"}
_NESTED = {TEXT + "note", DRAW + "frame", DRAW + "a", DRAW + "custom-shape", DRAW + "rect", DRAW + "g"}


class OdtFormat(XmlPackageFormat):
    name = "odt"
    suffix = ".odt"
    suffixes = (".odt",)
    kind = "OpenDocument text"

    def check(self, package: Package) -> None:
        if package.has("META-INF/manifest.xml") and b"encryption-data" in package.read("META-INF/manifest.xml"):
            raise InputError(f"{package.source}: encrypted (password-protected) document")

    def text_parts(self, package: Package) -> list[str]:
        package.require("content.xml", self.kind)
        return ["content.xml"]

    def finish(self, part: str, root) -> None:
        # A table cell may repeat its text in an attribute (readers that show values use it).
        for cell in root.iter(TABLE + "table-cell"):
            if cell.get(OFFICE + "string-value") is not None:
                cell.set(OFFICE + "string-value", "\n".join("".join(p.itertext()) for p in cell.iter(*_PARAGRAPHS)))

    def walk(self, part: str, root, collector: UnitCollector) -> None:
        body = root.find(OFFICE + "body")
        _Walker(collector).visit(body if body is not None else root)


class _Walker:
    def __init__(self, collector: UnitCollector):
        self.collector = collector

    def visit(self, element) -> None:
        for child in element:
            if child.tag in _PARAGRAPHS:
                self.paragraph(child)
            elif isinstance(child.tag, str) and child.tag not in _SKIPPED_BLOCKS:
                self.visit(child)

    def paragraph(self, paragraph) -> None:
        self.collector.end()
        nested: list = []
        self.inline(paragraph, nested)
        self.collector.end()
        for element in nested:
            self.visit(element)

    def inline(self, element, nested: list) -> None:
        collector = self.collector
        collector.add(element, "text")
        for child in element:
            tag = child.tag
            if tag in _FORMATTING or tag == TEXT + "a":
                self.inline(child, nested)
            elif tag == TEXT + "s" and collector.current.text[-1:].strip():
                collector.end()  # the only space between two words: keep it, cut the text there
            elif tag in _MARKS or not isinstance(tag, str):
                pass  # zero-width (comments, processing instructions included), or extra spaces
            else:  # tab, line break, field, note, frame, annotation: kept where it is
                collector.end()
                if tag in _NESTED:
                    nested.append(child)
            collector.add(child, "tail")
