"""gettext catalogues (.po, .pot), through polib: each message's ``msgid`` (and ``msgid_plural``)
is a block; the English catalogue ``NAME.en.po`` has every ``msgstr`` filled.

- ``msgstr`` gets the English of ``msgid``; a plural message gets ``msgstr[0]`` (one) and
  ``msgstr[1]`` (other) from ``msgid`` and ``msgid_plural``, with the header's
  ``Plural-Forms`` set to English's (``nplurals=2; plural=(n != 1);``) and ``Language: en``.
- A message the model translated is flagged ``fuzzy`` (machine output, to be reviewed); one
  whose text was already English (or had no language) gets it as it is, not flagged.
- Placeholders (``%s``, ``%(name)d``, ``{count}``) cut the text and are kept as they are.
- The source language is the header's ``X-Source-Language`` when it names French, Spanish or
  English (``Language`` is the *target* language of a catalogue); otherwise each span's
  language is detected.
- Comments, references, flags, ``msgctxt`` and obsolete messages are kept. An existing
  ``msgstr`` is replaced (the catalogue is made English).

The document text (what the JSON's offsets point into) is the messages' source texts
separated by blank lines; the English file is written by polib.
"""

from __future__ import annotations

import re

from translate.document import Segment, SourceDocument, declared_language
from translate.errors import InputError
from translate.formats.base import TextFormat, english_texts, layout_texts, translated_texts
from translate.formats.encoding import decode_bytes

# printf-style (%s, %5.2f, %(name)s, %1$s) and brace-style ({}, {0}, {name}, {name!r:>10}) placeholders.
_PLACEHOLDER = re.compile(r"%(?:\d+\$|\([^)]*\))?[-+ #0]*(?:\d+|\*)?(?:\.\d+)?[hlLqjzt]*[diouxXeEfFgGcrsa%]|\{[\w.\[\]]*(?:![rsa])?(?::[^{}]*)?\}")
ENGLISH_PLURAL_FORMS = "nplurals=2; plural=(n != 1);"


class GettextFormat(TextFormat):
    name = "po"
    suffix = ".po"
    suffixes = (".po", ".pot")

    def english_suffix(self, suffix: str) -> str:
        return ".po"  # a filled template is a catalogue

    def read(self, data: bytes, source: str, *, sha256: str) -> SourceDocument:
        text, encoding = decode_bytes(data, source)
        catalogue, texts = _messages(text, source)
        layout = layout_texts([message for _entry, _field, message in texts], _outside_placeholders,
                              language=declared_language(catalogue.metadata.get("X-Source-Language")))
        return SourceDocument(source, layout.text, sha256, encoding, layout.blocks, original=data)

    def write(self, document: SourceDocument, segments: list[Segment]) -> str:
        text, _encoding = decode_bytes(document.original, document.source)
        catalogue, texts = _messages(text, document.source)
        if not texts and not text.strip():
            return ""
        layout = layout_texts([message for _entry, _field, message in texts], _outside_placeholders)
        english = {(entry, field): value for (entry, field, _message), value in zip(texts, english_texts(layout, segments))}
        machine = {texts[index][0] for index in translated_texts(layout, segments)}
        entries = _translatable(catalogue)
        for position, entry in enumerate(entries):
            if entry.msgid_plural:
                entry.msgstr_plural = {0: english[(position, "msgid")], 1: english[(position, "msgid_plural")]}
            else:
                entry.msgstr = english[(position, "msgid")]
            if position in machine and "fuzzy" not in entry.flags:
                entry.flags.append("fuzzy")
        catalogue.metadata["Language"] = "en"
        if any(entry.msgid_plural for entry in entries):
            catalogue.metadata["Plural-Forms"] = ENGLISH_PLURAL_FORMS
        return str(catalogue) + "\n"


def _outside_placeholders(message: str) -> list[tuple[int, int]]:
    """The stretches of ``message`` between placeholders (``%s``, ``%(name)d``, ``{count}``),
    which are kept exactly as they are."""
    regions, cursor = [], 0
    for match in _PLACEHOLDER.finditer(message):
        regions.append((cursor, match.start()))
        cursor = match.end()
    regions.append((cursor, len(message)))
    return regions


def _translatable(catalogue) -> list:
    return [entry for entry in catalogue if entry.msgid and not entry.obsolete]


def _messages(text: str, source: str):
    """The parsed catalogue and its source texts: (entry position, "msgid" | "msgid_plural", text)."""
    import polib

    if not text.strip():
        return polib.POFile(), []
    try:
        catalogue = polib.pofile(text if "\n" in text else text + "\n")
    except (OSError, ValueError) as err:
        raise InputError(f"{source}: not a gettext catalogue: {err}") from None
    texts = []
    for position, entry in enumerate(_translatable(catalogue)):
        texts.append((position, "msgid", entry.msgid))
        if entry.msgid_plural:
            texts.append((position, "msgid_plural", entry.msgid_plural))
    return catalogue, texts
