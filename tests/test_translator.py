"""The translate stage: long spans are split to fit, never truncated; duplicates are translated once."""

from __future__ import annotations

from translate.engines import Engine, EngineSettings, load_engine
from translate.translator import split_to_fit, translate_texts


class RecordingEngine(Engine):
    """Wraps a real engine and records what it was asked to translate."""

    name = "recording"

    def __init__(self, engine):
        self.engine = engine
        self.model_path, self.max_input_tokens = engine.model_path, engine.max_input_tokens
        self.calls: list[list[str]] = []

    def count_tokens(self, texts):
        return self.engine.count_tokens(texts)

    def translate_batch(self, texts):
        self.calls.append(list(texts))
        return self.engine.translate_batch(texts)


LONG_FRENCH = (
    "Lorsque l’actuel propriétaire de X est parti en 2018 en invoquant un conflit d’intérêts avec Tesla, "
    "il s’est ensuite avéré que la véritable raison était le refus du conseil d’administration de le nommer "
    "à la tête de l’entreprise ; ses millions sont partis avec lui, et Altman s’est retrouvé les mains vides."
)


def test_a_span_longer_than_the_model_limit_is_split_and_nothing_is_lost(short_input_model):
    engine = RecordingEngine(load_engine(short_input_model, EngineSettings(beams=1)))
    assert engine.count_tokens([LONG_FRENCH])[0] > engine.max_input_tokens
    [hypothesis] = translate_texts(engine, [LONG_FRENCH])
    pieces = split_to_fit(LONG_FRENCH, engine)
    assert len(pieces) > 1
    assert sorted(piece for call in engine.calls for piece in call) == sorted(pieces)
    assert all(n <= engine.max_input_tokens for n in engine.count_tokens(pieces))
    # Every word of the source went to the model, in order, exactly once.
    assert " ".join(pieces).split() == LONG_FRENCH.split()
    # Clause boundaries are preferred over word boundaries.
    assert any(piece.endswith((",", ";")) for piece in pieces)
    assert hypothesis.text and hypothesis.score is not None and hypothesis.score <= 0


def test_duplicates_are_translated_once_and_results_keep_input_order(tiny_model):
    engine = RecordingEngine(load_engine(tiny_model, EngineSettings(beams=1)))
    texts = ["Bonjour.", "Il est parti par la porte.", "Bonjour.", "Merci beaucoup pour tout."]
    hypotheses = translate_texts(engine, texts, batch_size=2)
    sent = [piece for call in engine.calls for piece in call]
    assert sorted(sent) == sorted(set(texts))
    assert hypotheses[0] == hypotheses[2]
    assert len(hypotheses) == 4
    # Each batch holds similar lengths: the engine saw texts sorted by token count.
    lengths = engine.count_tokens(sent)
    assert lengths == sorted(lengths)
