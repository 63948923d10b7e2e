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
- Comments, references, flags, ``msgctxt`` and obsolete messages are kept; comments are written
  as they are, never re-wrapped (polib would cut one longer than 78 columns into two lines, which
  changes it). A translator comment with no space after ``#`` (``#Abbreviated``), which msgfmt
  accepts, is read as one.
- An existing ``msgstr`` (a translation someone made) is kept and its message not translated,
  when the catalogue's translations are English (``Language: en``; with no ``Language``, a
  ``Language-Team`` that is unset or names English); ``retranslate=True`` (``--retranslate``:
  ``ReadOptions.retranslate``) replaces it. A catalogue translated into another language gets every
  ``msgstr`` replaced (those are not English). Which messages are kept is decided when reading and
  recorded on the document (``SourceDocument.kept_translations``), so writing needs no setting.

The document text (what the JSON's offsets point into) is the messages' source texts
separated by blank lines; the English file is written by polib.
"""

from __future__ import annotations

import functools
import re

from translate.document import Span, SourceDocument, declared_language
from translate.errors import InputError
from translate.formats.base import TextFormat, english_texts, layout_texts, translated_texts
from translate.formats.encoding import decode_bytes

# A translator comment written "#text" (no space): polib refuses it, msgfmt reads it as "# text".
_TIGHT_COMMENT = re.compile(r"^#(?=[^\s.:,|~])", re.MULTILINE)
# printf-style (%s, %5.2f, %(name)s, %1$s) and brace-style ({}, {0}, {name}, {name!r:>10}) placeholders.
_PLACEHOLDER = re.compile(r"%(?:\d+\$|\([^)]*\))?[-+ #0]*(?:\d+|\*)?(?:\.\d+)?[hlLqjzt]*[diouxXeEfFgGcrsa%]|\{[\w.\[\]]*(?:![rsa])?(?::[^{}]*)?\}")
ENGLISH_PLURAL_FORMS = "nplurals=2; plural=(n != 1);"


class GettextFormat(TextFormat):
    name = "po"
    suffix = ".po"
    suffixes = (".po", ".pot")
    acts_on = ("retranslate",)  # ReadOptions

    def english_suffix(self, suffix: str) -> str:
        return ".po"  # a filled template is a catalogue

    def __init__(self, retranslate: bool = False):
        self.retranslate = retranslate  # replace existing translations too

    def read(self, data: bytes, source: str, *, sha256: str) -> SourceDocument:
        text, encoding = decode_bytes(data, source)
        catalogue, texts = _messages(text, source)
        kept = self._kept(catalogue)
        layout = _layout(texts, kept, language=declared_language(catalogue.metadata.get("X-Source-Language")))
        return SourceDocument(source, layout.text, sha256, encoding, layout.blocks, original=data,
                              kept_translations=tuple(sorted(kept)), read_options=self.options_used())

    def write(self, document: SourceDocument, segments: list[Span]) -> str:
        text, _encoding = decode_bytes(document.original, document.source)
        catalogue, texts = _messages(text, document.source)
        if not texts and not text.strip():
            return ""
        kept = set(document.kept_translations)  # decided when reading
        layout = _layout(texts, kept)
        english = {(entry, field): value for (entry, field, _message), value in zip(texts, english_texts(layout, segments))}
        machine = {texts[index][0] for index in translated_texts(layout, segments)}
        entries = _translatable(catalogue)
        for position, entry in enumerate(entries):
            if position in kept:
                continue
            if entry.msgid_plural:
                entry.msgstr_plural = {0: english[(position, "msgid")], 1: english[(position, "msgid_plural")]}
            else:
                entry.msgstr = english[(position, "msgid")]
            if position in machine and "fuzzy" not in entry.flags:
                entry.flags.append("fuzzy")
        catalogue.metadata["Language"] = "en"
        if any(entry.msgid_plural for entry in entries):
            catalogue.metadata["Plural-Forms"] = ENGLISH_PLURAL_FORMS
        for entry in catalogue:
            entry.__class__ = _entry_class()  # written with comments as they are (see _entry_class)
        return str(catalogue) + "\n"

    def _kept(self, catalogue) -> set[int]:
        """Positions (in ``_translatable``) of the messages whose existing translation is kept."""
        if self.retranslate or not _translated_into_english(catalogue.metadata):
            return set()
        return {position for position, entry in enumerate(_translatable(catalogue))
                if entry.msgstr or any(entry.msgstr_plural.values())}


def _translated_into_english(metadata: dict) -> bool:
    """Whether the catalogue's existing translations are English: its ``Language`` says so; with no
    ``Language``, its ``Language-Team`` is unset, the template's placeholder or names English (a
    catalogue with a Russian team and no Language header, as Okapi's Drupal sample, is Russian)."""
    language = (metadata.get("Language") or "").strip()
    if language:
        return language.replace("_", "-").split("-")[0].lower() == "en"
    team = (metadata.get("Language-Team") or "").strip().lower()
    return not team or team.startswith(("language ", "language<", "english", "en ", "en<", "en_", "en-"))


def _layout(texts: list[tuple[int, str, str]], kept: set[int], language: str | None = None):
    """The layout of the messages' texts; a kept message is in the text but has no block (not translated)."""
    regions = iter([[] if entry in kept else _outside_placeholders(message) for entry, _field, message in texts])
    return layout_texts([message for _entry, _field, message in texts], lambda _message: next(regions),
                        language=language)


@functools.cache
def _entry_class():
    """polib's entry, writing its translator and extracted comments as they are: polib wraps a comment
    longer than 78 columns into two, which changes it (gettext's own tools never wrap comments)."""
    import polib

    class Entry(polib.POEntry):
        def __unicode__(self, wrapwidth=78):
            tcomment, comment = self.tcomment, self.comment
            comments = [("# ", tcomment)] + ([] if self.obsolete else [("#. ", comment)])
            lines = [prefix + line for prefix, value in comments if value for line in value.split("\n")]
            self.tcomment = self.comment = ""
            try:
                body = super().__unicode__(wrapwidth)
            finally:
                self.tcomment, self.comment = tcomment, comment
            return "\n".join([*lines, body])

    return Entry


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
        text = _TIGHT_COMMENT.sub("# ", text)
        catalogue = polib.pofile(text if "\n" in text else text + "\n")
    except (OSError, ValueError) as err:
        raise InputError(f"{source}: not a gettext catalogue: {err}") from None
    texts = []
    for position, entry in enumerate(_translatable(catalogue)):
        texts.append((position, "msgid", entry.msgid))
        if entry.msgid_plural:
            texts.append((position, "msgid_plural", entry.msgid_plural))
    return catalogue, texts
