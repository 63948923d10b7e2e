"""PowerPoint (.pptx): the text frames, tables and notes of every slide, in slide order (each
slide's notes after it). Runs (``<a:r><a:t>``) are ranges over their paragraph's text (see
``xmltext``); fields (slide numbers, dates) and line breaks cut the text and are kept; a run
with a hyperlink is a link. Everything else in the package is kept byte for byte.
"""

from __future__ import annotations

import posixpath

from translate.formats.package import Package
from translate.formats.xmltext import UnitCollector, XmlPackageFormat

A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_NOTES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/notesSlide"


class PptxFormat(XmlPackageFormat):
    name = "pptx"
    suffix = ".pptx"
    suffixes = (".pptx",)
    kind = "PowerPoint presentation"

    def text_parts(self, package: Package) -> list[str]:
        package.require("ppt/presentation.xml", self.kind)
        presentation = package.xml("ppt/presentation.xml")
        targets = relationships(package, "ppt/presentation.xml")
        parts = []
        for slide_id in presentation.iter(P + "sldId"):
            slide = targets.get(slide_id.get(R + "id"), (None, None))[0]
            if slide is None or not package.has(slide):
                continue
            parts.append(slide)
            for target, kind in relationships(package, slide).values():
                if kind == _NOTES and package.has(target):
                    parts.append(target)
        return parts

    def walk(self, part: str, root, collector: UnitCollector) -> None:
        for paragraph in root.iter(A + "p"):
            if any(ancestor.tag == MC + "Fallback" for ancestor in paragraph.iterancestors()):
                continue
            collector.end()
            for child in paragraph:
                if child.tag == A + "r":  # a link's runs are ranges too (carried over by translate.markup)
                    text = child.find(A + "t")
                    if text is not None:
                        collector.add(text)
                elif child.tag in (A + "br", A + "fld"):
                    collector.end()  # a line break, or a field (slide number, date) kept as it is
            collector.end()


def relationships(package: Package, part: str) -> dict[str, tuple[str, str]]:
    """The relationships of ``part``: id -> (target member name, relationship type)."""
    folder, name = posixpath.split(part)
    rels = posixpath.join(folder, "_rels", name + ".rels")
    if not package.has(rels):
        return {}
    found = {}
    for rel in package.xml(rels).iter(REL + "Relationship"):
        if rel.get("TargetMode") == "External":
            continue
        target = rel.get("Target", "")
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
        found[rel.get("Id")] = (path, rel.get("Type", ""))
    return found
