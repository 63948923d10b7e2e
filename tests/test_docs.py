"""The documentation: the site's command reference shows what `--help` shows; the README's links resolve.

The site itself is built with `mkdocs build --strict` in .ci/run (broken links and anchors fail there).
"""

from __future__ import annotations

import importlib.util
import re

from conftest import REPO, run_cli


def _cli_reference() -> str:
    spec = importlib.util.spec_from_file_location("cli_reference", REPO / "docs" / "hooks" / "cli_reference.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.cli_reference()


def _help_boxes(text: str) -> dict[str, list[list[str]]]:
    """The words of each row of each box (`Options`, `Commands`, `Arguments`) of a --help screen."""
    boxes: dict[str, list[list[str]]] = {}
    current = None
    for line in text.splitlines():
        title = re.match(r"\s*╭─ (\w+)", line)
        if title:
            current = boxes.setdefault(title.group(1), [])
        elif current is not None and line.strip().startswith("│"):
            inner = line.strip()[1:]
            if inner[:1] == " " and inner[1:2] not in (" ", ""):  # a row, not a wrapped line of the one before
                current.append(inner.strip("│").split())
    return boxes


def test_the_cli_reference_has_every_command_and_option_that_help_shows(isolated_env):
    # What a user sees from the installed entry point, walked command by command, must all be in the page
    # the docs hook generates (it loads the app its own way: a command registered elsewhere would be missed).
    reference = _cli_reference()
    pending, seen = [[]], []
    while pending:
        path = pending.pop()
        result = run_cli(*path, "--help", env=isolated_env)
        assert result.returncode == 0, result.stderr
        boxes = _help_boxes(result.stdout)
        assert f"`{' '.join(['translate', *path])}`" in reference
        section = reference.split(f"`{' '.join(['translate', *path])}`", 1)[1]
        own = section.split("\n#", 1)[0]
        for words in boxes.get("Options", []):
            names = []
            for word in words:  # the option's names lead the row; its type and help follow
                if not word.startswith("-"):
                    break
                names.append(word)
            for option in names:
                if option != "--help":
                    assert option in own, f"translate {' '.join(path)} {option}: not in the reference"
        for words in boxes.get("Commands", []):
            pending.append([*path, words[0]])
        seen.append(" ".join(path))
    assert {"batch", "detect", "spot-check", "align", "cache stats", "models pull"} <= set(seen)


def test_readme_links_point_to_files_that_exist():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    targets = [t for t in re.findall(r"\]\(([^)\s]+)\)", readme) if not re.match(r"[a-z]+:", t)]
    assert targets
    missing = [t for t in targets if not (REPO / t.split("#")[0]).exists()]
    assert not missing


def test_the_spot_check_thresholds_table_gives_the_code_s_defaults():
    import dataclasses

    from translate.spotcheck.thresholds import Thresholds

    page = (REPO / "docs" / "spot-check.md").read_text("utf-8")
    table = page[page.index("| `low_confidence_z` |"):]  # the thresholds' table, after the signals'
    documented = dict(re.findall(r"^\| `(\w+)` \| ([^|]+?) \|", table, re.MULTILINE))
    defaults = {field.name: field.default for field in dataclasses.fields(Thresholds)}
    assert set(documented) == set(defaults)
    assert {name: value for name, value in documented.items()} == {name: str(value) for name, value in defaults.items()}
