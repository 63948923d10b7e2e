"""Exotic labels only with real evidence (issue 26): TeX, names with particles, short English lines
and a few English words inside an English sentence are not another language; a quoted phrase is."""

from __future__ import annotations

import pytest

from translate.segment import segment_document

_INTRO = ("The algorithm was introduced in a paper on machine learning and has been used widely since then "
          "in many fields of science.\n\n")


def labels(text: str) -> list[tuple[str, str]]:
    """(text, language) of the spans after the English introduction, on a page declared English."""
    return [(span.text, span.lang) for span in segment_document(_INTRO + text, language="en")][1:]


def test_tex_of_a_formula_is_markup_not_welsh():
    formula = r"\mathbf {y} _{1},\dots ,\mathbf {y} _{N}"
    assert labels(formula) == [(formula, "und")]
    sentence = r"The similarity is (1+\lVert \mathbf {y} _{i}-\mathbf {y} _{j}\rVert ^{2})^{-1} for each pair."
    assert {lang for _, lang in labels(sentence)} <= {"en", "und"}


def test_a_dutch_name_in_an_english_reference_list_is_not_danish():
    found = labels("Laurens van der Maaten\n\n(page does not exist)\n\nGeoffrey Hinton\n\nReferences\n\n"
                   "^ a b van der Maaten, L.J.P.; Hinton, G.E. (Nov 2008). Journal of Machine Learning Research.\n\n"
                   "^ Pezzotti, Nicola; Lelieveldt, Boudewijn P. F.; Maaten, Laurens van der; Hollt, Thomas (2017).")
    assert {lang for _, lang in found} <= {"en", "und"}, found


def test_a_short_english_line_repeated_in_an_english_menu_is_not_swedish():
    found = labels("Theory\n\nBias–variance dilemma\n\nBias–variance dilemma\n\nComputational learning theory")
    assert [lang for _, lang in found] == ["en"] * 4, found


def test_english_words_inside_an_english_sentence_are_not_latin_or_romanian():
    for sentence in (
        ("We reserve the right at all times to remove any information or materials that are unlawful, threatening, "
         "abusive, libelous, defamatory, obscene, vulgar, pornographic, profane, indecent or otherwise objectionable."),
        ("The infrastructure being tested now, including the communication arrays, navigation systems, and lunar "
         "orbit maneuvers, are all prototypes for what will eventually be required for a journey to Mars."),
    ):
        assert labels(sentence) == [(sentence, "en")]


def test_a_quoted_phrase_inside_an_english_sentence_keeps_its_language():
    found = labels('Local people called the German commander "mkono wa damu," which means the man with the '
                   "bloody hand, and the name stayed.")
    assert ('"mkono wa damu,"', "sw") in found, found


def test_a_german_line_on_a_page_that_quotes_german_stays_german():
    found = labels("Der Bundestag hat am Donnerstag ein neues Gesetz beschlossen, das die Regeln für Mieter "
                   "verschärft.\n\nDeutsch im Fokus\n\nDeutsch im Fokus")
    assert [lang for _, lang in found] == ["de"] * 3, found


def test_a_name_repeated_in_short_lines_is_not_italian():
    text = "what?\nHannah Montana.\nHannah Montana?\nmami?\nyes?\nI'm putting my foot up for a reason.\nput your foot up."
    assert {span.lang for span in segment_document(text)} <= {"en", "es"}


def test_a_short_english_reply_in_a_spanish_conversation_is_english_not_its_context():
    # Another language's label taken back gives the sentence its own evidence when it is that of an
    # insertion, not the Spanish of the line before it.
    text = ("bueno, escucha.\nanyway\nte acuerdas de lo que te pedí ayer?\nque fueras a la tienda a comprar el pan que "
            "faltaba.\ncuál tienda?\nla que está al lado del banco donde cambiamos el cheque la otra vez.\nI dunno.\n"
            "es que se me olvidó decirte cuál era para que fueras.\npero sí quería que lo compraras antes de la cena con "
            "tu hermano.\nthe one on the corner.\noh.\nay qué bueno.\nI think she is upset.")
    assert [span.lang for span in segment_document(text) if span.text == "I dunno."] == ["en"]


# Fresh real pages (readability's and Postlight's test pages): user and site names, handles and brands.

@pytest.mark.parametrize("text", [
    # Handles, not Finnish or Lithuanian.
    "Turning out to be the most difficult and complex failure we have ever had in 14 years.\n\n"
    "— Elon Musk (@elonmusk)\n\nSeptember 9, 2016\n\nJon Fingas, @jonfingas",
    # Brands with a capital inside are names, not Tagalog: no ordinary word on the line at all.
    "Android\n\niPhone iPad\n\nJoin Our Newsletter",
    # User names between comments, not Basque or Welsh.
    "more options\n\nlevel 1\n\nzenobian\n\n· 4 yr. ago\n\ncute example of dissociative identity "
    "disorder\n\nlevel 1\n\ndafyddtomas\n\n· 4 yr. ago\n\nFind the odd one out.",
    # A menu of site names, not Latin or Indonesian.
    "avclub\n\ndeadspin\n\ngizmodo\n\njalopnik\n\njezebel\n\nkotaku\n\nlifehacker\n\nquartz",
    # A long run of names, not Italian.
    "San Diego Union Tribune Logo\n\nSubscribe\n\nSign in",
], ids=["handles", "brands", "user-names", "site-names", "long-run-of-names"])
def test_names_handles_and_brands_on_an_english_page_stay_english(text):
    found = labels(text)
    assert {lang for _, lang in found} <= {"en", "und"}, found


def test_one_word_and_a_name_opening_an_english_sentence_are_english():
    sentence = ("Alaskan halibut, caught by a century-old Seattle boat, provides a glimpse of Amazon’s strategy "
                "with Whole Foods.")
    assert labels(sentence) == [(sentence, "en")]


def test_a_two_word_entry_of_a_language_menu_keeps_its_language():
    found = labels("Languages\n\nEspañol\n\nKreyòl ayisyen\n\nNorsk nynorsk\n\nEdit links")
    assert ("Kreyòl ayisyen", "ht") in found, found


def test_a_short_message_switching_between_spanish_and_english_is_not_a_third_language():
    # "ya" and "wanna" are words of Hausa too: as a whole, Hausa beats Spanish alone and English alone,
    # but not Spanish switching to English.
    found = [(span.text, span.lang) for span in segment_document("ya sabes wanna")]
    assert {lang for _, lang in found} <= {"es", "en"}, found


@pytest.mark.parametrize("laughter", ["hahaha", "jajajaja", "ajajaja", "hehehe"])
def test_laughter_is_no_language(laughter):
    # "hahaha" looks Sesotho to character n-grams; laughter follows the words around it.
    text = f"ya sabes {laughter}"
    assert [(span.text, span.lang) for span in segment_document(text)] == [(text, "es")]
    text = f"you know {laughter}"
    assert [(span.text, span.lang) for span in segment_document(text)] == [(text, "en")]


@pytest.mark.parametrize("message", ["espérate.", "no espérate.", "espérame espérame.", "escúchame bien.",
                                     "explícamelo."])
def test_a_spanish_verb_with_pronouns_written_onto_it_is_spanish_not_french(message):
    # Its accent ("espérate": espera + te) reads as French to character n-grams.
    assert [(span.text, span.lang) for span in segment_document(message)] == [(message, "es")]


@pytest.mark.parametrize("sentence", ["Il faut que tu médiatises le débat.", "Elle désinfecte la plaie.",
                                      "Le téléphone sonne.", "Une décimale de trop."])
def test_french_words_ending_like_spanish_pronouns_stay_french(sentence):
    assert [(span.text, span.lang) for span in segment_document(sentence)] == [(sentence, "fr")]


@pytest.mark.parametrize("text", ["espérate.", "Les élèves de l'école sont partis à Málaga.",
                                  "She told me about the meeting además no pudo venir nadie."])
def test_decomposed_accents_read_as_the_composed_ones(text):
    # NFD text (macOS file names, some PDFs) writes "é" as "e" and a combining accent, which is no letter.
    import unicodedata

    decomposed = unicodedata.normalize("NFD", text)
    assert [(unicodedata.normalize("NFC", span.text), span.lang) for span in segment_document(decomposed)] == [
        (span.text, span.lang) for span in segment_document(text)]
    assert segment_document(decomposed)[0].lang == segment_document(text)[0].lang != "und"

