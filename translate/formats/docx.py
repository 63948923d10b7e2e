"""Word (.docx): paragraphs of the body (tables included), text boxes, footnotes, endnotes,
headers and footers are translated; everything else in the package is kept byte for byte.

Each paragraph's runs (``<w:r><w:t>``) are ranges over its plain text (see ``xmltext``).
Fields (page numbers, dates, a table of contents: ``<w:fldSimple>`` and ``<w:fldChar>``
pairs) keep their instructions and results untouched and cut the text there, as do tabs,
line breaks, footnote references and drawings. Hyperlinks keep their targets; their text is
translated as a range of the paragraph with the inline-markup transfer, else on its own.
Deleted text of tracked changes is left alone. Reading order: the body, then footnotes,
endnotes, headers and footers (each kind in part-name order).
"""

from __future__ import annotations

import re

from translate.formats.package import Package
from translate.formats.xmltext import UnitCollector, XmlPackageFormat

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"

_BREAKS = {W + name for name in ("tab", "ptab", "br", "cr", "sym", "noBreakHyphen", "footnoteReference",
                                 "endnoteReference", "commentReference", "separator", "continuationSeparator")}
# Elements that may hold paragraphs of their own (text boxes, embedded objects): walked after the paragraph.
_NESTED = {W + "drawing", W + "pict", W + "object", MC + "AlternateContent", W + "txbxContent"}
_SKIPPED = {W + "instrText", W + "delText", W + "delInstrText", W + "del", W + "moveFrom", W + "pPr", W + "rPr",
            W + "fldSimple"}
_PARTS = (r"word/document\.xml", r"word/footnotes\.xml", r"word/endnotes\.xml", r"word/header\d*\.xml",
          r"word/footer\d*\.xml")


# The first w:lang of styles.xml: the document defaults' (w:docDefaults comes first).
_LANG = re.compile(r"""<w:lang\b[^>]*?\bw:val\s*=\s*["']([^"']+)""")


class DocxFormat(XmlPackageFormat):
    name = "docx"
    suffix = ".docx"
    suffixes = (".docx",)
    kind = "Word document"

    def text_parts(self, package: Package) -> list[str]:
        package.require("word/document.xml", self.kind)
        parts = []
        for pattern in _PARTS:
            parts.extend(sorted(name for name in package.names if re.fullmatch(pattern, name)))
        return parts

    def walk(self, part: str, root, collector: UnitCollector) -> None:
        _Walker(collector).visit(root)

    def language(self, package: Package) -> str | None:
        """The default ``w:lang`` of the document's styles (Word's language of the text)."""
        if not package.has("word/styles.xml"):
            return None
        found = _LANG.search(package.read("word/styles.xml").decode("utf-8", "replace"))
        return found.group(1) if found else None


class _Walker:
    def __init__(self, collector: UnitCollector):
        self.collector = collector
        self.field_depth = 0

    def visit(self, element) -> None:
        """Find paragraphs anywhere below ``element`` (tables, text boxes), skipping fallbacks."""
        for child in element:
            if child.tag == MC + "Fallback":
                continue  # the same text box again, for older readers
            if child.tag == W + "p":
                self.paragraph(child)
            elif isinstance(child.tag, str):
                self.visit(child)

    def paragraph(self, paragraph) -> None:
        self.collector.end()
        self.field_depth = 0
        nested: list = []
        self.inline(paragraph, nested)
        self.collector.end()
        for element in nested:
            if element.tag == W + "p":
                self.paragraph(element)
            else:
                self.visit(element)

    def inline(self, element, nested: list) -> None:
        collector = self.collector
        for child in element:
            tag = child.tag
            if not isinstance(tag, str) or tag in _SKIPPED:
                if tag == W + "fldSimple":
                    collector.end()  # its result is kept as it is
                continue
            if tag == W + "t":
                if self.field_depth:
                    collector.end()  # a field's result (a page number, a date): kept
                else:
                    collector.add(child, preserve_space=True)
            elif tag == W + "fldChar":
                kind = child.get(W + "fldCharType")
                self.field_depth += 1 if kind == "begin" else -1 if kind == "end" and self.field_depth else 0
                collector.end()
            elif tag in _BREAKS:
                collector.end()
            elif tag in _NESTED or tag == W + "p":
                collector.end()
                nested.append(child)
            else:  # runs, links, inserted text, content controls, smart tags: their content is inline
                self.inline(child, nested)
