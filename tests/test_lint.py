"""The tree passes the project's lint rules (pyproject.toml, ``[tool.ruff]``)."""

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_the_package_benchmarks_and_tests_pass_the_lint_rules():
    done = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "translate", "benchmarks", "tests",
                           "translate_mixed_launcher.py"], cwd=REPO, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
