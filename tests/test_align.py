"""The aligner: words, locating subword pieces in text, attention -> word pairs, split spans, and the engine's attention."""

from __future__ import annotations

import pytest

from translate.wordalign import align_hypothesis, find_words, locate_pieces, word_alignment
from translate.engines import EngineSettings, Hypothesis, load_engine
from translate.translator import join_hypotheses, split_to_fit, translate_texts


def words_of(text: str) -> list[str]:
    return [text[start:end] for start, end in find_words(text)]


def pairs_as_words(source: str, target: str, alignment) -> list[tuple[str, str]]:
    return [(source[s0:s1], target[t0:t1]) for s0, s1, t0, t1 in alignment]


def attention_from(source_pieces, target_pieces, links: dict[int, int], weight: float = 0.9) -> list[list[float]]:
    """Each target piece attends mostly to one source piece (``links``: target index -> source index)."""
    rest = (1 - weight) / max(1, len(source_pieces) - 1)
    return [
        [weight if j == links[i] else rest for j in range(len(source_pieces))] for i in range(len(target_pieces))
    ]


def test_words_skip_punctuation_split_french_elisions_and_keep_compounds_and_numbers():
    text = "« L’entreprise, c’était très dur… » aujourd'hui peut-être 2,5 % qu’il"
    assert words_of(text) == ["L’", "entreprise", "c’", "était", "très", "dur", "aujourd'hui", "peut-être", "2,5", "qu’", "il"]
    assert words_of("Don't stop, it's 10.000 km!") == ["Don't", "stop", "it's", "10.000", "km"]
    # Decomposed accents (e + combining acute) stay inside the word.
    assert words_of("de\u0301part rapide") == ["de\u0301part", "rapide"]


def test_pieces_are_located_through_sentencepiece_normalisation_and_spacing():
    text = "très  dur…\u00a0en ﬁn 2018"
    pieces = ["▁t", "rès", "▁dur", "...", "▁en", "▁fin", "▁2018"]
    spans = locate_pieces(text, pieces)
    assert [text[s:e] for s, e in spans] == ["t", "rès", "dur", "…", "en", "ﬁn", "2018"]


def test_a_piece_that_matches_nothing_is_left_out_and_the_others_still_land():
    text = "Le ꙮ rouge"
    spans = locate_pieces(text, ["▁Le", "▁<unk>", "▁rouge"])
    assert spans[1] is None
    assert [text[s:e] for s, e in (spans[0], spans[2])] == ["Le", "rouge"]


def test_subword_pieces_are_grouped_into_words_on_both_sides():
    source, target = "Bonjour le monde entier.", "Hello the whole world."
    source_pieces = ["▁Bon", "jour", "▁le", "▁monde", "▁en", "tier", "."]
    target_pieces = ["▁Hel", "lo", "▁the", "▁who", "le", "▁world", "."]
    # Each target piece attends to a piece of "its" source word; punctuation to punctuation.
    links = {0: 1, 1: 0, 2: 2, 3: 5, 4: 4, 5: 3, 6: 6}
    alignment = word_alignment(source, target, source_pieces, target_pieces, attention_from(source_pieces, target_pieces, links))
    assert pairs_as_words(source, target, alignment) == [
        ("Bonjour", "Hello"), ("le", "the"), ("entier", "whole"), ("monde", "world"),
    ]
    # Offsets are character offsets into the texts, one pair per target word, never punctuation.
    assert alignment[0] == [0, 7, 0, 5]


def test_source_word_weight_sums_its_pieces_so_a_long_word_is_not_penalised():
    source, target = "anticonstitutionnellement oui", "unconstitutionally yes"
    source_pieces = ["▁anti", "constitu", "tion", "nellement", "▁oui"]
    target_pieces = ["▁unconstitutionally", "▁yes"]
    attention = [[0.2, 0.2, 0.2, 0.1, 0.3], [0.05, 0.05, 0.05, 0.05, 0.8]]
    alignment = word_alignment(source, target, source_pieces, target_pieces, attention)
    assert pairs_as_words(source, target, alignment) == [("anticonstitutionnellement", "unconstitutionally"), ("oui", "yes")]


def test_diagonal_attention_gives_a_monotone_alignment():
    source = "le chat noir dort sur le canapé du salon depuis ce matin"
    target = "the black cat sleeps on the sofa of the lounge since this morning"
    source_pieces = ["▁" + word for word in source.split()]
    target_pieces = ["▁" + word for word in target.split()]
    rows = []
    for i in range(len(target_pieces)):
        centre = i * (len(source_pieces) - 1) / (len(target_pieces) - 1)
        rows.append([1.0 / (1.0 + (j - centre) ** 2) for j in range(len(source_pieces))])
    alignment = word_alignment(source, target, source_pieces, target_pieces, rows)
    assert len(alignment) == len(target_pieces), "every target word is aligned"
    source_starts = [pair[0] for pair in alignment]
    target_starts = [pair[2] for pair in alignment]
    assert target_starts == sorted(target_starts)
    assert source_starts == sorted(source_starts), "a diagonal attention cannot produce crossing links"
    assert pairs_as_words(source, target, alignment)[0] == ("le", "the")
    assert pairs_as_words(source, target, alignment)[-1] == ("matin", "morning")


def test_a_target_word_with_no_attention_stays_unaligned_and_bad_shapes_are_refused():
    source, target = "oui non", "yes no"
    pieces_s, pieces_t = ["▁oui", "▁non"], ["▁yes", "▁no"]
    alignment = word_alignment(source, target, pieces_s, pieces_t, [[0.0, 0.0], [0.1, 0.9]])
    assert pairs_as_words(source, target, alignment) == [("non", "no")]
    with pytest.raises(ValueError, match="2x2"):
        word_alignment(source, target, pieces_s, pieces_t + ["▁x"], [[0.0, 0.0], [0.1, 0.9]])


def test_a_span_translated_in_parts_keeps_offsets_into_the_joined_texts():
    # The translator split the span at the comma; each part was translated on its own.
    source = "Le chat dort,\n   le chien aboie."
    part1 = Hypothesis("The cat sleeps,", -0.1, 4, ["▁Le", "▁chat", "▁dort", ","], ["▁The", "▁cat", "▁sleeps", ","],
                       attention_from(range(4), range(4), {0: 0, 1: 1, 2: 2, 3: 3}))
    part2 = Hypothesis("the dog barks.", -0.3, 4, ["▁le", "▁chien", "▁ab", "oie", "."], ["▁the", "▁dog", "▁barks", "."],
                       attention_from(range(5), range(4), {0: 0, 1: 1, 2: 3, 3: 4}))
    joined = join_hypotheses([part1, part2])
    assert joined.text == "The cat sleeps, the dog barks."
    assert len(joined.attention) == 8 and all(len(row) == 9 for row in joined.attention)
    # Block diagonal: part 1's target pieces never attend to part 2's source pieces, and back.
    assert all(value == 0.0 for row in joined.attention[:4] for value in row[4:])
    assert all(value == 0.0 for row in joined.attention[4:] for value in row[:4])
    alignment = align_hypothesis(source, joined)
    assert pairs_as_words(source, joined.text, alignment) == [
        ("Le", "The"), ("chat", "cat"), ("dort", "sleeps"), ("le", "the"), ("chien", "dog"), ("aboie", "barks"),
    ]
    assert alignment[3] == [source.index("le chien"), source.index("le chien") + 2, 16, 19]


def test_no_attention_means_no_alignment():
    assert align_hypothesis("Bonjour", Hypothesis("Hello", -0.2, 1)) is None
    parts = [Hypothesis("A", -0.1, 1, ["▁A"], ["▁A"], [[1.0]]), Hypothesis("B", -0.1, 1)]
    assert join_hypotheses(parts).attention is None


@pytest.mark.parametrize("engine_name", ["transformers", "ctranslate2"])
def test_the_engine_returns_pieces_and_attention_without_changing_the_translation(tiny_model, engine_name):
    from transformers import MarianTokenizer

    tokenizer = MarianTokenizer.from_pretrained(tiny_model)
    texts = ["Il est parti par la porte.", "L’entreprise « c’était très dur » en 2018…", "Bonjour."]
    plain = load_engine(tiny_model, EngineSettings(engine=engine_name, beams=2)).translate_batch(texts)
    engine = load_engine(tiny_model, EngineSettings(engine=engine_name, beams=2, attention=True))
    with_attention = engine.translate_batch(texts)
    assert engine.translate_batch(texts) == with_attention, "the alignment pass leaves the engine as it was"
    for text, without, hypothesis in zip(texts, plain, with_attention):
        # Generation is untouched by alignment: same translation, same score.
        assert (hypothesis.text, hypothesis.score, hypothesis.target_tokens) == (without.text, without.score, without.target_tokens)
        assert hypothesis.source_pieces == tokenizer.tokenize(text)
        assert hypothesis.target_pieces and len(hypothesis.attention) == len(hypothesis.target_pieces)
        assert all(len(row) == len(hypothesis.source_pieces) for row in hypothesis.attention)
        # Attention over the source pieces (end-of-sentence column left out): a share of one.
        assert all(0 < sum(row) <= 1 + 1e-5 for row in hypothesis.attention)
        alignment = align_hypothesis(text, hypothesis)
        assert alignment, "every target word attends somewhere"
        source_words, target_words = set(find_words(text)), set(find_words(hypothesis.text))
        for s0, s1, t0, t1 in alignment:
            assert (s0, s1) in source_words and (t0, t1) in target_words


def test_a_long_span_split_for_the_model_is_aligned_across_its_parts(short_input_model):
    engine = load_engine(short_input_model, EngineSettings(beams=1, attention=True))
    text = (
        "Lorsque le propriétaire est parti en 2018, il a invoqué un conflit d’intérêts avec Tesla ; "
        "la véritable raison était le refus du conseil, et ses millions sont partis avec lui."
    )
    assert len(split_to_fit(text, engine)) > 1
    [hypothesis] = translate_texts(engine, [text])
    alignment = align_hypothesis(text, hypothesis)
    assert alignment
    source_words, target_words = set(find_words(text)), set(find_words(hypothesis.text))
    for s0, s1, t0, t1 in alignment:
        assert (s0, s1) in source_words and (t0, t1) in target_words
    # Words of the later parts are aligned too, at their offsets in the whole span.
    assert max(pair[0] for pair in alignment) > len(text) // 2
