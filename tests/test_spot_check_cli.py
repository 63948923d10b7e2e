"""`translate spot-check` on a batch-like output folder with injected defects."""

from __future__ import annotations

import csv
import importlib
import io
import json
import sys
from pathlib import Path

import pytest

import translate.cli as cli
from spotcheck_fixtures import GOOD_A, GOOD_B, SEED_A, SEED_B, batch_document, write_batch

DEFECTS = {
    7: None,  # copies the source
    8: "This is what our friends at Business Insider tell us, tell us, tell us, tell us, tell us, tell us.",
    12: "It is worth remembering that OpenAI was founded with Altman, Musk and LinkedIn co-founder Reid "
        "Hoffman at its head.",
    14: "Si Musk era algo para la empresa, era un gran inversor, que gastó entre 50 y 100 millones de dólares "
        "de su bolsillo para mantener OpenAI.",
    17: "",
    19: "OpenAI's CEO did not know how to bring money into the company, but he managed to raise funds from "
        "various",
}
EXPECTED = {7: "untranslated", 8: "repetition", 12: "number_mismatch", 14: "not_english", 17: "empty",
            19: "truncated"}


@pytest.fixture(scope="module")
def out_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    data_a = batch_document(SEED_A, GOOD_A)
    for index, output in DEFECTS.items():
        segment = data_a["segments"][index]
        segment["translation"] = segment["text"] if output is None else output
    data_b = batch_document(SEED_B, GOOD_B, keep_all=False)
    data_b["source"] = "sub/" + SEED_B
    write_batch(out, [data_a, data_b])
    (out / "notes.json").write_text('{"not": "a batch output"}', encoding="utf-8")
    return out


def run(monkeypatch, capsys, *args):
    """Run the real entry point (error handling included) with only this command registered."""
    monkeypatch.setattr(cli, "_register_commands", lambda: importlib.import_module("translate.cli.spot_check"))
    # The app has global options (--version), so the command is always named.
    monkeypatch.setattr(sys, "argv", ["translate", "spot-check", *map(str, args)])
    with pytest.raises(SystemExit) as exit_info:
        cli.main()
    captured = capsys.readouterr()
    return exit_info.value.code or 0, captured.out, captured.err


def test_json_output_flags_every_injected_defect(monkeypatch, capsys, out_dir):
    code, out, err = run(monkeypatch, capsys, out_dir, "--json", "--sample", "100", "--no-round-trip")
    assert code == 0, err
    result = json.loads(out)  # stdout holds nothing but the JSON object
    assert set(result) == {"score", "spans_checked", "flag_counts", "sample", "documents", "documents_skipped", "skipped"}
    assert result["documents_skipped"] == 0 and result["skipped"] == []
    flags = {(item["source"], item["seg"]): item["flags"] for item in result["sample"]}
    for seg, name in EXPECTED.items():
        assert name in flags[(SEED_A, seg)]
    unexpected = {key: value for key, value in flags.items()
                  if value and not (key[0] == SEED_A and key[1] in DEFECTS)}
    assert unexpected == {}
    assert result["spans_checked"] == len(flags) == len(GOOD_A) + len(GOOD_B)
    assert result["score"] == pytest.approx(1 - len(DEFECTS) / result["spans_checked"])
    assert result["flag_counts"]["empty"] == 1
    assert [doc["source"] for doc in result["documents"]] == [SEED_A, "sub/" + SEED_B]
    # `seg` indexes the document's `segments` in its batch JSON.
    segments = json.loads((out_dir / SEED_A).with_suffix(".json").read_text(encoding="utf-8"))["segments"]
    for item in result["sample"]:
        if item["source"] == SEED_A:
            assert (item["text"], item["translation"]) == (segments[item["seg"]]["text"],
                                                           segments[item["seg"]]["translation"])


def test_fail_under_gates(monkeypatch, capsys, out_dir):
    code, _, err = run(monkeypatch, capsys, out_dir, "--fail-under", "0.95", "--no-round-trip")
    assert code == 1 and "below --fail-under 0.95" in err
    code, _, _ = run(monkeypatch, capsys, out_dir, "--fail-under", "0.5", "--no-round-trip")
    assert code == 0


def test_no_batch_output_is_a_usage_error(monkeypatch, capsys, tmp_path):
    (tmp_path / "index.html").write_text("<html></html>")
    (tmp_path / "other.json").write_text("[1, 2]")
    code, out, err = run(monkeypatch, capsys, tmp_path)
    assert code == 2 and "no batch output found" in err and "Traceback" not in err


def test_unreadable_batch_json_is_checked_around_counted_and_fails_the_run(monkeypatch, capsys, out_dir, tmp_path):
    """A partly unreadable run: the rest is checked, the skipped documents are counted in the JSON and the
    summary, and the exit status is 1 (the score covers only part of the run; issue 25)."""
    write_batch(tmp_path, [batch_document(SEED_A, GOOD_A)])
    (tmp_path / "broken.json").write_text('{"source": "x.txt", "segments": [', encoding="utf-8")
    (tmp_path / "bad.json").write_text('{"source": "y.txt", "segments": [{"lang": "fr"}]}', encoding="utf-8")
    code, out, err = run(monkeypatch, capsys, tmp_path, "--json", "--no-round-trip")
    assert code == 1
    assert "broken.json" in err and "bad.json" in err
    assert "error: 2 of 3 batch documents skipped (unreadable): the check is incomplete" in err
    result = json.loads(out)
    assert [doc["source"] for doc in result["documents"]] == [SEED_A]
    assert result["documents_skipped"] == 2 and result["skipped"] == ["bad.json", "broken.json"]
    code, out, err = run(monkeypatch, capsys, tmp_path, "--no-round-trip", "--fail-under", "0")
    assert code == 1 and "2 of 3 batch documents skipped (unreadable); the score covers the other 1" in out


def test_sample_is_reproducible_for_a_seed(monkeypatch, capsys, out_dir):
    def sample(seed):
        _, out, _ = run(monkeypatch, capsys, out_dir, "--json", "--sample", "8", "--seed", seed,
                        "--no-round-trip")
        return [(item["source"], item["seg"]) for item in json.loads(out)["sample"]]

    first = sample(3)
    assert len(first) == 8 and first == sample(3)
    assert any(sample(seed) != first for seed in (4, 5, 6))
    # Stratified: both documents are represented.
    assert {source for source, _ in first} == {SEED_A, "sub/" + SEED_B}


def test_report_and_csv(monkeypatch, capsys, out_dir, tmp_path):
    report, sheet = tmp_path / "r" / "report.html", tmp_path / "sample.csv"
    code, out, err = run(monkeypatch, capsys, out_dir, "--report", report, "--csv", sheet, "--sample", "10",
                         "--no-round-trip")
    assert code == 0, err
    assert "Sample for review" in out and "score" in out
    html = report.read_text(encoding="utf-8")
    assert "<script" not in html and "http://" not in html and "https://" not in html
    assert '<mark class="f-repetition" title="repetition">tell us, tell us' in html
    assert '<mark class="f-number_mismatch" title="number_mismatch">2015</mark>' in html
    # Same input, same report, byte for byte.
    run(monkeypatch, capsys, out_dir, "--report", tmp_path / "again.html", "--sample", "10", "--no-round-trip")
    assert (tmp_path / "again.html").read_text(encoding="utf-8") == html
    rows = list(csv.DictReader(io.StringIO(sheet.read_text(encoding="utf-8"))))
    assert len(rows) == 10
    assert all(row["verdict"] == "" and row["comment"] == "" for row in rows)
    assert list(rows[0]) == ["source", "seg", "lang", "text", "translation", "flags", "explanations", "verdict",
                             "comment"]


def test_report_escapes_text(monkeypatch, capsys, tmp_path):
    data = batch_document(SEED_A, GOOD_A)
    data["segments"][8]["translation"] = "<script>alert(1)</script> & <b>this</b> is what friends tell us."
    write_batch(tmp_path / "out", [data])
    report = tmp_path / "report.html"
    code, _, err = run(monkeypatch, capsys, tmp_path / "out", "--report", report, "--no-round-trip")
    assert code == 0, err
    html = report.read_text(encoding="utf-8")
    assert "<script>" not in html and "<b>this" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;this" in html


def test_unknown_threshold_is_a_usage_error(monkeypatch, capsys, out_dir):
    code, _, err = run(monkeypatch, capsys, out_dir, "--threshold", "nonsense=1")
    assert code == 2 and "NAME=VALUE" in err


def test_round_trip_is_skipped_with_a_note_without_reverse_models(monkeypatch, capsys, out_dir):
    _fake_pipeline(monkeypatch, set(), {})
    code, out, err = run(monkeypatch, capsys, out_dir, "--json")
    assert code == 0
    assert "round_trip skipped" in err
    assert "round_trip" not in json.loads(out)["flag_counts"]


def _fake_pipeline(monkeypatch, found: set[str], back: dict[str, str]):
    """Stand-ins for the model lookup, engine and translator that the round trip uses."""
    import types

    models = types.ModuleType("translate.models")
    models.find_local_model = lambda name: (Path("/models") / name, "models root") if name in found else None
    engines = types.ModuleType("translate.engines")
    engines.EngineSettings = lambda: None
    engines.load_engine = lambda path, settings: path
    translator = types.ModuleType("translate.translator")
    translator.translate_texts = lambda engine, texts: [types.SimpleNamespace(text=back[t]) for t in texts]
    for name, module in (("models", models), ("engines", engines), ("translator", translator)):
        monkeypatch.setitem(sys.modules, f"translate.{name}", module)


def test_round_trip_runs_with_local_reverse_models(monkeypatch, capsys, tmp_path):
    data_a = batch_document(SEED_A, GOOD_A)
    data_b = batch_document(SEED_B, GOOD_B, keep_all=False)
    write_batch(tmp_path, [data_a, data_b])
    # A perfect back-translation gives the source back, except for one span whose meaning was lost.
    back = {seg["translation"]: seg["text"] for data in (data_a, data_b) for seg in data["segments"]}
    back[data_a["segments"][13]["translation"]] = "Le chat dort sur le canapé depuis ce matin."
    _fake_pipeline(monkeypatch, {"Helsinki-NLP/opus-mt-en-fr", "Helsinki-NLP/opus-mt-en-es"}, back)
    code, out, err = run(monkeypatch, capsys, tmp_path, "--json", "--sample", "100")
    assert code == 0, err
    result = json.loads(out)
    assert result["flag_counts"]["round_trip"] == 1
    flagged = [(item["source"], item["seg"]) for item in result["sample"] if "round_trip" in item["flags"]]
    assert flagged == [(SEED_A, 13)]
    assert result["score"] == 1.0  # round trip is a hint, not a serious flag


def test_round_trip_skipped_when_one_reverse_model_is_missing(monkeypatch, capsys, out_dir):
    _fake_pipeline(monkeypatch, {"Helsinki-NLP/opus-mt-en-fr"}, {})
    code, out, err = run(monkeypatch, capsys, out_dir, "--json")
    assert code == 0
    assert "round_trip skipped" in err and "Helsinki-NLP/opus-mt-en-es" in err
    assert "round_trip" not in json.loads(out)["flag_counts"]


def test_csv_cells_cannot_run_as_spreadsheet_formulas():
    from translate.spotcheck.writers import _inert_cell

    assert _inert_cell("=HYPERLINK(\"http://x\")") == "'=HYPERLINK(\"http://x\")"
    assert _inert_cell("@SUM(A1)").startswith("'")
    assert _inert_cell("Bonjour = hello") == "Bonjour = hello"


def test_round_trip_for_real_with_tiny_local_reverse_models(monkeypatch, capsys, tmp_path, tiny_model, isolated_env):
    """No stand-ins: tiny random-weight en->fr / en->es models found on disk, loaded and run by the pipeline."""
    from translate.spotcheck.back_translation import local_back_translator

    root = Path(isolated_env["TRANSLATE_MODELS_DIR"])
    root.mkdir(parents=True)
    for name in ("Helsinki-NLP--opus-mt-en-fr", "Helsinki-NLP--opus-mt-en-es"):
        (root / name).symlink_to(tiny_model, target_is_directory=True)
    back_translate, note = local_back_translator(["fr", "es"])
    assert back_translate is not None, note
    back = back_translate(["The cat sleeps.", "Sam Altman left."], "fr")
    assert len(back) == 2 and all(isinstance(text, str) for text in back)

    data_a = batch_document(SEED_A, GOOD_A)
    data_b = batch_document(SEED_B, GOOD_B, keep_all=False)
    out = tmp_path / "out"
    write_batch(out, [data_a, data_b])
    code, stdout, err = run(monkeypatch, capsys, out, "--json", "--sample", "200")
    assert code == 0, err
    assert "round_trip: back-translated with Helsinki-NLP/opus-mt-en-es" in err
    result = json.loads(stdout)
    # Random weights back-translate into gibberish, so the round trip flags spans; it is a hint, the score stays.
    assert "round_trip" in result["flag_counts"] and result["flag_counts"]["round_trip"] > 0
    flagged = [item for item in result["sample"] if "round_trip" in item["flags"]]
    assert len(flagged) == result["flag_counts"]["round_trip"]  # the sample covers every span here
    assert result["score"] == 1.0
