"""Segmentation of text people write (issue 26): switches inside a sentence, one-word insertions,
short strings that take their document's language, names and identifiers, and the dev set of
real Spanish–English code-switching when ../shared/langid-cs-dev is there."""

from __future__ import annotations

from pathlib import Path

import pytest

from translate.api import detect
from translate.segment import segment_document

REPO = Path(__file__).resolve().parent.parent
# ../shared next to the checkout, or two levels up from a git worktree.
SHARED = next((p for p in (REPO.parent / "shared", REPO.parent.parent / "shared") if p.is_dir()), REPO.parent / "shared")
CS_DEV = SHARED / "langid-cs-dev"


def labels(text: str, **options) -> list[tuple[str, str]]:
    return [(s.text, s.lang) for s in segment_document(text, **options)]


def test_hola_mundo_and_a_lone_si_are_spanish():
    assert [(s.text, s.lang) for s in detect("Hola mundo.")] == [("Hola mundo.", "es")]
    assert labels("sí.") == [("sí.", "es")]


def test_a_sentence_switches_language_at_a_word_without_punctuation():
    assert labels("I told him que no quiero ir contigo mañana por la noche.") == [
        ("I told him", "en"),
        ("que no quiero ir contigo mañana por la noche.", "es"),
    ]
    assert labels("Mi hermano siempre dice que the weekend is for resting and nothing else.") == [
        ("Mi hermano siempre dice que", "es"),
        ("the weekend is for resting and nothing else.", "en"),
    ]


def test_a_one_word_insertion_gets_its_own_language_in_a_bilingual_document():
    spanish = "Mi hermana vive en Miami con sus hijos."
    assert labels(f"It was a very long day and my abuela was tired.\n{spanish}") == [
        ("It was a very long day and my", "en"),
        ("abuela", "es"),
        ("was tired.", "en"),
        (spanish, "es"),
    ]
    assert labels("vamos a ver el show esta noche\nI can't wait to see it.") == [
        ("vamos a ver el", "es"), ("show", "en"), ("esta noche", "es"), ("I can't wait to see it.", "en"),
    ]


def test_a_loanword_of_a_monolingual_page_does_not_cut_its_sentence():
    text = "Ce n'est pas moi qui ai écrit ce tweet sur le financement obtenu par la société."
    assert labels(text) == [(text, "fr")]


def test_monolingual_sentences_are_not_cut():
    for text in (
        "The prime minister said on Tuesday that the government would publish its plans next month.",
        "Le gouvernement a présenté mardi ses projets pour les chemins de fer, qui seront publiés le mois prochain.",
        "El gobierno presentó el martes sus planes para los ferrocarriles, que se publicarán el mes que viene.",
    ):
        assert len(segment_document(text)) == 1


def test_an_english_menu_on_a_page_declared_english_is_english():
    page = (
        '<html lang="en-GB"><body><nav><ul><li><a href="/travel">Travel</a></li><li><a href="/culture">Culture</a></li>'
        '<li><a href="/science">Science</a></li><li><a href="/arts">Entertainment &amp; Arts</a></li></ul></nav>'
        "<p>941 comments</p></body></html>"
    )
    spans = detect(page, format="html")
    assert spans and {s.lang for s in spans} == {"en"}, [(s.text, s.lang) for s in spans]
    # The same menu without the declaration: "comments" looks French to character n-grams.
    assert labels("Travel\n\nCulture\n\nScience\n\n941 comments", language="en") == [
        ("Travel", "en"), ("Culture", "en"), ("Science", "en"), ("941 comments", "en"),
    ]


def test_a_german_menu_on_a_german_page_is_not_sent_to_french_or_spanish():
    page = '<html lang="de"><body><ul><li>Kontakt</li><li>Suche</li><li>Impressum</li></ul></body></html>'
    spans = detect(page, format="html")
    assert [s.lang for s in spans] == ["de", "de", "de"], [(s.text, s.lang) for s in spans]


def test_a_wrong_declaration_does_not_win_over_the_text():
    french = (
        "Le gouvernement a présenté mardi ses projets pour les chemins de fer, qui seront publiés le mois "
        "prochain après un long retard. Les syndicats ont réagi avec prudence à cette annonce attendue."
    )
    page = f'<html lang="en"><body><nav><a>Accueil</a> <a>Contact</a></nav><p>{french}</p></body></html>'
    spans = detect(page, format="html")
    assert {s.lang for s in spans} == {"fr"}, [(s.text, s.lang) for s in spans]


@pytest.mark.parametrize("name", ["Midoriya Izuku", "Midoriya Inko", "Tsukauchi Naomasa", "Jamie Zawinski"])
def test_names_take_their_context_and_never_another_language(name):
    text = f"The hero walked in and everyone turned to look at {name} for a long time.\n\nWritten by {name}"
    assert [lang for _, lang in labels(text)] == ["en", "en"]
    # Alone, a name may be any of fr/es/en, but never a language it does not show (Somali, Polish...).
    assert {lang for _, lang in labels(name)} <= {"fr", "es", "en"}
    assert {lang for _, lang in labels(f"The hero walked in.\n\n{name}\n\nHe said nothing.")} <= {"fr", "es", "en"}


def test_a_name_inside_a_spanish_sentence_does_not_switch():
    assert labels("Ayer vi a Jamie Zawinski en la tienda con su hermana.") == [
        ("Ayer vi a Jamie Zawinski en la tienda con su hermana.", "es")
    ]


@pytest.mark.parametrize("zone", ["Africa/Abidjan", "America/Argentina/Buenos_Aires", "Europe/Paris"])
def test_time_zone_ids_are_not_a_language(zone):
    assert labels(zone) == [(zone, "und")]
    assert labels(f"La zona por defecto es {zone} para todos los usuarios.") == [
        (f"La zona por defecto es {zone} para todos los usuarios.", "es")
    ]


def test_a_japanese_line_in_a_french_subtitle_stays_japanese():
    ass = (
        "[Script Info]\nScriptType: v4.00+\n\n[V4+ Styles]\n"
        "Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, Italic, "
        "Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, "
        "MarginR, MarginV, Encoding\n"
        "Style: Default,Arial,20,&H00FFFFFF,&H000000FF,&H00000000,&H00000000,0,0,0,0,100,100,0,0,1,2,2,2,10,10,10,1\n\n"
        "[Events]\nFormat: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\n"
        "Dialogue: 0,0:00:01.00,0:00:03.00,Default,,0,0,0,,Bonjour, je m'appelle Marie et j'habite à Paris.\n"
        "Dialogue: 0,0:00:03.00,0:00:05.00,Default,,0,0,0,,はい、わかりました。\n"
        "Dialogue: 0,0:00:05.00,0:00:07.00,Default,,0,0,0,,Nous allons au marché ce matin avec les enfants.\n"
    )
    spans = detect(ass, format="ass")
    japanese = [s for s in spans if "わかりました" in s.text]
    assert [s.lang for s in japanese] == ["ja"], [(s.text, s.lang) for s in spans]
    assert {s.lang for s in spans if s not in japanese} == {"fr"}


def test_a_short_reply_in_a_conversation_keeps_its_language():
    text = "sí.\nokay so what did you tell him?\nno sé.\nmmhm.\nyeah I know what you mean."
    assert labels(text) == [
        ("sí.", "es"), ("okay so what did you tell him?", "en"), ("no sé.", "es"), ("mmhm.", "en"),
        ("yeah I know what you mean.", "en"),
    ]  # "mmhm" is the English spelling (as bilingual transcribers tag it): not translated


@pytest.mark.skipif(not CS_DEV.is_dir(), reason="needs ../shared/langid-cs-dev")
def test_floor_on_real_code_switching_of_the_tuning_half():
    from benchmarks.langid_cs import TUNING, conversations, score, translate_spans

    found = score(conversations(TUNING[:2], CS_DEV), translate_spans())
    assert found["words"] >= 0.975
    assert found["in_sentence_recall"] >= 0.5
    assert found["neither"] <= 0.006


def test_readers_expose_the_declared_language():
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from format_samples import docx_sample, epub_sample

    from translate.formats import DocxFormat, EpubFormat, HtmlFormat, PlainTextFormat

    page = b'<!doctype html><HTML class="x" LANG="fr-CA"><body><p>Bonjour</p></body></HTML>'
    assert HtmlFormat().read(page, "a.html", sha256="0").language == "fr-CA"
    assert HtmlFormat().read(b"<html><p>Bonjour</p></html>", "b.html", sha256="0").language is None
    assert DocxFormat().read(docx_sample(), "a.docx", sha256="0").language == "en-US"  # python-docx's template
    assert EpubFormat().read(epub_sample(), "a.epub", sha256="0").language == "fr"  # the fixture's dc:language
    assert PlainTextFormat().read(b"Bonjour", "a.txt", sha256="0").language is None


# A Spanish article of about 200 words, one language per sentence, with English loanwords.
_ARTICLE = (
    "El ayuntamiento presentó ayer su nuevo plan contra el bullying en los colegios de la ciudad. "
    "Según la concejala de educación, el programa llegará a más de cuarenta centros antes del verano. "
    "Los profesores recibirán formación durante el primer trimestre y las familias podrán participar en "
    "talleres gratuitos los sábados por la mañana. "
    "La iniciativa nace después de varios casos que preocuparon a los vecinos durante el curso pasado. "
    "Muchos padres pidieron entonces una respuesta rápida y coordinada entre las escuelas y los servicios sociales. "
    "El plan incluye también una aplicación para teléfonos con la que los alumnos podrán pedir ayuda de forma anónima. "
    "Los responsables del proyecto explicaron que el presupuesto total supera los dos millones de euros. "
    "Una parte de ese dinero se dedicará a contratar psicólogos y a mejorar los patios de recreo. "
    "En este ranking de ciudades con programas parecidos, la nuestra ocupaba hasta ahora uno de los últimos puestos. "
    "Los sindicatos de profesores valoraron la medida, aunque recordaron que las aulas siguen llenas. "
    "La oposición pidió más información sobre los plazos y sobre la evaluación de los resultados. "
    "El alcalde prometió presentar un informe público cada seis meses."
)


def test_a_document_written_one_language_per_sentence_keeps_its_loanwords_in_their_sentences():
    # Long enough to judge and without a switch between runs of words inside a sentence: its lone
    # English words ("bullying", "ranking") are loanwords, not switches.
    assert {lang for _, lang in labels(_ARTICLE)} == {"es"}
    # The same sentences after a code-switched conversation keep theirs: a writer who switches
    # inside sentences may insert a single word too.
    talk = ("I told him que no quiero ir contigo mañana por la noche.\n"
            "Mi hermano siempre dice que the weekend is for resting and nothing else.\n"
            "pero she has like una mala fama en el barrio.\n")
    found = labels(talk + _ARTICLE)
    assert ("que no quiero ir contigo mañana por la noche.", "es") in found


def test_french_words_that_spanish_has_too_do_not_cut_a_french_sentence():
    # "que", "y", "en", "se" are French as much as Spanish: evidence against English only.
    for text in ("C'est une entité aussi peu tangible que la vie et que l'âme.",
                 "Ils sont très lents et en plus ils se déplacent mal.",
                 "Compilez le tout, il y en a pour tout le monde."):
        context = "I was reading this in the library yesterday.\nMi hermana vive en Miami con sus hijos.\n"
        assert labels(context + text)[-1] == (text, "fr")


def test_a_short_line_keeps_a_language_the_document_quotes_at_length():
    # Italian has a sentence of its own in this document: a two-word Italian line is Italian, where
    # a lone "sí." in a Spanish–English conversation is not Yoruba.
    text = ("Nous avons visité la ville pendant trois jours et nous avons beaucoup aimé les musées.\n\n"
            "La nostra famiglia abita in una piccola casa vicino al mare, e ogni estate arrivano molti amici.\n\n"
            "Tutto bene\n\n"
            "Le dernier jour, nous sommes partis très tôt pour prendre le train.")
    assert [lang for _, lang in labels(text)] == ["fr", "it", "it", "fr"]


def test_an_inserted_english_noun_in_a_spanish_sentence():
    assert labels("me compré un hotdog en la playa\nit was so good") == [
        ("me compré un", "es"), ("hotdog", "en"), ("en la playa", "es"), ("it was so good", "en"),
    ]


def test_un_in_a_french_sentence_is_not_a_spanish_insertion():
    # "un" counts as Spanish evidence ("me compré un hotdog"), but it is French too: never inserted alone.
    assert labels("I told him que no quiero ir.\nLaurent Fabius proposait, dans un entretien au journal, un forfait.") == [
        ("I told him", "en"), ("que no quiero ir.", "es"),
        ("Laurent Fabius proposait, dans un entretien au journal, un forfait.", "fr"),
    ]


def test_no_french_word_in_a_long_spanish_english_conversation():
    lines = ["I told him que no quiero ir contigo mañana", "pero she has like una mala fama en la escuela",
             "we went to the beach y después fuimos a comer", "so ella me dijo que the party was cancelled",
             "my mom says que la comida está lista", "es que yo no sé what he wants from me",
             "vamos a ver the movie this weekend con mis primos"]
    found = labels("\n".join(lines * 4 + ["sí porque es chévere", "and then espérate I said"]))
    assert {lang for _, lang in found} == {"en", "es"}
    assert ("sí porque es chévere", "es") in found  # "chévere" looks French to character n-grams


def test_a_word_of_another_language_opens_a_sentence():
    assert labels("I told him que no quiero ir contigo.\nso se jaló la cara y no dijo nada.") == [
        ("I told him", "en"), ("que no quiero ir contigo.", "es"), ("so", "en"), ("se jaló la cara y no dijo nada.", "es"),
    ]


def test_a_word_at_a_switch_that_looks_like_the_third_language_goes_to_one_of_the_two():
    # "unique" looks French to character n-grams; between the English and the Spanish part of one
    # sentence it is one of those two, not a French word cut out of the sentence.
    assert labels("The view from the old bridge was unique pero nadie quiso venir con nosotros esa noche.") == [
        ("The view from the old bridge was unique", "en"), ("pero nadie quiso venir con nosotros esa noche.", "es"),
    ]
    assert labels("Their little bakery on the corner is truly unique y después fuimos al cine con mis primos.") == [
        ("Their little bakery on the corner is truly unique", "en"), ("y después fuimos al cine con mis primos.", "es"),
    ]


def test_a_switch_next_to_a_comma_goes_where_the_words_say():
    # In a text whose writer switches between plain words, a comma of the second part is not the
    # switch: the decoder's cheaper switch at the comma took the English "example," into French.
    text = ("Mi hermano siempre dice que the weekend is for resting and nothing else.\n"
            "I told him que no quiero ir contigo mañana por la noche.\n"
            "Ayer fuimos al mercado con mis primos and then we had lunch at the old diner.\n"
            "Elle a parlé longtemps, notamment example, we usually think that students need more sleep than adults.\n"
            "Le rapport mentionne surtout example, we often assume that the children should eat vegetables every day.")
    assert labels(text) == [
        ("Mi hermano siempre dice que", "es"),
        ("the weekend is for resting and nothing else.", "en"),
        ("I told him", "en"),
        ("que no quiero ir contigo mañana por la noche.", "es"),
        ("Ayer fuimos al mercado con mis primos", "es"),
        ("and then we had lunch at the old diner.", "en"),
        ("Elle a parlé longtemps, notamment", "fr"),
        ("example, we usually think that students need more sleep than adults.", "en"),
        ("Le rapport mentionne surtout", "fr"),
        ("example, we often assume that the children should eat vegetables every day.", "en"),
    ]


def test_a_switch_at_a_comma_stays_there_where_the_writer_switches_at_punctuation():
    # The writer switches at the commas: "de", whose n-grams lean Spanish, stays in the French part.
    text = ("Hablamos mucho de la película, de fortes collaborations entre chercheurs et médecins sont nécessaires.\n"
            "Fuimos a ver la casa nueva de mis padres, de l'autre côté de la rivière près du vieux moulin.")
    assert labels(text) == [
        ("Hablamos mucho de la película,", "es"),
        ("de fortes collaborations entre chercheurs et médecins sont nécessaires.", "fr"),
        ("Fuimos a ver la casa nueva de mis padres,", "es"),
        ("de l'autre côté de la rivière près du vieux moulin.", "fr"),
    ]


def test_the_last_words_of_a_switching_sentence_do_not_open_a_third_language():
    # "procurement processes" looks French; the sentence switches from Spanish to English.
    assert labels("Mi hermana trabaja en la ciudad desde hace tiempo in the public and private sector procurement processes.") == [
        ("Mi hermana trabaja en la ciudad desde hace tiempo", "es"),
        ("in the public and private sector procurement processes.", "en"),
    ]


def test_a_switch_only_word_frequencies_tell_is_found():
    # No punctuation and no listed function word at the switch: the n-grams of "improved security
    # guidelines" lean Spanish enough to keep the sentence whole; how often the words are written in
    # each language (English only, for these three) cuts it.
    assert labels("El equipo estaba preparando improved security guidelines") == [
        ("El equipo estaba preparando", "es"),
        ("improved security guidelines", "en"),
    ]


def test_a_word_with_soft_hyphens_is_one_word():
    # Soft hyphens mark where a line may break ("can\xaddi\xadda\xadture"); read as word breaks, their
    # pieces ("can", "di") looked English inside a French sentence.
    text = "Notre can\xaddi\xadda\xadture col\xadlec\xadtive vise à renouer avec les prin\xadcipes des savants."
    assert labels(text) == [(text, "fr")]


def test_code_kept_as_written_is_no_evidence_of_a_language():
    # "pip install" is English by its words; as code (verbatim) it belongs to its French sentence.
    text = "Lancez pip install -e . puis ouvrez le fichier ici."
    code = (text.index("pip"), text.index(" puis"))
    assert labels(text, verbatim=[code]) == [(text, "fr")]
    assert len(labels(text)) > 1  # without the range, its words count


@pytest.mark.parametrize("text, cut", [
    ("She told me about the meeting adems no pudo venir nadie.", "adems"),
    ("My brother bought a new car adems de una cmara nueva.", "adems"),
])
def test_a_spanish_word_whose_accented_letter_was_lost_is_spanish(text, cut):
    # Web text often loses its accented letters to a broken encoding ("adems" for "además"): in no
    # word list, its n-grams are no one language's; with the letter put back it is frequent Spanish.
    head = text[: text.index(cut)].rstrip()
    assert labels(text) == [(head, "en"), (text[len(head) + 1:], "es")]


# An English line and a French one: English and French are languages of the documents below, which
# end with a Spanish sentence.
_TRILINGUAL = ("We spent the whole weekend fixing the old fence behind the house with our neighbours.\n"
               "Le directeur a présenté le nouveau projet aux habitants du quartier hier soir.\n")


def test_a_lone_insertion_does_not_make_an_english_ending_a_third_language():
    # "pas" (for "país") looks French, so the sentence seemed to switch between three languages and
    # its English ending was taken as the third one, back into Spanish; English is a language of this
    # document, and the French word alone switches nothing.
    text = _TRILINGUAL + "Dicen que la gente del pas es muy amable con los turistas coffee break."
    assert labels(text)[2:] == [("Dicen que la gente del pas es muy amable con los turistas", "es"),
                                ("coffee break.", "en")]


@pytest.mark.parametrize("word, language", [("tambin", 1), ("informacin", 1), ("pequeos", 1), ("nergie", 0),
                                            ("glise", 0), ("zorbtastic", None), ("también", None)])
def test_which_language_a_word_with_a_lost_accented_letter_belongs_to(word, language):
    from translate.lexicon import restored_language

    assert restored_language(word) == language  # fr 0, es 1; None: not such a word, or a listed one


def test_a_word_of_the_third_language_before_a_comma_goes_to_its_sentence():
    # "aire" (Spanish and French) looked French; a comma after it does not make it a quotation.
    text = _TRILINGUAL + "Mi tío dice que el proyecto sigue en el aire, pero nadie sabe when the meeting will happen."
    assert labels(text)[2:] == [("Mi tío dice que el proyecto sigue en el aire, pero nadie sabe", "es"),
                                ("when the meeting will happen.", "en")]


def test_a_word_french_and_spanish_both_write_is_no_insertion_between_them():
    # "mes" is "month" in Spanish and "my" in French; its n-grams lean French.
    text = _TRILINGUAL + "Mi abuela vive sola en el campo desde hace un mes y está muy contenta."
    assert labels(text)[2:] == [("Mi abuela vive sola en el campo desde hace un mes y está muy contenta.", "es")]
