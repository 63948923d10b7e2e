"""Inline markup through whole-sentence translation: transfer_ranges, and HTML/Markdown written back.

Translations here are written by hand, with hand-made word alignments, so that the expected English
document is known; the model and aligner themselves are exercised in test_engines and test_batch_*.
"""

from __future__ import annotations

import random
import re
from html.parser import HTMLParser

import pytest

from translate.wordalign import find_words
from translate.formats import FORMATS
from translate.markup import nesting_parents, transfer_ranges
from translate.segment import segment_source


def pairs(source: str, target: str, links: list[tuple[str, str]]) -> list[list[int]]:
    """Alignment pairs from (source word, target word) links; a word repeated in the links is taken
    at its next occurrence as a whole word."""
    result, used = [], {}

    def find(text: str, word: str, side: str) -> int:
        occurrences = [m.start() for m in re.finditer(r"(?<!\w)" + re.escape(word) + r"(?!\w)", text)]
        key = (side, word)
        used[key] = used.get(key, -1) + 1
        return occurrences[used[key]]

    for src_word, tgt_word in links:
        s, t = find(source, src_word, "s"), find(target, tgt_word, "t")
        result.append([s, s + len(src_word), t, t + len(tgt_word)])
    return result


def span(text: str, piece: str) -> tuple[int, int]:
    start = re.search(r"(?<!\w)" + re.escape(piece) + r"(?!\w)", text).start()
    return start, start + len(piece)


# -- transfer_ranges -------------------------------------------------------------------------------------


def test_an_element_follows_its_words_through_reordering():
    source = "la maison bleue est là"
    target = "the blue house is there"
    alignment = pairs(source, target, [("la", "the"), ("maison", "house"), ("bleue", "blue"), ("est", "is"), ("là", "there")])
    assert transfer_ranges(source, [span(source, "bleue")], target, alignment) == [span(target, "blue")]
    # Over words that the translation reorders, the element covers them all, still one element.
    assert transfer_ranges(source, [span(source, "maison bleue")], target, alignment) == [span(target, "blue house")]


def test_nested_elements_stay_nested_and_siblings_never_cross():
    source = "Revivez le direct du vote avec vos questions"
    target = "Relive the live vote with your questions"
    alignment = pairs(source, target, [("Revivez", "Relive"), ("le", "the"), ("direct", "live"), ("vote", "vote"),
                                       ("avec", "with"), ("vos", "your"), ("questions", "questions")])
    outer, inner, other = span(source, "le direct du vote"), span(source, "direct"), span(source, "vos questions")
    result = transfer_ranges(source, [outer, inner, other], target, alignment)
    assert result == [span(target, "the live vote"), span(target, "live"), span(target, "your questions")]


def test_unaligned_elements_go_next_to_their_neighbours_or_to_the_edge():
    source = "Bonjour le monde"
    target = "Hello world"
    alignment = pairs(source, target, [("Bonjour", "Hello"), ("monde", "world")])
    # "le" has no target word: the element keeps a word next to where it was, never vanishes.
    (result,) = transfer_ranges(source, [span(source, "le")], target, alignment)
    assert result in (span(target, "world"), span(target, "Hello"))
    # A point (a <br>, an image) after "Bonjour" goes after "Hello".
    assert transfer_ranges(source, [(7, 7)], target, alignment) == [(5, 5)]
    # Nothing aligned at all: a point at the very start stays at the start, one at the end at the end.
    assert transfer_ranges(source, [(0, 0), (len(source), len(source))], target, []) == [(0, 0), (len(target), len(target))]


def test_without_alignment_elements_are_placed_proportionally_on_word_edges():
    source = "un deux trois quatre"
    target = "one two three four"
    result = transfer_ranges(source, [span(source, "trois")], target, None)
    assert result == [span(target, "three")]


def test_equal_ranges_and_points_keep_the_given_tree():
    source = "voir la photo"
    target = "see the photo"
    alignment = pairs(source, target, [("voir", "see"), ("la", "the"), ("photo", "photo")])
    # <a><img></a> after "voir ": the link is empty, the image inside it (parents say so).
    result = transfer_ranges(source, [(5, 5), (5, 5)], target, alignment, parents=[None, 0])
    assert result[0] == result[1]


def test_random_inputs_always_give_properly_nested_output():
    rng = random.Random(7)
    for _ in range(300):
        words = ["mot%d" % i for i in range(rng.randint(1, 12))]
        source = " ".join(words)
        target_words = ["w%d" % i for i in range(rng.randint(1, 12))]
        target = " ".join(target_words)
        ranges = _random_nested_ranges(rng, source)
        sw, tw = find_words(source), find_words(target)
        alignment = None if rng.random() < 0.3 else [[*rng.choice(sw), *rng.choice(tw)] for _ in range(rng.randint(0, 15))]
        result = transfer_ranges(source, ranges, target, alignment)
        assert len(result) == len(ranges)
        parents = nesting_parents(ranges)
        for i, (start, end) in enumerate(result):
            assert 0 <= start <= end <= len(target)
            parent = parents[i]
            if parent is not None:
                assert result[parent][0] <= start and end <= result[parent][1]
            for j, other in enumerate(result):
                if j != i and parents[j] == parent:
                    assert not (start < other[1] and other[0] < end), (ranges, result)


def _random_nested_ranges(rng, text):
    ranges = []

    def fill(low, high, depth):
        cursor = low
        while cursor < high and rng.random() < 0.6 and depth < 3:
            start = rng.randint(cursor, high)
            end = rng.randint(start, high)
            ranges.append((start, end))
            if end > start:
                fill(start, end, depth + 1)
            cursor = end + 1

    fill(0, len(text), 0)
    return ranges


# -- HTML ------------------------------------------------------------------------------------------------


def translate_html(page: str, translations: dict[str, tuple[str, list[tuple[str, str]]]]):
    """Read, segment, translate the spans named in ``translations`` (text -> English and word links), write."""
    fmt = FORMATS[".html"]
    document = fmt.read(page.encode("utf-8"), "page.html", sha256="-")
    segments = segment_source(document)
    for seg in segments:
        if seg.text in translations:
            english, links = translations[seg.text]
            seg.lang, seg.translation = "fr", english
            seg.alignment = pairs(seg.text, english, links) if links is not None else None
        else:
            seg.translation = seg.text
    return document, segments, fmt.write(document, segments)


class Shape(HTMLParser):
    """Elements, attributes and nesting of a page (text left out)."""

    def __init__(self, skip=("title", "alt", "lang", "aria-label", "placeholder", "content")):
        super().__init__(convert_charrefs=True)
        self.skip = skip
        self.events = []

    def handle_starttag(self, tag, attrs):
        self.events.append(("<", tag, [(k, v) for k, v in attrs if k not in self.skip]))

    def handle_endtag(self, tag):
        self.events.append(("</", tag))


def shape(page: str) -> list:
    parser = Shape()
    parser.feed(page)
    parser.close()
    return parser.events


def test_a_link_mid_sentence_is_translated_with_its_sentence_and_put_back_on_its_words():
    page = "<p>Revivez <a href=\"/direct\">le direct du vote</a> à l'Assemblée.</p>"
    document, segments, english = translate_html(page, {
        "Revivez le direct du vote à l'Assemblée.": (
            "Relive the live vote in the Assembly.",
            [("Revivez", "Relive"), ("le", "the"), ("direct", "live"), ("vote", "vote"), ("Assemblée", "Assembly")]),
    })
    assert [seg.text for seg in segments] == ["Revivez le direct du vote à l'Assemblée."]  # one model input
    assert page[segments[0].start:segments[0].end] == page[3:-4]  # source offsets include the markup
    assert english == '<p>Relive <a href="/direct">the live vote</a> in the Assembly.</p>'
    assert segments[0].markup == [{"element": "a", "kind": "inline", "source": [8, 25], "target": [7, 20], "href": "/direct"}]
    # The side-by-side page shows the whole sentence in one row.
    from translate.writers import TranslatedDocument, html_writer

    rendered = html_writer.render_document(TranslatedDocument(document, segments, format="html"))
    assert rendered.count('data-seg="') == 1


def test_emphasis_nested_elements_and_a_reordered_adjective():
    page = "<p>La <em>maison <strong>bleue</strong></em> est grande.</p>"
    _, _, english = translate_html(page, {
        "La maison bleue est grande.": (
            "The blue house is big.",
            [("La", "The"), ("maison", "house"), ("bleue", "blue"), ("est", "is"), ("grande", "big")]),
    })
    assert english == "<p>The <em><strong>blue</strong> house</em> is big.</p>"
    assert shape(english) == shape(page)


def test_inline_code_and_translate_no_stay_verbatim_in_their_sentence():
    page = ('<p>Lancez <code>pip install -e .</code> puis <span translate="no">Le Monde</span> '
            'et <span class="notranslate">Ça va</span> ici.</p>')
    text = "Lancez pip install -e . puis Le Monde et Ça va ici."
    _, segments, english = translate_html(page, {
        text: ("Run pip install -e . then The World and It goes here.",
               [("Lancez", "Run"), ("pip", "pip"), ("install", "install"), ("puis", "then"), ("Le", "The"),
                ("Monde", "World"), ("et", "and"), ("Ça", "It"), ("va", "goes"), ("ici", "here")]),
    })
    assert [seg.text for seg in segments] == [text]  # the model saw the whole sentence
    assert english == ('<p>Run <code>pip install -e .</code> then <span translate="no">Le Monde</span> '
                       'and <span class="notranslate">Ça va</span> here.</p>')


def test_a_sentence_with_a_line_break_is_one_input_and_keeps_its_break():
    page = "<p>Ligne un<br>\nligne deux.</p>"
    _, segments, english = translate_html(page, {
        "Ligne un ligne deux.": ("Line one line two.", [("Ligne", "Line"), ("un", "one"), ("ligne", "line"), ("deux", "two")]),
    })
    assert [seg.text for seg in segments] == ["Ligne un ligne deux."]
    assert english == "<p>Line one<br> line two.</p>"


def test_attributes_a_reader_sees_are_translated_and_lang_becomes_english():
    page = ('<html lang="fr"><head><meta name="description" content="Une page sur le caf&eacute;">'
            '<meta property="og:title" content="Le café"></head><body>'
            '<img src="a.png" alt="Une tasse"><input placeholder="Votre nom">'
            '<a href="/x" title="Voir la page" aria-label="Lien vers la page">Voir</a></body></html>')
    english_of = {"Une page sur le café": "A page about coffee", "Le café": "The coffee", "Une tasse": "A cup",
                  "Votre nom": "Your name", "Voir la page": "See the page", "Lien vers la page": "Link to the page",
                  "Voir": "See"}
    _, segments, english = translate_html(page, {k: (v, None) for k, v in english_of.items()})
    assert {seg.text for seg in segments} == set(english_of)
    assert english == ('<html lang="en"><head><meta name="description" content="A page about coffee">'
                       '<meta property="og:title" content="The coffee"></head><body>'
                       '<img src="a.png" alt="A cup"><input placeholder="Your name">'
                       '<a href="/x" title="See the page" aria-label="Link to the page">See</a></body></html>')


def test_kept_english_text_with_references_is_written_back_byte_for_byte():
    page = ("<p>Tom &amp; Jerry are the best friends since their childhood in New York.</p>"
            "<p>It costs 5&nbsp;&euro; &mdash; see <b>this</b>.</p>"
            "<p>Il co&ucirc;te 5&nbsp;&euro;. Tom &amp; Jerry are the best friends since their childhood.</p>")
    document, segments, english = translate_html(page, {"Il coûte 5\xa0€.": ("It costs 5\xa0€.", None)})
    assert segments[0].text == "Tom & Jerry are the best friends since their childhood in New York."
    assert english == page.replace("Il co&ucirc;te 5&nbsp;&euro;.", "It costs 5\xa0€.")


def test_a_span_is_never_cut_inside_a_reference_and_the_model_sees_decoded_text():
    page = "<p>Texte avec des entités : &lt;script&gt;alert(1)&lt;/script&gt; et la suite. Le caf&eacute; &eacute;tait bon.</p>"
    document, segments, english = translate_html(page, {})
    for seg in segments:
        assert "&" not in seg.text.replace(" & ", "")  # decoded
        assert not page[seg.start:seg.end].startswith(("lt;", "gt;", "eacute;"))
        assert page[seg.start - 1] != "&" and not page[seg.end - 1].isalpha() or page[seg.end - 1] != "&"
    assert any(seg.text == "Le café était bon." and seg.lang == "fr" for seg in segments)
    assert english == page


def test_segments_of_decoded_text_reach_the_side_by_side_page_and_tmx_decoded(tmp_path):
    from translate.writers import TranslatedDocument, html_writer

    page = "<p>Le caf&eacute; &eacute;tait tr&egrave;s bon ce matin-l&agrave;.</p>"
    document, segments, english = translate_html(page, {"Le café était très bon ce matin-là.": ("The coffee was very good that morning.", None)})
    rendered = html_writer.render_document(TranslatedDocument(document, segments, format="html"))
    assert "caf&amp;eacute;" not in rendered and "café" in rendered
    from translate.writers.json_writer import to_json
    from translate.writers.tmx_writer import corpus_tmx

    tmx = corpus_tmx([to_json(TranslatedDocument(document, segments, format="html"))])
    assert "Le café était très bon ce matin-là." in tmx and "&amp;eacute;" not in tmx


# -- Markdown --------------------------------------------------------------------------------------------


def translate_markdown(text: str, translations: dict[str, tuple[str, list[tuple[str, str]] | None]]):
    fmt = FORMATS[".md"]
    document = fmt.read(text.encode("utf-8"), "doc.md", sha256="-")
    segments = segment_source(document)
    for seg in segments:
        if seg.text in translations:
            english, links = translations[seg.text]
            seg.lang, seg.translation = "fr", english
            seg.alignment = pairs(seg.text, english, links) if links is not None else None
        else:
            seg.translation = seg.text
    return document, segments, fmt.write(document, segments)


def test_markdown_reference_links_keep_finding_their_definition():
    text = "Voir [la documentation] et [le guide][] ou [la FAQ][faq].\n\n[la documentation]: /doc\n[le guide]: /guide\n[faq]: /faq\n"
    links = [("Voir", "See"), ("la", "the"), ("documentation", "documentation"), ("et", "and"), ("le", "the"),
             ("guide", "guide"), ("ou", "or"), ("la", "the"), ("FAQ", "FAQ")]
    _, segments, english = translate_markdown(text, {
        "Voir la documentation et le guide ou la FAQ.": ("See the documentation and the guide or the FAQ.", links)})
    assert english.startswith("See [the documentation][la documentation] and [the guide][le guide] or [the FAQ][faq].")
    from markdown_it import MarkdownIt

    rendered = MarkdownIt("commonmark").render(english)
    assert rendered.count("<a href=") == 3


def test_markdown_titles_and_alt_texts_are_translated():
    text = 'Un [lien](/x "Le titre") et ![Une tasse](a.png "Du café").\n'
    translations = {"Un lien et .": ("A link and .", None), "Le titre": ("The title", None),
                    "Une tasse": ("A cup", None), "Du café": ("Some coffee", None)}
    _, segments, english = translate_markdown(text, translations)
    assert english == 'A [link](/x "The title") and ![A cup](a.png "Some coffee").\n'


def test_markdown_emphasis_inline_code_and_escapes():
    text = "Le chat **très *noir*** dort avec `le code` et \\*ceci\\*.\n"
    _, segments, english = translate_markdown(text, {
        "Le chat très noir dort avec le code et *ceci*.": (
            "The very black cat sleeps with the code and *this*.",
            [("Le", "The"), ("chat", "cat"), ("très", "very"), ("noir", "black"), ("dort", "sleeps"),
             ("avec", "with"), ("le", "the"), ("code", "code"), ("ceci", "this")]),
    })
    assert [seg.text for seg in segments] == ["Le chat très noir dort avec le code et *ceci*."]
    assert english == "The **very *black*** cat sleeps with `le code` and \\*this\\*.\n"


def test_unquoted_attribute_values_are_quoted_when_translated_and_code_alone_is_not_sent():
    page = "<p><img src=a.png alt=Tasse> <code>make test</code></p><ul><li><a href=/x>https://exemple.fr/page</a></li></ul>"
    document, segments, english = translate_html(page, {"Tasse": ("A cup", None)})
    # Code alone is not a segment; a bare URL is one without language (never given to the model).
    assert [(seg.text, seg.lang) for seg in segments] == [("Tasse", "fr"), ("https://exemple.fr/page", "und")]
    assert english == page.replace("alt=Tasse", 'alt="A cup"')


def test_markdown_english_that_would_start_another_block_is_escaped():
    text = "\\- Un tiret au début de la phrase.\n\n\\# Pas un titre du tout.\n"
    _, segments, english = translate_markdown(text, {
        "- Un tiret au début de la phrase.": ("- A dash at the start of the sentence.", None),
        "# Pas un titre du tout.": ("# Not a heading at all.", None),
    })
    assert english == "\\- A dash at the start of the sentence.\n\n\\# Not a heading at all.\n"


@pytest.mark.parametrize("alignment", [True, False], ids=["aligned", "no-alignment"])
def test_batch_translates_pages_by_sentence_and_keeps_their_markup(tmp_path, tiny_model, isolated_env, alignment):
    """The real pipeline (tiny random model, CTranslate2): one model input per sentence, the markup of the
    pages kept (placed by the alignment, or proportionally with --no-alignment), the JSON contract."""
    import json
    from pathlib import Path

    from benchmarks.markup import structure
    from translate.batch import RunSettings, run_batch
    from translate.engines import EngineSettings
    from translate.formats.markdown import _parser

    pages = Path(__file__).resolve().parent.parent / "benchmarks" / "data" / "pages"
    inputs = tmp_path / "in"
    inputs.mkdir()
    for name in ("fr-actualite.html", "es-tutorial.md"):
        (inputs / name).write_bytes((pages / name).read_bytes())
    options = RunSettings(inputs, tmp_path / "out", {"fr": str(tiny_model), "es": str(tiny_model)},
                           EngineSettings(beams=1, attention=alignment, max_new_tokens=24), cache_path=tmp_path / "tm")
    report = run_batch(options)
    assert len(report.translated) == 2 and not report.failed
    for name, render in (("fr-actualite", lambda text: text), ("es-tutorial", _parser().render)):
        suffix = ".html" if name.endswith("actualite") else ".md"
        source = (inputs / (name + suffix)).read_text(encoding="utf-8")
        english = (tmp_path / "out" / f"{name}.en{suffix}").read_text(encoding="utf-8")
        # Elements may change order with the words they cover: same blocks, same multiset of inline
        # elements with their attributes, valid nesting, scripts and styles (benchmarks/markup.py's checks).
        before, after = structure(render(source)), structure(render(english))
        assert after["blocks"] == before["blocks"] and after["inline"] == before["inline"]
        assert after["bad_ends"] <= before["bad_ends"] and after["raw"] == before["raw"]
        data = json.loads((tmp_path / "out" / f"{name}.json").read_text(encoding="utf-8"))
        translated = [seg for seg in data["segments"] if seg["lang"] in ("fr", "es")]
        assert translated and all(("alignment" in seg) == alignment for seg in translated)
        assert any(seg.get("markup") for seg in translated)
        assert not any(re.search(r"<a |\]\(|&eacute;|&nbsp;", seg["text"]) for seg in data["segments"])
    # Whole sentences: "Revivez <a>le direct du vote</a> à l'Assemblée ..." reached the model as one text.
    data = json.loads((tmp_path / "out" / "fr-actualite.json").read_text(encoding="utf-8"))
    assert any(seg["text"].startswith("Revivez le direct du vote à l'Assemblée avec vos questions") for seg in data["segments"])


def test_python_api_detect_segments_whole_sentences_of_html():
    from translate.api import detect

    segments = detect("<p>Revivez <a href=/x>le direct</a> à l'Assembl&eacute;e.</p>", format="html")
    assert [(seg.lang, seg.text) for seg in segments] == [("fr", "Revivez le direct à l'Assemblée.")]
