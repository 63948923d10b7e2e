"""A batch output folder with one document of every format, for the review tests."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from conftest import SEEDS, run_cli
from format_samples import samples

MARKDOWN = "# Le rapport\n\nLe conseil municipal a voté le budget **hier soir** à la mairie.\n\nThe English line stays.\n"
HTML = ("<!DOCTYPE html><html><head><title>Page</title></head><body><p>Le maire a présenté "
        "<em>son projet</em> aux habitants du quartier.</p><p>El alcalde habló con los vecinos.</p></body></html>\n")
SUBRIP = "1\n00:00:01,000 --> 00:00:03,000\nLe chat dort sur le canapé.\n\n2\n00:00:04,000 --> 00:00:06,000\nEl perro ladra.\n"


def make_inputs(folder: Path) -> Path:
    folder.mkdir(parents=True)
    for path in sorted(SEEDS.glob("*.txt"))[:2]:
        shutil.copy(path, folder / path.name)
    (folder / "article.md").write_text(MARKDOWN, encoding="utf-8")
    (folder / "page.html").write_text(HTML, encoding="utf-8")
    (folder / "clip.srt").write_text(SUBRIP, encoding="utf-8")
    for name, data in samples().items():
        (folder / name).write_bytes(data)
    return folder


def batch_env(base: Path) -> dict[str, str]:
    return dict(os.environ, TRANSLATE_MODELS_DIR=str(base / "models-root"), HF_HOME=str(base / "hf-home"),
                HF_HUB_OFFLINE="1", NO_COLOR="1", COLUMNS="200")


def run_batch_cli(inputs: Path, out: Path, model: Path, env: dict[str, str]):
    return run_cli("batch", str(inputs), "--out", str(out), "--model", f"fr={model}", "--model", f"es={model}",
                   "--beams", "1", "--quiet", env=env)


def batch_documents(out: Path) -> dict[str, dict]:
    found = {}
    for path in sorted(out.rglob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and "segments" in data:
            found[data["source"]] = data
    return found


def translated_spans(out: Path) -> list[tuple[str, int, dict]]:
    return [(source, index, seg) for source, data in batch_documents(out).items()
            for index, seg in enumerate(data["segments"]) if seg["lang"] not in ("en", "und") and seg.get("translation")]


def snapshot(out: Path) -> dict[str, bytes]:
    return {path.relative_to(out).as_posix(): path.read_bytes() for path in sorted(out.rglob("*"))
            if path.is_file() and not path.name.startswith(("review.sqlite3", ".translate"))}
