"""The benchmark runs end to end (quick mode, tiny model) and reports every figure; no timing is asserted."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import REPO

from translate.engines.threads import thread_split


def test_benchmark_quick_run_reports_every_figure(tiny_model, isolated_env):
    result = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "bench_translate.py"), "--quick", "--json", "--model", str(tiny_model)],
        cwd=REPO, env=isolated_env, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout)
    for label in ("beam_4", "greedy"):
        run = figures[label]
        for key in ("naive_transformers_tok_s", "pipeline_transformers_tok_s", "pipeline_ctranslate2_tok_s",
                    "raw_ctranslate2_tok_s"):
            assert run[key] > 0, key
        assert run["target_tokens_equal"] is True, "every method generated the same number of tokens"
        grid = run["raw_ctranslate2_grid"]
        threads = figures["threads"]
        splits = {(inter, threads // inter) for inter in range(1, threads + 1) if threads % inter == 0}
        assert {(g["inter_threads"], g["intra_threads"], g["batch_type"], g["max_batch_size"], g["order"])
                for g in grid} == {
            (inter, intra, kind, size, order) for inter, intra in splits
            for kind, sizes in (("examples", (16, 32, 64)), ("tokens", (1024, 2048, 4096)))
            for size in sizes for order in ("in_order", "shuffled")}, "every thread split and batching option"
        assert run["pipeline_thread_split"] == list(thread_split(threads))
        assert all(g["tok_s"] > 0 for g in grid)
        assert run["best_raw_ctranslate2_tok_s"] == max(g["tok_s"] for g in grid)
        assert run["pipeline_over_best_raw"] > 0 and run["best_raw_config"]["batch_type"] in ("examples", "tokens")
        # Confirmation rounds: the grid's fastest, timed again as often as the pipeline, the baseline the
        # fastest of them in those rounds.
        confirmed = run["confirmed"]
        fastest = sorted(grid, key=lambda g: -g["tok_s"])[:3]
        assert [{k: r[k] for k in confirmed["best_raw_config"]} for r in confirmed["raw"]] == [
            {k: g[k] for k in confirmed["best_raw_config"]} for g in fastest]
        assert all(len(r["runs_s"]) == confirmed["rounds"] == len(confirmed["pipeline_runs_s"]) for r in confirmed["raw"])
        assert confirmed["best_raw_tok_s"] == max(r["tok_s"] for r in confirmed["raw"])
        assert run["pipeline_over_best_raw_confirmed"] == round(confirmed["pipeline_tok_s"] / confirmed["best_raw_tok_s"], 3)
        assert confirmed["tokens_equal"] is True
        # Greedy only: the pipeline without scores, timed in the same rounds (what the scores cost).
        if label == "greedy":
            assert confirmed["pipeline_unscored_tok_s"] > 0
            assert len(confirmed["pipeline_unscored_runs_s"]) == confirmed["rounds"]
            # The greedy target's baseline: the same configurations, returning scores as the outputs must.
            assert [{k: r[k] for k in confirmed["best_raw_config"]} for r in confirmed["raw_scored"]] == [
                {k: r[k] for k in confirmed["best_raw_config"]} for r in confirmed["raw"]]
            assert run["pipeline_over_best_raw_scored_confirmed"] == round(
                confirmed["pipeline_tok_s"] / max(r["tok_s"] for r in confirmed["raw_scored"]), 3)
        else:
            assert "pipeline_unscored_tok_s" not in confirmed and "raw_scored" not in confirmed
    for key in ("peak_rss_mb_transformers", "peak_rss_mb_ctranslate2", "startup_s"):
        assert figures[key] > 0, key
    assert figures["peak_rss_mb_ctranslate2"] != figures["peak_rss_mb_transformers"], "measured per process"
    assert figures["pipeline_over_best_raw"] == figures["beam_4"]["pipeline_over_best_raw"]
    assert set(figures["targets_met"]) == {"pipeline_over_best_raw", "greedy_pipeline_over_best_raw",
                                           "beam_4_pipeline_over_best_raw_confirmed",
                                           "greedy_pipeline_over_best_raw_confirmed",
                                           "greedy_pipeline_over_best_raw_scored_confirmed",
                                           "pipeline_ct2_over_naive", "pipeline_tf_over_naive",
                                           "peak_rss_mb_transformers", "peak_rss_mb_ctranslate2", "startup_s"}


def test_benchmark_times_other_thread_splits_and_a_narrower_grid(tiny_model, isolated_env):
    """The options used on the 16-core machine: the pipeline with forced splits, and a raw grid narrowed to two
    batching options in one order (every thread split kept)."""
    result = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "bench_translate.py"), "--quick", "--json", "--model", str(tiny_model),
         "--ctranslate2-only", "--threads", "1", "--pipeline-splits", "2x1", "1x1", "--raw-grid", "examples:32",
         "tokens:4096", "--raw-orders", "in_order", "--confirm-rounds", "0"],
        cwd=REPO, env=isolated_env, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout)
    for label in ("beam_4", "greedy"):
        run = figures[label]
        assert [(g["batch_type"], g["max_batch_size"], g["order"]) for g in run["raw_ctranslate2_grid"]] == [
            ("examples", 32, "in_order"), ("tokens", 4096, "in_order")]
        splits = run["pipeline_ctranslate2_splits"]
        assert [(s["inter_threads"], s["intra_threads"]) for s in splits] == [(2, 1), (1, 1)]
        assert all(s["tok_s"] > 0 and s["over_best_raw"] > 0 for s in splits)
        assert run["target_tokens_equal"] is True
    assert set(figures["peak_rss_mb_ctranslate2_splits"]) == {"2x1", "1x1"}


def test_batch_benchmark_quick_run_reports_every_figure_per_folder_size(tiny_model, isolated_env, tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    result = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "bench_batch.py"), "--quick", "--json", "--docs", "2", "4",
         "--model", str(tiny_model), "--work", str(work)],
        cwd=REPO, env=isolated_env, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr
    sizes = json.loads(result.stdout)
    assert list(sizes) == ["2", "4"]
    for count, figures in sizes.items():
        assert figures["documents"] == int(count)
        for key in ("docs_per_min", "target_tok_s", "peak_rss_mb", "disk_bytes_per_doc"):
            assert figures[key] > 0, key
        assert 0 <= figures["non_model_share"] <= 1
        assert 0 < figures["resume_share"] < 1, "the resumed run translates nothing"
        stages = figures["stage_seconds"]
        assert set(stages) == {"read_decode", "segment", "resume_check", "memory", "model_load", "model",
                               "alignment", "writers", "run_files"}
        assert stages["model"] > 0 and stages["segment"] > 0 and stages["writers"] > 0
    assert sizes["4"]["scaling_over_previous"]["previous"] == 2
    assert list(work.iterdir()) == [], "generated folders and outputs are removed"


def test_batch_benchmark_documents_are_deterministic_and_mixed():
    sys.path.insert(0, str(REPO))
    from benchmarks.bench_batch import make_document, sentence_pool

    pool, _ = sentence_pool()
    documents = [make_document(index, pool) for index in range(40)]
    assert documents == [make_document(index, pool) for index in range(40)], "document i is the same in every size"
    assert {name.rsplit(".", 1)[1] for name, _ in documents} == {"txt", "md", "html"}
    assert len({text for _, text in documents}) == 40


def test_wrong_letters_of_the_unpunctuated_documents_add_up_and_find_the_cut():
    sys.path.insert(0, str(REPO))
    from benchmarks.langid_cs import wrong_letters
    from benchmarks.mixed_documents import MixedDocument

    head = "Nous allons demain à Madrid"
    text = head + " hoy vamos al cine"
    document = MixedDocument(text, [(0, len(head), "fr"), (len(head) + 1, len(text), "es")])
    madrid = text.index("Madrid")
    # Everything French but "Madrid", given to Spanish: the whole tail and the name are wrong.
    spans = [(0, madrid, "fr"), (madrid, madrid + 6, "es"), (madrid + 6, len(text), "fr")]
    where = wrong_letters([document], lambda _: spans)
    assert where["letters"] == sum(c.isalpha() for c in text)
    assert sum(where["wrong"].values()) == 6 + len("hoyvamosalcine")
    assert where["wrong"]["name"] == 6 and where["wrong"]["other language"] == 0
    assert where["near_cut"] == 6 + len("hoyvamos")  # "à Madrid | hoy vamos"
