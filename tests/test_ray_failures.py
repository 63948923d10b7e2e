"""`translate batch --executor ray` fails fast and in one line when the cluster cannot do the work:
an address nobody answers at, actors asking for more CPUs than any node has. Ray's own notices
(its token-authentication warning) stay out of the user's terminal.

Each test is one `translate` process; only the second starts a (local, one-node) Ray.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys

import pytest

from conftest import REPO

pytest.importorskip("ray", reason="Ray is not installed (pip install -e '.[ray]')")

# Before issue 25 these waited (825 s, or for ever): a run that has not failed by then has not failed fast.
LONGEST = 120


@pytest.fixture
def ray_run(tmp_path, tiny_model, isolated_env):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("Le chat dort sur le canapé depuis ce matin.", encoding="utf-8")
    env = {key: value for key, value in isolated_env.items() if not key.startswith("RAY_")}

    def run(*options: str) -> subprocess.CompletedProcess:
        command = [sys.executable, "-m", "translate", "batch", str(folder), "--out", str(tmp_path / "out"),
                   "--model", f"fr={tiny_model}", "--model", f"es={tiny_model}", "--executor", "ray", *options]
        # Its own process group: a run that hangs is ended with the Ray processes it started.
        process = subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   text=True, start_new_session=True)
        try:
            stdout, stderr = process.communicate(timeout=LONGEST)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            pytest.fail(f"still waiting after {LONGEST} s with {' '.join(options)}")
        return subprocess.CompletedProcess(command, process.returncode, stdout, stderr)

    return run


def error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.strip()]


def test_an_address_nobody_answers_at_fails_naming_it(ray_run):
    done = ray_run("--ray-address", "127.0.0.1:1")
    assert done.returncode == 1, done.stderr
    lines = error_lines(done.stderr)
    assert "Traceback" not in done.stderr
    assert len(lines) == 1, lines
    assert "cannot reach" in lines[0] and "127.0.0.1:1" in lines[0], lines[0]
    named = set(re.findall(r"\b\d{1,3}(?:\.\d{1,3}){3}:\d+\b", lines[0]))
    assert named == {"127.0.0.1:1"}, f"another address named: {lines[0]}"


def test_actors_larger_than_any_node_fail_at_once_and_ray_stays_quiet(ray_run):
    cpus = os.cpu_count() or 1
    asked = 1000 * cpus
    done = ray_run("--ray-actor-cpus", str(asked))
    assert done.returncode in (1, 2), done.stderr
    assert "Traceback" not in done.stderr
    assert "Token authentication" not in done.stderr + done.stdout, "Ray's token notice reached the terminal"
    lines = error_lines(done.stderr)
    assert len(lines) == 1, lines
    assert f"{asked} CPUs" in lines[0] and re.search(r"\bhas \d+", lines[0]), lines[0]
    assert not (done.stdout.strip() and "translated" in done.stdout)
