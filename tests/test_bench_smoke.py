"""The benchmark runs end to end (quick mode, tiny model) and reports every figure; no timing is asserted."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import REPO


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
    for key in ("peak_rss_mb_transformers", "peak_rss_mb_ctranslate2", "startup_s"):
        assert figures[key] > 0, key
    assert figures["peak_rss_mb_ctranslate2"] != figures["peak_rss_mb_transformers"], "measured per process"
    assert set(figures["targets_met"]) == {"pipeline_ct2_over_raw_ct2", "pipeline_ct2_over_naive",
                                           "pipeline_tf_over_naive", "peak_rss_mb_ctranslate2", "startup_s"}
