"""Hidden files and folders (a project's .git/, .venv/, dotfiles) are not inputs unless asked (issue 25)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import REPO
from translate.discover import discover_inputs, discover_paths

FRENCH = "Le chat dort sur le canap\u00e9 du salon depuis ce matin.\n"


def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    for name in ("docs/guide.md", "README.txt", ".notes.md", "docs/.draft.txt",
                 ".venv/lib/python3.11/site-packages/pkg/README.md", ".git/description.txt", "docs/.cache/page.html"):
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(FRENCH, encoding="utf-8")
    return root


def test_hidden_files_and_folders_are_skipped_by_default(tmp_path):
    found, excluded = discover_inputs(project(tmp_path))
    assert [item.source for item in found] == ["README.txt", "docs/guide.md"]
    assert excluded == []


def test_include_hidden_walks_them(tmp_path):
    found, _ = discover_inputs(project(tmp_path), include_hidden=True)
    assert {item.source for item in found} == {
        "README.txt", "docs/guide.md", ".notes.md", "docs/.draft.txt", ".venv/lib/python3.11/site-packages/pkg/README.md",
        ".git/description.txt", "docs/.cache/page.html"}


def test_a_hidden_file_or_folder_named_on_the_command_line_is_taken(tmp_path):
    root = project(tmp_path)
    found, _ = discover_paths([root / ".notes.md", root / ".venv"])
    assert [item.source for item in found] == [(root / ".notes.md").as_posix(),
                                               (root / ".venv").as_posix() + "/lib/python3.11/site-packages/pkg/README.md"]


def test_detect_on_a_project_folder_leaves_hidden_ones_out(tmp_path):
    root = project(tmp_path)
    env = {**os.environ, "PYTHONPATH": str(REPO), "NO_COLOR": "1"}
    run = lambda *args: subprocess.run([sys.executable, "-m", "translate", "detect", "--json", *args, "."],  # noqa: E731
                                       cwd=root, env=env, capture_output=True, text=True, timeout=120)
    default, everything = run(), run("--include-hidden")
    assert default.returncode == 0 and everything.returncode == 0, default.stderr + everything.stderr
    sources = lambda result: sorted(json.loads(line)["source"] for line in result.stdout.splitlines())  # noqa: E731
    assert sources(default) == ["./README.txt", "./docs/guide.md"]
    assert len(sources(everything)) == 7
