"""Inline markup of HTML and Markdown inputs on the side-by-side page: links (safe ones only), emphasis,
code and line breaks in both columns, rendered from the JSON ``markup``; aligned words still light up
across them. Unit tests of the rendering, then a real batch run (tiny model) opened in headless Chromium."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest

from test_bilingual_outputs import Visit, browser, visit  # noqa: F401 (fixtures)
from test_markup import translate_html, translate_markdown
from translate.writers.html_writer import cell_marks, marked_text, safe_href


def records(*items):
    return [dict(zip(("element", "source", "target"), item[:3]), kind="inline", **(item[3] if len(item) > 3 else {}))
            for item in items]


class Tree(HTMLParser):
    """The elements of an HTML fragment, checking that every end tag closes the element opened last."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.open, self.events, self.text = [], [], []

    def handle_starttag(self, tag, attrs):
        self.events.append((tag, dict(attrs)))
        if tag not in ("br", "img"):
            self.open.append(tag)

    def handle_endtag(self, tag):
        assert self.open and self.open.pop() == tag, f"</{tag}> closes nothing it opened"

    def handle_data(self, data):
        self.text.append(data)


def parse(fragment: str) -> Tree:
    tree = Tree()
    tree.feed(str(fragment))
    tree.close()
    assert not tree.open, f"left open: {tree.open}"
    return tree


# -- rendering one cell ------------------------------------------------------------------------------------


def test_nested_link_and_emphasis_are_written_around_their_ranges_and_the_text_is_unchanged():
    text = "Revivez le direct du vote à l'Assemblée."
    markup = records(("a", [8, 25], [0, 0], {"href": "/direct", "title": "Le \"direct\""}), ("em", [11, 17], [0, 0]),
                     ("b", [30, 39], [0, 0]))
    html = marked_text(text, markup, "source")
    assert html == ('Revivez <a href="/direct" rel="noopener noreferrer" title="Le &#34;direct&#34;">le <em>direct</em> du vote</a>'
                    " à l&#39;<b>Assemblée</b>.")
    assert "".join(parse(html).text) == text  # the words' offsets count this text


def test_the_english_column_takes_the_target_ranges():
    markup = records(("a", [0, 7], [7, 15], {"href": "https://ex.org/a?b=1&c=2"}), ("strong", [5, 12], [0, 6]))
    html = marked_text("Revivez le direct.", markup, "source")
    assert "<a " in html and "<strong>" not in html  # [5, 12] crosses [0, 7]: dropped, not broken
    english = marked_text("Relive the live vote.", markup, "target")
    assert english == ('<strong>Relive</strong> <a href="https://ex.org/a?b=1&amp;c=2" rel="noopener noreferrer">the live</a>'
                       " vote.")


@pytest.mark.parametrize("markup", [
    records(("em", [5, 99], [0, 0])),                      # past the end
    records(("em", [-1, 3], [0, 0])),                      # before the start
    records(("em", [4, 2], [0, 0])),                       # reversed
    records(("em", [3, 3], [0, 0])),                       # empty
    records(("em", ["1", 3], [0, 0])),                     # not offsets
    records(("em", [True, 3], [0, 0])),
    records(("blink", [0, 3], [0, 0])),                    # not an element the page shows
    records(("span", [0, 3], [0, 0]), ("html:font", [0, 3], [0, 0])),
    records(("a", [0, 3], [0, 0])),                        # an anchor without a target
    [{"element": "em"}, {"source": [0, 3]}, "em", None, {"element": 3, "source": [0, 3]}],
])
def test_records_that_cannot_be_shown_are_dropped_and_the_text_stays(markup):
    text = "Un <texte> & \"rien\" d'autre."
    assert marked_text(text, markup, "source") == text  # the template escapes it, as any plain cell


def test_crossing_ranges_keep_the_first_and_never_break_the_nesting():
    text = "un deux trois quatre cinq"
    markup = records(("b", [0, 13], [0, 0]), ("i", [8, 20], [0, 0]), ("u", [3, 7], [0, 0]), ("em", [3, 7], [0, 0]),
                     ("s", [14, 25], [0, 0]), ("code", [14, 20], [0, 0]))
    html = marked_text(text, markup, "source")
    assert html == "<b>un <u><em>deux</em></u> trois</b> <s><code>quatre</code> cinq</s>"
    parse(html)


def test_a_link_inside_a_link_is_not_written_and_points_become_markers():
    text = "voir ici et là"
    markup = records(("a", [0, 14], [0, 0], {"href": "/a"}), ("a", [5, 8], [0, 0], {"href": "/b"}))
    markup += [{"element": "br", "kind": "void", "source": [8, 8], "target": [0, 0]},
               {"element": "img", "kind": "void", "source": [14, 14], "target": [0, 0]},
               {"element": "#comment", "kind": "void", "source": [4, 4], "target": [0, 0]}]
    html = marked_text(text, markup, "source")
    tree = parse(html)
    assert [tag for tag, _ in tree.events] == ["a", "span", "span"]
    assert tree.events[1][1] == {"class": "pt br", "title": "Line break"}
    assert tree.events[2][1] == {"class": "pt img", "title": "Image"}
    assert html.endswith('</a><span class="pt img" title="Image"></span>')  # a point at the end of a link is after it
    assert "".join(tree.text) == text


@pytest.mark.parametrize("href", ["http://ex.org", "HTTPS://ex.org/x", "mailto:a@ex.org", "suite.html", "../a/b.html#c",
                                  "#top", "//ex.org/x", "?q=1", "/chemin:avec:deux-points"])
def test_web_and_relative_links_are_real_links(href):
    assert safe_href(href) == href
    [mark] = cell_marks(records(("a", [0, 4], [0, 0], {"href": href})), "source", 4)
    assert mark.tag == "a" and ("href", href) in mark.attributes and ("rel", "noopener noreferrer") in mark.attributes


@pytest.mark.parametrize("href", ["javascript:alert(1)", " JaVaScRiPt:alert(1)", "java\tscript:alert(1)", "java\nscript:x",
                                  "\x01javascript:x", "data:text/html,<script>alert(1)</script>", "vbscript:msgbox",
                                  "file:///etc/passwd", "ftp://ex.org"])
def test_other_schemes_are_shown_as_link_styled_text_without_a_target(href):
    assert safe_href(href) is None
    html = marked_text("lien", records(("a", [0, 4], [0, 0], {"href": href})), "source")
    [(tag, attributes)] = parse(html).events
    assert tag == "span" and attributes["class"] == "link unsafe" and "href" not in attributes
    assert "<script>" not in html


def test_text_and_attribute_values_are_escaped():
    text = "<script>alert(1)</script> & co"
    html = marked_text(text, records(("a", [0, 25], [0, 0], {"href": '"><script>x</script>', "title": "<b>t</b>"})), "source")
    assert "<script>" not in html and "<b>" not in html
    tree = parse(html)
    assert tree.events == [("a", {"href": '"><script>x</script>', "rel": "noopener noreferrer", "title": "<b>t</b>"})]
    assert "".join(tree.text) == text


# -- what the JSON records ------------------------------------------------------------------------------------


def test_html_and_markdown_links_record_their_target_and_title_and_kept_spans_their_markup():
    _, segments, _ = translate_html(
        "<p>Lisez <a href='/doc?a=1&amp;b=2' title='La doc' class=x>la documentation</a> en entier.</p>"
        "<p>Read <a href=https://ex.org>the <em>whole</em> guide</a> first, please.</p>",
        {"Lisez la documentation en entier.": ("Read the documentation in full.", None)})
    assert segments[0].markup == [{"element": "a", "kind": "inline", "source": [6, 22], "target": [5, 22],
                                   "href": "/doc?a=1&b=2", "title": "La doc"}]
    kept = next(seg for seg in segments if seg.text.startswith("Read"))
    assert kept.translation == kept.text
    assert [(m["element"], kept.text[slice(*m["source"])], m["target"] == m["source"], m.get("href")) for m in kept.markup] == [
        ("a", "the whole guide", True, "https://ex.org"), ("em", "whole", True, None)]

    _, segments, _ = translate_markdown(
        'Lisez [la documentation](/doc "La doc") ou <https://ex.org/faq> et <a href="/x&amp;y">la suite</a>.\n',
        {})
    seg = segments[0]
    assert [(m["element"], m.get("href"), m.get("title")) for m in seg.markup] == [
        ("a", "/doc", "La doc"), ("autolink", "https://ex.org/faq", None), ("html:a", "/x&y", None)]


# -- in the browser, after a real run ---------------------------------------------------------------------------

SENTENCE = "Nous avons lu le compte rendu complet de la séance publié par le journal officiel hier soir avant minuit."
LINK_TEXT, EMPHASIS_TEXT = "le compte rendu complet de la séance", "le journal officiel"
INPUTS = {
    "seance.html": (
        '<!DOCTYPE html>\n<html lang="fr"><head><meta charset="utf-8"><title>Compte rendu</title></head><body>\n'
        '<p>Nous avons lu <a href="suite.html" title="La suite">le compte rendu complet de la séance</a> publié par '
        "<em>le journal officiel</em> hier soir avant minuit.</p>\n"
        '<p>Ne cliquez jamais sur <a href="javascript:window.__pwned=1">ce lien piégé</a> qui semble venir de la banque.</p>\n'
        "<p>Le message affichait &lt;script&gt;window.__pwned=2&lt;/script&gt; en toutes lettres dans la page du journal.</p>\n"
        "</body></html>\n"),
    "seance-notes.md": (
        "# Compte rendu\n\n"
        'Nous avons lu [le compte rendu complet de la séance](suite.html "La suite") publié par *le journal officiel* '
        "hier soir avant minuit.\n\n"
        'Ne cliquez jamais sur <a href="javascript:window.__pwned=1">ce lien piégé</a> qui semble venir de la banque.\n\n'
        "Le message affichait `<script>window.__pwned=2</script>` en toutes lettres dans la page du journal.\n"),
}
EMPHASIS = {"seance.html": "em", "seance-notes.md": "em"}


@pytest.fixture(scope="module")
def marked_run(tmp_path_factory, tiny_model):
    from translate.batch import RunSettings, run_batch
    from translate.engines import EngineSettings

    base = tmp_path_factory.mktemp("page-markup")
    inputs = base / "in"
    inputs.mkdir()
    for name, text in INPUTS.items():
        (inputs / name).write_text(text, encoding="utf-8")
    out = base / "out"
    options = RunSettings(inputs, out, {"fr": str(tiny_model), "es": str(tiny_model)}, EngineSettings(beams=1, attention=True, max_new_tokens=24),
                           cache_path=base / "tm")
    report = run_batch(options)
    assert len(report.translated) == len(INPUTS) and not report.failed
    # The link's target, for the click.
    (out / "suite.html").write_text("<!DOCTYPE html><title>suite</title><p>La suite.</p>", encoding="utf-8")
    return out


def sentence_of(out, name):
    data = json.loads((out / (name.rsplit(".", 1)[0] + ".json")).read_text(encoding="utf-8"))
    matching = [i for i, seg in enumerate(data["segments"]) if "compte rendu complet" in seg["text"]]
    assert len(matching) == 1, "the sentence is one span"
    seg = data["segments"][matching[0]]
    assert seg["text"] == SENTENCE and seg["lang"] == "fr"
    return data, matching[0], seg


@pytest.mark.parametrize("name", list(INPUTS))
def test_a_sentence_with_a_link_and_emphasis_is_one_row_with_both_in_both_columns(visit, marked_run, name):
    data, index, seg = sentence_of(marked_run, name)
    by_element = {m["element"]: m for m in seg["markup"]}
    link, emphasis = by_element["a"], by_element["em"]
    assert seg["text"][slice(*link["source"])] == LINK_TEXT and link["href"] == "suite.html" and link["title"] == "La suite"
    assert seg["text"][slice(*emphasis["source"])] == EMPHASIS_TEXT

    opened = visit(marked_run / (name.rsplit(".", 1)[0] + ".html"))
    page = opened.page
    assert page.locator("tr[data-seg]").count() == len(data["segments"])
    rows = page.locator("tr[data-seg]").filter(has_text="compte rendu complet")
    assert rows.count() == 1 and rows.get_attribute("data-seg") == str(index)
    row = rows.first
    for side, text, key in (("source", seg["text"], "source"), ("target", seg["translation"], "target")):
        cell = row.locator(f"td.{side} .text")
        assert cell.inner_text() == text, "the cell shows the span's whole text"
        anchor = cell.locator("a")
        assert anchor.count() == 1
        assert anchor.get_attribute("href") == "suite.html" and anchor.get_attribute("rel") == "noopener noreferrer"
        assert anchor.get_attribute("title") == "La suite"
        assert anchor.inner_text() == text[slice(*link[key])]
        assert cell.locator(EMPHASIS[name]).inner_text() == text[slice(*emphasis[key])]

    # Hover a word of the link: the English words aligned with it light up, in this row only.
    s_low, s_high = link["source"]
    pair = next((p for p in seg["alignment"] if s_low <= p[0] and p[1] <= s_high), None)
    assert pair is not None, "some word of the link is aligned"
    s0, s1, t0, t1 = pair
    word = row.locator("td.source a .w", has_text=re.compile("^" + re.escape(seg["text"][s0:s1]) + "$")).first
    word.hover()
    lit = row.locator("td.target .w.hl")
    assert seg["translation"][t0:t1] in lit.all_inner_texts()
    assert page.locator(".w.hl").count() == lit.count()
    assert row.locator("td.source .w.hl-self").all_inner_texts() == [seg["text"][s0:s1]]

    # The words inside the link are elements of their own, and the link still works.
    word.click()
    page.wait_for_url(re.compile(r"/suite\.html$"))
    opened.assert_clean()


@pytest.mark.parametrize("name", list(INPUTS))
def test_a_javascript_link_is_not_a_link_and_script_text_stays_text(visit, marked_run, name):
    opened = visit(marked_run / (name.rsplit(".", 1)[0] + ".html"))
    page = opened.page
    trap = page.locator("td .text .link.unsafe").filter(has_text="lien")
    assert trap.count() >= 1
    assert page.locator("td [href]").evaluate_all("els => els.map(e => e.getAttribute('href'))") == ["suite.html", "suite.html"]
    for element in trap.all():
        element.click()
    page.mouse.move(5, 5)
    assert page.evaluate("() => window.__pwned") is None
    assert page.locator("td script").count() == 0
    assert "<script>window.__pwned=2</script>" in page.locator("table.pairs").inner_text()
    assert page.url.endswith(name.rsplit(".", 1)[0] + ".html")
    opened.assert_clean()


def test_a_word_cut_by_markup_lights_up_whole_and_is_one_keyboard_stop(visit, tmp_path):
    from translate.document import Span, SourceDocument
    from translate.writers import TranslatedDocument
    from translate.writers.html_writer import render_document

    text, translation = "Le début du texte est ici.", "The start of the text is here."
    words = [("Le", "The"), ("début", "start"), ("du", "of"), ("texte", "text"), ("est", "is"), ("ici", "here")]
    alignment = []
    for source_word, english_word in words:
        s, t = text.index(source_word), translation.index(english_word)
        alignment.append([s, s + len(source_word), t, t + len(english_word)])
    markup = [{"element": "em", "kind": "inline", "source": [5, 8], "target": [4, 9]},  # "but" of "début"
              {"element": "a", "kind": "inline", "source": [9, 17], "target": [10, 21], "href": "https://ex.org/t"}]
    segment = Span(0, 0, len(text), "fr", text, translation, -0.3, alignment, markup)
    translated = TranslatedDocument(SourceDocument("cut.html", text, "0" * 64, "utf-8"), [segment], format="html")
    path = tmp_path / "cut.html"
    path.write_text(render_document(translated), encoding="utf-8")

    opened = visit(path)
    page = opened.page
    row = page.locator('tr[data-seg="0"]')
    row.locator("td.source .text").hover()
    assert row.locator("td.source .text").inner_text() == text
    assert row.locator("td.source em").inner_text() == "but"
    assert row.locator("td.source a").inner_text() == "du texte"
    row.locator("td.source em .w").hover()  # the end of "début", inside the emphasis
    assert row.locator("td.source .w.hl-self").all_inner_texts() == ["dé", "but"]
    assert row.locator("td.target .w.hl").all_inner_texts() == ["start"]
    row.locator("td.source a .w", has_text="texte").hover()
    assert row.locator("td.target a .w.hl").all_inner_texts() == ["text"]

    row.focus()
    stops = []
    for _ in range(7):
        page.keyboard.press("ArrowRight")
        stops.append(page.evaluate("() => document.activeElement.textContent"))
    assert stops[:7] == ["Le", "dé", "du", "texte", "est", "ici", "The"], "a cut word is one stop"
    assert page.locator("td a[href]").count() == 2
    opened.assert_clean()
