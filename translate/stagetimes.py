"""Seconds spent per pipeline stage of a run, for benchmarks (``benchmarks/bench_batch.py``).

A run is given a ``StageTimes`` (``RunSettings.stage_times``) or none; without one every
``stage(...)`` is the shared no-op context of ``NO_STAGE_TIMES``, so an ordinary run pays
one attribute lookup per timed call and nothing else. Stages may run in different threads
(reading and segmenting run beside the model), so totals are kept under a lock and need not
add up to the wall time.
"""

from __future__ import annotations

import threading
import time
from collections import Counter, defaultdict
from contextlib import AbstractContextManager, nullcontext


class StageTimes:
    def __init__(self) -> None:
        self.seconds: defaultdict[str, float] = defaultdict(float)
        self.counts: Counter = Counter()  # things counted along the way, e.g. target tokens
        self._lock = threading.Lock()

    def stage(self, name: str) -> AbstractContextManager:
        return _Timer(self, name)

    def add(self, name: str, seconds: float) -> None:
        with self._lock:
            self.seconds[name] += seconds

    def count(self, name: str, amount: int = 1) -> None:
        with self._lock:
            self.counts[name] += amount

    def snapshot(self) -> dict[str, float]:
        with self._lock:
            return dict(self.seconds)


class _Timer:
    __slots__ = ("times", "name", "started")

    def __init__(self, times: StageTimes, name: str):
        self.times, self.name = times, name

    def __enter__(self):
        self.started = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.times.add(self.name, time.perf_counter() - self.started)
        return False


class _NoStageTimes:
    """Times nothing: what a run without ``stage_times`` uses."""

    _context = nullcontext()

    def stage(self, name: str) -> AbstractContextManager:
        return self._context

    def add(self, name: str, seconds: float) -> None:
        pass

    def count(self, name: str, amount: int = 1) -> None:
        pass


NO_STAGE_TIMES = _NoStageTimes()


class TimedEngine:
    """An engine whose ``translate_batch`` calls count as the ``model`` stage (and their target tokens)."""

    def __init__(self, engine, times: StageTimes):
        self._engine, self._times = engine, times

    def translate_batch(self, texts):
        with self._times.stage("model"):
            hypotheses = self._engine.translate_batch(texts)
        self._times.count("target_tokens", sum(h.target_tokens for h in hypotheses))
        return hypotheses

    def translate_batches(self, batches):
        # Batches may be decoded several at a time: the model stage is the time spent waiting for each result.
        results = iter(self._engine.translate_batches(batches))
        while True:
            with self._times.stage("model"):
                hypotheses = next(results, None)
            if hypotheses is None:
                return
            self._times.count("target_tokens", sum(h.target_tokens for h in hypotheses))
            yield hypotheses

    def __getattr__(self, name):  # everything else is the engine's own
        return getattr(self._engine, name)
