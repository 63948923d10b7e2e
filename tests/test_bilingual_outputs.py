"""Side-by-side outputs of a real batch run: JSON alignment, corpus.tmx, index.html, and the pages in headless Chromium.

One batch run (the seeds, an injection probe in a sub-folder, a file that cannot be read)
serves the whole module, and one browser. Browser tests need Debian's `chromium` and the
Python `playwright` package (its own browser downloads are never used); they are skipped
when either is missing, except in CI (CI=true), where they must run.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import SEEDS, run_cli
from translate.wordalign import find_words

CHROMIUM = Path(os.environ.get("TRANSLATE_TEST_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--no-first-run", "--disable-sync", "--disable-dev-shm-usage",
]
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
PROBE_SOURCE = "probe dir/injection probe.txt"
PROBE_TEXT = (
    "Le rapport du journal indique que <script>window.__pwned = 1</script> ne doit jamais être exécuté dans la page.\n\n"
    "La balise <img src=x onerror=\"window.__pwned = 2\"> et la fin de cellule </td> restent « visibles » & intactes, "
    "a précisé l'auteur de l'article hier soir.\n\n"
    "This English sentence mentions <b>bold</b> & \"quotes\" and it is kept exactly as it is written here.\n\n"
    "Le texte contient aussi un caractère de contrôle \x01 que le fichier de mémoire de traduction doit accepter.\n"
)


@pytest.fixture(scope="module")
def batch_run(tmp_path_factory, tiny_model):
    """`translate batch` over the seeds + probe + an unreadable file, with word alignment (the default)."""
    base = tmp_path_factory.mktemp("bilingual")
    inputs = base / "in"
    shutil.copytree(SEEDS, inputs)
    (inputs / PROBE_SOURCE).parent.mkdir()
    (inputs / PROBE_SOURCE).write_text(PROBE_TEXT, encoding="utf-8")
    (inputs / "broken.txt").write_bytes(b"\x00\x01binary\x00\xff")  # not a text file
    out = base / "out"
    env = dict(os.environ, TRANSLATE_MODELS_DIR=str(base / "models-root"), HF_HOME=str(base / "hf-home"),
               HF_HUB_OFFLINE="1", NO_COLOR="1", COLUMNS="200")
    result = run_cli("batch", str(inputs), "--out", str(out), "--model", f"fr={tiny_model}",
                     "--model", f"es={tiny_model}", "--beams", "1", "--quiet", env=env)
    assert result.returncode == 1, result.stderr  # broken.txt failed, the others were translated
    assert "broken.txt" in result.stderr
    return out


def load_json(out: Path, source: str) -> dict:
    return json.loads((out / Path(source).with_suffix(".json")).read_text(encoding="utf-8"))


def seed_sources() -> list[str]:
    return [path.name for path in sorted(SEEDS.glob("*.txt"))]


def test_translated_spans_carry_a_word_alignment_and_kept_spans_none(batch_run):
    for source in [*seed_sources(), PROBE_SOURCE]:
        for seg in load_json(batch_run, source)["segments"]:
            if seg["lang"] in ("en", "und"):
                assert "alignment" not in seg
                continue
            assert seg["alignment"], f"{source}: a translated span without alignment"
            source_words, target_words = set(find_words(seg["text"])), set(find_words(seg["translation"]))
            for s0, s1, t0, t1 in seg["alignment"]:
                assert (s0, s1) in source_words, "source offsets delimit a word of text"
                assert (t0, t1) in target_words, "target offsets delimit a word of translation"


def test_corpus_tmx_holds_one_unit_per_translated_span_and_parses_back(batch_run):
    tree = ET.parse(batch_run / "corpus.tmx")  # a parse error (e.g. a raw control character) fails here
    root = tree.getroot()
    assert root.tag == "tmx" and root.get("version") == "1.4"
    header = root.find("header")
    for attribute, value in {"srclang": "*all*", "adminlang": "en", "datatype": "plaintext", "creationtool": "translate"}.items():
        assert header.get(attribute) == value
    assert header.get("segtype") and header.get("o-tmf") and header.get("creationtoolversion")
    units = root.findall("body/tu")
    expected = []
    for source in [*seed_sources(), PROBE_SOURCE]:
        for seg in load_json(batch_run, source)["segments"]:
            if seg["lang"] in ("fr", "es"):
                expected.append((source, seg["lang"], seg["text"].replace("\x01", ""), seg["translation"]))
    found = []
    for unit in units:
        [prop] = unit.findall("prop")
        assert prop.get("type") == "x-document"
        source_tuv, english_tuv = unit.findall("tuv")
        assert english_tuv.get(XML_LANG) == "en"
        found.append((prop.text, source_tuv.get(XML_LANG), source_tuv.find("seg").text, english_tuv.find("seg").text))
    assert found == expected
    assert any("\x01" in seg["text"] for seg in load_json(batch_run, PROBE_SOURCE)["segments"]), "the probe kept its control character"
    assert (batch_run / "corpus.tmx").read_bytes().startswith(b'<?xml version="1.0" encoding="utf-8"?>')


def test_index_lists_every_document_with_counts_and_links_and_the_failed_file(batch_run):
    html = (batch_run / "index.html").read_text(encoding="utf-8")
    for source in seed_sources():
        stem = Path(source).stem
        assert f'href="{stem}.html"' in html and f'href="{stem}.en.txt"' in html
    assert 'href="probe%20dir/injection%20probe.html"' in html
    assert "broken.txt" in html and "not a text file" in html
    translated = sum(
        seg["lang"] in ("fr", "es") for source in [*seed_sources(), PROBE_SOURCE] for seg in load_json(batch_run, source)["segments"]
    )
    assert f"{translated} spans translated" in html


# --- in the browser ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser():
    required = os.environ.get("CI") == "true"
    problem = None
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        problem = "the Python package playwright is not installed (pip install -e '.[dev]')"
    if problem is None and not CHROMIUM.is_file():
        problem = f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    if problem:
        if required:
            pytest.fail(f"browser tests must run in CI: {problem}")
        pytest.skip(problem)
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield instance
        instance.close()


class Visit:
    """A page opened from disk, recording what it requested, logged and tried to open."""

    def __init__(self, browser, path: Path, width: int = 1280, height: int = 900):
        self.context = browser.new_context(viewport={"width": width, "height": height})
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("console", lambda message: message.type == "error" and self.errors.append(message.text))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("dialog", lambda dialog: (self.dialogs.append(dialog.message), dialog.dismiss()))
        self.page.goto(path.resolve().as_uri())
        self.page.wait_for_load_state("load")

    def assert_clean(self):
        leaving = [url for url in self.requests if not url.startswith(("file:", "data:"))]
        assert not leaving, f"requests left the disk: {leaving}"
        assert not self.errors, f"console errors: {self.errors}"
        assert not self.dialogs, f"dialogs opened: {self.dialogs}"

    def close(self):
        self.context.close()


@pytest.fixture
def visit(browser):
    opened = []

    def open_page(path: Path, **viewport) -> Visit:
        opened.append(Visit(browser, path, **viewport))
        return opened[-1]

    yield open_page
    for item in opened:
        item.close()


@pytest.mark.parametrize("source", seed_sources())
def test_seed_page_loads_offline_with_one_row_per_segment_and_highlights_aligned_words(visit, batch_run, source, tmp_path):
    segments = load_json(batch_run, source)["segments"]
    opened = visit(batch_run / Path(source).with_suffix(".html"))
    page = opened.page
    assert page.locator("[data-seg]").count() == len(segments)
    assert page.eval_on_selector_all("[data-seg]", "rows => rows.map(r => Number(r.dataset.seg))") == list(range(len(segments)))
    for index, seg in enumerate(segments):
        row = page.locator(f'tr[data-seg="{index}"]')
        assert row.locator("td.source").get_attribute("lang") == seg["lang"]
        assert row.locator("td.source .badge").inner_text().strip().lower() == seg["lang"]
        assert ("kept" in row.get_attribute("class")) == (seg["lang"] in ("en", "und"))
        if seg["lang"] in ("en", "und"):
            assert row.locator(".kept-tag").is_visible()

    # Hover a source word: the English words it is aligned to light up, in that row only.
    index = next(i for i, seg in enumerate(segments) if seg.get("alignment"))
    s0, s1, t0, t1 = segments[index]["alignment"][0]
    row = page.locator(f'tr[data-seg="{index}"]')
    exact = re.compile("^" + re.escape(segments[index]["text"][s0:s1]) + "$")
    word = row.locator("td.source .w", has_text=exact).first
    assert word.inner_text() == segments[index]["text"][s0:s1]
    word.hover()
    lit = row.locator("td.target .w.hl")
    assert lit.count() >= 1
    assert segments[index]["translation"][t0:t1] in lit.all_inner_texts()
    assert page.locator(".w.hl").count() == lit.count(), "highlighting stays inside the row"
    page.screenshot(path=tmp_path / f"{Path(source).stem}.png", full_page=False)
    assert (tmp_path / f"{Path(source).stem}.png").stat().st_size > 0
    opened.assert_clean()


def test_injection_probe_runs_no_script_and_shows_the_markup_as_text(visit, batch_run, tmp_path):
    opened = visit(batch_run / Path(PROBE_SOURCE).with_suffix(".html"))
    page = opened.page
    page.mouse.move(10, 10)
    for word in page.locator(".w").all()[:20]:  # hovering must not trigger anything either
        word.hover()
    assert page.evaluate("() => window.__pwned") is None
    assert page.locator("img, b, td.source script, td.target script").count() == 0, "no element came from the input"
    # The segmenter may cut the probe's markup into several spans (rows): read the source column as one text.
    cells = page.evaluate(
        "() => [...document.querySelectorAll('td.source')].map(cell => {"
        " const copy = cell.cloneNode(true); copy.querySelectorAll('.badge').forEach(b => b.remove());"
        " return copy.textContent; })"
    )
    source_text = re.sub(r"\s+", "", "".join(cells))
    for literal in ("<script>window.__pwned = 1</script>", '<img src=x onerror="window.__pwned = 2">',
                    "</td>", "« visibles » & intactes", '<b>bold</b> & "quotes"'):
        assert re.sub(r"\s+", "", literal) in source_text
    segments = load_json(batch_run, PROBE_SOURCE)["segments"]
    assert page.locator("[data-seg]").count() == len(segments)
    page.screenshot(path=tmp_path / "probe.png", full_page=True)
    opened.assert_clean()


def test_rows_are_side_by_side_on_a_desktop_and_stacked_on_a_phone(visit, batch_run, tmp_path):
    path = batch_run / Path(seed_sources()[0]).with_suffix(".html")
    desktop = visit(path, width=1280, height=900)
    source = desktop.page.locator('tr[data-seg="0"] td.source').bounding_box()
    target = desktop.page.locator('tr[data-seg="0"] td.target').bounding_box()
    assert abs(source["y"] - target["y"]) < 2, "the two cells of a row start at the same height"
    assert source["x"] + source["width"] <= target["x"] + 1, "source on the left, English on the right"
    assert source["width"] > 400 and target["width"] > 400
    desktop.page.screenshot(path=tmp_path / "desktop.png")

    phone = visit(path, width=400, height=800)
    source = phone.page.locator('tr[data-seg="0"] td.source').bounding_box()
    target = phone.page.locator('tr[data-seg="0"] td.target').bounding_box()
    assert target["y"] >= source["y"] + source["height"] - 1, "English below the source"
    assert abs(source["x"] - target["x"]) < 2 and source["width"] > 300
    assert phone.page.evaluate("() => document.documentElement.scrollWidth") <= 400, "nothing overflows sideways"
    phone.page.screenshot(path=tmp_path / "phone.png")
    desktop.assert_clean()
    phone.assert_clean()


def test_toolbar_shows_only_translated_rows_and_scores_and_print_hides_it(visit, batch_run):
    source = next(s for s in seed_sources() if any(seg["lang"] in ("en", "und") for seg in load_json(batch_run, s)["segments"]))
    segments = load_json(batch_run, source)["segments"]
    opened = visit(batch_run / Path(source).with_suffix(".html"))
    page = opened.page
    kept = page.locator("tr.kept").first
    translated_row = page.locator("tr.translated").first
    assert kept.is_visible() and not translated_row.locator(".score").is_visible()

    page.get_by_label("Only translated rows").check()
    assert not kept.is_visible() and translated_row.is_visible()
    visible = page.eval_on_selector_all("[data-seg]", "rows => rows.filter(r => r.getClientRects().length).length")
    assert visible == sum(seg["lang"] in ("fr", "es") for seg in segments)
    page.get_by_label("Show scores").check()
    score = translated_row.locator(".score")
    assert score.is_visible() and re.fullmatch(r"-?\d+\.\d\d", score.inner_text().strip())

    page.emulate_media(media="print")
    assert not page.locator(".toolbar").is_visible()
    opened.assert_clean()


def test_keyboard_moves_between_rows_and_words_with_visible_focus(visit, batch_run):
    source = seed_sources()[0]
    segments = load_json(batch_run, source)["segments"]
    opened = visit(batch_run / Path(source).with_suffix(".html"))
    page = opened.page
    page.get_by_label("Show scores").focus()
    page.keyboard.press("Tab")  # the table is one tab stop: its current row
    assert page.evaluate("() => document.activeElement.dataset.seg") == "0"
    page.keyboard.press("ArrowDown")
    assert page.evaluate("() => document.activeElement.dataset.seg") == "1"
    first_aligned = next(i for i, seg in enumerate(segments) if seg.get("alignment"))
    page.locator(f'tr[data-seg="{first_aligned}"]').focus()
    page.keyboard.press("ArrowRight")
    focused_word = page.evaluate("() => document.activeElement.classList.contains('w')")
    assert focused_word, "ArrowRight enters the row's words"
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("none", ""), "the focused word shows a focus ring"
    assert page.locator(".w.hl-self").count() == 1
    page.keyboard.press("Escape")
    assert page.evaluate("() => document.activeElement.dataset.seg") == str(first_aligned)
    opened.assert_clean()


def test_index_page_links_to_each_document_page_and_lists_the_failed_file(visit, batch_run, tmp_path):
    opened = visit(batch_run / "index.html")
    page = opened.page
    assert page.locator("table.listing tbody tr").count() == len(seed_sources()) + 1
    failure = page.locator("ul.failures li")
    assert failure.count() == 1 and "broken.txt" in failure.inner_text()
    page.screenshot(path=tmp_path / "index.png")
    opened.assert_clean()
    page.get_by_role("link", name=PROBE_SOURCE, exact=True).click()
    page.wait_for_load_state("load")
    assert page.url.endswith("/probe%20dir/injection%20probe.html")
    page.get_by_role("link", name="All documents").click()
    page.wait_for_load_state("load")
    assert page.url.endswith("/index.html")
    opened.assert_clean()


def test_a_long_page_stays_responsive_and_keeps_words_and_keyboard(browser, tmp_path):
    """A ~1 MB document (about 4,000 rows, every word aligned), written through the writer. The
    requirement on an idle machine is a load under 2 s and toggles under 0.5 s
    (benchmarks/html_page.py measures them); the bounds here are loose for a busy CI machine, and
    the structure that makes the page fast is checked directly: per-word elements exist only
    for rows near the screen."""
    from benchmarks.html_page import large_document, measure_page
    from translate.writers.html_writer import render_document

    translated = large_document(1_000_000)
    path = tmp_path / "large.html"
    path.write_text(render_document(translated), encoding="utf-8")

    figures = measure_page(browser, path)
    assert not figures["errors"] and figures["rows"] == len(translated.segments)
    assert figures["load_ms"] < 10_000, figures
    assert max(figures["toggles_ms"].values()) < 3_000, figures

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(path.resolve().as_uri())
    page.wait_for_load_state("load")
    page.locator('tr[data-seg="0"] td.source .w').first.wait_for()
    words = sum(len(seg.alignment or ()) for seg in translated.segments)
    assert page.locator(".w").count() < words // 20, "words become elements only near the screen"

    # Far down the page: its words appear when it is scrolled to, and hovering one lights its counterpart.
    index = next(i for i in range(len(translated.segments) - 1, 0, -1) if translated.segments[i].alignment)
    seg = translated.segments[index]
    row = page.locator(f'tr[data-seg="{index}"]')
    row.scroll_into_view_if_needed()
    s0, s1, t0, t1 = seg.alignment[0]
    word = row.locator(f'td.source .w:text-is("{seg.text[s0:s1]}")').first
    word.hover()
    assert seg.translation[t0:t1] in row.locator("td.target .w.hl").all_inner_texts()
    assert page.locator(".w.hl").count() == row.locator(".w.hl").count()

    # Keyboard, on a row whose words were never built: arrows move between rows and into its words.
    far = next(i for i in range(len(translated.segments) // 2, len(translated.segments)) if translated.segments[i].alignment)
    page.locator(f'tr[data-seg="{far}"]').focus()
    page.keyboard.press("ArrowDown")
    assert page.evaluate("() => document.activeElement.dataset.seg") == str(far + 1)
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowRight")
    assert page.evaluate("() => document.activeElement.classList.contains('w')")
    assert page.evaluate("() => document.activeElement.closest('tr').dataset.seg") == str(far)
    page.get_by_label("Only translated rows").check()
    assert page.locator("tr.kept").first.is_hidden()
    context.close()
