"""TMX 1.4b export: one translation unit per translated span, for CAT tools.

Written with the standard library's ``XMLGenerator``, which escapes text and attribute
values; a TMX library would add a dependency for a format this small. The header names
``*all*`` as source language because a run mixes French and Spanish sources.

XML 1.0 cannot carry most C0 control characters (even escaped), so they are replaced:
whitespace-like ones (vertical tab, form feed, separators) by a space, the others removed.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from xml.sax.saxutils import XMLGenerator

from translate._distribution import __version__
from translate.document import KEPT_LANGUAGES

# Characters XML 1.0 forbids: C0 controls except tab/newline/carriage return, lone surrogates, U+FFFE/U+FFFF.
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_SPACE_LIKE = {"\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x1f"}


def xml_safe(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot represent."""
    return _ILLEGAL_XML.sub(lambda m: " " if m.group() in _SPACE_LIKE else "", text)


def corpus_tmx(documents: Iterable[dict]) -> str:
    """The TMX document of the translated spans of ``documents`` (batch JSON objects), in order."""

    def units():
        for document in documents:
            source = str(document.get("source", ""))
            for index, seg in enumerate(document.get("segments", [])):
                translation = seg.get("translation")
                if seg.get("lang") in KEPT_LANGUAGES or not translation or not seg.get("text"):
                    continue
                yield f"{source}#{index}", source, seg["lang"], seg["text"], "en", translation

    # segtype block: a span is a run of one language, a sentence, several, or part of one.
    return _tmx(units(), segtype="block", srclang="*all*", o_tmf="translate-json")


def _tuv(xml: XMLGenerator, lang: str, text: str) -> None:
    xml.ignorableWhitespace("\n  ")
    xml.startElement("tuv", {"xml:lang": lang})
    _element(xml, "seg", {}, text)
    xml.endElement("tuv")


def _element(xml: XMLGenerator, name: str, attributes: dict, text: str) -> None:
    xml.startElement(name, attributes)
    xml.characters(xml_safe(text))
    xml.endElement(name)


def pairs_tmx(units: Iterable[tuple[str, str, str, str, str, str]], *, srclang: str = "*all*") -> str:
    """TMX of aligned pairs (``translate align``): one ``tu`` per ``(tuid, document, source lang,
    source text, target lang, target text)``, with the document as ``<prop type="x-document">``."""
    # segtype sentence: a group is one or more whole sentences.
    return _tmx(units, segtype="sentence", srclang=srclang, o_tmf="translate-align-json")


def _tmx(units: Iterable[tuple[str, str, str, str, str, str]], *, segtype: str, srclang: str, o_tmf: str) -> str:
    """A TMX 1.4b document with one ``tu`` per ``(tuid, document, source lang, source text, target
    lang, target text)``."""
    buffer = io.StringIO()
    xml = XMLGenerator(buffer, encoding="utf-8", short_empty_elements=True)
    xml.startDocument()
    buffer.write('<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n')
    xml.startElement("tmx", {"version": "1.4"})
    xml.ignorableWhitespace("\n")
    xml.startElement("header", {
        "creationtool": "translate",
        "creationtoolversion": __version__,
        "datatype": "plaintext",
        "segtype": segtype,
        "adminlang": "en",
        "srclang": xml_safe(srclang),
        "o-tmf": o_tmf,
    })
    xml.endElement("header")
    xml.ignorableWhitespace("\n")
    xml.startElement("body", {})
    xml.ignorableWhitespace("\n")
    for tuid, document, source_lang, source_text, target_lang, target_text in units:
        xml.startElement("tu", {"tuid": xml_safe(tuid)})
        xml.ignorableWhitespace("\n  ")
        _element(xml, "prop", {"type": "x-document"}, document)
        _tuv(xml, source_lang, source_text)
        _tuv(xml, target_lang, target_text)
        xml.ignorableWhitespace("\n")
        xml.endElement("tu")
        xml.ignorableWhitespace("\n")
    xml.endElement("body")
    xml.ignorableWhitespace("\n")
    xml.endElement("tmx")
    xml.ignorableWhitespace("\n")
    xml.endDocument()
    return buffer.getvalue()
