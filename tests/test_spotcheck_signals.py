"""Spot-check signals on hand-written good translations and on injected defects."""

from __future__ import annotations

import pytest

from spotcheck_fixtures import GOOD_A, GOOD_B, SEED_A, SEED_B, batch_document
from translate.errors import UsageError
from translate.spotcheck import Thresholds, check_documents, summarise, with_overrides
from translate.spotcheck.loader import parse_batch_document
from translate.spotcheck.signals import (SERIOUS, SIGNAL_NAMES, length_ratio, low_confidence, not_english,
                                         negation, number_added, number_mismatch, repetition, round_trip, truncated,
                                         untranslated)

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
    assert "2019" not in flag.explanation  # an added number is the number_added hint's business
    added = number_added.check(source, output, "fr", T)
    assert added is not None and [output[s:e] for s, e in added.translation_ranges] == ["2019"]
    assert "number_added" not in SERIOUS
    assert number_added.check(source, output, "fr", with_overrides(T, ["number_added_check=false"])) is None


def test_short_outputs_are_not_judged_for_language():
    assert not_english.check("Merci beaucoup.", "Merci beaucoup.", "fr", T) is None
    assert not_english.check("x", "Los motivos expuestos en esa carta son razonables.", "fr", T).name == \
        "not_english"


def test_names_and_cognates_are_not_untranslated():
    assert untranslated.check("Sam Altman, PDG d’OpenAI.", "Sam Altman, CEO of OpenAI.", "fr", T) is None
    assert untranslated.check("La situation est critique pour la mission.",
                              "The situation is critical for the mission.", "fr", T) is None


def test_names_kept_in_french_are_not_untranslated():
    source = "Le public de la Fête de la musique a envahi la place de la Bastille."
    output = "Crowds at the Fête de la Musique filled the Place de la Bastille."
    assert untranslated.check(source, output, "fr", T) is None
    assert untranslated.check(source, source, "fr", T) is not None
    assert untranslated.check("Le match au Parc des Princes.", "The match at the Parc des Princes.", "fr", T) is None


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



# --- issue 12: correct news translations that used to raise serious flags ----------------------

ISSUE_12_TABLE = [
    ("Emmanuel Macron a rencontré Jean-Luc Mélenchon hier à Marseille.",
     "Emmanuel Macron met Jean-Luc Mélenchon in Marseille yesterday.", "fr", "not_english"),
    ("Pedro Sánchez y Alberto Núñez Feijóo debatieron en Madrid.",
     "Pedro Sánchez and Alberto Núñez Feijóo debated in Madrid.", "es", "not_english"),
    ("Le château a été construit au XIVe siècle.", "The castle was built in the 14th century.", "fr",
     "number_mismatch"),
    ("La réunion commence à 14h30.", "The meeting starts at 2:30 p.m.", "fr", "number_mismatch"),
    ("Vingt personnes ont été blessées.", "20 people were injured.", "fr", "number_mismatch"),
    ("Il est parti.", "He left", "fr", "truncated"),
    ("La guerre, la guerre, toujours la guerre : c'est la guerre qui décide, dit-il, la guerre.",
     "War, war, always war: it is the war that decides, he said, the war.", "fr", "repetition"),
    ("« Le chat, le chat, le chat ! » crie l'enfant, puis encore « le chat ! »",
     "\"The cat, the cat, the cat!\" shouts the child, then again \"the cat!\"", "fr", "repetition"),
]


@pytest.mark.parametrize("source, output, lang, former_flag", ISSUE_12_TABLE)
def test_issue_12_correct_translations_raise_no_flag(source, output, lang, former_flag):
    documents = [parse_batch_document({"source": "x.txt", "segments": [
        {"lang": lang, "text": source, "translation": output}]}, "x.json")]
    check_documents(documents, T)
    assert documents[0].spans[0].flags == [], former_flag


@pytest.mark.parametrize("source, output, lang", [
    ("au XIVe siècle", "in the 14th century", "fr"),
    ("François Ier et Louis XIV", "Francis I and Louis XIV", "fr"),
    ("la Ve République", "the Fifth Republic", "fr"),
    ("son 3e titre et le 1er prix", "his 3rd title and the first prize", "fr"),
    ("quedó en 2.º lugar", "finished in 2nd place", "es"),
    ("el siglo XXI", "the 21st century", "es"),
    ("à 14h30", "at 2:30 p.m.", "fr"),
    ("à 14 h 30", "at 14:30", "fr"),
    ("à 20 heures", "at 8 p.m.", "fr"),
    ("une grève de 24h", "a 24-hour strike", "fr"),
    ("a las 10.30 horas", "at 10:30 a.m.", "es"),
    ("vingt et un ans", "twenty-one years", "fr"),
    ("quatre-vingt-dix-sept euros", "97 euros", "fr"),
    ("deux cent cinquante mille habitants", "250,000 inhabitants", "fr"),
    ("mille personnes", "a thousand people", "fr"),
    ("cuarenta y dos personas", "forty-two people", "es"),
    ("doscientos cincuenta", "two hundred and fifty", "es"),
    ("mil millones de euros", "1 billion euros", "es"),
    ("seventy-five", "75", "fr"),
    ("dans les années 80", "in the 1980s", "fr"),
    ("en los años ochenta", "in the eighties", "es"),
    ("une hausse de 30 %", "a 30 percent rise", "fr"),
    ("trente pour cent", "30%", "fr"),
    ("los dos países", "both countries", "es"),
    ("un bâtiment neuf", "a new building", "fr"),
    ("le Premier ministre", "the Prime Minister", "fr"),
])
def test_numbers_in_other_forms_are_matched(source, output, lang):
    assert number_mismatch.check(source, output, lang, T) is None


@pytest.mark.parametrize("source, output, lang", [
    ("au XIVe siècle", "in the 15th century", "fr"),
    ("à 14h30", "at 3:30 p.m.", "fr"),
    ("vingt et un ans", "twenty years", "fr"),
    ("cuarenta y dos personas", "forty people", "es"),
    ("dans les années 80", "in the 1990s", "fr"),
    ("une hausse de 30 %", "a rise", "fr"),
])
def test_changed_or_dropped_numbers_in_other_forms_are_flagged(source, output, lang):
    assert number_mismatch.check(source, output, lang, T) is not None


def test_added_number_is_only_a_hint():
    flag = number_added.check("Le siècle dernier.", "The 20th century.", "fr", T)
    assert flag is not None and "20" in flag.explanation
    assert number_mismatch.check("Le siècle dernier.", "The 20th century.", "fr", T) is None


@pytest.mark.parametrize("output, language", [
    ("Die Regierung hat am Dienstag ein neues Gesetz über die Renten beschlossen.", "German"),
    ("Il governo ha approvato martedì una nuova legge sulle pensioni.", "Italian"),
    ("O governo aprovou na terça-feira uma nova lei sobre as pensões.", "Portuguese"),
    ("El Gobierno aprobó el martes una nueva ley sobre las pensiones.", "Spanish"),
    ("Le gouvernement a adopté mardi une nouvelle loi sur les retraites.", "French"),
])
def test_wrong_language_output_is_not_english(output, language):
    flag = not_english.check("Le gouvernement a adopté mardi une nouvelle loi.", output, "fr", T)
    assert flag is not None and language in flag.explanation


def test_english_probability_is_calibrated_not_just_0_or_1():
    clear = not_english.probability_english("The government approved a new pension law on Tuesday.")
    names = not_english.probability_english("Pedro Sánchez and Alberto Núñez Feijóo debated in Madrid.")
    foreign = not_english.probability_english("Die Regierung hat am Dienstag ein neues Gesetz beschlossen.")
    assert foreign < 0.01 < 0.5 < names < clear
    # Names and little else: the evidence is weak and the probability says so.
    assert 0.1 < not_english.probability_english("Olaf Scholz in Berlin") < 0.9


def test_dropped_negation_is_a_hint():
    flag = negation.check("Cette décision n'est pas définitive.", "This decision is final.", "fr", T)
    assert flag is not None and flag.name == "negation_dropped" and "negation_dropped" not in SERIOUS
    assert negation.check("Cette décision n'est pas définitive.", "This decision is not final.", "fr", T) is None
    assert negation.check("Elle n'avait que 16 ans.", "She was only 16.", "fr", T) is None  # ne ... que
    assert negation.check("No habrá subida de impuestos.", "There will be no tax rise.", "es", T) is None


def test_truncation_is_judged_by_length_deviation():
    source = "Le gouvernement a annoncé mardi que la nouvelle loi entrerait en vigueur au mois de mars."
    assert truncated.check(source, "The government announced on Tuesday that", "fr", T) is not None
    assert truncated.check(source, "The government announced on Tuesday that the new law would take "
                                   "effect in March", "fr", T) is None


def test_low_confidence_never_pools_the_models():
    from translate.spotcheck.signals.base import CheckContext
    from translate.spotcheck.spans import Span

    fr = [Span("d", i, "fr", "x", "y", -0.5 - 0.01 * (i % 3)) for i in range(10)]
    es = [Span("d", 10 + i, "es", "x", "y", -2.0) for i in range(3)]  # a different scale, too few to judge
    context = CheckContext(T)
    flags = low_confidence.SIGNAL.check(fr + es, context)
    assert flags == [None] * 13
    assert any("es" in note and "not pooled" in note for note in context.notes)


def test_low_confidence_compares_spans_of_the_same_recorded_model():
    def segments(count, base):
        return [{"lang": "fr", "text": f"Phrase {i}.", "translation": f"Sentence {i}.", "score": base - 0.01 * i}
                for i in range(count)]

    old_model = {"source": "old.txt", "segments": segments(8, -2.0), "models": {"fr": "old-fr-en"},
                 "revisions": {"fr": "0123456789abcdef"}}
    new_model = {"source": "new.txt", "segments": segments(20, -0.5), "models": {"fr": "new-fr-en"}}
    documents = [parse_batch_document(old_model, "old.json"), parse_batch_document(new_model, "new.json")]
    assert documents[0].spans[0].model == "old-fr-en@0123456789ab"
    # Pooled, every span of the old model would sit far below the median...
    pooled = low_confidence.typical_scores({"fr": [s.score for d in documents for s in d.spans]}, T)["fr"]
    assert all(low_confidence.check(span.score, pooled, T) for span in documents[0].spans)
    # ...per model, none does.
    check_documents(documents, T)
    assert [span.flag_names for document in documents for span in document.spans] == [[]] * 28


def test_every_signal_has_the_one_interface():
    from translate.spotcheck.signals import SIGNALS, Signal
    from translate.spotcheck.signals.base import CheckContext
    from translate.spotcheck.spans import Span

    spans = [Span("d", 0, "fr", "Il est parti à 14h30.", "He left at 2:30 p.m.", -0.3)]
    assert [signal.name for signal in SIGNALS] == list(SIGNAL_NAMES)
    for signal in SIGNALS:
        assert isinstance(signal, Signal)
        assert signal.check(spans, CheckContext(T)) == [None], signal.name


def test_a_new_signal_plugs_into_the_checker():
    from translate.spotcheck.signals import SIGNALS, TextSignal
    from translate.spotcheck.spans import Flag

    shouting = TextSignal("shouting", False, "all capitals",  # judges_empty_output defaults to False
                          lambda text, translation, lang, thresholds:
                          Flag("shouting", "caps") if translation.isupper() else None)
    documents = _documents()
    documents[0].spans[0].translation = "OPENAI'S CEO EXPLAINS"
    check_documents(documents, T, signal_set=(*SIGNALS, shouting))
    assert [s.seg for d in documents for s in d.spans if "shouting" in s.flag_names] == [documents[0].spans[0].seg]


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
