"""Responsiveness of a large side-by-side page in headless Chromium.

    python benchmarks/html_page.py [--mb 1] [--chromium /usr/bin/chromium] [--markup]

Builds a translated document of about ``--mb`` MB of source text directly through the HTML
writer (no model: the seeds' lines repeated with a counter, each "translation" the reversed
words, each word aligned to its counterpart, scores set), writes the page, and measures in
headless Chromium (playwright) the first contentful paint, the load event, and each toolbar
toggle (click to the second animation frame after it, i.e. the style, layout and paint it
causes). With ``--markup`` the same document is measured a second time, in the same run, with
inline markup on every translated row (a link over three words and an emphasised word, in both
columns, as the JSON ``markup`` of an HTML or Markdown input gives them). Figures depend on the
machine and its load; compare runs on the same machine.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--no-first-run", "--disable-sync", "--disable-dev-shm-usage",
]
TOGGLES = ("Show scores", "Only translated rows")


def large_document(characters: int, markup: bool = False):
    """A TranslatedDocument of about ``characters`` characters of source: paragraphs of seed lines,
    every other row kept (English), the others 'translated' with word alignments and scores (and,
    with ``markup``, a link and an emphasis on the translated rows)."""
    from translate.wordalign import find_words
    from translate.document import Span, SourceDocument
    from translate.writers import TranslatedDocument

    lines = [line.strip() for path in sorted((REPO / "seeds").glob("*.txt"))
             for line in path.read_text("utf-8").splitlines() if len(line.strip()) > 20]
    parts, segments, length, n = [], [], 0, 0
    while length < characters:
        line = f"{lines[n % len(lines)]} ({n})"
        start = length
        parts.append(line)
        length += len(line)
        translated = n % 3 != 2
        if translated:
            words = find_words(line)
            reversed_words = [line[s:e] for s, e in reversed(words)]
            translation = " ".join(reversed_words)
            alignment, offset = [], 0
            for (s, e), word in zip(reversed(words), reversed_words):
                alignment.append([s, e, offset, offset + len(word)])
                offset += len(word) + 1
            segments.append(Span(n // 4, start, start + len(line), "fr", line, translation, -0.5 - (n % 7) / 10,
                                    alignment, inline_markup(alignment) if markup else None))
        else:
            segments.append(Span(n // 4, start, start + len(line), "en", line, line))
        separator = "\n\n" if n % 4 == 3 else "\n"
        parts.append(separator)
        length += len(separator)
        n += 1
    text = "".join(parts)
    document = SourceDocument("large.txt", text, "0" * 64, "utf-8")
    return TranslatedDocument(document, segments, models={"fr": "model"}, format="txt")


def inline_markup(alignment: list[list[int]]) -> list[dict] | None:
    """A link over the 2nd to 4th source words and an emphasis on the last one, with their target
    ranges the hull of the aligned words (as ``translate.markup`` records them)."""
    if len(alignment) < 6:
        return None
    pairs = sorted(alignment)

    def record(element: str, first: int, last: int, **attributes) -> dict:
        chosen = pairs[first:last + 1]
        return {"element": element, "kind": "inline", "source": [chosen[0][0], chosen[-1][1]],
                "target": [min(p[2] for p in chosen), max(p[3] for p in chosen)], **attributes}

    return [record("a", 1, 3, href=f"https://example.org/{len(alignment)}"), record("em", len(pairs) - 1, len(pairs) - 1)]


def measure_page(browser, path: Path, width: int = 1280, height: int = 900) -> dict:
    """First contentful paint and load (ms from navigation start), and each toggle's time (ms)."""
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(path.resolve().as_uri())
    page.wait_for_load_state("load")
    paint = page.evaluate(
        "() => new Promise(resolve => requestAnimationFrame(() => requestAnimationFrame(() => {"
        " const fcp = performance.getEntriesByName('first-contentful-paint')[0];"
        " const nav = performance.getEntriesByType('navigation')[0];"
        " resolve({first_paint_ms: fcp ? fcp.startTime : null, load_ms: nav ? nav.loadEventEnd : null}); })))"
    )
    toggles = {}
    for label in TOGGLES:
        for state in ("on", "off"):
            page.evaluate("() => { window.__done = null; }")
            toggles[f"{label} {state}"] = page.evaluate(
                "(label) => new Promise(resolve => {"
                " const box = [...document.querySelectorAll('label')].find(l => l.textContent.trim() === label).querySelector('input');"
                " const started = performance.now(); box.click();"
                " requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now() - started))); })",
                label,
            )
    rows = page.evaluate("() => document.querySelectorAll('tr[data-seg]').length")
    context.close()
    return {**paint, "toggles_ms": toggles, "rows": rows, "errors": errors}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=float, default=1.0)
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--markup", action="store_true", help="also measure the page with inline markup on its rows")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    from translate.writers.html_writer import render_document

    results = {}
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=args.chromium, args=CHROMIUM_ARGS)
        for variant in ("plain", "markup") if args.markup else ("plain",):
            translated = large_document(int(args.mb * 1_000_000), markup=variant == "markup")
            started = time.perf_counter()
            html = render_document(translated)
            render_seconds = time.perf_counter() - started
            path = Path(tmp) / f"large-{variant}.html"
            path.write_text(html, encoding="utf-8")
            figures = measure_page(browser, path)
            figures.update(source_mb=round(len(translated.document.text) / 1e6, 2), html_mb=round(len(html.encode()) / 1e6, 1),
                           segments=len(translated.segments), render_s=round(render_seconds, 2))
            results[variant] = figures
        browser.close()
    print(json.dumps(results if args.markup else results["plain"], indent=None if args.json else 1))


if __name__ == "__main__":
    main()
