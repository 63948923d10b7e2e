"""Writers of the side-by-side page and the TMX, on documents built in the test (no model involved)."""

from __future__ import annotations

import base64
import hashlib
import re
from html import unescape
import xml.etree.ElementTree as ET

from translate.document import Span, SourceDocument
from translate.writers import TranslatedDocument
from translate.writers.html_writer import aligned_pieces, render_document
from translate.writers.tmx_writer import corpus_tmx, xml_safe

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def translated_document(source_text: str, segments: list[Span], source: str = "a/b.txt") -> TranslatedDocument:
    return TranslatedDocument(SourceDocument(source, source_text, "0" * 64, "utf-8"), segments, {"fr": "model-fr"}, {})


def test_words_are_sliced_at_alignment_offsets_and_escaped_piece_by_piece():
    text, translation = 'Le <b>chat</b> & "moi"', "The <b>cat</b> & me"
    alignment = [[6, 10, 7, 10], [18, 21, 17, 19], [0, 2, 0, 3]]
    source, target, count = aligned_pieces(text, translation, alignment)
    assert "".join(piece.text for piece in source) == text and "".join(piece.text for piece in target) == translation
    assert [(p.text, p.word, p.links) for p in source if p.word] == [("Le", "s0", "t0"), ("chat", "s1", "t1"), ("moi", "s2", "t2")]
    assert count == 3
    html = render_document(translated_document(text, [Span(0, 0, len(text), "fr", text, translation, -0.5, alignment)]))
    # The page lists each cell's words (id, offsets, linked ids) for its script, which wraps them lazily.
    assert '<span class="text" data-words="0,0,2,0 1,6,10,1 2,18,21,2">Le &lt;b&gt;chat&lt;/b&gt; &amp; &#34;moi&#34;</span>' in html
    assert '<span class="text" data-words="0,0,3,0 1,7,10,1 2,17,19,2">The &lt;b&gt;cat&lt;/b&gt; &amp; me</span>' in html
    assert "<b>" not in html


def test_word_offsets_are_given_as_the_page_script_counts_them():
    from translate.writers.html_writer import browser_offsets, word_attribute

    # A character beyond U+FFFF is two UTF-16 units; the HTML parser reads \r\n as one \n.
    text = "a\U0001F600 b\r\nc"
    assert browser_offsets(text) == [0, 1, 3, 4, 5, 5, 6, 7]
    source, _, _ = aligned_pieces(text, "x y", [[3, 4, 0, 1], [6, 7, 2, 3]])
    assert word_attribute(source) == "0,4,5,0 1,6,7,1"
    assert browser_offsets("plain text") is None


def test_out_of_range_or_overlapping_offsets_are_ignored_not_trusted():
    source, _, _ = aligned_pieces("abc def", "x", [[0, 3, 0, 1], [1, 5, 0, 1], [4, 99, 0, 1]])
    assert [(p.text, p.word) for p in source] == [("abc", "s0"), (" def", None)]


def test_one_row_per_segment_even_when_the_translation_has_several_sentences_and_kept_rows_are_marked():
    text = "Il pleut. Il fait froid.\n\nOK.\n\nThis is English."
    segments = [
        Span(0, 0, 24, "fr", text[0:24], "It is raining. It is cold. Really.", -0.3),
        Span(1, 26, 29, "und", "OK.", "OK.", None),
        Span(2, 31, 47, "en", text[31:47], text[31:47], None),
    ]
    html = render_document(translated_document(text, segments))
    rows = re.findall(r"<tr data-seg=\"(\d+)\"[^>]*class=\"(\w+)\"", html)
    assert rows == [("0", "translated"), ("1", "kept"), ("2", "kept")]
    assert html.count("<tbody class=\"paragraph") == 3, "one group per paragraph"
    assert 'lang="und"' in html and 'lang="en"' in html and html.count('class="kept-tag"') == 2
    assert 'href="../index.html"' in html and 'href="b.en.txt"' in html


def test_inline_css_and_script_are_exactly_those_the_content_security_policy_allows():
    html = render_document(translated_document("Bonjour", [Span(0, 0, 7, "fr", "Bonjour", "Hello", -0.1, [[0, 7, 0, 5]])]))
    [policy] = [unescape(p) for p in re.findall(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html)]
    assert "default-src 'none'" in policy and "unsafe-inline" not in policy
    for tag, directive in (("style", "style-src"), ("script", "script-src")):
        allowed = re.search(directive + r" ([^;]+)", policy).group(1).split()
        for body in re.findall(rf"<{tag}>(.*?)</{tag}>", html, flags=re.S):
            digest = base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode()
            assert f"'sha256-{digest}'" in allowed, f"inline {tag} not allowed by the policy"
    assert "http://" not in html.replace("http-equiv", "") and "https://" not in html, "nothing fetched from anywhere"


def test_tmx_has_a_unit_per_translated_span_and_strips_characters_xml_cannot_hold():
    documents = [{
        "source": "dir/a & b.txt",
        "segments": [
            {"lang": "fr", "text": "Bonjour\x0c<monde>\x01", "translation": "Hello <world>"},
            {"lang": "en", "text": "kept", "translation": "kept"},
            {"lang": "es", "text": "Hola \"amigo\"", "translation": "Hi \"friend\""},
        ],
    }]
    root = ET.fromstring(corpus_tmx(documents).encode("utf-8"))
    units = root.findall("body/tu")
    assert [(tu.find("prop").text, [(tuv.get(XML_LANG), tuv.find("seg").text) for tuv in tu.findall("tuv")]) for tu in units] == [
        ("dir/a & b.txt", [("fr", "Bonjour <monde>"), ("en", "Hello <world>")]),
        ("dir/a & b.txt", [("es", 'Hola "amigo"'), ("en", 'Hi "friend"')]),
    ]
    assert xml_safe("a\x00b\x1fc\td\ne\uffff") == "ab c\td\ne"
