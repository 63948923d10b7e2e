"""Every output file, byte for byte, as recorded before the core was restructured (issue 24):
the seeds, the format fixtures and a folder with one file of every format, through `run_batch`
in process and on Ray, and through the Python API, each in a process of its own with CTranslate2 on Intel
MKL whatever the CPU. See tests/golden/record.py (which also re-records, after a change of output that is
meant)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "golden"))

import record  # noqa: E402  (tests/golden/record.py)

EXPECTED = json.loads(record.EXPECTED.read_text(encoding="utf-8"))


def assert_same(case: str, got: dict[str, str]) -> None:
    expected = EXPECTED[case]
    changed = sorted(name for name in expected.keys() & got.keys() if expected[name] != got[name])
    assert (sorted(got.keys() - expected.keys()), sorted(expected.keys() - got.keys()), changed) == ([], [], []), \
        f"{case}: (new, missing, changed) outputs; run tests/golden/record.py --dump DIR to see them"


@pytest.fixture(scope="module")
def root(tmp_path_factory, tiny_model):
    root = tmp_path_factory.mktemp("golden") / "models-root"
    record.place_model(tiny_model, root)
    return root


@pytest.mark.parametrize("case, inputs", [
    ("seeds", record.seed_inputs()), ("fixtures", record.fixture_inputs()), ("mixed", record.mixed_inputs()),
])
def test_batch_outputs_are_the_recorded_ones(case, inputs, root, tmp_path):
    assert_same(case, record.in_mkl_process("batch_case", inputs, tmp_path, case, root))


def test_api_results_are_the_recorded_ones(root, tmp_path):
    assert_same("api", record.in_mkl_process("api_case", record.mixed_inputs(), tmp_path, root))


def test_ray_outputs_are_the_recorded_ones(root, tmp_path):
    pytest.importorskip("ray", reason="Ray is not installed (pip install -e '.[ray]')")
    assert_same("mixed-ray", record.in_mkl_process("batch_case", record.mixed_inputs(), tmp_path, "mixed-ray", root,
                                                   executor="ray"))
