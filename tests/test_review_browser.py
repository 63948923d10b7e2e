"""`translate review` in headless Chromium: keyboard review kept across a reload, two reviewers at
once, a hostile edit that stays text on the page and in every output, and the token required."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from conftest import REPO, run_cli
from review_fixtures import batch_env, make_inputs, run_batch_cli

CHROMIUM = Path(os.environ.get("TRANSLATE_TEST_CHROMIUM", "/usr/bin/chromium"))

SAVED = re.compile("^Saved")
HOSTILE = "<script>window.__pwned=1</script> ]]> {\\pos(1,2)}"


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium through Playwright (as the page tests): skipped without them, except in CI."""
    problem = None
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        problem = "the Python package playwright is not installed (pip install -e '.[dev]')"
    if problem is None and not CHROMIUM.is_file():
        problem = f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    if problem:
        if os.environ.get("CI") == "true":
            pytest.fail(f"browser tests must run in CI: {problem}")
        pytest.skip(problem)
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run",
            "--disable-dev-shm-usage"])
        yield instance
        instance.close()


@pytest.fixture(scope="module")
def served(tmp_path_factory, tiny_model):
    base = tmp_path_factory.mktemp("review-browser")
    inputs = make_inputs(base / "in")
    out = base / "out"
    env = batch_env(base)
    assert run_batch_cli(inputs, out, tiny_model, env).returncode == 0
    server = subprocess.Popen([sys.executable, "-m", "translate", "review", str(out)], cwd=REPO, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = server.stdout.readline()
        assert "http://127.0.0.1:" in line, line + server.stderr.read()
        url = line.split(" at ", 1)[1].strip()
        yield url, out, inputs, env
    finally:
        server.terminate()
        server.wait(timeout=10)


def status(url: str, headers: dict | None = None) -> int:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {})) as response:
            return response.status
    except urllib.error.HTTPError as err:
        return err.code


def expect(locator):
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator)


def test_the_token_is_required(served):
    url, *_ = served
    root, token = url.split("/?token=")
    assert status(url) == 200
    assert status(root + "/") == 403
    wrong = token[:-1] + ("y" if token.endswith("x") else "x")
    assert status(root + "/?token=" + wrong) == 403
    assert status(root + "/api/queue") == 403
    assert status(root + "/api/queue", {"X-Review-Token": token}) == 200
    request = urllib.request.Request(root + "/api/review", data=b"{}", method="POST")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request)
    assert refused.value.code == 403


def post(url: str, body: object) -> tuple[int, dict]:
    root, token = url.split("/?token=")
    request = urllib.request.Request(root + "/api/review", data=json.dumps(body).encode("utf-8"), method="POST",
                                     headers={"X-Review-Token": token, "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read())


def test_bad_saves_are_refused_with_a_reason(served):
    url, *_ = served
    span = {"document": "clip.srt", "seg": 0, "reviewer": "eve"}
    assert post(url, [1, 2])[0] == 400
    assert post(url, {**span, "document": ["clip.srt"], "verdict": "minor"})[0] == 400
    assert post(url, {**span, "seg": 999, "verdict": "minor"})[0] == 404
    assert post(url, {**span, "verdict": "fine"}) == (400, {"error": "verdict must be one of acceptable, minor, major, critical"})
    assert post(url, {**span, "reviewer": "", "verdict": "minor"})[1]["error"] == "a reviewer name is required"
    assert post(url, {**span, "edit": "  "})[0] == 400  # an empty English


def open_review(browser, url: str, name: str):
    context = browser.new_context(viewport={"width": 1366, "height": 768})  # a laptop screen
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.goto(url)
    page.wait_for_selector(".english-text")
    page.fill("#reviewer", name)
    page.locator("#reviewer").press("Tab")
    page.evaluate("document.activeElement.blur()")
    return context, page, errors


def test_ten_spans_by_keyboard_two_edits_kept_after_reload(served, browser):
    url, out, *_ = served
    context, page, errors = open_review(browser, url, "ana")
    first = page.locator(".where").text_content()
    for index in range(10):
        page.keyboard.press(str(index % 4 + 1))  # a verdict: saved, then the next span
        expect(page.locator("#status")).to_have_text(SAVED)
        page.evaluate("document.getElementById('status').textContent = ''")
    for text in ("First edited English.", "Second edited English."):
        page.keyboard.press("k")
        page.keyboard.press("e")
        page.fill("#edit", text)
        page.keyboard.press("Control+Enter")
        page.wait_for_selector(".edited")
    page.reload()
    page.wait_for_selector(".english-text")
    assert page.locator(".where").text_content() == first  # the queue starts where it did
    assert "10 of" in page.locator("#progress").text_content()
    page.select_option("#filter-verdict", "edited")
    shown = []
    for _ in range(2):
        shown.append(page.locator(".english-text").text_content())
        page.keyboard.press("j")
    assert sorted(shown) == ["First edited English.", "Second edited English."]
    assert not errors
    context.close()


def test_two_reviewers_at_once(served, browser):
    url, out, *_ = served
    one, page_one, errors_one = open_review(browser, url, "bea")
    two, page_two, errors_two = open_review(browser, url, "carl")
    for page in (page_one, page_two):
        page.select_option("#filter-verdict", "none")
        page.locator(".english-text").wait_for()
    where = page_one.locator(".where").text_content()
    assert page_two.locator(".where").text_content() == where  # both on the same span
    page_one.keyboard.press("1")
    page_two.keyboard.press("4")
    for page in (page_one, page_two):
        expect(page.locator("#status")).to_have_text(SAVED)
    page_one.reload()
    page_one.wait_for_selector(".english-text")
    for _ in range(40):
        if page_one.locator(".where").text_content() == where:
            break
        page_one.keyboard.press("j")
    rows = json.loads(run_cli("review", "export", str(out), "--format", "json").stdout)
    latest = {row["reviewer"]: row for row in rows}
    assert latest["bea"]["verdict"] == "acceptable" and latest["carl"]["verdict"] == "critical"
    assert (latest["bea"]["document"], latest["bea"]["seg"]) == (latest["carl"]["document"], latest["carl"]["seg"])
    assert "bea: acceptable" in page_one.locator(".judged").first.text_content()
    assert "carl: critical" in page_one.locator(".judged").first.text_content()
    assert not errors_one and not errors_two
    one.close()
    two.close()


def test_a_hostile_edit_stays_text(served, browser):
    url, out, inputs, env = served
    context, page, errors = open_review(browser, url, "dan")
    page.select_option("#filter-document", "clip.srt")
    page.keyboard.press("e")
    page.fill("#edit", HOSTILE)
    page.keyboard.press("Control+Enter")
    page.wait_for_selector(".edited")
    page.reload()
    page.wait_for_selector(".english-text")
    page.select_option("#filter-document", "clip.srt")
    assert page.locator(".english-text").text_content() == HOSTILE
    assert page.evaluate("window.__pwned") is None
    assert page.locator("#item script").count() == 0
    assert not errors
    context.close()
    result = run_cli("review", "apply", str(out), "--input", str(inputs), env=env)
    assert result.returncode == 0, result.stderr
    assert HOSTILE in (out / "clip.en.srt").read_text(encoding="utf-8")
    page_html = (out / "clip.html").read_text(encoding="utf-8")
    assert "<script>window.__pwned" not in page_html and "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in page_html
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt; ]]&gt; {\\pos(1,2)}" in (out / "corpus.tmx").read_text(encoding="utf-8")
    assert json.loads((out / "clip.json").read_text(encoding="utf-8"))["segments"][0]["translation"] == HOSTILE
