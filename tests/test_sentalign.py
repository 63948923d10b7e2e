"""`translate align`: merges, splits, dropped and added sentences, folder pairing, mixed formats, outputs."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from translate.formats import read_source
from translate.sentalign import dp
from translate.sentalign.aligner import align_documents
from translate.sentalign.chrf import chrf
from translate.sentalign.run import pair_folders, pairing_key
from translate.sentalign.scoring import EmbeddingScorer

REPO = Path(__file__).resolve().parent.parent

FRENCH = [
    "Le boulanger ouvre sa boutique à six heures du matin.",
    "Il prépare d'abord les baguettes et les croissants.",
    "Sa femme tient la caisse pendant toute la journée.",
    "Le dimanche, la file d'attente arrive jusqu'à l'église.",
    "Les enfants du quartier viennent acheter des bonbons après l'école.",
    "En été, la boulangerie ferme pendant trois semaines.",
]
ENGLISH = [
    "The baker opens his shop at six in the morning.",
    "He first makes the baguettes and the croissants.",
    "His wife runs the till all day long.",
    "On Sundays the queue reaches all the way to the church.",
    "The neighbourhood children come to buy sweets after school.",
    "In summer the bakery closes for three weeks.",
]


@pytest.fixture(scope="session")
def encoder():
    from translate.sentalign.encoder import load_encoder

    return load_encoder()  # loaded once for the whole session


def doc(lines: list[str], name: str = "doc.txt"):
    return read_source(Path(name), name, data=("\n".join(lines) + "\n").encode("utf-8"))


def groups_of(alignment) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    return [(g.source, g.target) for g in alignment.groups]


def test_one_to_one_when_sentences_correspond(encoder):
    alignment = align_documents(doc(FRENCH), doc(ENGLISH))
    assert groups_of(alignment) == [((i, i + 1), (i, i + 1)) for i in range(6)]


def test_a_source_sentence_translated_as_two_is_a_1_2_group(encoder):
    english = ENGLISH[:2] + ["His wife runs the till.", "She stays there all day long."] + ENGLISH[3:]
    groups = groups_of(align_documents(doc(FRENCH), doc(english)))
    assert ((2, 3), (2, 4)) in groups
    assert ((3, 4), (4, 5)) in groups  # and the rest stays in step


def test_two_source_sentences_merged_in_one_are_a_2_1_group(encoder):
    english = ENGLISH[:1] + ["He first makes the baguettes and the croissants, while his wife runs the till all day."]
    english += ENGLISH[3:]
    groups = groups_of(align_documents(doc(FRENCH), doc(english)))
    assert ((1, 3), (1, 2)) in groups
    assert ((5, 6), (4, 5)) in groups


def test_a_dropped_sentence_is_a_one_sided_source_group(encoder):
    english = ENGLISH[:3] + ENGLISH[4:]
    alignment = align_documents(doc(FRENCH), doc(english))
    groups = groups_of(alignment)
    assert ((3, 4), (3, 3)) in groups
    assert ((4, 5), (3, 4)) in groups
    dropped = next(g for g in alignment.groups if g.source == (3, 4))
    assert alignment.span("target", dropped) is None and dropped.one_sided


def test_an_added_sentence_is_a_one_sided_target_group(encoder):
    english = ENGLISH[:2] + ["Nobody in town remembers a day when the bakery stayed closed."] + ENGLISH[2:]
    groups = groups_of(align_documents(doc(FRENCH), doc(english)))
    assert ((2, 2), (2, 3)) in groups
    assert ((2, 3), (3, 4)) in groups


def test_paragraphs_are_aligned_first_when_both_sides_have_them(encoder):
    french = FRENCH[:3] + [""] + FRENCH[3:]
    english = ENGLISH[:3] + [""] + ENGLISH[3:]
    alignment = align_documents(doc(french), doc(english))
    assert alignment.paragraphs_first
    assert groups_of(alignment) == [((i, i + 1), (i, i + 1)) for i in range(6)]


def test_run_vectors_are_the_encodings_of_the_joined_runs(encoder):
    """Runs are composed from one pass over the document's tokens; they must equal encoding each run
    as its own text (long and short sentences, a blank one, runs cut at the document's start)."""
    from translate.sentalign.encoder import run_vectors

    texts = FRENCH[:3] + ["Oui.", "  ", "Non !", "Ah."] + FRENCH[3:] + ["Fin."]
    vectors = run_vectors(texts)
    for k in range(1, 5):
        runs = [" ".join(texts[max(0, i - k + 1) : i + 1]) for i in range(len(texts))]
        np.testing.assert_allclose(vectors[k], encoder.encode(runs), atol=2e-5)


def test_gale_church_needs_no_model():
    alignment = align_documents(doc(FRENCH), doc(ENGLISH), "length")
    assert groups_of(alignment) == [((i, i + 1), (i, i + 1)) for i in range(6)]
    assert all(0.0 <= g.confidence <= 1.0 for g in alignment.groups)


def test_coarse_to_fine_search_finds_the_full_search_path():
    rng = np.random.default_rng(3)
    src = rng.normal(size=(300, 64)).astype(np.float32)
    tgt_rows = []
    i = 0
    while i < len(src):  # a translation with merges, splits and drops along the way
        kind = rng.choice(["11", "11", "11", "21", "12", "10"])
        if kind == "21" and i + 1 < len(src):
            tgt_rows.append(src[i] + src[i + 1])
            i += 2
        elif kind == "12":
            tgt_rows += [src[i] * 0.6, src[i] * 0.4]
            i += 1
        elif kind == "10":
            i += 1
        else:
            tgt_rows.append(src[i])
            i += 1
    tgt = np.stack(tgt_rows) + rng.normal(scale=0.3, size=(len(tgt_rows), 64)).astype(np.float32)
    lengths_s, lengths_t = [40] * len(src), [40] * len(tgt)
    full = dp.align(EmbeddingScorer({1: src}, {1: tgt}, lengths_s, lengths_t), full_search_cells=10**9)
    coarse = dp.align(EmbeddingScorer({1: src}, {1: tgt}, lengths_s, lengths_t), full_search_cells=1_000)
    assert coarse == full
    assert full[-1].src_end == len(src) and full[-1].tgt_end == len(tgt)


def test_chrf_matches_its_definition():
    assert chrf("le chat", "le chat") == pytest.approx(1.0)
    assert chrf("xyz", "abc") == 0.0
    # n=1: P 1, R 2/3; n=2: P 1, R 1/2; longer orders absent: F2 = 5PR/(4P+R) with P=1, R=7/12.
    assert chrf("ab", "abc") == pytest.approx(35 / 55)


def test_folders_pair_by_relative_path_without_format_suffix_and_language_tag(tmp_path):
    src, tgt = tmp_path / "fr", tmp_path / "en"
    for path in (src / "a.fr.txt", src / "sub" / "b.md", src / "only-here.txt",
                 tgt / "a.en.html", tgt / "sub" / "b.en-GB.txt", tgt / "stray.txt"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x\n", encoding="utf-8")
    pairs, problems = pair_folders(src, tgt)
    assert pairs == [("a.fr.txt", "a.en.html"), ("sub/b.md", "sub/b.en-GB.txt")]
    assert any("only-here.txt" in p for p in problems) and any("stray.txt" in p for p in problems)
    assert pairing_key("a/b.pt-BR.srt") == "a/b" and pairing_key("notes.txt") == "notes"


def run_align(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "translate", "align", *args], capture_output=True, text=True,
                          cwd=cwd, env=dict(os.environ, COLUMNS="200", PYTHONPATH=str(REPO)))


def test_mixed_formats_in_folders_give_json_html_and_tmx_that_spot_check_reads(tmp_path):
    src, tgt = tmp_path / "src", tmp_path / "tgt"
    (src / "sub").mkdir(parents=True)
    (tgt / "sub").mkdir(parents=True)
    (src / "sub" / "bakery.md").write_text("# La boulangerie\n\n" + " ".join(FRENCH) + "\n", encoding="utf-8")
    html_body = "".join(f"<p>{line.replace('&', '&amp;')}</p>\n" for line in ["The bakery", *ENGLISH])
    (tgt / "sub" / "bakery.en.html").write_text(f"<html><body>\n{html_body}</body></html>\n", encoding="utf-8")
    (src / "broken.txt").write_bytes(b"\x00\x01binary")
    (tgt / "broken.en.txt").write_text("Fine.\n", encoding="utf-8")

    result = run_align("src", "tgt", "--out", "out", "--similarity", "length", cwd=tmp_path)

    assert result.returncode == 1, result.stderr  # the broken pair fails, the other is aligned
    assert "broken.txt" in result.stderr
    data = json.loads((tmp_path / "out" / "sub" / "bakery.json").read_text(encoding="utf-8"))
    source_text = (src / "sub" / "bakery.md").read_text(encoding="utf-8")
    target_text = (tgt / "sub" / "bakery.en.html").read_text(encoding="utf-8")
    assert data["format"] == "md" and data["translation_format"] == "html"
    starts = []
    for group in data["groups"]:
        assert set(group) == {"source", "target", "confidence"}
        assert group["source"] or group["target"]
        if group["source"]:
            starts.append(group["source"][0])
            assert source_text[group["source"][0] : group["source"][1]].strip()
        if group["target"]:
            assert "<" not in target_text[group["target"][0] : group["target"][1]]
    assert starts == sorted(starts)
    first = data["groups"][0]
    assert source_text[first["source"][0] : first["source"][1]] == "La boulangerie"
    assert target_text[first["target"][0] : first["target"][1]] == "The bakery"
    tmx = (tmp_path / "out" / "sub" / "bakery.tmx").read_text(encoding="utf-8")
    assert tmx.count("<tu ") == sum(1 for g in data["groups"] if g["source"] and g["target"])
    page = (tmp_path / "out" / "sub" / "bakery.html").read_text(encoding="utf-8")
    assert page.count('data-group="') == len(data["groups"])

    from translate.spotcheck.loader import load_batch_outputs

    loaded = load_batch_outputs(tmp_path / "out")
    assert [d.source for d in loaded.documents] == ["sub/bakery.md"] and not loaded.warnings
    assert all(math.isfinite(s.score) for s in loaded.documents[0].spans)


def test_low_confidence_and_one_sided_rows_are_marked_in_the_page(tmp_path, encoder):
    from translate.sentalign.run import AlignSettings, align_and_write

    (tmp_path / "a.txt").write_text("\n".join(FRENCH) + "\n", encoding="utf-8")
    english = ENGLISH[:3] + ["Quarterly revenue of the semiconductor division fell by <b>12%</b>."] + ENGLISH[4:]
    (tmp_path / "a.en.txt").write_text("\n".join(english) + "\n", encoding="utf-8")
    outcome = align_and_write(tmp_path / "out", tmp_path / "a.txt", tmp_path / "a.en.txt", "a.txt", "a.en.txt",
                              AlignSettings())
    assert outcome.error is None
    page = (tmp_path / "out" / "a.html").read_text(encoding="utf-8")
    assert "&lt;b&gt;12%&lt;/b&gt;" in page and "<b>12%" not in page
    assert 'class="one-sided' in page or ' review"' in page


def test_mt_similarity_aligns_by_chrf_of_the_machine_translation():
    # A stand-in for the model: the test's own English for each French sentence, slightly reworded.
    reworded = {fr: en.replace("The ", "A ") for fr, en in zip(FRENCH, ENGLISH)}
    english = ENGLISH[:1] + [ENGLISH[1][:-1] + ", and h" + ENGLISH[2][1:]] + ENGLISH[3:]  # one sentence
    alignment = align_documents(doc(FRENCH), doc(english), "mt",
                                translate_sources=lambda texts: [reworded.get(t, t) for t in texts])
    assert groups_of(alignment) == [((0, 1), (0, 1)), ((1, 3), (1, 2)), ((3, 4), (2, 3)), ((4, 5), (3, 4)),
                                    ((5, 6), (4, 5))]


def test_mt_translator_runs_the_sessions_models_once_and_remembers_their_translations(tiny_model, tmp_path):
    from translate.engines import EngineSettings
    from translate.models import plan_models
    from translate.sentalign.mt import machine_translator
    from translate.session import Session

    root = tmp_path / "root"
    plan = plan_models(None, {"fr": str(tiny_model), "es": str(tiny_model)}, root)
    with Session.open(plan, EngineSettings(engine="transformers", max_new_tokens=8), models_root=root,
                      cache_path=tmp_path / "tm.sqlite3") as session:
        translate_sources = machine_translator(session)
        sentences = [FRENCH[0], "The cat is asleep on the sofa.", "El perro come en la cocina."]
        out = translate_sources(sentences)
        assert len(out) == 3 and out[1] == sentences[1]  # English is compared as it is
        assert out[0] != sentences[0] and out[2] != sentences[2]
        engine = session.models.engine("fr")
        assert session.models.engine("es") is engine  # one folder: loaded once for both languages

        def no_model(*args):
            raise AssertionError("the second document pair's sentences are in the memory")

        engine.translate_batch = no_model
        assert translate_sources(sentences[::-1]) == out[::-1]


def test_an_empty_translation_leaves_every_source_sentence_one_sided():
    alignment = align_documents(doc(FRENCH[:2]), doc([]))
    assert groups_of(alignment) == [((0, 1), (0, 0)), ((1, 2), (0, 0))]


def test_markdown_and_html_sentences_run_across_inline_markup():
    from translate.formats import format_for
    from translate.sentalign.aligner import document_sentences

    markdown = "Le *chat* dort sur [le canapé](https://example.org). Il rêve.\n".encode()
    html = b"<p>The <em>cat</em> sleeps on <a href='/x'>the sofa</a>. It dreams.</p>"
    md_doc = format_for(Path("a.md")).read(markdown, "a.md", sha256="")
    html_doc = format_for(Path("a.html")).read(html, "a.html", sha256="")
    md_sentences, html_sentences = document_sentences(md_doc), document_sentences(html_doc)
    assert [s.text for s in md_sentences] == ["Le chat dort sur le canapé.", "Il rêve."]
    assert [s.text for s in html_sentences] == ["The cat sleeps on the sofa.", "It dreams."]
    first = md_sentences[0]
    assert md_doc.text[first.start:first.end] == "Le *chat* dort sur [le canapé](https://example.org)."
