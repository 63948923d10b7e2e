"""PO and XLIFF as their tools write them (issue 25): what a translator wrote or protected stays."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from lxml import etree

from test_robust_subtitles import round_trip, shout
from translate.formats.gettext import GettextFormat
from translate.segment import segment_source

X12 = "{urn:oasis:names:tc:xliff:document:1.2}"
X20 = "{urn:oasis:names:tc:xliff:document:2.0}"
LONG_COMMENT = ("Translators: this message is shown in the preferences window, beside the switch that turns "
                "the automatic saving of drafts on or off")

PO = f"""msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"

# Abbreviated name of the first day of the week
msgid "Lundi matin, nous partons vers la mer avec les enfants."
msgstr ""

#. {LONG_COMMENT}
msgid "Le brouillon est enregistr\u00e9 automatiquement toutes les minutes."
msgstr ""

msgid "Bonjour et bienvenue dans notre application de dessin."
msgstr "Hello and welcome to our drawing application (reviewed by Anne)."
""".encode()


def translated_po(data: bytes, fmt: GettextFormat | None = None):
    fmt = fmt or GettextFormat()
    document = fmt.read(data, "app.po", sha256="0")
    segments = segment_source(document)
    for seg in segments:
        seg.translation = shout(seg.text) if seg.needs_translation else seg.text
    return fmt, document, segments, fmt.english_document(document, segments)


def msgfmt_check(path: Path) -> subprocess.CompletedProcess:
    """GNU msgfmt (Debian's gettext), the reference reader of PO files."""
    return subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(path)], capture_output=True, text=True)


needs_msgfmt = pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext's msgfmt is not installed")


@needs_msgfmt
def test_translator_comment_without_a_space_is_read_as_msgfmt_reads_it(tmp_path):
    # As in Okapi's Test_DrupalRussianCP1251.po.
    tight = PO.replace(b"# Abbreviated", b"#Abbreviated")
    (tmp_path / "app.po").write_bytes(tight)
    assert msgfmt_check(tmp_path / "app.po").returncode == 0  # the reference reader accepts the input
    _fmt, _doc, _segs, english = translated_po(tight)
    (tmp_path / "app.en.po").write_bytes(english)
    checked = msgfmt_check(tmp_path / "app.en.po")
    assert checked.returncode == 0, checked.stderr
    assert "# Abbreviated name of the first day of the week\n" in english.decode()
    assert "EN LUNDI MATIN" in english.decode()


def test_long_extracted_comment_is_not_rewrapped():
    _fmt, _doc, _segs, english = translated_po(PO)
    assert f"#. {LONG_COMMENT}\n" in english.decode()


def test_existing_translation_is_kept_and_counted():
    fmt, document, segments, english = translated_po(PO)
    text = english.decode()
    assert 'msgstr "Hello and welcome to our drawing application (reviewed by Anne)."' in text
    assert not any("Bonjour" in seg.text and seg.translation != seg.text for seg in segments)  # not sent to the model
    assert len(document.kept_translations) == 1
    entry = text[text.index('msgid "Bonjour'):]
    assert "fuzzy" not in text[text.rindex("\n\n", 0, text.index('msgid "Bonjour')):text.index('msgid "Bonjour')]
    assert entry.count("msgstr") == 1


def test_retranslate_replaces_existing_translations():
    fmt, document, _segs, english = translated_po(PO, GettextFormat(retranslate=True))
    assert "EN BONJOUR ET BIENVENUE" in english.decode()
    assert len(document.kept_translations) == 0


@pytest.mark.parametrize("header", [b'"Language: de\\n"\n', b'"Language-Team: Russian <ru@li.org>\\n"\n'])
def test_translations_into_another_language_are_not_kept_in_the_english_catalogue(header):
    german = PO.replace(b'"Content-Type', header + b'"Content-Type')
    fmt, document, _segs, english = translated_po(german)
    assert len(document.kept_translations) == 0 and "EN BONJOUR ET BIENVENUE" in english.decode()


@pytest.mark.parametrize("header", [b'"Language: en_GB\\n"\n', b'"Language-Team: English <en@li.org>\\n"\n',
                                    b'"Language-Team: LANGUAGE <LL@li.org>\\n"\n'])
def test_translations_of_a_catalogue_into_english_are_kept(header):
    fmt, document, _segs, english = translated_po(PO.replace(b'"Content-Type', header + b'"Content-Type'))
    assert len(document.kept_translations) == 1 and "(reviewed by Anne)" in english.decode()


# --- XLIFF -----------------------------------------------------------------------------------

XLIFF12 = """<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
 <file original="app" source-language="fr" datatype="plaintext">
  <body>
   <group id="legal" translate="no">
    <trans-unit id="g1"><source>Conditions g\u00e9n\u00e9rales de la soci\u00e9t\u00e9 Dupont et fils.</source></trans-unit>
    <group id="inner" translate="yes">
     <trans-unit id="g2"><source>Le march\u00e9 ouvre demain matin sur la place.</source></trans-unit>
    </group>
   </group>
   <trans-unit id="m1"><source>Cliquez sur <mrk mtype="protected">Fichier Ouvrir</mrk> pour commencer le travail.</source></trans-unit>
   <trans-unit id="m2"><source>Le produit <mrk mtype="x" translate="no">Bonne Maman</mrk> est vendu partout en France.</source></trans-unit>
  </body>
 </file>
</xliff>
"""

XLIFF20 = """<?xml version="1.0" encoding="UTF-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="fr">
 <file id="f1" translate="no">
  <unit id="u1"><segment><source>Le chat dort sur le canap\u00e9 du salon.</source></segment></unit>
 </file>
 <file id="f2">
  <group id="g" translate="no">
   <unit id="u2"><segment><source>Une phrase prot\u00e9g\u00e9e que personne ne doit toucher.</source></segment></unit>
  </group>
  <unit id="u3"><segment><source>Ouvrez <sm id="p1" type="generic" translate="no"/>Mes Documents<em startRef="p1"/> puis choisissez un fichier.</source></segment></unit>
  <unit id="u4"><segment><source>Le logiciel <mrk id="m" translate="no">Paint Magique</mrk> dessine tr\u00e8s bien.</source></segment></unit>
 </file>
</xliff>
"""


def targets(english: bytes, ns: str) -> dict[str, str | None]:
    root = etree.fromstring(english)
    out = {}
    holder_tag = "trans-unit" if ns == X12 else "unit"
    for holder in root.iter(ns + holder_tag):
        target = holder.find(f".//{ns}target")
        out[holder.get("id")] = None if target is None else "".join(target.itertext())
    return out


def test_xliff12_protected_groups_and_markers_are_kept():
    _doc, _segs, english = round_trip("app.xlf", XLIFF12.encode(), shout)
    got = targets(english, X12)
    assert got["g1"] is None  # inside <group translate="no">
    assert got["g2"] is not None and "MARCH\u00c9" in got["g2"]  # a nested group may say yes again
    assert "Fichier Ouvrir" in got["m1"] and "CLIQUEZ" in got["m1"]
    assert "Bonne Maman" in got["m2"] and "VENDU" in got["m2"]


def test_xliff20_protected_files_groups_and_markers_are_kept():
    _doc, _segs, english = round_trip("app.xlf", XLIFF20.encode(), shout)
    got = targets(english, X20)
    assert got["u1"] is None  # <file translate="no">
    assert got["u2"] is None  # <group translate="no">
    assert "Mes Documents" in got["u3"] and "OUVREZ" in got["u3"] and "FICHIER" in got["u3"]
    assert "Paint Magique" in got["u4"] and "LOGICIEL" in got["u4"]
    root = etree.fromstring(english)
    sm = root.find(f".//{X20}unit[@id='u3']/{X20}segment/{X20}target/{X20}sm")
    assert sm is not None and sm.tail == "Mes Documents"
