"""Threads (issue 28): how CTranslate2's threads are split, --threads, and translations that never
depend on the thread count."""

from __future__ import annotations


import pytest
from conftest import SEEDS, run_cli, seed_texts

from translate.api import Translator
from translate.engines import EngineSettings, load_engine
from translate.engines.threads import MAX_REPLICAS, available_cpus, thread_split
from translate.errors import UsageError
from translate.translator import translate_texts


@pytest.mark.parametrize(("threads", "split"), [
    (1, (1, 1)), (2, (2, 1)), (3, (3, 1)), (4, (4, 1)), (5, (5, 1)), (8, (8, 1)), (9, (4, 2)), (12, (6, 2)),
    (16, (8, 2)), (64, (8, 8)),
])
def test_thread_split_gives_single_threaded_replicas_up_to_the_cap(threads, split):
    assert thread_split(threads) == split


def test_thread_split_never_uses_more_threads_than_given_nor_too_many_replicas():
    for threads in range(1, 129):
        inter, intra = thread_split(threads)
        assert 1 <= inter <= MAX_REPLICAS and intra >= 1
        assert inter * intra <= threads
        assert inter * intra > threads - inter - intra, "few threads left unused"


def test_the_engine_uses_the_split_of_the_threads_given(tiny_model):
    for threads, inter in ((1, 1), (2, 2)):
        engine = load_engine(tiny_model, EngineSettings(engine="ctranslate2", device="cpu", threads=threads))
        assert engine.inter_threads == inter


@pytest.mark.parametrize("bad", ["0", "-1", str(available_cpus() + 1)])
def test_bad_threads_is_a_one_line_usage_error(tmp_path, tiny_model, isolated_env, bad):
    result = run_cli("batch", str(SEEDS), "--out", str(tmp_path / "out"), "--model", f"fr={tiny_model}",
                     "--model", f"es={tiny_model}", "--threads", bad, env=isolated_env)
    assert result.returncode == 2, result.stderr
    assert f"--threads {bad}" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists(), "rejected before any work"
    with pytest.raises(UsageError, match=rf"^threads {bad}: "):  # the API's words: its parameter, not the option
        Translator({"fr": str(tiny_model)}, threads=int(bad))


def test_threads_with_ray_points_to_ray_actor_cpus(tmp_path, tiny_model, isolated_env):
    result = run_cli("batch", str(SEEDS), "--out", str(tmp_path / "out"), "--model", f"fr={tiny_model}",
                     "--threads", "1", "--executor", "ray", env=isolated_env)
    assert result.returncode == 2 and "--ray-actor-cpus" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("engine_name", ["ctranslate2", "transformers"])
def test_translations_scores_and_attention_are_the_same_with_1_and_2_threads(tiny_model, engine_name):
    # Many batches (8 spans each) of spans of varied lengths, beam 4: with 2 threads CTranslate2 decodes
    # two batches at once, and each must come out exactly as when decoded alone.
    texts = [line for line in seed_texts() if line.strip()][:80]
    runs = []
    for threads in (1, 2):
        settings = EngineSettings(engine=engine_name, device="cpu", beams=4, attention=True, threads=threads)
        hypotheses = translate_texts(load_engine(tiny_model, settings), texts, batch_size=8)
        runs.append([(h.text, h.score, h.target_tokens, h.source_pieces, h.target_pieces,
                      [list(row) for row in h.attention]) for h in hypotheses])
    assert len(runs[0]) == len(texts)
    assert runs[0] == runs[1]


@pytest.mark.skipif(available_cpus() < 2, reason="needs 2 CPUs for --threads 2")
def test_batch_outputs_are_byte_identical_with_1_and_2_threads(tmp_path, tiny_model, isolated_env):
    outputs = []
    for threads in ("1", "2"):
        out = tmp_path / f"out-{threads}"
        result = run_cli("batch", str(SEEDS), "--out", str(out), "--model", f"fr={tiny_model}", "--model",
                         f"es={tiny_model}", "--engine", "ctranslate2", "--beams", "4", "--batch-size", "4",
                         "--threads", threads, "--cache", str(tmp_path / f"memory-{threads}.sqlite3"),
                         env=isolated_env)
        assert result.returncode == 0, result.stderr
        outputs.append({path.relative_to(out): path.read_bytes() for path in sorted(out.rglob("*")) if path.is_file()})
    assert len(outputs[0]) > 3
    assert outputs[0] == outputs[1]
