"""`translate batch --executor ray`: the same outputs as the in-process run, byte for byte, on a
simulated two-node Ray cluster, still the same after a node dies mid-run, and after the driver is
killed mid-run and the run resumed.

One Ray session (a head without CPUs and two 2-CPU worker nodes, all on this machine) is shared by
the module's tests: starting Ray costs seconds.
"""

from __future__ import annotations

import os
import random
import shutil
import threading
from pathlib import Path

import pytest

from conftest import REPO, SEEDS, seed_texts
from test_stages import files_under, make_inputs

ray = pytest.importorskip("ray", reason="Ray is not installed (pip install -e '.[ray]')")


@pytest.fixture(scope="module")
def cluster():
    from ray.cluster_utils import Cluster

    cluster = Cluster(initialize_head=True, head_node_args={"num_cpus": 0})
    workers = [cluster.add_node(num_cpus=2) for _ in range(2)]
    cluster.wait_for_nodes()
    # Workers import this checkout's `translate`, and die on the poison text (tests/ray_hooks.py).
    ray.init(address=cluster.address, include_dashboard=False, log_to_driver=False,
             runtime_env={"env_vars": {"PYTHONPATH": os.pathsep.join([str(REPO), str(REPO / "tests")])},
                          "worker_process_setup_hook": "ray_hooks.crash_on_poison"})
    yield cluster, workers
    ray.shutdown()
    cluster.shutdown()


GROUP = 700  # bytes of input per group of documents: about three of write_many_files's documents


def options(tmp_path: Path, model: Path, inputs: Path, name: str, batch_size: int | None = None,
            actors: int | None = None, **extra):
    from translate.batch import RaySettings, RunSettings
    from translate.engines import EngineSettings

    return RunSettings(inputs, tmp_path / name, {"fr": str(model), "es": str(model)},
                       EngineSettings(beams=1, attention=True, max_batch_size=batch_size), models_root=tmp_path / "root",
                       cache_path=tmp_path / f"memory-{name}.sqlite3", ray=RaySettings(actors=actors), **extra)


def test_ray_run_writes_what_the_in_process_run_writes_and_resumes_it(cluster, tmp_path, tiny_model):
    from translate.batch import SilentProgress, run_batch

    inputs = tmp_path / "in"
    make_inputs(inputs)  # txt, md, srt, html and a file that fails to parse
    # Small groups: many work units, and texts repeated across groups (served by the memory).
    local = run_batch(options(tmp_path, tiny_model, inputs, "local", group_bytes=400), SilentProgress())
    on_ray = run_batch(options(tmp_path, tiny_model, inputs, "ray", group_bytes=400, executor="ray", actors=2),
                       SilentProgress())

    assert [(o.source, o.status, o.error) for o in on_ray.outcomes] == \
        [(o.source, o.status, o.error) for o in local.outcomes]
    assert [o.source for o in on_ray.failed] == ["bad.html"]
    assert (on_ray.model_translations, on_ray.memory_hits) == (local.model_translations, local.memory_hits)
    assert on_ray.model_translations > 0
    assert files_under(tmp_path / "ray") == files_under(tmp_path / "local")  # JSON, pages, English, run files

    # Outputs written by one executor are up to date for the other: nothing is translated again.
    again = run_batch(options(tmp_path, tiny_model, inputs, "local", executor="ray"), SilentProgress())
    assert len(again.up_to_date) == 6 and again.model_translations == 0 and not again.translated


class _KillANodeMidRun:
    """Progress that removes the node running a translation actor once the first translated
    document is written (more work units are still to come)."""

    def __init__(self, cluster, workers):
        self.cluster, self.workers = cluster, workers
        self.done: list[str] = []
        self.killed = None
        self.lock = threading.Lock()

    def start(self, files): pass
    def spans_found(self, count): pass
    def spans_done(self, count): pass
    def warning(self, message): pass

    def file_done(self, outcome):
        self.done.append(outcome.source)
        if outcome.status == "translated" and self.killed is None and len(self.done) >= 3:
            from ray._private.state import actors  # the state API would need the dashboard

            nodes = {actor["Address"]["NodeID"] for actor in actors().values()
                     if actor["State"] == "ALIVE" and "_Translator" in actor["ActorClassName"]}
            victim = next(node for node in self.workers if node.node_id in nodes)
            self.cluster.remove_node(victim)
            self.killed = victim


def test_killing_a_node_mid_run_loses_nothing(cluster, tmp_path, tiny_model):
    from translate.batch import SilentProgress, run_batch

    inputs = tmp_path / "in"
    inputs.mkdir()
    lines = [line for line in seed_texts() if line.strip()]
    rng = random.Random(7)
    for number in range(24):
        (inputs / f"doc{number:02d}.txt").write_text("\n\n".join(rng.sample(lines, 6)) + "\n", encoding="utf-8")
    shutil.copy(sorted(SEEDS.glob("*.txt"))[0], inputs / "seed.txt")

    clean = run_batch(options(tmp_path, tiny_model, inputs, "clean", group_bytes=300), SilentProgress())
    assert len(clean.translated) == 25

    cluster_, workers = cluster
    progress = _KillANodeMidRun(cluster_, workers)
    report = run_batch(options(tmp_path, tiny_model, inputs, "killed", group_bytes=300, executor="ray", actors=2),
                       progress)
    assert progress.killed is not None
    assert len(report.translated) == 25 and not report.failed  # nothing lost
    assert sorted(progress.done) == sorted(o.source for o in clean.outcomes)  # each document written once
    assert files_under(tmp_path / "killed") == files_under(tmp_path / "clean")


def test_killing_the_ray_driver_mid_run_then_resuming_gives_the_clean_outputs(cluster, tmp_path, tiny_model):
    """`translate batch --executor ray` joining the cluster, killed (-9) once some documents are written;
    an in-process rerun resumes it: the finished documents are kept, the outputs are a clean run's, with
    the default engine batches (groups of documents fixed by the input folder: the resumed run rebuilds
    the same batches, and CTranslate2's result for a text depends slightly on its batch)."""
    import os
    import signal
    import subprocess
    import sys
    import time

    from test_batch_faults import write_many_files

    from translate.batch import SilentProgress, run_batch

    inputs, out = tmp_path / "in", tmp_path / "killed"
    write_many_files(inputs, 10)
    run_batch(options(tmp_path, tiny_model, inputs, "clean", group_bytes=GROUP), SilentProgress())
    args = ["batch", str(inputs), "--out", str(out), "--cache", str(tmp_path / "memory-killed.sqlite3"),
            "--model", f"fr={tiny_model}", "--model", f"es={tiny_model}", "--beams", "1", "--group-bytes", str(GROUP),
            "--executor", "ray", "--ray-address", cluster[0].address, "--quiet"]
    env = {**os.environ, "TRANSLATE_MODELS_DIR": str(tmp_path / "root"), "HF_HUB_OFFLINE": "1"}
    driver = subprocess.Popen([sys.executable, "-m", "translate", *args], cwd=REPO, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 180
        while len(list(out.glob("*.json"))) < 2:
            assert driver.poll() is None, driver.communicate()
            assert time.monotonic() < deadline
            time.sleep(0.01)
        driver.send_signal(signal.SIGKILL)
        driver.wait()
    finally:
        if driver.poll() is None:
            driver.kill()
            driver.wait()
    done_before = {p.name: p.stat().st_mtime_ns for p in out.glob("*.json")}
    assert 2 <= len(done_before) < 10, "killed mid-way"

    resumed = run_batch(options(tmp_path, tiny_model, inputs, "killed", group_bytes=GROUP), SilentProgress())
    assert len(resumed.up_to_date) == len(done_before) and len(resumed.translated) == 10 - len(done_before)
    assert {p.name: p.stat().st_mtime_ns for p in out.glob("*.json") if p.name in done_before} == done_before
    assert files_under(out) == files_under(tmp_path / "clean")


def test_a_unit_that_always_kills_its_actor_fails_its_documents_and_the_rest_completes(cluster, tmp_path, tiny_model):
    """Bounded retries: the unit holding the poison text is given again a few times, then its document
    is a failed file with the reason; the other documents are translated as in-process."""
    from ray_hooks import POISON
    from test_batch_faults import write_many_files

    from translate.batch import SilentProgress, run_batch
    from translate.executors.ray_executor import RETRIES

    inputs = tmp_path / "in"
    write_many_files(inputs, 4)
    (inputs / "doc02.txt").write_text(f"{POISON}\n\nUne autre phrase française, bien tranquille.\n", encoding="utf-8")
    report = run_batch(options(tmp_path, tiny_model, inputs, "ray", group_bytes=1, executor="ray", actors=2),
                       SilentProgress())
    assert [o.source for o in report.failed] == ["doc02.txt"]
    assert f"its worker died {RETRIES + 1} times" in report.failed[0].error
    assert sorted(o.source for o in report.translated) == ["doc00.txt", "doc01.txt", "doc03.txt"]
    (inputs / "doc02.txt").unlink()
    run_batch(options(tmp_path, tiny_model, inputs, "local", group_bytes=1), SilentProgress())
    ray_files = {name: data for name, data in files_under(tmp_path / "ray").items() if name.startswith("doc0")}
    local_files = {name: data for name, data in files_under(tmp_path / "local").items() if name.startswith("doc0")}
    assert ray_files == local_files  # the others as an in-process run writes them
