"""A run interrupted anywhere and resumed writes what an uninterrupted run writes, byte for byte,
with engine batches of several texts: CTranslate2's result for a text depends slightly on the other texts
of its batch, so batches are planned per group of documents fixed by the input folder
(``stages.group_inputs``): what a stopped run stored of a group is its first batches, and the resumed run
plans the rest as the uninterrupted run did. (Fails with the former chunks of a number of spans.)"""

from __future__ import annotations

import hashlib
import random
from pathlib import Path

import pytest

from conftest import seed_texts
from test_stages import files_under


# Engine batches of a few texts: a group's texts of one language take several, and a stop can fall
# between two of them (a batch of 1 would not show the effect; larger ones are made the same way).
BATCH = 4


class _BatchMarkingEngine:
    """The real engine, whose scores also carry a mark of the batch each text was translated in: the
    real dependence is rare (a score digit now and then), this one shows any change of batches."""

    def __init__(self, engine):
        self.engine = engine

    def __getattr__(self, name):
        return getattr(self.engine, name)

    def translate_batch(self, texts):
        mark = int(hashlib.sha256("\n".join(texts).encode("utf-8")).hexdigest()[:6], 16) * 1e-9
        hypotheses = self.engine.translate_batch(texts)
        for hypothesis in hypotheses:
            hypothesis.score += mark
        return hypotheses


@pytest.fixture(autouse=True)
def batch_marks(monkeypatch):
    from translate.model_registry import ModelRegistry

    real = ModelRegistry.engine
    monkeypatch.setattr(ModelRegistry, "engine", lambda self, lang: _BatchMarkingEngine(real(self, lang)))


class _Interrupted(Exception):
    pass


class _StopAfter:
    """Progress that stops the run (as a kill would, between two writes) after ``count`` documents are
    written: the memory keeps what the model translated, finished documents are complete."""

    def __init__(self, count: int):
        self.count = count
        self.written = 0

    def start(self, files): pass
    def spans_found(self, count): pass
    def spans_done(self, count): pass
    def warning(self, message): pass

    def file_done(self, outcome):
        if outcome.status == "translated":
            self.written += 1
            if self.written == self.count:
                raise _Interrupted


def write_documents(folder: Path, count: int) -> None:
    """Documents of 1 to 7 seed lines, some lines shared between documents (served by the memory): a short
    document is finished after its group's first batches, so a stop can leave a group half in the memory."""
    lines = [line for line in seed_texts() if len(line.strip()) > 20]
    rng = random.Random(3)
    folder.mkdir()
    for number in range(count):
        chosen = rng.sample(lines, 1 + 3 * (number % 3))
        (folder / f"doc{number:02d}.txt").write_text("\n\n".join(chosen) + "\n", encoding="utf-8")


def options(tmp_path: Path, model: Path, name: str, cache: str):
    from translate.batch import RunSettings
    from translate.engines import EngineSettings

    return RunSettings(tmp_path / "in", tmp_path / name, {"fr": str(model), "es": str(model)},
                        EngineSettings(beams=1, attention=True, max_batch_size=BATCH), models_root=tmp_path / "root",
                        cache_path=tmp_path / f"{cache}.sqlite3", group_bytes=3000)


@pytest.mark.parametrize("stop_after", [1, 2, 4, 7])
def test_a_run_stopped_mid_way_then_resumed_writes_what_an_uninterrupted_run_writes(tmp_path, tiny_model, stop_after):
    from translate.batch import SilentProgress, run_batch

    write_documents(tmp_path / "in", 10)
    clean = run_batch(options(tmp_path, tiny_model, "clean", "clean"), SilentProgress())
    assert len(clean.translated) == 10

    with pytest.raises(_Interrupted):
        run_batch(options(tmp_path, tiny_model, "resumed", "resumed"), _StopAfter(stop_after))
    assert len(list((tmp_path / "resumed").glob("*.json"))) == stop_after
    resumed = run_batch(options(tmp_path, tiny_model, "resumed", "resumed"), SilentProgress())
    assert len(resumed.up_to_date) == stop_after and len(resumed.translated) == 10 - stop_after
    assert files_under(tmp_path / "resumed") == files_under(tmp_path / "clean")


def test_the_same_input_and_settings_give_the_same_outputs(tmp_path, tiny_model):
    from translate.batch import SilentProgress, run_batch

    write_documents(tmp_path / "in", 6)
    run_batch(options(tmp_path, tiny_model, "one", "one"), SilentProgress())
    run_batch(options(tmp_path, tiny_model, "two", "two"), SilentProgress())
    assert files_under(tmp_path / "one") == files_under(tmp_path / "two")
