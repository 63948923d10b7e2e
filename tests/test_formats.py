"""Formats and encodings: what is translated, what is kept byte for byte, and how bytes are decoded.

The round-trip tests mark every span's translation so that the structure of the written
document can be compared with the source's; the model itself is exercised in test_batch_faults.
"""

from __future__ import annotations

import codecs
import os
from html.parser import HTMLParser

import pytest

from translate.errors import InputError
from translate.formats import FORMATS, format_for
from translate.formats.encoding import decode_bytes
from translate.segment import segment_source

MARKDOWN = """---
title: Le chat et la souris
tags: [fable]
---
# Le chat *noir* dort

Un paragraphe avec un [lien vers le site](https://exemple.fr/chat "Le titre du lien") et du `code en ligne` ici.
Voir aussi https://exemple.fr/page pour la suite.

- premier élément de la liste
- deuxième élément avec **du gras**

> Une citation sur
> deux lignes.

```python
print("ne pas traduire")
```

    bloc de code indenté

| Colonne | Autre |
|---------|-------|
| cellule une | cellule deux |
"""

SUBRIP = """1
00:00:01,000 --> 00:00:03,500
Bonjour à tous.
Comment allez-vous ?

2
00:00:04,000 --> 00:00:06,000
El niño come una manzana.

3
00:00:07,250 --> 00:00:09,000
<i>Merci beaucoup.</i>
"""

HTML = """<!DOCTYPE html>
<html lang="fr">
<head><meta charset="utf-8"><title>Le café du coin</title>
<style>p { color: red; } /* ne pas traduire */</style>
<script>var message = "ne pas traduire";</script></head>
<body>
<h1 class="titre" title="attribut gardé">Le caf&eacute; &amp; la boulangerie</h1>
<p>Un texte avec un <a href="/page?a=1&amp;b=2">lien</a> au milieu.</p>
<!-- un commentaire -->
<pre>code   préformaté</pre>
<p>Fin du document.</p>
</body>
</html>
"""


def translate_marked(name: str, source: str):
    """Read ``source`` as format ``name``, segment it, give each span a visible 'translation'."""
    fmt = format_for(f"x{name}")
    document = fmt.read(source.encode("utf-8"), f"doc{name}", sha256="0")
    segments = segment_source(document)
    for seg in segments:
        if document.plain is None:
            assert document.text[seg.start:seg.end] == seg.text
        source_text = seg.text.upper()
        seg.translation = f"EN {source_text}" if name == ".md" else f"EN<{source_text}>"
    return document, segments, fmt.write(document, segments)


def block_texts(document) -> list[str]:
    """The regions segmented on their own: paragraphs and cues, or the plain text of HTML and Markdown flows."""
    if document.plain is not None:
        return [document.plain.text[f.plain_start:f.plain_end] for f in document.plain.flows]
    return [document.text[b.start:b.end] for b in document.blocks]


def markdown_structure(text: str) -> list[tuple]:
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").enable(["table", "strikethrough"]).parse(text)
    shape = []
    for token in tokens:
        shape.append((token.type, token.tag, token.markup, token.info))
        if token.type in ("fence", "code_block"):
            shape.append(token.content)
        for child in token.children or []:
            if child.type in ("softbreak", "text"):
                continue  # text is what changes; a sentence over two lines may come back on one
            attrs = {k: v for k, v in (child.attrs or {}).items() if k not in ("title", "alt")}
            shape.append((child.type, child.tag, child.markup, tuple(sorted(attrs.items()))))
            if child.type == "code_inline":
                shape.append(child.content)
    return shape


def test_markdown_keeps_structure_code_urls_and_front_matter():
    document, segments, english = translate_marked(".md", MARKDOWN)
    blocks = block_texts(document)
    # Whole sentences across inline markup; code and URLs are in the sentence the model sees.
    assert "Le chat noir dort" in blocks
    assert ("Un paragraphe avec un lien vers le site et du code en ligne ici.\n"
            "Voir aussi https://exemple.fr/page pour la suite.") in [b.replace(" Voir", "\nVoir") for b in blocks]
    assert "deuxième élément avec du gras" in blocks and "Une citation sur deux lignes." in blocks
    assert "cellule une" in blocks and "Le titre du lien" in blocks  # a link title is translated on its own
    everything = "\n".join(blocks)
    for kept in ("title:", "fable", "print(", "bloc de code", "---"):
        assert kept not in everything, kept
    # Same markdown structure (headings, lists, links with their targets, emphasis, code, table).
    assert markdown_structure(english) == markdown_structure(MARKDOWN)
    assert english.startswith("---\ntitle: Le chat et la souris\ntags: [fable]\n---\n# EN LE CHAT *NOIR* DORT")
    assert '(https://exemple.fr/chat "EN LE TITRE DU LIEN")' in english
    assert "`code en ligne`" in english and "https://exemple.fr/page" in english  # verbatim, whatever the model wrote
    assert '```python\nprint("ne pas traduire")\n```' in english and "    bloc de code indenté" in english
    assert "Bonjour" not in english and "paragraphe" not in english


def test_subrip_keeps_numbers_and_timings_and_translates_each_cue():
    document, segments, english = translate_marked(".srt", SUBRIP)
    assert block_texts(document) == ["Bonjour à tous.\nComment allez-vous ?", "El niño come una manzana.",
                                     "<i>Merci beaucoup.</i>"]
    source_lines, english_lines = SUBRIP.splitlines(), english.splitlines()
    assert len(source_lines) == len(english_lines), "one line per line: cue lines stay lines"
    for before, after in zip(source_lines, english_lines):
        if before.isdigit() or "-->" in before or not before:
            assert after == before
        else:
            assert after != before and after.startswith("EN<")


def test_subrip_without_cues_is_an_input_error():
    with pytest.raises(InputError, match="not a SubRip file"):
        FORMATS[".srt"].read(b"just some text\n", "bad.srt", sha256="0")


class TagRecorder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.events, self.data = [], []

    def handle_starttag(self, tag, attrs):
        self.events.append(("start", tag, attrs))

    def handle_endtag(self, tag):
        self.events.append(("end", tag))

    def handle_comment(self, data):
        self.events.append(("comment", data))

    def handle_data(self, data):
        if self.lasttag in ("script", "style", "pre"):
            self.events.append(("raw", data))
        elif data.strip():
            self.data.append(data)


def html_events(text: str) -> TagRecorder:
    recorder = TagRecorder()
    recorder.feed(text)
    recorder.close()
    return recorder


def test_html_translates_text_nodes_only_and_escapes_the_translation():
    document, segments, english = translate_marked(".html", HTML)
    assert block_texts(document) == ["Le café du coin", "attribut gardé", "Le café & la boulangerie",
                                     "Un texte avec un lien au milieu.", "Fin du document."]
    before, after = html_events(HTML), html_events(english)
    for event in before.events + after.events:  # attributes a reader sees are translated; lang becomes en
        if event[0] == "start":
            event[2][:] = [(k, v) for k, v in event[2] if k not in ("title", "lang")]
    assert after.events == before.events, "tags, attributes, comments, scripts, styles and <pre> are unchanged"
    assert '<html lang="en">' in english and 'title="EN&lt;ATTRIBUT GARDÉ&gt;"' in english
    # The marker's '<' and '>' are text: escaped in the page, read back as text.
    assert "EN&lt;LE CAFÉ DU COIN&gt;" in english
    assert "EN&lt;LE CAFÉ &amp; LA BOULANGERIE&gt;" in english, "the model's text is unescaped, the page's escaped"
    assert segments[2].text == "Le café & la boulangerie" and HTML[segments[2].start:segments[2].end] == "Le caf&eacute; &amp; la boulangerie"
    assert '<a href="/page?a=1&amp;b=2">' in english


@pytest.mark.parametrize("name", [".txt", ".md", ".srt", ".html"])
def test_empty_documents_have_no_blocks(name):
    document = format_for(f"x{name}").read(b"", f"empty{name}", sha256="0")
    assert document.text == "" and document.blocks == []
    assert format_for(f"x{name}").write(document, []) == ""


FRENCH = "Le garçon est allé à l'école près de la forêt. Ça coûte très cher, déjà !"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (FRENCH.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + FRENCH.encode("utf-8"), "utf-8-sig"),
        (codecs.BOM_UTF16_LE + FRENCH.encode("utf-16-le"), "utf-16"),
        (codecs.BOM_UTF16_BE + FRENCH.encode("utf-16-be"), "utf-16"),
        (FRENCH.encode("cp1252"), "cp1252"),
        (FRENCH.encode("latin-1"), "cp1252"),
        ("Élève".encode("cp1252"), "cp1252"),  # short texts mislead unrestricted detectors
        ("déjà vu".encode("cp1252"), "cp1252"),
        ("L’été dernier… « Noël » – 5 €".encode("cp1252"), "cp1252"),
        ("El niño comió piñata en el año pasado. ¿Qué tal?".encode("cp1252"), "cp1252"),
    ],
)
def test_encodings_are_detected_and_decoded(data, encoding):
    text, found = decode_bytes(data, "f.txt")
    assert found == encoding
    expected = data.decode({"utf-8-sig": "utf-8-sig", "utf-16": "utf-16", "cp1252": "cp1252"}.get(found, found))
    assert text == expected and "\ufeff" not in text


@pytest.mark.parametrize(
    "data",
    [b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", bytes(range(256)) * 4, os.urandom(2048) + b"\x00",
     b"\x81\x8d\x8f\x90\x9d" * 50],
)
def test_binary_files_are_not_text(data):
    with pytest.raises(InputError, match="not a text file"):
        decode_bytes(data, "f.txt")


def test_spans_without_punctuation_are_bounded_and_keep_the_contract():
    from translate.segment import MAX_SPAN_CHARACTERS, bound_span_lengths
    from translate.document import Span

    words = " ".join(f"mot{i}" for i in range(3000))
    text = f"Titre.\n\n{words}, suite sans point {'x' * 2500}"
    segments = [Span(0, 0, 6, "fr", "Titre."), Span(1, 8, len(text), "fr", text[8:])]
    bounded = bound_span_lengths(segments)
    assert bounded[0] is segments[0]
    assert len(bounded) > 3 and all(seg.end - seg.start <= MAX_SPAN_CHARACTERS for seg in bounded)
    for seg in bounded:
        assert text[seg.start:seg.end] == seg.text == seg.text.strip() and seg.lang == "fr"
    assert "".join(seg.text for seg in bounded).replace(" ", "") == text.replace(" ", "").replace("\n", "")
    assert [seg.start for seg in bounded] == sorted(seg.start for seg in bounded)


def test_english_html_page_keeps_the_source_encoding():
    page = '<html><head><meta charset="windows-1252"></head><body><p>Un café crème.</p></body></html>'
    fmt = FORMATS[".html"]
    document = fmt.read(page.encode("cp1252"), "old.html", sha256="0")
    assert document.encoding == "cp1252"
    segments = segment_source(document)
    segments[0].translation = "A coffee with cream, 5 € — ok ✓"
    data = fmt.encode(document, fmt.write(document, segments))
    assert data.decode("cp1252") == page.replace("Un café crème.", "A coffee with cream, 5 € — ok &#10003;")


MALFORMED_SUBRIP = """1
00:00:01,000 --> 00:00:02,000
Bonjour à tous.

2
00:00:03,000 -> 00:00:04,000
Le chat dort sur le canapé.
Il fait très beau.

3
Une réplique sans minutage.

4
00:00:07,000 --> 00:00:08,000
Merci beaucoup.
"""


def test_subrip_cues_with_malformed_or_missing_timing_are_translated():
    document, segments, english = translate_marked(".srt", MALFORMED_SUBRIP.replace("\n", "\r\n"))
    assert block_texts(document) == ["Bonjour à tous.", "Le chat dort sur le canapé.\r\nIl fait très beau.",
                                     "Une réplique sans minutage.", "Merci beaucoup."]
    source_lines, english_lines = MALFORMED_SUBRIP.splitlines(), english.split("\r\n")[:-1]
    assert len(source_lines) == len(english_lines)
    for before, after in zip(source_lines, english_lines):
        if before.isdigit() or "->" in before or not before:
            assert after == before  # numbers and timings, malformed ones included, are kept
        else:
            assert after.startswith("EN<")
