"""The write stage is a value: ``Format.english`` returns the English document with its markup
records and extra outputs, and leaves the spans it was given as they were."""

from __future__ import annotations

from pathlib import Path

from format_samples import samples


def translated(spans):
    for seg in spans:
        seg.translation = seg.text.upper()
    return spans


def test_english_returns_the_markup_records_and_leaves_the_spans_given_unchanged():
    from translate.formats import format_for
    from translate.segment import segment_source

    data = b'<p>Le chat <a href="https://exemple.fr">noir</a> dort sur le canap\xc3\xa9 du salon.</p>'
    fmt = format_for(Path("a.html"))
    document = fmt.read(data, "a.html", sha256="0")
    spans = translated(segment_source(document))
    english = fmt.english(document, spans)
    assert all(seg.markup is None for seg in spans)
    records = [record for seg in english.spans for record in seg.markup or ()]
    assert any(record.get("href") == "https://exemple.fr" for record in records)
    assert english.text is not None and english.data == english.text.encode("utf-8")
    assert fmt.english(document, spans) == english  # the same value again: nothing was left behind


def test_an_epub_is_opened_once_for_reading_and_both_english_books(monkeypatch):
    import pickle

    import translate.formats.epub as epub
    from translate.formats import format_for
    from translate.segment import segment_source

    opened = []
    real_open = epub._open_book
    monkeypatch.setattr(epub, "_open_book", lambda *args: opened.append(args) or real_open(*args))
    fmt = format_for(Path("livre.epub"))
    document = fmt.read(samples()["livre.epub"], "livre.epub", sha256="0")
    spans = translated(segment_source(document))
    shipped = pickle.loads(pickle.dumps(document))
    english = fmt.english(document, spans)
    assert len(opened) == 1
    assert english.data.startswith(b"PK") and english.extras["bilingual"].startswith(b"PK")
    assert fmt.english(shipped, spans) == english and len(opened) == 2  # opened again there, same books


def test_a_word_document_is_parsed_once_in_process_and_again_only_after_a_process_boundary(monkeypatch):
    import pickle

    import translate.formats.xmltext as xmltext
    from translate.formats import format_for
    from translate.segment import segment_source

    opened = []
    real_open = xmltext.open_package
    monkeypatch.setattr(xmltext, "open_package", lambda *args: opened.append(args) or real_open(*args))
    fmt = format_for(Path("rapport.docx"))
    document = fmt.read(samples()["rapport.docx"], "rapport.docx", sha256="0")
    spans = translated(segment_source(document))
    shipped = pickle.loads(pickle.dumps(document))
    english = fmt.english(document, spans)
    assert len(opened) == 1
    assert fmt.english(shipped, spans) == english and len(opened) == 2  # parsed again there, same bytes
