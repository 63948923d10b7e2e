"""Formatting put back after translation always holds an English word: a bold, italic, small-caps,
subscript or superscript run (Word, PowerPoint, OpenDocument) or a WebVTT ``<i>``/``<b>`` tag is
never left empty, and a WebVTT cue keeps its line count. Real translations (the tiny model's)
through each format's round trip, read back with the format's own library."""

from __future__ import annotations

import io
import re

import pytest

from translate import Translator

WORD = re.compile(r"\w")
# Short formatted runs between plain text, as in pandoc's inline-formatting deck and odfdo's dormeur.odt.
RUNS = [
    ("Le ", None), ("chat", "bold"), (" dort sur le ", None), ("canapé", "italic"), (" depuis ", None),
    ("ce", "small_caps"), (" matin avec de l'eau H", None), ("2", "subscript"), ("O et un jardin de 30 m", None),
    ("2", "superscript"), (" derrière la ", None), ("maison", "bold"), (".", None),
]
SECOND = [
    ("Nous ", None), ("avons", "italic"), (" ", None), ("vraiment", "bold"), (" ", None), ("beaucoup", "italic"),
    (" ", None), ("aimé", "bold"), (" le spectacle de ", None), ("hier", "italic"), (" soir.", None),
]


@pytest.fixture(scope="module")
def translator(tiny_model, tmp_path_factory):
    root = tmp_path_factory.mktemp("markup-words")
    with Translator({"fr": str(tiny_model), "es": str(tiny_model)}, models_root=root,
                    cache=root / "memory.sqlite3") as made:
        yield made


def translated(translator, tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return translator.translate_file(path).english


# -- Word -------------------------------------------------------------------------------------------


def docx_with_runs() -> bytes:
    import docx

    document = docx.Document()
    for runs in (RUNS, SECOND):
        paragraph = document.add_paragraph()
        for text, kind in runs:
            run = paragraph.add_run(text)
            if kind in ("bold", "italic"):
                setattr(run, kind, True)
            elif kind:
                setattr(run.font, kind, True)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def docx_kinds(run) -> set[str]:
    return {kind for kind in ("bold", "italic") if getattr(run, kind)} | {
        kind for kind in ("small_caps", "subscript", "superscript") if getattr(run.font, kind)}


def test_word_runs_keep_a_word_each(translator, tmp_path):
    import docx

    english = docx.Document(io.BytesIO(translated(translator, tmp_path, "runs.docx", docx_with_runs())))
    seen: set[str] = set()
    for paragraph in english.paragraphs:
        for run in paragraph.runs:
            kinds = docx_kinds(run)
            if kinds:
                assert WORD.search(run.text), f"{sorted(kinds)} run without a word in {paragraph.text!r}"
                seen |= kinds
    assert seen == {"bold", "italic", "small_caps", "subscript", "superscript"}, "formatting dropped"


# -- PowerPoint ---------------------------------------------------------------------------------------


def pptx_with_runs() -> bytes:
    from pptx import Presentation

    presentation = Presentation()
    slide = presentation.slides.add_slide(presentation.slide_layouts[1])
    slide.shapes.title.text = "Le marché du village"
    frame = slide.placeholders[1].text_frame
    for number, runs in enumerate((RUNS, SECOND)):
        paragraph = frame.paragraphs[0] if number == 0 else frame.add_paragraph()
        for text, kind in runs:
            run = paragraph.add_run()
            run.text = text
            if kind in ("bold", "italic"):
                setattr(run.font, kind, True)
            elif kind in ("subscript", "superscript"):
                run.font._rPr.set("baseline", "-25000" if kind == "subscript" else "30000")
            elif kind == "small_caps":
                run.font._rPr.set("cap", "small")
    out = io.BytesIO()
    presentation.save(out)
    return out.getvalue()


def test_powerpoint_runs_keep_a_word_each(translator, tmp_path):
    from pptx import Presentation

    english = Presentation(io.BytesIO(translated(translator, tmp_path, "runs.pptx", pptx_with_runs())))
    formatted = 0
    for shape in english.slides[0].shapes:
        for paragraph in shape.text_frame.paragraphs:
            for run in paragraph.runs:
                rpr = run._r.rPr
                attributes = {} if rpr is None else {k: v for k, v in rpr.attrib.items()
                                                     if k in ("b", "i", "cap", "baseline")}
                if attributes:
                    formatted += 1
                    assert WORD.search(run.text), f"formatted run {attributes} without a word"
    assert formatted >= 5


# -- OpenDocument ---------------------------------------------------------------------------------------


def odt_with_spans() -> bytes:
    from odfdo import Document, Paragraph, Span

    document = Document("text")
    for runs in (RUNS, SECOND):
        paragraph = Paragraph("")
        for text, kind in runs:
            if kind:
                paragraph.append(Span(text, style=f"T_{kind}"))
            else:
                paragraph.append(text)
        document.body.append(paragraph)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_opendocument_spans_keep_a_word_each(translator, tmp_path):
    from odfdo import Document

    data = translated(translator, tmp_path, "runs.odt", odt_with_spans())
    path = tmp_path / "english.odt"
    path.write_bytes(data)
    spans = Document(str(path)).body.get_elements("//text:span")
    styles = set()
    for span in spans:
        assert WORD.search(span.text_recursive or ""), f"span {span.style} without a word"
        styles.add(span.style)
    assert styles == {f"T_{kind}" for kind in ("bold", "italic", "small_caps", "subscript", "superscript")}


# -- WebVTT ---------------------------------------------------------------------------------------------

VTT = """WEBVTT

00:00:01.000 --> 00:00:04.000
<i>Le chat dort sur le canapé</i>
<i>depuis ce matin avec le chien.</i>

00:00:05.000 --> 00:00:08.000
Nous avons <i>vraiment</i> beaucoup <b>aimé</b> le spectacle de <i>hier</i> soir.

00:00:09.000 --> 00:00:12.000
- Où est la gare du village ?
- <i>Elle est derrière l'église.</i>
"""


def cues(text: str) -> list[list[str]]:
    blocks = text.replace("\r\n", "\n").strip().split("\n\n")[1:]
    return [block.split("\n")[1:] for block in blocks]


def test_webvtt_tags_keep_a_word_and_cues_their_lines(translator, tmp_path):
    english = translated(translator, tmp_path, "cues.vtt", VTT.encode("utf-8"))
    assert [len(lines) for lines in cues(english)] == [len(lines) for lines in cues(VTT)], english
    for tag in re.finditer(r"<([ib])>(.*?)</\1>", english, re.S):
        assert WORD.search(tag.group(2)), f"empty {tag.group(0)!r} in:\n{english}"
    assert english.count("<i>") == VTT.count("<i>") and english.count("<b>") == VTT.count("<b>")
