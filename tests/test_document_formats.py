"""Word, OpenDocument, PowerPoint, EPUB, WebVTT, ASS, PO and XLIFF: round trips, structure kept,
bad files refused with a reason, and one `translate batch` over a folder holding every format.

Round trips go through each format's own read and write with a stand-in translation (the
identity, or the text upper-cased and prefixed), so they check structure, not a model; the
batch test runs the real pipeline with the tiny local model.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from conftest import run_cli
from format_samples import LINK, VTT_SAMPLE, XLIFF12_SAMPLE, XLIFF20_SAMPLE, samples
from translate.wordalign import find_words
from translate.errors import InputError
from translate.formats import FORMAT_NAMES, format_for
from translate.segment import segment_document, segment_source

X12 = "{urn:oasis:names:tc:xliff:document:1.2}"
X20 = "{urn:oasis:names:tc:xliff:document:2.0}"
XHTML = "{http://www.w3.org/1999/xhtml}"
SAMPLES = samples()


def translate_with(name: str, data: bytes, translate=None):
    """Read ``data`` as the format of ``name``, give every span the translation ``translate(text)``
    (identity by default) and return (document, segments, English bytes)."""
    fmt = format_for(Path(name))
    document = fmt.read(data, name, sha256="0")
    segments = segment_source(document)
    for seg in segments:
        text = fmt.model_text(seg.text)
        seg.translation = translate(text) if translate and seg.needs_translation else text
        if translate is shout and seg.needs_translation and text == seg.text:
            # Each word aligned with its upper-cased self (as the aligner would), for the inline-markup transfer.
            seg.alignment = [[s0, s1, s0 + 3, s1 + 3] for s0, s1 in find_words(seg.text)]
    return fmt, document, segments, fmt.english_document(document, segments)


def shout(text: str) -> str:
    """A stand-in translation: "EN " and the text upper-cased (same length, word for word)."""
    return "EN " + text.upper()


def members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


# --- the registry -----------------------------------------------------------------------------


def test_every_format_is_listed_by_batch_help_and_reads_its_sample():
    from translate.cli.batch import FORMATS_HELP

    assert FORMATS_HELP.split(",") == list(FORMAT_NAMES)
    assert {format_for(Path(name)).name for name in SAMPLES} == set(FORMAT_NAMES) - {"txt", "md", "srt", "html"}
    for name, data in SAMPLES.items():
        document = format_for(Path(name)).read(data, name, sha256="0")
        units = document.blocks or document.plain.blocks()  # HTML-like formats read sentence flows
        text = document.text if document.blocks else document.plain.text
        assert units, name
        for block in units:
            assert text[block.start : block.end].strip()


# --- identity round trips -----------------------------------------------------------------------


@pytest.mark.parametrize("name", ["rapport.docx", "notes.odt", "marche.pptx"])
def test_office_identity_round_trip_gives_back_the_same_package_byte_for_byte(name):
    _fmt, _doc, _segs, english = translate_with(name, SAMPLES[name])
    assert members(english) == members(SAMPLES[name])
    assert [info.filename for info in zipfile.ZipFile(io.BytesIO(english)).infolist()] == list(members(SAMPLES[name]))


@pytest.mark.parametrize("name", ["film.vtt", "anime.ass"])
def test_subtitle_identity_round_trip_gives_back_the_same_file(name):
    _fmt, _doc, _segs, english = translate_with(name, SAMPLES[name])
    assert english == SAMPLES[name]


def test_epub_identity_round_trip_keeps_every_member_but_the_language():
    _fmt, document, _segs, english = translate_with("livre.epub", SAMPLES["livre.epub"])
    before, after = members(SAMPLES["livre.epub"]), members(english)
    assert list(before) == list(after)
    for name in before:
        assert after[name].replace(b'lang="en"', b'lang="fr"').replace(b">en</dc:language>", b">fr</dc:language>") == before[name], name
    again = format_for(Path("x.epub")).read(english, "x.epub", sha256="0")
    assert again.plain.text == document.plain.text
    assert [(f.start, f.end) for f in again.plain.flows] == [(f.start, f.end) for f in document.plain.flows]


def test_po_and_xliff_identity_round_trip_copy_each_source_into_its_target():
    import polib

    _fmt, _doc, _segs, english = translate_with("app.po", SAMPLES["app.po"])
    catalogue = polib.pofile(english.decode("utf-8"))
    source = polib.pofile(SAMPLES["app.po"].decode("utf-8"))
    assert [(e.msgid, e.msgctxt, e.comment, e.tcomment, e.occurrences) for e in catalogue] == \
        [(e.msgid, e.msgctxt, e.comment, e.tcomment, e.occurrences) for e in source]
    for entry in catalogue:
        assert (entry.msgstr_plural == {0: entry.msgid, 1: entry.msgid_plural}) if entry.msgid_plural else entry.msgstr == entry.msgid
    for name in ("app12.xlf", "app20.xliff"):
        _fmt, _doc, _segs, english = translate_with(name, SAMPLES[name])
        ns = X12 if name.endswith(".xlf") else X20
        for holder in etree.fromstring(english).iter(ns + "trans-unit", ns + "segment"):
            source, target = holder.find(ns + "source"), holder.find(ns + "target")
            if holder.get("translate") == "no":
                assert target is None
                continue
            assert etree.tostring(source, with_tail=False).replace(b"source", b"target") == etree.tostring(target, with_tail=False).replace(b' xml:lang="en" state="needs-review-translation"', b"")


# --- translated round trips keep the structure ----------------------------------------------------


def test_docx_translation_keeps_styles_table_link_field_image_and_header():
    import docx

    _fmt, _doc, _segs, english = translate_with("rapport.docx", SAMPLES["rapport.docx"], shout)
    source, result = docx.Document(io.BytesIO(SAMPLES["rapport.docx"])), docx.Document(io.BytesIO(english))
    assert [p.style.name for p in result.paragraphs] == [p.style.name for p in source.paragraphs]
    assert result.paragraphs[0].text == "EN LE VOYAGE DU PETIT CHAT"
    assert "EN LE PETIT CHAT QUITTE LA MAISON" in result.paragraphs[1].text
    table = result.tables[0]
    assert table.style.name == "Table Grid" and len(table.rows) == 2 and len(table.columns) == 2
    assert table.cell(0, 0).text == "EN BONJOUR À TOUS" and table.cell(1, 0).text == "Good morning"
    assert result.sections[0].header.paragraphs[0].text == "EN RAPPORT ANNUEL DE LA MAIRIE"
    body = members(english)["word/document.xml"].decode()
    assert "NOTRE SITE DU VILLAGE</w:t>" in body.split("<w:hyperlink", 1)[1].split("</w:hyperlink>", 1)[0]
    assert LINK in members(english)["word/_rels/document.xml.rels"].decode()
    footer = next(v for k, v in members(english).items() if k.startswith("word/footer")).decode()
    assert '<w:fldSimple w:instr="PAGE"><w:r><w:t>1</w:t></w:r></w:fldSimple>' in footer
    assert len(result.inline_shapes) == 1
    media = {k: v for k, v in members(SAMPLES["rapport.docx"]).items() if k.startswith("word/media/")}
    assert media and all(members(english)[k] == v for k, v in media.items())


def test_pptx_translation_keeps_slides_table_notes_and_link():
    from pptx import Presentation

    _fmt, _doc, _segs, english = translate_with("marche.pptx", SAMPLES["marche.pptx"], shout)
    slides = Presentation(io.BytesIO(english)).slides
    assert len(slides) == 2
    assert slides[0].shapes.title.text == "EN LE MARCHÉ DU VILLAGE"
    runs = [run for p in slides[0].placeholders[1].text_frame.paragraphs for run in p.runs]
    linked = [run for run in runs if run.hyperlink.address]
    assert [run.hyperlink.address for run in linked] == [LINK] and linked[0].text.endswith("LE SITE DE LA MAIRIE")
    assert slides[0].notes_slide.notes_text_frame.text == "EN PARLER DES PRIX DES TOMATES ET DES POMMES."
    table = next(shape.table for shape in slides[1].shapes if shape.has_table)
    assert [[cell.text for cell in row.cells] for row in table.rows] == [
        ["EN PRODUIT", "EN PRIX DU JOUR"], ["EN LAS MANZANAS ROJAS", "Thank you"]]


def test_odt_translation_keeps_heading_list_table_span_and_link():
    from odfdo import Document

    _fmt, _doc, _segs, english = translate_with("notes.odt", SAMPLES["notes.odt"], shout)
    document = Document(io.BytesIO(english))
    body = document.body
    heading = body.get_header()
    assert heading.get_attribute("text:outline-level") in (1, "1") and heading.text == "EN LE VOYAGE DU PETIT CHAT"
    assert [link.url for link in body.get_links()] == [LINK]
    assert body.get_links()[0].text.endswith(" NOTRE SITE DU VILLAGE")
    assert [span.style for span in body.get_spans()] == ["Emphasis"]
    assert [item.text_recursive.strip() for item in body.get_list().get_elements("text:list-item")] == [
        "EN UNE POMME ROUGE ET SUCRÉE", "EN UN PAN DE TRIGO CON MANTEQUILLA"]
    table = body.get_table()
    assert (table.width, table.height) == (2, 2)
    assert table.get_cell((0, 0)).get_value() == "EN BONJOUR À TOUS"
    assert table.get_cell((0, 1)).get_value() == "Good morning"


def test_epub_translation_updates_title_and_language_and_the_bilingual_book_interleaves():
    fmt, document, segments, english = translate_with("livre.epub", SAMPLES["livre.epub"], shout)
    book = members(english)
    opf = book["EPUB/content.opf"].decode()
    assert "<dc:title" in opf and "EN LE VOYAGE DU PETIT CHAT</dc:title>" in opf and ">en</dc:language>" in opf
    chapter = etree.fromstring(book["EPUB/text/ch001.xhtml"])
    assert chapter.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    assert chapter.find(f".//{XHTML}h1").text == "EN LE DÉPART"
    # One model input per sentence across the emphasis, which is put back on its words.
    assert "Le petit chat quitte la maison très tôt le matin." in [seg.text for seg in segments]
    paragraph = chapter.find(f".//{XHTML}p")
    assert paragraph.text == "EN LE PETIT CHAT QUITTE LA MAISON " and paragraph.find(f"{XHTML}em").text == "TRÈS TÔT"
    bilingual = members(fmt.english(document, segments).extras["bilingual"])
    assert list(bilingual) == list(book) and bilingual["mimetype"] == b"application/epub+zip"
    chapter = etree.fromstring(bilingual["EPUB/text/ch001.xhtml"])
    paragraph = chapter.find(f".//{XHTML}p")
    follower = paragraph.getnext()
    assert follower.get("class") == "translate-en" and follower.get("lang") == "en"
    assert "".join(follower.itertext()).startswith("EN LE PETIT CHAT QUITTE LA MAISON")
    assert "".join(paragraph.itertext()).startswith("Le petit chat quitte la maison")
    second = etree.fromstring(bilingual["EPUB/text/ch002.xhtml"])
    english_note = [p for p in second.iter(f"{XHTML}p") if "English note" in "".join(p.itertext())][0]
    assert english_note.getnext() is None or english_note.getnext().get("class") != "translate-en"  # no copy of kept English
    assert "Le voyage du petit chat / EN LE VOYAGE DU PETIT CHAT" in bilingual["EPUB/content.opf"].decode()


EPUBCHECK = Path("/usr/share/java/epubcheck.jar")


@pytest.mark.skipif(os.environ.get("TRANSLATE_TEST_EPUBCHECK") != "1" or not EPUBCHECK.is_file() or not shutil.which("java"),
                    reason="opt-in (TRANSLATE_TEST_EPUBCHECK=1; needs Debian's epubcheck): two JVM runs, 20-100 s")
def test_english_and_bilingual_epubs_pass_epubcheck(tmp_path):
    fmt, document, segments, english = translate_with("livre.epub", SAMPLES["livre.epub"], shout)
    (tmp_path / "en.epub").write_bytes(english)
    (tmp_path / "bilingual.epub").write_bytes(fmt.english(document, segments).extras["bilingual"])
    for name in ("en.epub", "bilingual.epub"):
        result = subprocess.run(["java", "-jar", str(EPUBCHECK), str(tmp_path / name)],
                                capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stdout + result.stderr


def test_vtt_translation_keeps_header_style_notes_timings_settings_and_tags():
    _fmt, _doc, _segs, english = translate_with("film.vtt", SAMPLES["film.vtt"], shout)
    text = english.decode("utf-8")
    for line in VTT_SAMPLE.splitlines():
        if "-->" in line or line.startswith(("WEBVTT", "Kind:", "STYLE", "::cue", "NOTE", "intro")) or not line:
            assert line in text.splitlines()
    assert "EN <v Marie>BONJOUR À TOUS, <i>BIENVENUE</i> AU MARCHÉ &amp; À LA FÊTE." in text
    assert "EN EL GATO DUERME EN EL SOFÁ.\nEN <c.loud>TODA LA TARDE.</c>" in text
    assert "Thank you for coming today." in text


def test_ass_translation_keeps_timings_styles_positions_and_override_tags():
    import pysubs2

    _fmt, _doc, _segs, english = translate_with("anime.ass", SAMPLES["anime.ass"], shout)
    before, after = pysubs2.SSAFile.from_string(SAMPLES["anime.ass"].decode()), pysubs2.SSAFile.from_string(english.decode())
    assert after.styles.keys() == before.styles.keys() and after.info["Title"] == "Le marché"
    assert [(e.start, e.end, e.style, e.name, e.marginv, e.type) for e in after] == \
        [(e.start, e.end, e.style, e.name, e.marginv, e.type) for e in before]
    assert after[0].text == r"{\pos(320,40)}EN BONJOUR À TOUS, {\i1}BIENVENUE{\i0} AU MARCHÉ.\NEN LES LÉGUMES SONT FRAIS."
    assert after[1].text == "EN EL GATO DUERME EN EL SOFÁ."
    assert after[2].text == before[2].text and after[3].text == before[3].text  # comment and drawing untouched


def test_po_translation_fills_msgstr_flags_fuzzy_and_keeps_placeholders_context_and_comments():
    import polib

    _fmt, _doc, _segs, english = translate_with("app.po", SAMPLES["app.po"], shout)
    catalogue = polib.pofile(english.decode("utf-8"))
    entries = {entry.msgid: entry for entry in catalogue}
    welcome = entries["Bienvenue au marché du village"]
    assert welcome.msgstr == "EN BIENVENUE AU MARCHÉ DU VILLAGE" and "fuzzy" in welcome.flags
    assert welcome.comment == "Shown on the start page" and welcome.occurrences == [("app/main.py", "12")]
    assert entries["Ouvrir le panier"].msgctxt == "menu"
    plural = entries["Vous avez %d pomme dans le panier"]
    assert plural.msgstr_plural[0].count("%d") == 1 and plural.msgstr_plural[1].count("%d") == 1
    assert "c-format" in plural.flags and "fuzzy" in plural.flags
    brace = entries["Hola {name}, el mercado abre a las {hour}"]
    assert "{name}" in brace.msgstr and "{hour}" in brace.msgstr and brace.msgstr != brace.msgid
    kept = entries["Save the basket"]
    assert kept.msgstr == "Save the basket" and "fuzzy" not in kept.flags
    assert catalogue.metadata["Language"] == "en" and catalogue.metadata["Plural-Forms"] == "nplurals=2; plural=(n != 1);"
    assert format_for(Path("x.pot")).english_suffix(".pot") == ".po"


def test_xliff_translation_fills_targets_with_state_and_keeps_inline_codes():
    _fmt, _doc, _segs, english = translate_with("app12.xlf", SAMPLES["app12.xlf"], shout)
    root = etree.fromstring(english)
    assert root.find(f"{X12}file").get("target-language") == "en"
    greeting = root.find(f".//{X12}trans-unit[@id='greeting']")
    target = greeting.find(X12 + "target")
    assert target.get("state") == "needs-review-translation"
    assert target.find(X12 + "g").get("id") == "1" and target.find(X12 + "x").get("id") == "2"
    assert "".join(target.itertext()).startswith("EN BONJOUR")
    assert root.find(f".//{X12}trans-unit[@id='internal']").find(X12 + "target") is None
    market = root.find(f".//{X12}trans-unit[@id='market']")
    assert [child.tag for child in market] == [X12 + "source", X12 + "target", X12 + "note"]
    assert market.find(X12 + "target").text == "EN LE MARCHÉ OUVRE TOUS LES JOURS."

    _fmt, _doc, _segs, english = translate_with("app20.xliff", SAMPLES["app20.xliff"], shout)
    root = etree.fromstring(english)
    assert root.get("trgLang") == "en"
    segments = root.findall(f".//{X20}segment")
    assert [seg.get("state") for seg in segments] == ["translated", "translated"]
    target = segments[0].find(X20 + "target")
    assert target.find(X20 + "ph").get("id") == "1" and target.find(X20 + "pc").text.endswith("INTROUVABLE")
    assert root.find(f".//{X20}ignorable").find(X20 + "target") is None


def test_declared_source_languages_are_used_instead_of_detection():
    from translate.formats.xliff import XliffFormat

    xliff = XLIFF12_SAMPLE.replace('source-language="fr"', 'source-language="es-MX"')
    document = XliffFormat().read(xliff.encode(), "a.xlf", sha256="0")
    assert {seg.lang for seg in segment_document(document.text, document.blocks)} == {"es"}
    undeclared = XliffFormat().read(XLIFF12_SAMPLE.replace('source-language="fr"', 'source-language="de"').encode(), "b.xlf", sha256="0")
    assert {seg.lang for seg in segment_document(undeclared.text, undeclared.blocks)} == {"fr"}  # detected
    po = SAMPLES["app.po"].replace(b'"Language: \\n"', b'"Language: \\n"\n"X-Source-Language: es\\n"')
    assert b"X-Source-Language" in po
    document = format_for(Path("a.po")).read(po, "a.po", sha256="0")
    langs = [(seg.text, seg.lang) for seg in segment_document(document.text, document.blocks)]
    assert {lang for _text, lang in langs} == {"es"} and not any("%d" in text for text, _lang in langs)


def test_xliff_states_are_settings():
    from translate.formats.xliff import XliffFormat

    fmt = XliffFormat(state_12="translated")
    document = fmt.read(XLIFF12_SAMPLE.encode(), "a.xlf", sha256="0")
    segments = segment_source(document)
    for seg in segments:
        seg.translation = seg.text
    root = etree.fromstring(fmt.english_document(document, segments))
    assert {target.get("state") for target in root.iter(X12 + "target")} == {"translated"}
    assert XLIFF20_SAMPLE  # 2.0's state is covered above


# --- bad files ----------------------------------------------------------------------------------------


def zip_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/epub+zip")
        archive.writestr("word/document.xml", b"\0" * (20 * 1024 * 1024))
    return out.getvalue()


BAD_FILES = {
    "truncated.docx": (lambda: SAMPLES["rapport.docx"][:2000], "not a Word document"),
    "bomb.docx": (zip_bomb, "zip bomb"),
    "locked.docx": (lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "password-protected"),
    "empty-zip.pptx": (lambda: members_zip({"a.txt": b"x"}), "ppt/presentation.xml is missing"),
    "garbage.odt": (lambda: b"this is not a zip", "not a valid zip package"),
    "locked.odt": (lambda: members_zip({"content.xml": b"<a/>", "META-INF/manifest.xml": b"<m><manifest:encryption-data/></m>"}),
                   "encrypted"),
    "drm.epub": (lambda: drm_epub(), "encrypted book"),
    "noheader.vtt": (lambda: b"00:01.000 --> 00:02.000\nBonjour\n", "not a WebVTT file"),
    "garbage.ass": (lambda: b"just some words\nand more words\n", "not a SubStation Alpha file"),
    "garbage.po": (lambda: b"msgid \"Bonjour\"\nmsgstr \"\"\nce n'est pas un catalogue\n", "not a gettext catalogue"),
    "broken.xlf": (lambda: b"<xliff version='1.2'><file>", "malformed XML"),
    "other.xliff": (lambda: b"<html/>", "not an XLIFF 1.2 or 2.0 file"),
}


def members_zip(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()


def drm_epub() -> bytes:
    book = members(SAMPLES["livre.epub"])
    book["META-INF/encryption.xml"] = (
        b'<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container" xmlns:enc="http://www.w3.org/2001/04/xmlenc#">'
        b'<enc:EncryptedData><enc:CipherData><enc:CipherReference URI="EPUB/text/ch001.xhtml"/></enc:CipherData>'
        b"</enc:EncryptedData></encryption>")
    return members_zip(book)


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_a_bad_file_fails_with_its_name_and_the_reason(name):
    make, reason = BAD_FILES[name]
    with pytest.raises(InputError) as failure:
        format_for(Path(name)).read(make(), name, sha256="0")
    assert str(failure.value).startswith(f"{name}: ") and reason in str(failure.value)


def test_xml_entities_are_never_expanded_nor_fetched(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET", encoding="utf-8")
    xliff = (f'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY leak SYSTEM "file://{secret}"><!ENTITY big "Bonjour">]>'
             '<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2"><file source-language="fr"><body>'
             '<trans-unit id="1"><source>Le &leak; et &big; du village</source></trans-unit></body></file></xliff>')
    fmt, document, _segs, english = translate_with("x.xlf", xliff.encode(), shout)
    assert "TOP SECRET" not in document.text and "TOP SECRET" not in english.decode()


# --- one batch over every format ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def mixed_batch(tmp_path_factory, tiny_model):
    base = tmp_path_factory.mktemp("formats")
    inputs = base / "in"
    inputs.mkdir()
    for name, data in SAMPLES.items():
        (inputs / name).write_bytes(data)
    (inputs / "cassé.docx").write_bytes(b"PK\x03\x04 not really a zip")
    out = base / "out"
    env = dict(os.environ, TRANSLATE_MODELS_DIR=str(base / "models-root"), HF_HOME=str(base / "hf-home"),
               HF_HUB_OFFLINE="1", NO_COLOR="1", COLUMNS="200")
    result = run_cli("batch", str(inputs), "--out", str(out), "--model", f"fr={tiny_model}",
                     "--model", f"es={tiny_model}", "--beams", "1", "--quiet", env=env)
    return result, out


def test_one_batch_translates_every_format_and_each_output_opens_in_its_library(mixed_batch):
    import docx
    import polib
    import pysubs2
    from odfdo import Document
    from pptx import Presentation

    result, out = mixed_batch
    assert result.returncode == 1, result.stderr  # only the broken file failed
    assert "cassé.docx" in result.stderr and "not a Word document" in result.stderr
    for name in SAMPLES:
        stem, suffix = name.rsplit(".", 1)
        record = json.loads((out / f"{stem}.json").read_text(encoding="utf-8"))
        assert record["format"] == format_for(Path(name)).name
        assert any(seg["lang"] in ("fr", "es") and seg["translation"] for seg in record["segments"]), name
        assert (out / f"{stem}.html").is_file()
        english = (out / f"{stem}.en.{suffix}").read_bytes()
        if suffix == "docx":
            docx.Document(io.BytesIO(english))
        elif suffix == "pptx":
            Presentation(io.BytesIO(english))
        elif suffix == "odt":
            Document(io.BytesIO(english))
        elif suffix == "epub":
            for book in (english, (out / f"{stem}.bilingual.epub").read_bytes()):
                for member, data in members(book).items():
                    if member.endswith((".xhtml", ".opf", ".xml")):
                        etree.fromstring(data)
        elif suffix in ("vtt",):
            assert english.startswith(b"WEBVTT")
        elif suffix == "ass":
            assert len(pysubs2.SSAFile.from_string(english.decode())) == 4
        elif suffix == "po":
            assert all(entry.msgstr or entry.msgstr_plural for entry in polib.pofile(english.decode()))
        else:
            assert etree.fromstring(english).iter()
    index = (out / "index.html").read_text(encoding="utf-8")
    tmx = (out / "corpus.tmx").read_text(encoding="utf-8")
    for name in SAMPLES:
        assert name in index and name in tmx


def test_a_second_batch_finds_every_format_up_to_date(mixed_batch, tiny_model):
    result, out = mixed_batch
    inputs = out.parent / "in"
    env = dict(os.environ, TRANSLATE_MODELS_DIR=str(out.parent / "models-root"), HF_HOME=str(out.parent / "hf-home"),
               HF_HUB_OFFLINE="1", NO_COLOR="1", COLUMNS="200")
    again = run_cli("batch", str(inputs), "--out", str(out), "--model", f"fr={tiny_model}",
                    "--model", f"es={tiny_model}", "--beams", "1", "--formats", "docx,epub,po", env=env)
    assert again.returncode == 1  # the broken .docx still fails
    assert "3 up to date" in again.stdout + again.stderr or "up to date: 3" in again.stdout + again.stderr, again.stdout + again.stderr


# --- the bilingual EPUB in the browser ---------------------------------------------------------------------

from test_bilingual_outputs import browser, visit  # noqa: E402,F401  (the browser fixtures)


def test_bilingual_epub_chapter_shows_each_paragraph_then_its_styled_english(visit, mixed_batch, tmp_path):
    _result, out = mixed_batch
    with zipfile.ZipFile(out / "livre.bilingual.epub") as book:
        book.extractall(tmp_path / "book")
    page = visit(tmp_path / "book" / "EPUB" / "text" / "ch001.xhtml")
    page.assert_clean()
    pairs = page.page.evaluate("""() => [...document.querySelectorAll('div.translate-en')].map(div => {
        const style = getComputedStyle(div);
        const before = div.previousElementSibling || div.parentElement;
        return {source: before.textContent.trim(), english: div.textContent.trim(), lang: div.lang,
                border: style.borderLeftStyle, italic: style.fontStyle, visible: div.getBoundingClientRect().height > 0,
                below: div.getBoundingClientRect().top >= before.getBoundingClientRect().top};
    })""")
    assert len(pairs) >= 4  # the heading, the paragraph, the quote and the list items
    for pair in pairs:
        assert pair["lang"] == "en" and pair["border"] == "solid" and pair["italic"] == "italic"
        assert pair["visible"] and pair["below"] and pair["english"] and pair["source"]
    assert any(pair["source"].startswith("Le petit chat quitte la maison") for pair in pairs)


# --- sentences across inline markup in EPUB chapters and subtitle cues -----------------------------------------


def translate_sentences(name: str, data: bytes, translations: dict[str, tuple[str, list[tuple[str, str]]]]):
    """Read ``data`` as the format of ``name``; give the spans named in ``translations`` their English and
    word links (source word, English word); keep the others. Returns (segments, English bytes)."""
    from test_markup import pairs

    fmt = format_for(Path(name))
    document = fmt.read(data, name, sha256="0")
    segments = segment_source(document)
    for seg in segments:
        if seg.text in translations:
            english, links = translations[seg.text]
            raw = links and isinstance(links[0], list)  # alignment pairs given as they are
            seg.lang, seg.translation, seg.alignment = "fr", english, links if raw else pairs(seg.text, english, links)
        else:
            seg.translation = seg.text
    return fmt, document, segments, fmt.english_document(document, segments)


def tiny_epub(body: str) -> bytes:
    """A one-chapter EPUB 3 whose chapter body is ``body`` (XHTML)."""
    opf = ('<?xml version="1.0" encoding="UTF-8"?>\n<package xmlns="http://www.idpf.org/2007/opf" version="3.0" '
           'unique-identifier="id"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:identifier id="id">x</dc:identifier>'
           '<dc:title>Le vote</dc:title><dc:language>fr</dc:language></metadata><manifest>'
           '<item id="c1" href="c1.xhtml" media-type="application/xhtml+xml"/></manifest><spine><itemref idref="c1"/></spine></package>')
    chapter = ('<?xml version="1.0" encoding="UTF-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="fr" lang="fr">'
               f'<head><title>Chapitre</title></head><body>{body}</body></html>')
    container = ('<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">'
                 '<rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>')
    return members_zip({"mimetype": b"application/epub+zip", "META-INF/container.xml": container.encode(),
                        "OEBPS/content.opf": opf.encode(), "OEBPS/c1.xhtml": chapter.encode()})


VOTE = "Revivez le direct du vote à l'Assemblée avec vos questions."
VOTE_EN = ("Relive the live vote in the Assembly with your questions.",
           [("Revivez", "Relive"), ("le", "the"), ("direct", "live"), ("vote", "vote"), ("Assemblée", "Assembly"),
            ("avec", "with"), ("vos", "your"), ("questions", "questions")])


def test_an_epub_sentence_is_one_model_input_and_its_link_emphasis_and_code_go_back_on_their_words():
    body = ('<p>Revivez <a href="https://example.org/direct">le direct du <em>vote</em></a> à l\'Assemblée '
            'avec <code>vos</code> questions.</p><p>La <b>maison bleue</b> est <span translate="no">grande</span>.</p>')
    fmt, document, segments, english = translate_sentences("book.epub", tiny_epub(body), {
        VOTE: VOTE_EN,
        "La maison bleue est grande.": ("The blue house is big.", [("La", "The"), ("maison", "house"), ("bleue", "blue"),
                                                                   ("est", "is"), ("grande", "big")]),
    })
    assert {VOTE, "La maison bleue est grande."} <= {seg.text for seg in segments}  # whole sentences, not fragments
    chapter = members(english)["OEBPS/c1.xhtml"].decode()
    assert ('<p>Relive <a href="https://example.org/direct">the live <em>vote</em></a> in the Assembly '
            'with <code>vos</code> questions.</p>') in chapter
    # A reordered adjective keeps its element, and content that must not be translated stays in place.
    assert '<p>The <b>blue house</b> is <span translate="no">grande</span>.</p>' in chapter
    etree.fromstring(members(english)["OEBPS/c1.xhtml"])  # well-formed XML: the nesting holds
    bilingual = etree.fromstring(members(fmt.english(document, segments).extras["bilingual"])["OEBPS/c1.xhtml"])
    notes = [div for div in bilingual.iter(f"{XHTML}div") if div.get("class") == "translate-en"]
    assert [div.find(f"{XHTML}a").get("href") for div in notes[:1]] == ["https://example.org/direct"]
    assert "".join(notes[1].itertext()) == "The blue house is grande."


def test_epub_attributes_a_reader_sees_are_translated():
    body = '<p><img src="chat.png" alt="Le chat dort"/> Le chat dort.</p>'
    _fmt, _doc, segments, english = translate_sentences("book.epub", tiny_epub(body), {
        "Le chat dort": ("The cat sleeps", [("Le", "The"), ("chat", "cat"), ("dort", "sleeps")]),
        "Le chat dort.": ("The cat sleeps.", [("Le", "The"), ("chat", "cat"), ("dort", "sleeps")]),
    })
    assert '<p><img src="chat.png" alt="The cat sleeps"/> The cat sleeps.</p>' in members(english)["OEBPS/c1.xhtml"].decode()


VTT_CUES = """WEBVTT

00:00:01.000 --> 00:00:04.000
<v Ana>Revivez <i>le direct du vote</i> à l'Assemblée
avec vos questions.

00:00:05.000 --> 00:00:06.000
<00:00:05.000>Un <00:00:05.500>deux
"""


def test_a_vtt_cue_is_one_sentence_across_its_tags_and_line_break():
    _fmt, _doc, segments, english = translate_sentences("film.vtt", VTT_CUES.encode(), {VOTE: VOTE_EN})
    assert VOTE in [seg.text for seg in segments]
    text = english.decode()
    assert "<v Ana>Relive <i>the live vote</i> in the Assembly\nwith your questions." in text
    # Karaoke timestamps cut the text: each stays before the words it times.
    assert "<00:00:05.000>Un <00:00:05.500>deux" in text and {"Un", "deux"} <= {seg.text for seg in segments}


def test_vtt_line_breaks_placed_together_never_make_a_blank_line_that_would_end_the_cue():
    cue = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nUn\ndeux\ntrois quatre.\n"
    # Every word aligned to the last English word: both breaks land at the same place.
    _fmt, _doc, _segs, english = translate_sentences("film.vtt", cue.encode(), {
        "Un deux trois quatre.": ("One two three four.", [[0, 2, 14, 18], [3, 7, 14, 18], [8, 13, 14, 18], [14, 20, 14, 18]]),
    })
    text = english.decode()
    assert "\n\n" not in text.split("-->", 1)[1].strip()  # still one cue
    assert len(format_for(Path("x.vtt")).read(english, "x.vtt", sha256="0").plain.flows) == 1


def test_an_ass_event_is_one_flow_and_its_toggles_follow_their_words():
    import pysubs2

    subs = pysubs2.SSAFile()
    subs.append(pysubs2.SSAEvent(start=0, end=2000, text=r"{\pos(10,20)}La {\i1}maison bleue{\i0} est grande.\NElle dort."))
    subs.append(pysubs2.SSAEvent(start=2000, end=3000, text=r"{\p1}m 0 0 l 10 0 10 10{\p0}"))
    _fmt, _doc, segments, english = translate_sentences("x.ass", subs.to_string("ass").encode(), {
        "La maison bleue est grande.": ("The blue house is big.", [("La", "The"), ("maison", "house"), ("bleue", "blue"),
                                                                   ("est", "is"), ("grande", "big")]),
        "Elle dort.": ("She sleeps.", [("Elle", "She"), ("dort", "sleeps")]),
    })
    assert [seg.text for seg in segments] == ["La maison bleue est grande.", "Elle dort."]  # the drawing is not text
    after = pysubs2.SSAFile.from_string(english.decode())
    assert after[0].text == r"{\pos(10,20)}The {\i1}blue house{\i0} is big.\NShe sleeps."
    assert after[1].text == r"{\p1}m 0 0 l 10 0 10 10{\p0}"


# --- runs placed through the inline-markup transfer ----------------------------------------------------------


def test_docx_runs_follow_the_alignment_through_the_markup_transfer():
    import docx

    from translate.document import Span

    source = docx.Document()
    paragraph = source.add_paragraph("Le ")
    paragraph.add_run("chat").bold = True
    paragraph.add_run(" dort.")
    data = io.BytesIO()
    source.save(data)
    fmt = format_for(Path("a.docx"))
    document = fmt.read(data.getvalue(), "a.docx", sha256="0")
    (block,) = document.blocks
    text = document.text[block.start : block.end]
    assert text == "Le chat dort."
    segment = Span(0, block.start, block.end, "fr", text, "The cat sleeps.", -0.1,
                      [[0, 2, 0, 3], [3, 7, 4, 7], [8, 12, 8, 14]])
    result = docx.Document(io.BytesIO(fmt.english_document(document, [segment])))
    runs = [(run.text, bool(run.bold)) for run in result.paragraphs[0].runs]
    assert runs == [("The", False), (" cat", True), (" sleeps.", False)]  # the space between two pieces goes to the second


def test_a_document_its_format_cannot_write_is_a_failure_of_that_file_only(tmp_path):
    from translate.stages import FileOutcome, write_document
    from translate.writers import TranslatedDocument

    document = format_for(Path("a.docx")).read(SAMPLES["rapport.docx"], "a.docx", sha256="0")
    document.original = b"PK\x03\x04 damaged since it was read"
    document.parsed = None  # as on another process (Ray), where the package is parsed again to write
    outcome = write_document(tmp_path, TranslatedDocument(document, [], format="docx"), FileOutcome("a.docx"))
    assert outcome.status == "failed" and outcome.error.startswith("a.docx: not a Word document")
    assert not (tmp_path / "a.json").exists()  # the JSON, written last, marks a document done


def test_the_python_api_translates_a_word_file_to_bytes_and_writes_the_bilingual_epub_too(tmp_path, tiny_model, isolated_env):
    import docx

    from translate import Translator

    (tmp_path / "rapport.docx").write_bytes(SAMPLES["rapport.docx"])
    (tmp_path / "livre.epub").write_bytes(SAMPLES["livre.epub"])
    with Translator({"fr": str(tiny_model), "es": str(tiny_model)}, beams=1) as translator:
        result = translator.translate_file(tmp_path / "rapport.docx")
        assert result.format == "docx" and isinstance(result.english, bytes)
        assert len(docx.Document(io.BytesIO(result.english)).tables) == 1
        book = translator.translate_file(tmp_path / "livre.epub", tmp_path / "out")
    assert book.outputs["bilingual"].name == "livre.bilingual.epub" and book.outputs["bilingual"].is_file()
    assert (tmp_path / "out" / "livre.en.epub").is_file() and (tmp_path / "out" / "livre.json").is_file()
