"""Spot-check signals on hand-written good translations and on injected defects."""

from __future__ import annotations

import pytest

from spotcheck_fixtures import GOOD_A, GOOD_B, SEED_A, SEED_B, batch_document
from translate.errors import UsageError
from translate.spotcheck import Thresholds, check_documents, summarise, with_overrides
from translate.spotcheck.loader import parse_batch_document
from translate.spotcheck.signals import (SERIOUS, SIGNAL_NAMES, length_ratio, low_confidence, not_english,
                                         number_mismatch, repetition, round_trip, truncated, untranslated)

T = Thresholds()

# seg of seed A -> (injected output, flag that must be raised)
DEFECTS = {
    "copies the source": (7, None, "untranslated"),
    "word loop": (8, "This is what our friends at Business Insider tell us, tell us, tell us, tell us, tell us, "
                     "tell us, tell us.", "repetition"),
    "dropped number": (12, "It is worth remembering that OpenAI was founded with Altman, Musk and LinkedIn "
                           "co-founder Reid Hoffman at its head.", "number_mismatch"),
    "Spanish output": (14, "Si Musk era algo para la empresa, era un gran inversor, que gastó entre 50 y 100 "
                           "millones de dólares de su bolsillo para mantener OpenAI.", "not_english"),
    "empty output": (17, "", "empty"),
    "cut in half": (19, "OpenAI's CEO did not know how to bring money into the company, but he managed to "
                        "raise funds from various", "truncated"),
}


def _documents(defects: dict[int, str] | None = None):
    data_a = batch_document(SEED_A, GOOD_A)
    for index, output in (defects or {}).items():
        segment = data_a["segments"][index]
        segment["translation"] = segment["text"] if output is None else output
    data_b = batch_document(SEED_B, GOOD_B, keep_all=False)
    return [parse_batch_document(data_a, "a.json"), parse_batch_document(data_b, "b.json")]


@pytest.fixture(scope="module")
def injected():
    documents = _documents({seg: output for seg, output, _ in DEFECTS.values()})
    check_documents(documents, T)
    return documents


@pytest.mark.parametrize("defect", DEFECTS)
def test_injected_defect_gets_its_flag(injected, defect):
    seg, _, expected = DEFECTS[defect]
    span = next(span for span in injected[0].spans if span.seg == seg)
    assert expected in span.flag_names, (defect, [(f.name, f.explanation) for f in span.flags])


def test_good_translations_are_not_flagged(injected):
    injected_segs = {seg for seg, _, _ in DEFECTS.values()}
    flagged = [(span.document, span.seg, [(f.name, f.explanation) for f in span.flags])
               for document in injected for span in document.spans
               if span.flags and not (document.source == SEED_A and span.seg in injected_segs)]
    assert flagged == []


def test_specific_flags_do_not_spill_over(injected):
    by_seg = {span.seg: set(span.flag_names) for span in injected[0].spans}
    assert by_seg[17] == {"empty"}  # nothing else is judged on an empty output
    assert "untranslated" not in by_seg[14]  # a Spanish output of a French source is not a copy
    assert "number_mismatch" not in by_seg[14]
    assert "truncated" not in by_seg[12]


def test_summary_counts_and_score(injected):
    summary = summarise(injected, list(SIGNAL_NAMES[:-1]), [])
    spans = sum(len(document.spans) for document in injected)
    assert summary.spans_checked == spans
    assert summary.flag_counts["empty"] == 1
    assert summary.flag_counts["untranslated"] == 1
    # Every injected defect is serious; the good spans are not flagged at all.
    assert summary.score == pytest.approx((spans - len(DEFECTS)) / spans)
    assert summary.worst_documents()[0].source == SEED_A
    assert summary.documents[1].score == 1.0


# --- individual signals -------------------------------------------------------------------


@pytest.mark.parametrize("source, output", [
    ("un groupe a offert 97,4 milliards de dollars", "a group offered 97.4 billion dollars"),
    ("une capitalisation de 30 000 millions", "a capitalization of 30 billion"),
    ("Microsoft investirait 1 000 millions de dollars", "Microsoft would invest $1,000 million"),
    ("le 11 mars 2019", "on March 11, 2019"),
    ("una inversión de 1.000 millones", "an investment of 1 billion"),
    ("il allait être dix fois plus important", "it was going to be 10 times larger"),
    ("écrivez à contact@example.org ou https://example.org/a?b=1.", "write to contact@example.org or "
                                                                      "https://example.org/a?b=1."),
])
def test_numbers_equal_in_value_are_not_flagged(source, output):
    assert number_mismatch.check(source, output, "es" if "inversión" in source else "fr", T) is None


def test_changed_number_and_lost_address_are_flagged_with_ranges():
    source = "Il a quitté OpenAI en 2018, voir https://openai.com/blog."
    output = "He left OpenAI in 2019, see the blog."
    flag = number_mismatch.check(source, output, "fr", T)
    assert flag is not None and "2018" in flag.explanation and "https://openai.com/blog" in flag.explanation
    assert [source[s:e] for s, e in flag.source_ranges] == ["2018", "https://openai.com/blog"]
    assert [output[s:e] for s, e in flag.translation_ranges] == ["2019"]
    relaxed = with_overrides(T, ["number_mismatch_check_added=false"])
    assert "2019" not in number_mismatch.check(source, output, "fr", relaxed).explanation


def test_short_outputs_are_not_judged_for_language():
    assert not_english.check("Merci beaucoup.", "Merci beaucoup.", "fr", T) is None
    assert not_english.check("x", "Los motivos expuestos en esa carta son razonables.", "fr", T).name == \
        "not_english"


def test_names_and_cognates_are_not_untranslated():
    assert untranslated.check("Sam Altman, PDG d’OpenAI.", "Sam Altman, CEO of OpenAI.", "fr", T) is None
    assert untranslated.check("La situation est critique pour la mission.",
                              "The situation is critical for the mission.", "fr", T) is None


def test_partial_copy_is_untranslated():
    source = "Le PDG d’OpenAI ne savait pas comment faire rentrer de l’argent dans l’entreprise."
    flag = untranslated.check(source, "OpenAI's CEO ne savait pas comment faire rentrer de l’argent dans "
                                      "l’entreprise.", "fr", T)
    assert flag is not None and flag.translation_ranges


def test_repetition_present_in_the_source_is_not_a_loop():
    assert repetition.check("Non, non, non et non !", "No, no, no and no!", "fr", T) is None
    assert repetition.check("Il a dit non.", "He said no, no, no, no.", "fr", T).name == "repetition"


def test_scattered_phrase_loop_is_flagged():
    output = "the company of the year, the company of the world and the company of the future"
    assert repetition.check("x", output, "fr", T) is not None


def test_truncated_needs_missing_final_punctuation():
    source = "Altman s’est retrouvé les mains vides, figurativement parlant, après le départ de Musk."
    assert truncated.check(source, "Altman found himself empty-handed", "fr", T).name == "truncated"
    # Complete but without a final full stop: not truncated.
    assert truncated.check(source, "Altman found himself empty-handed, figuratively speaking, after Musk left",
                           "fr", T) is None
    # A heading has no final punctuation to lose.
    assert truncated.check("Un moment très difficile pour OpenAI", "A moment", "fr", T) is None


def test_length_ratio_flags_runaway_output():
    source = "Et il est parti par la porte."
    assert length_ratio.check(source, "And he walked out the door.", "fr", T) is None
    long_output = "And he walked out the door, and then he came back and he walked out the door again " * 2
    assert length_ratio.check(source, long_output, "fr", T).name == "length_ratio"


def test_low_confidence_against_the_corpus():
    scores = {"fr": [-0.4, -0.5, -0.45, -0.55, -0.42, -0.48, -0.5, -0.38, -0.6]}
    typical = low_confidence.typical_scores(scores, T)["fr"]
    assert low_confidence.check(-0.58, typical, T) is None
    assert low_confidence.check(-2.5, typical, T).name == "low_confidence"
    # Too few scored spans: no reference, no flag.
    assert low_confidence.typical_scores({"fr": scores["fr"][:3]}, T) == {}


def test_low_confidence_in_a_batch(injected):
    documents = _documents()
    documents[0].spans[5].score = -3.0
    check_documents(documents, T)
    assert documents[0].spans[5].flag_names == ["low_confidence"]
    summary = summarise(documents, list(SIGNAL_NAMES[:-1]), [])
    assert summary.score == 1.0  # low confidence is a hint, not a serious flag
    assert "low_confidence" not in SERIOUS


def test_chrf():
    assert round_trip.chrf("the cat sat", "the cat sat") == pytest.approx(1.0)
    assert round_trip.chrf("xyz", "abc") == 0.0
    # One character 1-gram out of two matches; no 2-gram does: P = R = (1/2 + 0) / 2.
    assert round_trip.chrf("ab", "ac", max_order=2) == pytest.approx(0.25)


def test_round_trip_with_a_back_translation_function():
    items = [("Le chat dort sur le canapé.", "The cat sleeps on the sofa.", "fr"),
             ("El perro come.", "The dog eats.", "es")]
    calls = []

    def back_translate(texts, lang):
        calls.append((tuple(texts), lang))
        return {"fr": ["Le chat dort sur le canapé."], "es": ["La bolsa sube hoy."]}[lang]

    flags = round_trip.check_all(items, back_translate, T)
    assert flags[0] is None
    assert flags[1].name == "round_trip"
    # One call per language, with that language's outputs only.
    assert sorted(calls, key=lambda call: call[1]) == [(("The dog eats.",), "es"),
                                                       (("The cat sleeps on the sofa.",), "fr")]


def test_threshold_overrides():
    changed = with_overrides(T, ["low_confidence_z=2", "not-english-min-words=3"])
    assert changed.low_confidence_z == 2.0 and changed.not_english_min_words == 3
    with pytest.raises(UsageError, match="NAME=VALUE"):
        with_overrides(T, ["no_such_threshold=1"])
    with pytest.raises(UsageError, match="not a valid int"):
        with_overrides(T, ["repetition_min_repeats=many"])



# --- sampling ---------------------------------------------------------------------------------


def _spans(count_per_doc: int, flagged_every: int):
    from translate.spotcheck.spans import Flag, Span

    spans = []
    for doc in ("a.txt", "b.txt"):
        for seg in range(count_per_doc):
            lang = "es" if seg % 5 == 0 else "fr"
            flags = [Flag("repetition", "loop")] if seg % flagged_every == 0 else []
            spans.append(Span(doc, seg, lang, "x", "y", None, flags))
    return spans


def test_sample_covers_every_stratum_and_favours_flagged_spans():
    from translate.spotcheck.sampling import sample_spans

    spans = _spans(50, flagged_every=10)  # 10 % flagged
    picked_flagged = total = 0
    for seed in range(20):
        sample = sample_spans(spans, 12, seed)
        assert len(sample) == 12 and len({(s.document, s.seg) for s in sample}) == 12
        assert {(s.document, s.lang) for s in sample} == {("a.txt", "fr"), ("a.txt", "es"), ("b.txt", "fr"),
                                                          ("b.txt", "es")}
        picked_flagged += sum(1 for s in sample if s.flags)
        total += len(sample)
    assert picked_flagged / total > 0.25  # well above the 10 % of the corpus


def test_sample_edges():
    from translate.spotcheck.sampling import sample_spans

    spans = _spans(3, flagged_every=2)
    assert sample_spans(spans, 0, 1) == []
    assert [(s.document, s.seg) for s in sample_spans(spans, 100, 1)] == [(s.document, s.seg) for s in spans]
    assert len(sample_spans(spans, 1, 1)) == 1
