"""Both engines end to end, the CTranslate2 engine's conversion, tokenisation, scores and attention,
and the token-budget batching of the translate stage."""

from __future__ import annotations

import json
import math
import re
import shutil

import pytest
from conftest import SEEDS, run_cli, seed_texts

from translate.engines import EngineSettings, load_engine
from translate.engines.ctranslate2_engine import CTranslate2Engine, ensure_converted
from translate.translator import plan_batches


def batch_json(out) -> dict[str, dict]:
    return {path.name: json.loads(path.read_text(encoding="utf-8")) for path in sorted(out.glob("*.json"))}


def assert_contract(data: dict, source_text: str) -> None:
    covered = []
    for seg in data["segments"]:
        assert source_text[seg["start"]:seg["end"]] == seg["text"]
        covered.append(seg["text"])
        if seg["lang"] in ("fr", "es"):
            assert isinstance(seg["translation"], str) and seg["translation"].strip()
            assert isinstance(seg["score"], float) and seg["score"] <= 0
        else:
            assert seg["translation"] == seg["text"] and seg["score"] is None
    assert re.sub(r"\s", "", "".join(covered)) == re.sub(r"\s", "", source_text)


@pytest.mark.parametrize(("engine", "compute_type"), [("ctranslate2", "int8"), ("transformers", "float32")])
def test_batch_on_each_engine_keeps_the_contract_and_records_the_engine(tmp_path, tiny_model, isolated_env,
                                                                        engine, compute_type):
    out = tmp_path / "out"
    result = run_cli("batch", str(SEEDS), "--out", str(out), "--engine", engine, "--model", f"fr={tiny_model}",
                     "--model", f"es={tiny_model}", "--quiet", env=isolated_env)
    assert result.returncode == 0, result.stderr
    assert "5 of 5 files translated" in result.stdout
    outputs = batch_json(out)
    assert len(outputs) == 5
    for name, data in outputs.items():
        assert data["settings"]["engine"] == engine
        assert data["settings"]["compute_type"] == compute_type
        assert_contract(data, (SEEDS / data["source"]).read_text(encoding="utf-8"))


def test_ctranslate2_conversion_is_made_once_and_reused(tmp_path, tiny_model, isolated_env):
    root = tmp_path / "models-root"
    args = ("batch", str(SEEDS), "--engine", "ctranslate2", "--model", f"fr={tiny_model}", "--model",
            f"es={tiny_model}", "--quiet")
    first = run_cli(*args, "--out", str(tmp_path / "a"), env=isolated_env)
    assert first.returncode == 0, first.stderr
    [conversion] = [p for p in root.iterdir() if ".ct2-" in p.name]  # one folder, no temporary leftovers
    assert conversion.name.startswith("tiny-marian-") and conversion.name.endswith(".ct2-int8")
    weights = (conversion / "model.bin").stat()
    second = run_cli(*args, "--out", str(tmp_path / "b"), env=isolated_env)
    assert second.returncode == 0, second.stderr
    again = (conversion / "model.bin").stat()
    assert (again.st_ino, again.st_mtime_ns) == (weights.st_ino, weights.st_mtime_ns), "reused, not reconverted"
    assert [p.name for p in root.iterdir() if ".ct2-" in p.name] == [conversion.name]
    assert batch_json(tmp_path / "a") == batch_json(tmp_path / "b"), "same input, same output"


def test_a_changed_model_is_reconverted_and_an_interrupted_conversion_is_ignored(tmp_path, tiny_model):
    model = tmp_path / "model"
    shutil.copytree(tiny_model, model)
    root = tmp_path / "root"
    first = ensure_converted(model, "int8", root)
    # A conversion killed half-way leaves only a hidden temporary folder, never the final name.
    (root / f".{first.name}.interrupted").mkdir()
    assert ensure_converted(model, "int8", root) == first
    before = (first / "model.bin").stat().st_ino
    config = model / "config.json"
    config.write_text(config.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # the model changed
    assert ensure_converted(model, "int8", root) == first
    assert (first / "model.bin").stat().st_ino != before, "reconverted"
    assert sorted(p.name for p in root.iterdir() if not p.name.startswith(".")) == [first.name]


def test_ctranslate2_tokenisation_matches_marian_tokenizer(tiny_model):
    from transformers import MarianTokenizer

    tokenizer = MarianTokenizer.from_pretrained(tiny_model)
    engine = load_engine(tiny_model, EngineSettings(engine="ctranslate2"))
    texts = [line for line in seed_texts() if line.strip()][:60] + ["«Très» bien — ¿qué?", "x" * 300]
    expected = [tokenizer.convert_ids_to_tokens(ids)[:-1] for ids in tokenizer(texts)["input_ids"]]
    ours = engine.source_pieces(texts)
    unknown = tokenizer.unk_token
    # MarianTokenizer shows a piece missing from vocab.json as <unk>; CTranslate2 maps it to <unk> the same way.
    assert [[p if p in tokenizer.get_vocab() else unknown for p in pieces] for pieces in ours] == expected
    assert engine.count_tokens(texts) == [len(ids) for ids in tokenizer(texts)["input_ids"]]


def test_ctranslate2_score_is_the_mean_token_log_probability(tiny_model):
    settings = EngineSettings(engine="ctranslate2", compute_type="float32", beams=1, max_new_tokens=6, attention=True)
    engine = load_engine(tiny_model, settings)
    texts = ["Il fait beau aujourd'hui.", "Bonjour tout le monde, merci."]
    hypotheses = engine.translate_batch(texts)
    pieces = engine.source_pieces(texts)
    targets = [h.target_pieces for h in hypotheses]
    scored = engine.translator.score_batch([p + ["</s>"] for p in pieces], targets)
    for hypothesis, target, result in zip(hypotheses, targets, scored):
        assert hypothesis.target_tokens == len(target) == 6  # stopped at the limit, no </s>
        expected = sum(result.log_probs[: len(target)]) / len(target)
        assert math.isclose(hypothesis.score, expected, abs_tol=1e-3)


def test_ctranslate2_returns_pieces_and_attention_for_the_aligner(tiny_model):
    engine = load_engine(tiny_model, EngineSettings(engine="ctranslate2", attention=True, beams=2))
    assert isinstance(engine, CTranslate2Engine)
    texts = ["Bonjour le monde.", "Il est parti par la porte, sans un mot."]
    for text, hypothesis in zip(texts, engine.translate_batch(texts)):
        assert hypothesis.source_pieces == engine.source_pieces([text])[0]
        assert "</s>" not in hypothesis.source_pieces and "</s>" not in hypothesis.target_pieces
        assert len(hypothesis.attention) == len(hypothesis.target_pieces) > 0
        assert all(len(row) == len(hypothesis.source_pieces) for row in hypothesis.attention)
        assert all(0.0 <= value <= 1.0 for row in hypothesis.attention for value in row)
    without = load_engine(tiny_model, EngineSettings(engine="ctranslate2")).translate_batch(texts[:1])[0]
    assert without.attention is None and without.source_pieces is None


@pytest.mark.parametrize("option", [("--engine", "marian"), ("--compute-type", "int3")])
def test_unknown_engine_or_compute_type_is_a_usage_error(tmp_path, tiny_model, isolated_env, option):
    result = run_cli("batch", str(SEEDS), "--out", str(tmp_path / "out"), "--model", f"fr={tiny_model}",
                     "--model", f"es={tiny_model}", "--engine", "ctranslate2", *option, env=isolated_env)
    assert result.returncode == 2, result.stderr
    assert option[1] in result.stderr and "Traceback" not in result.stderr


def test_batches_respect_the_span_and_padded_token_budgets():
    items = [f"t{i}" for i in range(10)]
    lengths = [2, 2, 3, 3, 5, 8, 8, 9, 30, 40]
    batches = plan_batches(items, lengths, max_items=4, max_tokens=24)
    assert [item for batch in batches for item in batch] == items, "order kept, nothing lost"
    length_of = dict(zip(items, lengths))
    for batch in batches:
        assert len(batch) <= 4
        assert len(batch) == 1 or len(batch) * max(length_of[i] for i in batch) <= 24
    assert batches[-2:] == [["t8"], ["t9"]], "a span over the token budget goes alone"


@pytest.mark.parametrize("count, max_items, sizes", [
    (150, 32, [18, 19, 19, 19] * 2),  # 5 full batches would leave one replica of two idle for the last
    (150, 64, [37, 38, 37, 38]),
    (150, 128, [75, 75]),             # 128 + 22 would have one replica of two decode nearly everything
    (40, 32, [20, 20]),              # 4 batches of 10 would be under half full: 2 then
    (10, 32, [10]),
])
def test_a_call_is_shared_evenly_among_a_multiple_of_four_batches(count, max_items, sizes):
    """So that 1, 2 or 4 CTranslate2 replicas finish a call together (docs/threads.md); the plan depends on
    the spans and the limits only, never on the thread count."""
    items = [f"t{i:03}" for i in range(count)]
    batches = plan_batches(items, [5] * count, max_items=max_items, max_tokens=10**6, batch_multiple=4)
    assert [len(batch) for batch in batches] == sizes
    assert [item for batch in batches for item in batch] == items
    assert all(len(batch) <= max_items for batch in batches)


def test_even_batches_still_respect_the_padded_token_budget():
    items = [f"t{i}" for i in range(40)]
    lengths = [4] * 38 + [100, 200]
    batches = plan_batches(items, lengths, max_items=16, max_tokens=399, batch_multiple=4)
    length_of = dict(zip(items, lengths))
    assert [item for batch in batches for item in batch] == items
    assert all(len(batch) == 1 or len(batch) * max(length_of[i] for i in batch) <= 399 for batch in batches)
    assert batches[-2:] == [["t38"], ["t39"]]


def test_where_the_token_budget_sets_the_batches_they_stay_as_full_as_it_allows():
    """Greedy decoding of spans of mixed length: the padded-token bound, not the span bound, makes the
    batches; even shares of spans would have very unequal costs (the longest share padded to its longest
    span), so the plan is the one the limits make, as CTranslate2's own batching by tokens."""
    items = [f"t{i:03}" for i in range(300)]
    lengths = [10] * 100 + [40] * 100 + [80] * 100
    batches = plan_batches(items, lengths, max_items=128, max_tokens=4096, batch_multiple=4)
    assert [len(batch) for batch in batches] == [102, 98, 51, 49]  # not 75, 75, 51, 24, 51, 24
    assert batches == plan_batches(items, lengths, max_items=128, max_tokens=4096)


def test_both_engines_give_the_same_word_links_on_the_same_model(tiny_model):
    """CTranslate2's conversion keeps the attention the transformers engine reads (decoder layer L/2,
    mean of its heads), and both read a piece's row where it is the decoder input (Shift-Att)."""
    from translate.wordalign import word_alignment

    texts = ["Bonjour le monde.", "Il est parti par la porte, sans un mot.", "El niño come una manzana roja."]
    common = dict(compute_type="float32", beams=1, max_new_tokens=12, attention=True)
    ct2_engine = load_engine(tiny_model, EngineSettings(engine="ctranslate2", **common))
    ct2 = ct2_engine.translate_batch(texts)
    torch_side = load_engine(tiny_model, EngineSettings(engine="transformers", **common)).translate_batch(texts)
    linked = 0
    for text, a, b in zip(texts, ct2, torch_side):
        assert a.source_pieces == b.source_pieces
        # The engines stop at the length limit differently (see the README); compare the common pieces,
        # except the last one, whose Shift-Att row is the step after it.
        shared = min(len(a.target_pieces), len(b.target_pieces)) - 1
        assert shared > 2 and a.target_pieces[:shared] == b.target_pieces[:shared]
        for row_a, row_b in zip(a.attention[:shared], b.attention[:shared]):
            assert max(abs(x - y) for x, y in zip(row_a, row_b)) < 1e-3
        target = ct2_engine.target_spm.decode_pieces(a.target_pieces[:shared])
        links_a = word_alignment(text, target, a.source_pieces, a.target_pieces[:shared], a.attention[:shared])
        links_b = word_alignment(text, target, b.source_pieces, b.target_pieces[:shared], b.attention[:shared])
        assert links_a == links_b
        linked += len(links_a)
    assert linked > 0


def _scores_from_generate(engine, texts: list[str]) -> list[tuple[str, float, int]]:
    """The former method: generate keeps every step's scores, compute_transition_scores picks the chosen tokens'."""
    import torch

    inputs = engine.tokenizer(texts, return_tensors="pt", padding=True)
    options = {"num_beams": engine.settings.beams} if engine.settings.beams else {}
    if engine.settings.min_new_tokens is not None:
        options.update(min_new_tokens=engine.settings.min_new_tokens, max_new_tokens=engine.settings.max_new_tokens)
    with torch.inference_mode():
        output = engine.model.generate(**inputs, return_dict_in_generate=True, output_scores=True, **options)
        logprobs = engine.model.compute_transition_scores(
            output.sequences, output.scores, getattr(output, "beam_indices", None), normalize_logits=True)
    pad = engine.model.config.pad_token_id
    expected = []
    for row, row_logprobs in zip(output.sequences[:, 1:], logprobs):
        mask = (row != pad) & torch.isfinite(row_logprobs)
        expected.append((engine.tokenizer.decode(row, skip_special_tokens=True), float(row_logprobs[mask].mean()),
                         int(mask.sum())))
    return expected


@pytest.mark.parametrize(("beams", "attention", "forced_length"),
                         [(None, True, None), (1, False, None), (3, False, 5), (1, True, 7)])
def test_transformers_scores_from_one_teacher_forced_pass_equal_generates_own(tiny_model, beams, attention,
                                                                             forced_length):
    # The tiny model's generation settings ban <pad> and force </s> at max_length; forced lengths also ban </s>
    # before the end: the scores must follow all of that exactly as generate scored its steps.
    settings = EngineSettings(engine="transformers", beams=beams, attention=attention,
                              min_new_tokens=forced_length, max_new_tokens=forced_length)
    engine = load_engine(tiny_model, settings)
    texts = ["Il fait beau aujourd'hui.", "Bonjour tout le monde, merci beaucoup pour tout.", "¿Qué tal?"]
    hypotheses = engine.translate_batch(texts)
    for hypothesis, (text, score, tokens) in zip(hypotheses, _scores_from_generate(engine, texts), strict=True):
        assert hypothesis.text == text
        assert hypothesis.target_tokens == tokens
        assert math.isclose(hypothesis.score, score, rel_tol=1e-4, abs_tol=1e-4), (hypothesis.score, score)
        assert (hypothesis.attention is not None) == attention
