"""`translate batch` on the seeds with a locally built model: outputs and the JSON contract."""

from __future__ import annotations

import hashlib
import json
import re

from conftest import SEEDS, run_cli


def test_batch_writes_three_outputs_per_seed_and_keeps_the_json_contract(tmp_path, tiny_model, isolated_env):
    out = tmp_path / "out"
    result = run_cli("batch", str(SEEDS), "--out", str(out), "--model", f"fr={tiny_model}", "--model", f"es={tiny_model}",
                     env=isolated_env)
    assert result.returncode == 0, result.stderr
    assert "5 of 5 files translated" in result.stdout
    seeds = sorted(SEEDS.glob("*.txt"))
    for seed in seeds:
        stem = seed.stem
        for name in (f"{stem}.html", f"{stem}.en.txt", f"{stem}.json"):
            assert (out / name).is_file(), name
        data = json.loads((out / f"{stem}.json").read_text(encoding="utf-8"))
        raw = seed.read_bytes()
        text = raw.decode("utf-8")
        assert data["source"] == seed.name
        assert data["sha256"] == hashlib.sha256(raw).hexdigest()
        assert set(data["models"]) <= {"fr", "es"} and "fr" in data["models"]
        segments = data["segments"]
        assert segments, "every seed has text"
        covered = []
        previous_end = 0
        for seg in segments:
            assert seg["lang"] in {"fr", "es", "en", "und"}
            assert text[seg["start"]:seg["end"]] == seg["text"]
            assert seg["start"] >= previous_end, "segments are in order and do not overlap"
            previous_end = seg["end"]
            covered.append(seg["text"])
            if seg["lang"] in ("en", "und"):
                assert seg["translation"] == seg["text"] and seg["score"] is None
            else:
                assert isinstance(seg["translation"], str) and seg["translation"].strip()
                assert isinstance(seg["score"], float) and seg["score"] <= 0
            assert isinstance(seg["paragraph"], int)
        # Every non-whitespace character is covered exactly once.
        assert re.sub(r"\s", "", "".join(covered)) == re.sub(r"\s", "", text)
        paragraphs = [seg["paragraph"] for seg in segments]
        assert paragraphs == sorted(paragraphs)
        english = (out / f"{stem}.en.txt").read_text(encoding="utf-8")
        assert english.count("\n\n") == len(set(paragraphs)) - 1, "one English paragraph per source paragraph"
        html = (out / f"{stem}.html").read_text(encoding="utf-8")
        assert html.count("data-seg=") == len(segments)


def test_batch_is_deterministic(tmp_path, tiny_model, isolated_env):
    outputs = []
    for run in ("a", "b"):
        out = tmp_path / run
        result = run_cli("batch", str(SEEDS), "--out", str(out), "--model", f"fr={tiny_model}",
                         "--model", f"es={tiny_model}", "--quiet", env=isolated_env)
        assert result.returncode == 0, result.stderr
        outputs.append({p.name: p.read_bytes() for p in sorted(out.glob("*.json"))})
    assert outputs[0] == outputs[1]


def test_missing_input_folder_is_a_usage_error(tmp_path, isolated_env):
    result = run_cli("batch", str(tmp_path / "nope"), "--out", str(tmp_path / "out"), env=isolated_env)
    assert result.returncode == 2
    assert "nope" in result.stderr and "Traceback" not in result.stderr
