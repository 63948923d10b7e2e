"""Every CommonMark spec example keeps its structure when each span is replaced by plain words.

The examples (CommonMark Spec 0.31.2, CC-BY-SA 4.0, see tests/data/commonmark/README.md) are read,
segmented, every span "translated" to plain words (as many as it has, no alignment: markup is placed
proportionally), written back, and both documents rendered by markdown-it: the same elements with
the same attributes (but the translated alt and title texts) must come out, in the same nesting.
"""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import pytest

from translate.formats.markdown import MarkdownFormat, _parser
from translate.segment import segment_source

EXAMPLES = json.loads((Path(__file__).parent / "data" / "commonmark" / "spec-examples.json").read_text(encoding="utf-8"))
WORDS = ("alpha", "bravo", "charlie", "delta", "echo", "foxtrot")


class _Structure(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.events: list = []

    def handle_starttag(self, tag, attrs):
        self.events.append(("<", tag, tuple((k, v) for k, v in attrs if k not in ("alt", "title"))))

    def handle_endtag(self, tag):
        self.events.append(("</", tag))


def structure(markdown: str) -> list:
    parser = _Structure()
    parser.feed(_parser().render(markdown))
    parser.close()
    return parser.events


def plain_words(text: str) -> str:
    return " ".join(WORDS[i % len(WORDS)] for i, _ in enumerate(text.split())) or "alpha"


def translate_with_words(markdown: str) -> tuple[str, int]:
    fmt = MarkdownFormat()
    document = fmt.read(markdown.encode("utf-8"), "example.md", sha256="-")
    segments = segment_source(document)
    for seg in segments:
        seg.translation = plain_words(seg.text)
    return fmt.write(document, segments), len(segments)


def test_all_spec_examples_are_vendored():
    assert len(EXAMPLES) == 655


def test_every_spec_example_keeps_its_structure():
    broken = []
    for example in EXAMPLES:
        english, _ = translate_with_words(example["markdown"])
        if structure(english) != structure(example["markdown"]):
            broken.append(example["example"])
    assert broken == [], f"{len(broken)} examples changed structure: {broken}"


@pytest.mark.parametrize("number", [e["example"] for e in EXAMPLES if "[" in e["markdown"] and "]:" in e["markdown"]][:5])
def test_reference_link_examples_are_translated(number):
    example = EXAMPLES[number - 1]
    english, count = translate_with_words(example["markdown"])
    assert count == 0 or english != example["markdown"]


def _same_structure(before_html: str, after_html: str) -> bool:
    from benchmarks.markup import structure

    before, after = structure(before_html), structure(after_html)
    return (before["blocks"] == after["blocks"] and before["inline"] == after["inline"]
            and after["bad_ends"] <= before["bad_ends"] and before["raw"] == after["raw"])


def test_every_spec_example_keeps_its_structure_when_the_translation_reverses_the_words():
    """Every span's words reversed, with the alignment that says so: each element must move."""
    from benchmarks.markup import reversed_words

    fmt = MarkdownFormat()
    broken = []
    for example in EXAMPLES:
        document = fmt.read(example["markdown"].encode("utf-8"), "example.md", sha256="-")
        segments = segment_source(document)
        for seg in segments:
            seg.translation, seg.alignment = reversed_words(seg)
        english = fmt.write(document, segments)
        if not _same_structure(_parser().render(example["markdown"]), _parser().render(english)):
            broken.append(example["example"])
    assert broken == [], f"{len(broken)} examples changed structure: {broken}"


def test_every_spec_example_rendered_as_html_keeps_its_structure_through_the_html_format():
    from benchmarks.markup import reversed_words
    from translate.formats import FORMATS

    fmt = FORMATS[".html"]
    broken = []
    for example in EXAMPLES:
        page = _parser().render(example["markdown"])
        document = fmt.read(page.encode("utf-8"), "example.html", sha256="-")
        segments = segment_source(document)
        for seg in segments:
            seg.translation, seg.alignment = reversed_words(seg)
        if not _same_structure(page, fmt.write(document, segments)):
            broken.append(example["example"])
    assert broken == [], f"{len(broken)} examples changed structure: {broken}"
