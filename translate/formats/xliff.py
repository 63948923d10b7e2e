"""XLIFF (.xlf, .xliff), versions 1.2 and 2.0: each source segment is translated into its target.

- 1.2: every ``<trans-unit>`` to translate gets a ``<target xml:lang="en"
  state="needs-review-translation">`` after its ``<source>`` (an existing target is replaced);
  each ``<file>`` gets ``target-language="en"``.
- 2.0: every ``<segment>`` of a ``<unit>`` to translate gets a ``<target>`` and
  ``state="translated"``; the root gets ``trgLang="en"``.
- A target whose every translated span is a reviewer's (``translate review apply``) gets
  ``state="signed-off"`` (1.2) or ``state="reviewed"`` (2.0) instead.
- The states are settings of ``XliffFormat`` (``state_12``, ``state_20``, ``reviewed_state_12``,
  ``reviewed_state_20``).
- A unit with ``translate="no"``, or inside a ``<group>`` or (2.0) ``<file>`` so marked, gets no
  target (the nearest ``translate`` attribute decides). Protected inline content is kept verbatim:
  ``<mrk translate="no">``, 1.2 ``<mrk mtype="protected">`` and 2.0 ``<sm translate="no"/>`` ...
  ``<em/>``, as the HTML reader keeps ``translate="no"``; it cuts the text as a code does.
- Inline codes are kept: the target is a copy of the source with its text replaced, so every
  placeholder (``<x/>``, ``<ph/>``, ``<bx/>``, ``<sc/>``, ...) keeps its id and place; they cut
  the text, as fields do in Word. Paired codes (``<g>``, ``<pc>``, ``<mrk>``) are ranges of the
  text (see ``xmltext``).

The declared source language (``source-language``, ``srcLang``) is every span's language when it
is French, Spanish or English; otherwise each span's language is detected. Parsed with lxml, entities unresolved (translate-toolkit is GPL). The document text is the
source segments' texts separated by blank lines.
"""

from __future__ import annotations

import copy

from translate.document import Span, SourceDocument, declared_language
from translate.errors import InputError
from translate.formats.base import TextFormat
from translate.formats.package import parse_xml, serialize_xml
from translate.formats.xmltext import UnitCollector, apply_english, layout_units

X12 = "{urn:oasis:names:tc:xliff:document:1.2}"
X20 = "{urn:oasis:names:tc:xliff:document:2.0}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# Inline elements: paired codes hold translatable text; the others are codes kept where they are.
_CONTAINERS = {X12 + "g", X12 + "mrk", X20 + "pc", X20 + "mrk"}


class XliffFormat(TextFormat):
    name = "xliff"
    suffix = ".xliff"
    suffixes = (".xlf", ".xliff")

    def __init__(self, state_12: str = "needs-review-translation", state_20: str = "translated",
                 reviewed_state_12: str = "signed-off", reviewed_state_20: str = "reviewed"):
        self.state_12 = state_12
        self.state_20 = state_20
        self.reviewed_state_12 = reviewed_state_12
        self.reviewed_state_20 = reviewed_state_20

    def read(self, data: bytes, source: str, *, sha256: str) -> SourceDocument:
        root = parse_xml(data, source)
        pairs = _sources(root, source)
        units = _units([src for _holder, src in pairs], [_source_language(root, holder) for holder, _src in pairs])
        layout = layout_units(units)
        return SourceDocument(source, layout.text, sha256, "utf-8", layout.blocks, original=data)

    def write(self, document: SourceDocument, segments: list[Span]) -> str:
        root = parse_xml(document.original, document.source)
        pairs = _sources(root, document.source)
        targets = []
        for _holder, src in pairs:
            target = copy.deepcopy(src)
            target.tag = src.tag[: -len("source")] + "target"
            target.attrib.clear()
            target.tail = src.tail
            targets.append(target)
        units = _units(targets)
        layout = layout_units(units)
        apply_english(layout, units, segments)
        reviewed = _reviewed_targets(targets, units, layout, segments)
        version2 = root.tag == X20 + "xliff"
        for index, ((holder, src), target) in enumerate(zip(pairs, targets)):
            for old in holder.findall(target.tag):
                holder.remove(old)
            after = src
            if not version2:
                target.set(XML_LANG, "en")
                target.set("state", self.reviewed_state_12 if index in reviewed else self.state_12)
                seg_source = holder.find(X12 + "seg-source")
                after = seg_source if seg_source is not None else src
            else:
                holder.set("state", self.reviewed_state_20 if index in reviewed else self.state_20)
            after.addnext(target)
        if version2:
            root.set("trgLang", "en")
        else:
            for file in root.iter(X12 + "file"):
                file.set("target-language", "en")
        return serialize_xml(root, document.original).decode("utf-8")


def _reviewed_targets(targets: list, units: list, layout, segments: list[Span]) -> set[int]:
    """The targets whose translated spans are all a reviewer's (at least one, none by the model)."""
    owner = {}
    for index, target in enumerate(targets):
        for node in target.iter():
            owner[id(node)] = index
    unit_target = [owner.get(id(unit.pieces[0].node)) for unit in units]
    machine, human = set(), set()
    for seg in segments:
        if seg.paragraph >= len(layout.owners):
            continue
        target = unit_target[layout.owners[seg.paragraph]]
        if seg.machine_translated:
            machine.add(target)
        elif seg.origin == "human":
            human.add(target)
    return human - machine


def _sources(root, source: str) -> list[tuple[object, object]]:
    """(holder, <source>) pairs in document order: the holder is the 1.2 trans-unit or the 2.0 segment.
    A unit marked ``translate="no"``, or inside a group or file so marked (the nearest
    ``translate`` attribute decides), has none."""
    if root.tag == X12 + "xliff":
        return [(unit, unit.find(X12 + "source")) for unit in root.iter(X12 + "trans-unit")
                if _translatable(unit) and unit.find(X12 + "source") is not None]
    if root.tag == X20 + "xliff":
        pairs = []
        for unit in root.iter(X20 + "unit"):
            if not _translatable(unit):
                continue
            for segment in unit.findall(X20 + "segment"):
                if segment.find(X20 + "source") is not None:
                    pairs.append((segment, segment.find(X20 + "source")))
        return pairs
    raise InputError(f"{source}: not an XLIFF 1.2 or 2.0 file (root element {root.tag})")


def _translatable(unit) -> bool:
    """The ``translate`` attribute of the unit or its nearest group or file that has one (default yes)."""
    for element in (unit, *unit.iterancestors()):
        value = element.get("translate")
        if value is not None:
            return value.strip().lower() != "no"
    return True


def _source_language(root, holder) -> str | None:
    """fr, es or en when the file declares it (1.2: the ``<file>``'s ``source-language``; 2.0: ``srcLang``)."""
    if root.tag == X20 + "xliff":
        return declared_language(root.get("srcLang"))
    file = next((ancestor for ancestor in holder.iterancestors(X12 + "file")), None)
    return declared_language(file.get("source-language") if file is not None else None)


def _units(sources: list, languages: list[str | None] | None = None) -> list:
    collector = UnitCollector()
    for index, element in enumerate(sources):
        collector.end()
        first = len(collector.units)
        _inline(element, collector)
        collector.end()
        for unit in collector.units[first:]:
            unit.language = languages[index] if languages else None
    return collector.units


def _inline(element, collector: UnitCollector, protected: set[str] | None = None) -> None:
    """Feed the text of ``element`` to ``collector``. Protected content (``<mrk translate="no">``,
    1.2 ``<mrk mtype="protected">``, and in 2.0 what lies between ``<sm translate="no"/>`` and its
    ``<em/>``) is kept as written, like a code; ``protected`` holds the ids of the open markers."""
    protected = set() if protected is None else protected
    if not protected:
        collector.add(element, "text")
    for child in element:
        if child.tag == X20 + "sm" and child.get("translate", "").strip().lower() == "no":
            collector.end()
            protected.add(child.get("id", ""))
        elif child.tag == X20 + "em" and child.get("startRef", "") in protected:
            collector.end()
            protected.discard(child.get("startRef", ""))
        elif child.tag in _CONTAINERS and not protected and not _protected_marker(child):
            _inline(child, collector, protected)
        elif child.tag in _CONTAINERS and protected:
            _inline(child, collector, protected)  # inside a protected stretch: only its markers matter
        elif isinstance(child.tag, str):
            collector.end()  # a code or protected content: kept where it is, its content untouched
        if not protected:
            collector.add(child, "tail")


def _protected_marker(element) -> bool:
    if element.get("translate", "").strip().lower() == "no":
        return True
    return element.tag == X12 + "mrk" and element.get("mtype") == "protected"
