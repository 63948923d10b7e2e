"""WebVTT and SubStation files as players read them (issue 25): CR line endings, NUL, BOM, empty files."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from translate.wordalign import find_words
from translate.formats import format_for
from translate.segment import segment_source


def round_trip(name: str, data: bytes, translate=None):
    """Read ``data`` as ``name``'s format; every span needing translation gets ``translate(text)``
    (aligned word for word), the others are kept. Returns (document, segments, English bytes)."""
    fmt = format_for(Path(name))
    document = fmt.read(data, name, sha256="0")
    segments = segment_source(document)
    for seg in segments:
        text = fmt.model_text(seg.text)
        if translate and seg.needs_translation:
            seg.translation = translate(text)
            seg.alignment = [[s0, s1, s0 + 3, s1 + 3] for s0, s1 in find_words(seg.text)]
        else:
            seg.translation = text
    return document, segments, fmt.english_document(document, segments)


def shout(text: str) -> str:
    return "EN " + text.upper()


# The shape of WPT's webvtt/parsing/file-parsing/support/newlines.vtt: CR, LF and CRLF mixed,
# including CR-only blank lines between blocks.
NEWLINES_VTT = (
    b"WEBVTT\r\r"
    b"00:00:00.000 --> 00:00:01.000\rBonjour tout le monde, ceci est la premi\xc3\xa8re ligne.\r\r\n"
    b"00:00:01.000 --> 00:00:02.000\r\nLa deuxi\xc3\xa8me phrase est ici.\rEt une autre ligne.\r\n\r"
    b"00:00:02.000 --> 00:00:03.000\nLa troisi\xc3\xa8me phrase arrive enfin.\n"
)


def test_vtt_with_cr_and_mixed_line_endings_is_read_cue_by_cue():
    document, segments, english = round_trip("newlines.vtt", NEWLINES_VTT, shout)
    flows = [document.plain.text[block.start:block.end] for block in document.plain.blocks()]
    assert len(flows) == 3, flows
    assert "premi\u00e8re" in flows[0] and "deuxi\u00e8me" in flows[1] and "troisi\u00e8me" in flows[2]
    # Timings, header and every line ending between blocks are kept as written.
    assert english.startswith(b"WEBVTT\r\r00:00:00.000 --> 00:00:01.000\r")
    assert b"\r\r\n00:00:01.000 --> 00:00:02.000\r\n" in english
    assert b"\r\n\r00:00:02.000 --> 00:00:03.000\n" in english
    assert "EN LA DEUXI\u00c8ME".encode() in english


def test_vtt_identity_with_cr_line_endings_is_byte_for_byte():
    _doc, _segs, english = round_trip("newlines.vtt", NEWLINES_VTT)
    assert english == NEWLINES_VTT


def test_vtt_nul_is_read_as_replacement_character_as_the_webvtt_parser_does():
    data = b"WEBVTT\n\n00:00.000 --> 00:01.000\nBonjour\x00 le monde, comment allez-vous ?\n"
    document, _segs, english = round_trip("nul.vtt", data)
    assert "Bonjour\ufffd le monde" in document.text
    assert english == data.replace(b"\x00", "\ufffd".encode())


def test_english_only_vtt_with_a_bom_comes_back_byte_for_byte():
    data = codecs.BOM_UTF8 + b"WEBVTT\n\n00:00.000 --> 00:01.000\nHello there, how are you today?\n"
    _doc, _segs, english = round_trip("bom.vtt", data)
    assert english == data


@pytest.mark.parametrize("data", [b"", b"\n\n", b"\xef\xbb\xbf"])
def test_empty_ass_file_gives_an_empty_english_file(data):
    document, segments, english = round_trip("empty.ass", data)
    assert segments == [] and english == b""
