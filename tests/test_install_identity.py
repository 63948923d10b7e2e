"""The command checks that `import translate` finds this project, and reports its version."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import REPO

from translate._distribution import DISTRIBUTION, __version__


def _launch(args: list[str], pythonpath: str, tmp_path) -> subprocess.CompletedProcess:
    # -I: no user site, no PYTHONPATH from the test's own environment; the path is set explicitly.
    code = f"import sys; sys.path[:0] = {pythonpath.split(':')!r}; import translate_mixed_launcher as l; sys.argv = ['translate', *{args!r}]; l.main()"
    return subprocess.run([sys.executable, "-I", "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=60)


def _other_translate_package(site) -> None:
    """A `translate` package of another distribution, as translate-toolkit installs one."""
    (site / "translate").mkdir(parents=True)
    (site / "translate" / "__init__.py").write_text('"""Another project\'s translate package."""\n')
    info = site / "translate_toolkit-3.20.4.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: translate-toolkit\nVersion: 3.20.4\n")
    (info / "top_level.txt").write_text("translate\n")
    (info / "RECORD").write_text("translate/__init__.py,,\n")


def test_another_translate_package_first_on_the_path_is_reported_in_one_line(tmp_path):
    site = tmp_path / "site"
    _other_translate_package(site)
    result = _launch(["batch", "seeds"], f"{site}:{REPO}", tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert "translate-toolkit 3.20.4" in lines[0] and str(site / "translate") in lines[0]
    assert "pipx install" in lines[0] and DISTRIBUTION in lines[0]


def test_our_package_first_on_the_path_runs_the_command(tmp_path):
    site = tmp_path / "site"
    _other_translate_package(site)
    result = _launch(["--version"], f"{REPO}:{site}", tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"{DISTRIBUTION} {__version__}"


def test_version_has_one_source():
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+

    import translate

    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    assert project["name"] == DISTRIBUTION
    assert "version" in project["dynamic"] and "version" not in project
    assert translate.__version__ == __version__
    result = subprocess.run([sys.executable, "-m", "translate", "--version"], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout.strip() == f"{DISTRIBUTION} {__version__}"
