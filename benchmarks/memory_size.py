"""Size of the translation memory: bytes per entry as stored now (the word alignment) next to
what layout 1 stored for the same translations (subword pieces and attention rows as JSON).

    python benchmarks/memory_size.py                   # the seeds, a small random-weight model built here
    python benchmarks/memory_size.py --model DIR       # a real MarianMT model folder
    python benchmarks/memory_size.py --input DIR       # another folder of documents

It runs ``translate batch`` (library call, CTranslate2 when installed, beam 1, alignment on) into a
temporary folder, then reads the memory: entries, the mean size of an entry's stored fields
(source, translation, extra), the database file per entry, and the stored bytes per input
character, projected linearly to a 5 MB input (entries grow with the distinct spans; a document
that repeats itself needs less). The layout-1 figure is measured on the same hypotheses, before
their attention is dropped. Sizes do not depend on the machine's load.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--input", type=Path, default=REPO / "seeds")
    parser.add_argument("--model", type=Path, help="MarianMT model folder (default: a small one built here)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    import translate.wordalign as align
    from translate.batch import RunSettings, SilentProgress, run_batch
    from translate.engines import EngineSettings

    old_layout_bytes: list[int] = []
    with_alignment = align.with_alignment

    def measuring(model_text, hypothesis):
        extra = {name: getattr(hypothesis, name) for name in ("source_pieces", "target_pieces", "attention")
                 if getattr(hypothesis, name) is not None}
        if "attention" in extra:
            extra["attention"] = [[float(x) for x in row] for row in extra["attention"]]
        old_layout_bytes.append(len(model_text) + len(hypothesis.text) + len(json.dumps(extra) if extra else ""))
        return with_alignment(model_text, hypothesis)

    align.with_alignment = measuring
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        model = args.model
        if model is None:
            from translate.modelbuild import build_marian_model

            lines = [line for path in sorted((REPO / "seeds").glob("*.txt")) for line in path.read_text("utf-8").splitlines()]
            model = build_marian_model(tmp / "model", lines)
        cache = tmp / "tm.sqlite3"
        options = RunSettings(args.input, tmp / "out", {"fr": str(model), "es": str(model)},
                               EngineSettings(beams=1, attention=True), cache_path=cache)
        report = run_batch(options, SilentProgress())
        input_chars = sum(len(path.read_text("utf-8", errors="replace")) for path in args.input.rglob("*")
                          if path.is_file() and path.suffix.lower() in {".txt", ".md", ".srt", ".html", ".htm"})
        db = sqlite3.connect(cache)
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        entries, stored = db.execute(
            "SELECT COUNT(*), SUM(length(source) + length(translation) + COALESCE(length(extra), 0)) FROM translations"
        ).fetchone()
        db.close()
        file_bytes = cache.stat().st_size
        shutil.rmtree(tmp / "out")

    old_total = sum(old_layout_bytes)
    figures = {
        "input": str(args.input), "input_characters": input_chars, "entries": entries,
        "failed_files": len(report.failed),
        "stored_bytes_per_entry": round(stored / entries, 1),
        "layout1_bytes_per_entry": round(old_total / len(old_layout_bytes), 1),
        "database_file_bytes_per_entry": round(file_bytes / entries, 1),
        "stored_bytes_per_input_character": round(stored / input_chars, 3),
        "projected_mb_for_5mb_input": round(stored / input_chars * 5e6 / 1e6, 1),
        "projected_file_mb_for_5mb_input": round(file_bytes / input_chars * 5e6 / 1e6, 1),
        "projected_mb_for_5mb_input_layout1": round(old_total / input_chars * 5e6 / 1e6, 1),
    }
    if args.json:
        print(json.dumps(figures))
        return
    print(f"{entries} entries from {input_chars} input characters ({args.input}), model {args.model or 'small, built here'}\n")
    print("| measure | now (alignment) | layout 1 (attention) |")
    print("|---|---:|---:|")
    print(f"| stored bytes per entry | {figures['stored_bytes_per_entry']} | {figures['layout1_bytes_per_entry']} |")
    print(f"| database file bytes per entry | {figures['database_file_bytes_per_entry']} | - |")
    print(f"| projected stored MB for a 5 MB input | {figures['projected_mb_for_5mb_input']} | "
          f"{figures['projected_mb_for_5mb_input_layout1']} |")
    print(f"| projected database file MB for a 5 MB input | {figures['projected_file_mb_for_5mb_input']} | - |")


if __name__ == "__main__":
    main()
