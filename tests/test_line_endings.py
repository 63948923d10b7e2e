"""Plain text line endings: CRLF and CR-only inputs keep their line breaks in the English
document, a lone CR is a line break, and offsets index the decoded text (CRs included)."""

from __future__ import annotations

import pytest

from translate.formats import format_for
from translate.segment import segment_document

PARAGRAPHS = [
    ["Le chat dort sur le canapé.", "Il fait beau aujourd'hui."],
    ["El perro come en la cocina.", "This line is English."],
    ["Une dernière ligne en français."],
]


def _text(newline: str) -> str:
    return (newline * 2).join(newline.join(lines) for lines in PARAGRAPHS) + newline


@pytest.mark.parametrize("newline", ["\r\n", "\r", "\n"], ids=["crlf", "cr", "lf"])
def test_text_keeps_line_endings_and_paragraphs(newline):
    fmt = format_for("x.txt")
    source = _text(newline)
    document = fmt.read(source.encode("utf-8"), "doc.txt", sha256="0")
    assert document.text == source  # decoded as it is: offsets index the file's own text
    assert [document.text[b.start:b.end].count(newline) for b in document.blocks] == [1, 1, 0]

    segments = segment_document(document.text, document.blocks)
    for seg in segments:
        assert document.text[seg.start:seg.end] == seg.text
        assert "\r" not in seg.text and "\n" not in seg.text  # one span per line at most
        seg.translation = f"EN<{seg.text.upper()}>"
    english = fmt.write(document, segments)

    expected = (newline * 2).join(
        newline.join(f"EN<{line.upper()}>" for line in lines) for lines in PARAGRAPHS
    ) + newline
    assert english == expected


def test_mixed_line_endings_use_the_most_common():
    fmt = format_for("x.txt")
    source = "Le chat dort.\r\nIl fait beau.\r\n\r\nLe chien mange.\nFin du texte.\r\n"
    document = fmt.read(source.encode("utf-8"), "doc.txt", sha256="0")
    segments = segment_document(document.text, document.blocks)
    for seg in segments:
        seg.translation = seg.text
    english = fmt.write(document, segments)
    assert english.replace("\r\n", "").count("\n") == 0
    assert english.count("\r\n") == 5


@pytest.mark.parametrize("newline", ["\r\n", "\r", "\n"], ids=["crlf", "cr", "lf"])
def test_subrip_cues_are_found_whatever_the_line_endings(newline):
    fmt = format_for("x.srt")
    cues = [("00:00:01,000 --> 00:00:02,000", ["Le chat dort sur le canapé."]),
            ("00:00:02,500 --> 00:00:04,000", ["El perro come en la cocina.", "Y luego duerme."])]
    source = (newline * 2).join(newline.join([str(number), timing, *lines])
                                for number, (timing, lines) in enumerate(cues, 1)) + newline
    document = fmt.read(source.encode("utf-8"), "old-mac.srt", sha256="0")
    assert document.text == source
    assert [document.text[b.start:b.end] for b in document.blocks] == [newline.join(lines) for _, lines in cues]

    segments = segment_document(document.text, document.blocks)
    for seg in segments:
        seg.translation = f"EN<{seg.text}>"
    english = fmt.write(document, segments)
    assert english.count(newline) == source.count(newline) and "00:00:02,500 --> 00:00:04,000" in english
    assert "EN<Le chat dort sur le canapé.>" in english
