"""Sample documents of every format, made with the library that reads and writes that format
(python-docx, python-pptx, odfdo, pysubs2, polib), or committed (the EPUB, made by pandoc:
tests/fixtures/formats/make_fixtures.sh). Each holds French, Spanish and English text and the
structure the format must keep (styles, tables, links, fields, timings, placeholders)."""

from __future__ import annotations

import io
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "formats"
LINK = "https://example.org/chat"


def docx_sample() -> bytes:
    import docx
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from PIL import Image

    document = docx.Document()
    document.add_heading("Le voyage du petit chat", level=1)
    paragraph = document.add_paragraph("Le petit chat quitte la maison ")
    paragraph.add_run("très tôt").bold = True
    paragraph.add_run(" le matin et marche vers la forêt.")
    linked = document.add_paragraph("Lisez la suite sur ")
    rel = document.part.relate_to(LINK, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    hyperlink = OxmlElement("w:hyperlink")
    hyperlink.set(qn("r:id"), rel)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "notre site du village"
    run.append(text)
    hyperlink.append(run)
    linked._p.append(hyperlink)
    table = document.add_table(rows=2, cols=2)
    table.style = "Table Grid"
    for (row, col), value in {(0, 0): "Bonjour à tous", (0, 1): "Hola a todos",
                              (1, 0): "Good morning", (1, 1): "Merci beaucoup pour votre aide"}.items():
        table.cell(row, col).text = value
    image = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(image, format="PNG")
    image.seek(0)
    document.add_picture(image)
    document.add_paragraph("El gato duerme en el sofá toda la tarde.", style="Quote")
    document.sections[0].header.paragraphs[0].text = "Rapport annuel de la mairie"
    footer = document.sections[0].footer.paragraphs[0]
    footer.text = "Page "
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    field_run = OxmlElement("w:r")
    field_text = OxmlElement("w:t")
    field_text.text = "1"
    field_run.append(field_text)
    field.append(field_run)
    footer._p.append(field)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def pptx_sample() -> bytes:
    from pptx import Presentation
    from pptx.util import Inches

    presentation = Presentation()
    slide = presentation.slides.add_slide(presentation.slide_layouts[1])
    slide.shapes.title.text = "Le marché du village"
    frame = slide.placeholders[1].text_frame
    frame.text = "Les légumes frais arrivent chaque matin."
    paragraph = frame.add_paragraph()
    paragraph.add_run().text = "Consultez "
    link = paragraph.add_run()
    link.text = "le site de la mairie"
    link.hyperlink.address = LINK
    slide.notes_slide.notes_text_frame.text = "Parler des prix des tomates et des pommes."
    second = presentation.slides.add_slide(presentation.slide_layouts[5])
    second.shapes.title.text = "El mercado de la ciudad"
    table = second.shapes.add_table(2, 2, Inches(1), Inches(2), Inches(6), Inches(2)).table
    for (row, col), value in {(0, 0): "Produit", (0, 1): "Prix du jour",
                              (1, 0): "Las manzanas rojas", (1, 1): "Thank you"}.items():
        table.cell(row, col).text = value
    out = io.BytesIO()
    presentation.save(out)
    return out.getvalue()


def odt_sample() -> bytes:
    from odfdo import Document, Header, Link, List, Paragraph, Span, Table

    document = Document("text")
    body = document.body
    body.append(Header(1, "Le voyage du petit chat"))
    paragraph = Paragraph("Le petit chat quitte la maison le matin. ")
    paragraph.append(Span("Il regarde les oiseaux.", style="Emphasis"))
    body.append(paragraph)
    linked = Paragraph("Lisez la suite sur ")
    linked.append(Link(LINK, text="notre site du village"))
    body.append(linked)
    body.append(List(["Une pomme rouge et sucrée", "Un pan de trigo con mantequilla"]))
    table = Table("Prix", width=2, height=2)
    table.set_value((0, 0), "Bonjour à tous")
    table.set_value((1, 0), "Hola a todos")
    table.set_value((0, 1), "Good morning")
    table.set_value((1, 1), "Merci beaucoup pour votre aide")
    body.append(table)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def epub_sample() -> bytes:
    return (FIXTURES / "book.epub").read_bytes()


VTT_SAMPLE = """WEBVTT
Kind: captions

STYLE
::cue(.loud) { color: yellow }

NOTE Les horaires viennent du montage final.

intro
00:00:01.000 --> 00:00:03.500 line:0 position:20% align:start
<v Marie>Bonjour à tous, <i>bienvenue</i> au marché &amp; à la fête.

00:04.000 --> 00:06.000
El gato duerme en el sofá.
<c.loud>Toda la tarde.</c>

00:00:07.000 --> 00:00:09.000
Thank you for coming today.
"""


def ass_sample() -> bytes:
    import pysubs2

    subs = pysubs2.SSAFile()
    subs.info["Title"] = "Le marché"
    subs.styles["Haut"] = pysubs2.SSAStyle(fontname="Arial", fontsize=28, alignment=pysubs2.Alignment.TOP_CENTER)
    subs.append(pysubs2.SSAEvent(start=1000, end=3500, style="Haut",
                                 text=r"{\pos(320,40)}Bonjour à tous, {\i1}bienvenue{\i0} au marché.\NLes légumes sont frais."))
    subs.append(pysubs2.SSAEvent(start=4000, end=6000, name="Ana", marginv=24, text="El gato duerme en el sofá."))
    subs.append(pysubs2.SSAEvent(start=6000, end=7000, type="Comment", text="Ne pas traduire ce commentaire."))
    subs.append(pysubs2.SSAEvent(start=7000, end=9000, text=r"{\p1}m 0 0 l 100 0 100 100 0 100{\p0}"))
    return subs.to_string("ass").encode("utf-8")


def po_sample() -> bytes:
    import polib

    catalogue = polib.POFile()
    catalogue.metadata = {
        "Project-Id-Version": "marche 1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Language": "",
        "Plural-Forms": "nplurals=2; plural=(n > 1);",
    }
    catalogue.append(polib.POEntry(msgid="Bienvenue au marché du village", occurrences=[("app/main.py", "12")],
                                   comment="Shown on the start page", tcomment="Keep it short"))
    catalogue.append(polib.POEntry(msgid="Ouvrir le panier", msgctxt="menu"))
    catalogue.append(polib.POEntry(msgid="Vous avez %d pomme dans le panier",
                                   msgid_plural="Vous avez %d pommes dans le panier",
                                   msgstr_plural={0: "", 1: ""}, flags=["c-format"]))
    catalogue.append(polib.POEntry(msgid="Hola {name}, el mercado abre a las {hour}", flags=["python-brace-format"]))
    catalogue.append(polib.POEntry(msgid="Save the basket"))
    return str(catalogue).encode("utf-8")


XLIFF12_SAMPLE = """<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
  <file original="app.properties" source-language="fr" datatype="plaintext">
    <body>
      <trans-unit id="greeting">
        <source>Bonjour <g id="1" ctype="bold">tout le monde</g>, cliquez sur <x id="2"/> pour ouvrir le panier.</source>
      </trans-unit>
      <trans-unit id="internal" translate="no"><source>NE PAS TRADUIRE</source></trans-unit>
      <trans-unit id="market"><source>Le marché ouvre tous les jours.</source><target>ancienne</target><note>from 2019</note></trans-unit>
    </body>
  </file>
</xliff>
"""

XLIFF20_SAMPLE = """<?xml version="1.0" encoding="UTF-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="fr">
  <file id="f1">
    <unit id="u1">
      <segment><source>Le fichier <ph id="1"/> est <pc id="2">introuvable</pc> sur le serveur.</source></segment>
      <ignorable><source> </source></ignorable>
      <segment><source>Veuillez réessayer plus tard, s'il vous plaît.</source></segment>
    </unit>
  </file>
</xliff>
"""


def samples() -> dict[str, bytes]:
    """File name -> bytes, one per format (two XLIFF versions)."""
    return {
        "rapport.docx": docx_sample(),
        "notes.odt": odt_sample(),
        "marche.pptx": pptx_sample(),
        "livre.epub": epub_sample(),
        "film.vtt": VTT_SAMPLE.encode("utf-8"),
        "anime.ass": ass_sample(),
        "app.po": po_sample(),
        "app12.xlf": XLIFF12_SAMPLE.encode("utf-8"),
        "app20.xliff": XLIFF20_SAMPLE.encode("utf-8"),
    }
