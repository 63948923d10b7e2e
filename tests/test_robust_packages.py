"""Office packages come back as they were (issue 25): the members a translation does not touch are
copied raw (same local header, compression, flags, permissions, compressed bytes), and a package
nothing changes in (English only, or the identity) is returned byte for byte."""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

import pytest

from test_robust_subtitles import round_trip, shout


def english_docx() -> bytes:
    import docx

    document = docx.Document()
    document.add_heading("Quarterly report", level=1)
    paragraph = document.add_paragraph("The market opened early and ")
    paragraph.add_run("prices rose").bold = True
    paragraph.add_run(" all morning long.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def french_docx() -> bytes:
    import docx

    document = docx.Document()
    document.add_heading("Rapport trimestriel sur le march\u00e9", level=1)
    paragraph = document.add_paragraph("Le march\u00e9 a ouvert t\u00f4t ce matin et ")
    paragraph.add_run("les prix ont mont\u00e9").bold = True
    paragraph.add_run(" toute la matin\u00e9e.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def french_pptx() -> bytes:
    from pptx import Presentation

    presentation = Presentation()
    slide = presentation.slides.add_slide(presentation.slide_layouts[1])
    slide.shapes.title.text = "Le march\u00e9 du samedi matin"
    slide.placeholders[1].text = "Les l\u00e9gumes frais arrivent de la ferme voisine chaque semaine."
    out = io.BytesIO()
    presentation.save(out)
    return out.getvalue()


def french_odt() -> bytes:
    from odfdo import Document, Paragraph

    document = Document("text")
    document.body.append(Paragraph("Le chat dort sur le canap\u00e9 du salon depuis ce matin."))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def as_office_suites_write(data: bytes) -> bytes:
    """The same package written as LibreOffice and Word write theirs, unlike Python's zipfile:
    members deflated at level 9 behind data descriptors, Unix permissions 0644, an archive comment."""
    source = zipfile.ZipFile(io.BytesIO(data))

    class Unseekable(io.RawIOBase):  # zipfile writes data descriptors (flag 0x08) to a stream it cannot seek
        def __init__(self):
            self.chunks = []

        def writable(self):
            return True

        def write(self, chunk):
            self.chunks.append(bytes(chunk))
            return len(chunk)

    sink = Unseekable()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=(2024, 5, 17, 9, 30, 0))
            entry.compress_type = zipfile.ZIP_STORED if info.filename == "mimetype" else zipfile.ZIP_DEFLATED
            entry.external_attr = 0o100644 << 16
            entry.create_system = 3
            with target.open(entry, "w") as member:
                member.write(source.read(info))
        target.comment = b"made by a test"
    return b"".join(sink.chunks)


def raw_members(data: bytes) -> dict[str, tuple]:
    """Each member's central directory entry (compression, flags, permissions, date, CRC, sizes) and its
    local header and compressed bytes exactly as stored."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    out = {}
    for info in archive.infolist():
        name_length, extra_length = struct.unpack("<HH", data[info.header_offset + 26 : info.header_offset + 30])
        end = info.header_offset + 30 + name_length + extra_length + info.compress_size
        out[info.filename] = (info.compress_type, info.flag_bits, info.external_attr, info.create_system,
                              info.date_time, info.CRC, info.compress_size, data[info.header_offset : end])
    return out


PACKAGES = {"report.docx": french_docx, "slides.pptx": french_pptx, "story.odt": french_odt}


@pytest.mark.parametrize("name", sorted(PACKAGES))
@pytest.mark.parametrize("shape", ["as made", "as office suites write"])
def test_identity_round_trip_gives_the_package_back_byte_for_byte(name, shape):
    data = PACKAGES[name]()
    data = as_office_suites_write(data) if shape != "as made" else data
    _doc, _segs, english = round_trip(name, data)
    assert english == data


def test_english_only_document_comes_back_byte_for_byte():
    data = as_office_suites_write(english_docx())
    _doc, segments, english = round_trip("english.docx", data, shout)
    assert not any(seg.needs_translation for seg in segments)
    assert english == data


@pytest.mark.parametrize("name", sorted(PACKAGES))
def test_translated_package_copies_every_unchanged_member_raw(name):
    data = as_office_suites_write(PACKAGES[name]())
    _doc, _segs, english = round_trip(name, data, shout)
    before, after = raw_members(data), raw_members(english)
    assert list(after) == list(before)  # same members, same order
    changed = [member for member in before if before[member] != after[member]]
    assert changed and all(member.endswith(".xml") for member in changed)
    assert len(changed) < len(before) - 2
    archive = zipfile.ZipFile(io.BytesIO(english))
    assert archive.testzip() is None and archive.comment == b"made by a test"
    for member in changed:  # a replaced member keeps its compression and permissions
        assert after[member][0] == before[member][0] and after[member][2] == before[member][2]
    # The independent readers open the English package.
    opened = io.BytesIO(english)
    if name.endswith(".docx"):
        import docx

        assert "EN " in "\n".join(p.text for p in docx.Document(opened).paragraphs)
    elif name.endswith(".pptx"):
        from pptx import Presentation

        assert any("EN " in shape.text_frame.text for slide in Presentation(opened).slides
                   for shape in slide.shapes if shape.has_text_frame)
    else:
        from odfdo import Document

        assert any("EN " in paragraph.text_recursive for paragraph in Document(opened).body.paragraphs)


def test_mimetype_stays_first_and_stored_in_an_opendocument_package():
    data = as_office_suites_write(french_odt())
    _doc, _segs, english = round_trip("story.odt", data, shout)
    first = zipfile.ZipFile(io.BytesIO(english)).infolist()[0]
    assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
    assert english[30:38] == b"mimetype"


def test_archive_that_cannot_be_spliced_is_rebuilt_member_by_member(monkeypatch):
    from translate.formats import package

    monkeypatch.setattr(package, "_central_records", lambda *args: None)  # as for a ZIP64 archive
    data = as_office_suites_write(french_docx())
    _doc, _segs, english = round_trip("report.docx", data, shout)
    archive = zipfile.ZipFile(io.BytesIO(english))
    assert archive.testzip() is None and archive.namelist() == zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert b"EN " in archive.read("word/document.xml")
    assert all(info.external_attr == 0o100644 << 16 for info in archive.infolist())


@pytest.mark.parametrize("name, expected", [("book.epub", "not an EPUB book"), ("story.odt", "not an OpenDocument text"),
                                            ("report.docx", "not a Word document")])
def test_refusal_of_a_package_that_is_not_one_reads_as_english(name, expected):
    from translate.errors import InputError
    from translate.formats import format_for

    empty_zip = io.BytesIO()
    zipfile.ZipFile(empty_zip, "w").close()
    for data in (b"plain text, not a zip package", empty_zip.getvalue()):
        with pytest.raises(InputError) as refused:
            format_for(Path(name)).read(data, name, sha256="0")
        assert f"{name}: {expected} (" in str(refused.value)
