"""Golden outputs: what the pipeline writes, recorded once and compared byte for byte by
tests/test_golden_outputs.py, so a refactoring of the core shows any change of output.

    python tests/golden/record.py            # (re)record tests/golden/expected.json
    python tests/golden/record.py --ray      # the Ray case too
    python tests/golden/record.py --dump DIR # also keep every output file under DIR (to diff)

Cases (inputs are committed, so their bytes never change): the seeds; the format fixtures of
tests/fixtures/formats; a mixed folder with one file of every format (tests/golden/inputs/mixed),
run by ``run_batch`` in process and on Ray; and the same mixed files through the Python API
(``translate_text`` for the text formats, ``translate_file`` for the others).

The model is the tests' tiny MarianMT (random weights, seed 0), placed in the models root as
``golden/tiny-marian`` so outputs name no temporary path. Two things are legitimately variable and
replaced by ``REVISION`` before hashing: the model folder's fingerprint (the SentencePiece file
records the temporary folder it was trained in); and the input folder's paths in the run record
``.translate-run``, replaced by placeholders when they are the case's input folder. The engine is
CTranslate2 with Intel MKL on every CPU (see ``MKL``). The expected file holds the SHA-256 of each
output, not its bytes, to stay small.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
INPUTS = HERE / "inputs"
EXPECTED = HERE / "expected.json"
MODEL_NAME = "golden/tiny-marian"
RUN_RECORD = ".translate-run"
# CTranslate2 multiplies with Intel MKL on Intel CPUs and with oneDNN on others (int8 here); their products
# differ in the last bits, enough to change the tiny random-weight model's greedy words. The outputs are
# recorded and compared with MKL on every CPU. CTranslate2 reads this once, when it is imported: a process
# of its own (``in_mkl_process``) sets it for the tests, leaving the other tests the machine's default.
MKL = {"CT2_USE_MKL": "1"}
TEXT_FORMATS = ("txt", "md", "srt", "html", "vtt", "ass", "po", "xliff")


def place_model(model_dir: Path, root: Path) -> None:
    target = root / "tiny-marian"
    if not target.exists():
        root.mkdir(parents=True, exist_ok=True)
        shutil.copytree(model_dir, target)


def _digests(folder: Path, inputs: Path | None = None) -> dict[str, str]:
    files = {str(Path(dirpath, name).relative_to(folder)): Path(dirpath, name).read_bytes()
             for dirpath, _dirs, names in os.walk(folder) for name in names}
    if inputs is not None and RUN_RECORD in files:
        files[RUN_RECORD] = _record_placeholders(files[RUN_RECORD], folder, inputs)
    return _normalised(files)


def _record_placeholders(data: bytes, out: Path, inputs: Path) -> bytes:
    """The run record with the input folder's paths (absolute, and relative to ``out``) replaced
    by placeholders where they are the right ones (a wrong path stays, and changes the digest)."""
    right = {"input_dir": str(inputs.resolve()),
             "input_dir_relative": Path(os.path.relpath(inputs.resolve(), out.resolve())).as_posix()}
    for key, path in right.items():
        data = data.replace(f'"{key}": {json.dumps(path)}'.encode(), f'"{key}": "{key.upper()}"'.encode())
    return data


def _normalised(files: dict[str, bytes]) -> dict[str, str]:
    revisions: set[str] = set()
    for name, data in files.items():
        if name.endswith(".json"):
            try:
                revisions.update((json.loads(data).get("revisions") or {}).values())
            except (ValueError, AttributeError):
                pass
    out = {}
    for name, data in sorted(files.items()):
        for revision in revisions:
            if revision:
                data = data.replace(revision.encode(), b"REVISION")
        out[name] = hashlib.sha256(data).hexdigest()
    return out


def batch_case(inputs: Path, work: Path, name: str, root: Path, *, executor: str = "in-process") -> dict[str, str]:
    from translate.batch import RaySettings, RunSettings, SilentProgress, run_batch
    from translate.engines import EngineSettings

    out = work / name
    extra = {"ray": RaySettings(actors=2, actor_cpus=1)} if executor == "ray" else {}
    options = RunSettings(inputs, out, {"fr": MODEL_NAME, "es": MODEL_NAME}, EngineSettings(beams=1, attention=True),
                           models_root=root, cache_path=work / f"memory-{name}.sqlite3", executor=executor,
                           group_bytes=2000, **extra)
    if executor == "ray":
        _run_on_own_ray(options, root)
    else:
        run_batch(options, SilentProgress())
    return _digests(out, inputs)


def _run_on_own_ray(options, root: Path) -> None:
    """On a Ray started here (``address="local"``): without an address, Ray joins any cluster
    already running on this machine, such as another test session's."""
    import ray

    from translate.batch import SilentProgress, run_batch

    ray.init(address="local", num_cpus=2, include_dashboard=False, log_to_driver=False,
             runtime_env={"env_vars": {"PYTHONPATH": str(REPO), "TRANSLATE_MODELS_DIR": str(root.resolve())}})
    try:
        run_batch(options, SilentProgress())
    finally:
        ray.shutdown()


def api_case(inputs: Path, work: Path, root: Path) -> dict[str, str]:
    from translate.api import Translator

    files: dict[str, bytes] = {}
    with Translator({"fr": MODEL_NAME, "es": MODEL_NAME}, beams=1, models_root=root,
                    cache=work / "memory-api.sqlite3") as translator:
        for path in sorted(inputs.iterdir()):
            fmt = path.suffix.lstrip(".").replace("xlf", "xliff")
            if fmt in TEXT_FORMATS:
                result = translator.translate_text(path.read_text(encoding="utf-8"), format=fmt)
                english = result.english.encode("utf-8") if isinstance(result.english, str) else result.english
                files[f"text/{path.name}.en"] = english
                files[f"text/{path.name}.json"] = json.dumps(result.to_json(), sort_keys=True).encode()
            else:
                out = work / "api-files"
                result = translator.translate_file(path, out)
                for kind, written in sorted(result.outputs.items()):
                    files[f"file/{written.name}"] = written.read_bytes()
    return _normalised(files)


def mixed_inputs() -> Path:
    return INPUTS / "mixed"


def fixture_inputs() -> Path:
    return REPO / "tests" / "fixtures" / "formats"


def seed_inputs() -> Path:
    return REPO / "seeds"


def record_all(model_dir: Path, work: Path, *, ray: bool) -> dict[str, dict[str, str]]:
    root = work / "models-root"
    place_model(model_dir, root)
    cases = {
        "seeds": batch_case(seed_inputs(), work, "seeds", root),
        "fixtures": batch_case(fixture_inputs(), work, "fixtures", root),
        "mixed": batch_case(mixed_inputs(), work, "mixed", root),
        "api": api_case(mixed_inputs(), work, root),
    }
    if ray:
        cases["mixed-ray"] = batch_case(mixed_inputs(), work, "mixed-ray", root, executor="ray")
    return cases


def make_mixed_inputs() -> None:
    """Write tests/golden/inputs/mixed once (committed afterwards: some samples' bytes carry the time)."""
    sys.path.insert(0, str(REPO / "tests"))
    from format_samples import samples
    from test_formats import HTML, MARKDOWN, SUBRIP

    folder = mixed_inputs()
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(sorted(seed_inputs().glob("*.txt"))[0], folder / "seed.txt")
    (folder / "notes.md").write_text(MARKDOWN, encoding="utf-8")
    (folder / "film.srt").write_text(SUBRIP, encoding="utf-8")
    (folder / "page.html").write_text(HTML, encoding="utf-8")
    for name, data in samples().items():
        renamed = {"film.vtt": "clip.vtt", "notes.odt": "memo.odt"}  # no two inputs share outputs
        (folder / renamed.get(name, name)).write_bytes(data)


def in_mkl_process(function: str, *args: Path | str, **kwargs: str) -> dict[str, str]:
    """The digests of ``function(*args, **kwargs)`` (a case above), run by this script in a new
    Python process with CTranslate2 on MKL (and the Ray it starts, for ``executor="ray"``)."""
    import subprocess

    call = {"function": function, "args": [[isinstance(a, Path), str(a)] for a in args], "kwargs": kwargs}
    result = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--call", json.dumps(call)],
                            capture_output=True, text=True, env={**os.environ, **MKL})
    if result.returncode:
        raise AssertionError(f"{function} failed in its own process:\n{result.stderr[-4000:]}")
    return json.loads(result.stdout.splitlines()[-1])


def _call(payload: str) -> None:
    call = json.loads(payload)
    args = [Path(value) if is_path else value for is_path, value in call["args"]]
    print(json.dumps(globals()[call["function"]](*args, **call["kwargs"])))


def main(argv: list[str]) -> None:
    import tempfile

    sys.path.insert(0, str(REPO / "tests"))
    sys.path.insert(0, str(REPO))
    if argv[:1] == ["--call"]:
        _call(argv[1])
        return
    os.environ.update(MKL)  # before translate imports ctranslate2
    from conftest import seed_texts
    from translate.modelbuild import build_marian_model

    if not mixed_inputs().is_dir():
        make_mixed_inputs()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        os.environ["TRANSLATE_MODELS_DIR"] = str(work / "models-root")
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        model = build_marian_model(work / "build" / "tiny-marian", seed_texts())
        cases = record_all(model, work, ray="--ray" in argv)
        if "--dump" in argv:
            target = Path(argv[argv.index("--dump") + 1])
            for name in ("seeds", "fixtures", "mixed", "mixed-ray", "api-files"):
                if (work / name).is_dir():
                    shutil.copytree(work / name, target / name, dirs_exist_ok=True)
    recorded = json.loads(EXPECTED.read_text()) if EXPECTED.exists() else {}
    recorded.update(cases)
    EXPECTED.write_text(json.dumps(recorded, indent=1, sort_keys=True) + "\n")
    print(f"recorded {sum(len(c) for c in cases.values())} outputs in {len(cases)} cases to {EXPECTED}")


if __name__ == "__main__":
    main(sys.argv[1:])
