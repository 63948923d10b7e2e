"""The stages of a batch run composed on Ray (``translate batch --executor ray``).

What runs where:

- **reading and segmenting** are Ray tasks (``read_and_segment``, retried when a worker or node
  dies), a bounded number in flight; the driver takes their results in input order and cuts them
  into the same chunks of documents as the in-process run;
- **the translation memory** stays one SQLite database owned by the driver: each chunk's texts are
  looked up in bulk before anything is dispatched, and what the actors translate is stored in bulk
  as each result comes back;
- **translation** is a Ray Data ``map_batches`` over an actor pool (``ActorPoolStrategy``): each
  actor loads the model pair (fr, es) once and translates whole work units, one unit being what the
  in-process run hands one ``translate`` call (one chunk's texts of one language, minus the memory's
  and earlier units' texts). The engine batches are therefore the same as in-process, and so are the
  outputs, byte for byte (CTranslate2's results depend slightly on a batch's other texts);
- **word alignment** is made by the actors (each result comes back in the memory's compact form,
  the alignment instead of the attention); **writing** happens on the driver, where the documents
  already are (the memory's translations are filled in there): shipping each document to a task
  would copy it twice more.

Chunks are translated a *window* at a time (``window_chunks`` chunks, one Ray Data pass each), so the
driver holds a bounded number of documents; each pass starts its actors anew (one model load per
actor per window).

Faults: read tasks are retried (``max_retries``), actors restarted and their calls retried
(``max_restarts``, ``max_task_retries``), so a killed worker, actor or node costs only time. What
still fails is reported as failed files with the reason, never dropped. Documents are done when their
JSON is written (as in-process), so a killed driver leaves complete outputs and the next run, with
either executor, skips them.
"""

from __future__ import annotations

import logging
import os
import pickle
import uuid
from collections import deque
from dataclasses import dataclass, replace
from pathlib import Path

from translate.discover import InputFile
from translate.engines.base import EngineSettings, Hypothesis
from translate.errors import TranslateError, UsageError
from translate.stages import (
    FileOutcome, SegmentedDocument, align, memory_context, read_and_segment, remember, start_outcomes, translate,
    translated_document, write_document,
)

INSTALL_HINT = ("--executor ray: Ray is not installed; install it with `pip install 'translate-mixed[ray]'` "
                "(or `pip install 'ray[data]'`)")
# Retries of a read task, restarts of an actor and retries of its calls, after a crash or a lost node.
RETRIES = 3
_MARKER_PREFIX = ".translate-ray-check-"


def require_ray() -> None:
    """Raise a one-line UsageError when Ray (with Ray Data) is not installed."""
    import importlib.util

    if any(importlib.util.find_spec(name) is None for name in ("ray", "pyarrow")):
        raise UsageError(INSTALL_HINT)


@dataclass
class _Pending:
    """A segmented document waiting for its translations."""

    segmented: SegmentedDocument
    waiting: int  # segments still without a translation
    failed: bool = False


@dataclass
class _Unit:
    """One ``translate`` call's worth of work: texts of one language, and who waits for them."""

    id: int
    lang: str
    context: str  # the memory's context of the language's model and settings
    texts: list[str]
    waiters: dict[str, list[tuple[_Pending, int]]]  # text -> (document, segment index)


class RayRun:
    """Same interface as ``translate.batch._InProcessRun``: ``go(inputs)``, then ``outcomes``,
    ``models_used()``, ``model_translations`` and ``memory_hits``."""

    def __init__(self, options, progress, memory, models, identity):
        self.options = options
        self.out_dir = Path(os.path.abspath(options.out_dir))  # workers may have another working folder
        self.progress = progress
        self.memory = memory
        self.models = models
        self.identity = identity
        self.outcomes: list[FileOutcome] = []
        self.contexts: dict[str, str] = {}
        self.model_translations = 0
        self.memory_hits = 0
        self.units: list[_Unit] = []
        # Texts handed to a unit whose result has not come back, per memory context (languages sharing a
        # model share one): a later chunk, or the next language, waits for that unit and takes the
        # memory's copy, as the in-process run would find it in the memory.
        self.dispatched: dict[str, dict[str, int]] = {}
        self.deferred: dict[int, dict[str, list[tuple[_Pending, int]]]] = {}
        self.pending: list[_Pending] = []

    def models_used(self) -> dict[str, str]:
        return {lang: self.identity.model_name(lang) for lang in self.contexts}

    # -- the run ----------------------------------------------------------------------------

    def go(self, inputs: list[InputFile]) -> None:
        import ray

        self.outcomes, clashes = start_outcomes(self.options.out_dir, inputs, self.progress)
        work = [(index, InputFile(Path(os.path.abspath(item.path)), item.source, item.format))
                for index, item in enumerate(inputs) if item.source not in clashes]
        owned = connect(self.options.ray_address, self.models.root)
        try:
            check_shared_folder(self.out_dir)
            self._run(work)
        finally:
            if owned:
                ray.shutdown()
        for index, outcome in enumerate(self.outcomes):
            if outcome.status == "pending":  # a safety net: a document is never silently dropped
                outcome.fail(f"{outcome.source}: not translated (the run ended before its translations came back)")
                self.progress.file_done(outcome)

    def _run(self, work: list[tuple[int, InputFile]]) -> None:
        import ray

        read = ray.remote(num_cpus=1, max_retries=RETRIES)(read_and_segment)
        in_flight = max(4, 2 * int(ray.cluster_resources().get("CPU", 1)))
        reads: deque = deque()
        upcoming = iter(work)

        def top_up() -> None:
            while len(reads) < in_flight:
                entry = next(upcoming, None)
                if entry is None:
                    return
                index, item = entry
                reads.append((index, item, read.remote(item, self.out_dir, self.identity, force=self.options.force)))

        chunk: list[_Pending] = []
        window: list[_Unit] = []
        spans = characters = chunks = 0
        top_up()
        while reads:
            index, item, ref = reads.popleft()
            try:
                result = ray.get(ref)
            except ray.exceptions.RayError as err:
                result = FileOutcome(item.source, format=item.format)
                result.fail(f"{item.source}: reading failed on the cluster: {_short(err)}")
            top_up()
            if isinstance(result, FileOutcome):
                self.outcomes[index] = result
                self.progress.file_done(result)
                continue
            self.outcomes[index] = result.outcome
            pending = _Pending(result, result.waiting())
            chunk.append(pending)
            spans += pending.waiting
            characters += len(result.document.text)
            if spans >= self.options.chunk_spans or characters >= self.options.chunk_characters:
                window += self._plan_chunk(chunk)
                chunk, spans, characters, chunks = [], 0, 0, chunks + 1
                if chunks >= self.options.ray_window_chunks:
                    self._translate_window(window)
                    window, chunks = [], 0
        if chunk:
            window += self._plan_chunk(chunk)
        if window:
            self._translate_window(window)

    def _plan_chunk(self, chunk: list[_Pending]) -> list[_Unit]:
        """The chunk's memory lookups, and its work units (what the memory and earlier units lack)."""
        users: dict[str, dict[str, list[tuple[_Pending, int]]]] = {}
        for pending in chunk:
            for index, lang, text in pending.segmented.to_translate():
                users.setdefault(lang, {}).setdefault(text, []).append((pending, index))
        for pending in chunk:
            if pending.waiting == 0:
                self._write(pending)
        units = []
        for lang in sorted(users):
            if lang not in self.contexts:
                self.models.revision(lang)  # resolves a model left for when it is needed (--languages auto)
                self.contexts[lang] = memory_context(self.memory, self.identity, lang)
            context = self.contexts[lang]
            waiting = users[lang]
            self.progress.spans_found(len(waiting))
            hits = self.memory.lookup(context, list(waiting))
            self.memory_hits += len(hits)
            self._fill(waiting, list(hits.items()))
            dispatched = self.dispatched.setdefault(context, {})
            fresh: dict[str, list[tuple[_Pending, int]]] = {}
            for text, waiters in waiting.items():
                unit_id = dispatched.get(text)
                if unit_id is None:
                    fresh[text] = waiters
                else:  # in the memory by the time the in-process run would have looked
                    self.deferred[unit_id].setdefault(text, []).extend(waiters)
                    self.memory_hits += 1
            if fresh:
                unit = _Unit(len(self.units), lang, context, list(fresh), fresh)
                self.units.append(unit)
                self.deferred[unit.id] = {}
                dispatched.update(dict.fromkeys(fresh, unit.id))
                units.append(unit)
        return units

    def _translate_window(self, units: list[_Unit]) -> None:
        import ray
        from ray.data import ActorPoolStrategy

        settings, actors, gpus = self._actor_plan()
        paths = {lang: str(self.models.ensure(lang).path) for lang in sorted({unit.lang for unit in units})}
        # Largest units first, so the last ones to finish are small (the pool stays busy to the end).
        ordered = sorted(units, key=lambda unit: -sum(len(text) for text in unit.texts))
        rows = [{"unit": unit.id, "lang": unit.lang, "texts": pickle.dumps(unit.texts)} for unit in ordered]
        dataset = ray.data.from_items(rows, override_num_blocks=len(rows)).map_batches(
            _Translator, batch_size=1, batch_format="numpy",
            compute=ActorPoolStrategy(size=max(1, min(actors, len(rows)))),
            fn_constructor_kwargs={"paths": paths, "settings": settings},
            num_cpus=settings.threads if not gpus else 1, num_gpus=gpus,
        )
        remaining = {unit.id: unit for unit in units}
        try:
            for row in dataset.iter_rows():
                unit = remaining.pop(int(row["unit"]))
                self._unit_done(unit, pickle.loads(row["hypotheses"]))
        except Exception as err:  # Ray Data's errors wrap the actor's; every unit not back is reported
            message = f"translation failed on the cluster: {_short(err)}"
            for unit in remaining.values():
                self._unit_failed(unit, message)

    def _actor_plan(self) -> tuple[EngineSettings, int, int]:
        """Engine settings of each actor, how many actors, and GPUs per actor."""
        import ray

        options = self.options
        resources = ray.cluster_resources()
        if options.engine.device == "cuda":
            actors = options.ray_actors or max(1, int(resources.get("GPU", 0)))
            return replace(options.engine, threads=options.ray_actor_cpus), actors, 1
        cpus = options.ray_actor_cpus
        actors = options.ray_actors or max(1, int(resources.get("CPU", 1)) // cpus)
        return replace(options.engine, threads=cpus, device="cpu"), actors, 0

    # -- results ------------------------------------------------------------------------------

    def _fill(self, waiters: dict[str, list[tuple[_Pending, int]]], pairs: list[tuple[str, Hypothesis]]) -> None:
        for text, hypothesis in pairs:
            for pending, index in waiters.pop(text, ()):
                if pending.failed:
                    continue
                align(pending.segmented.segments[index], hypothesis, text)
                pending.waiting -= 1
                if pending.waiting == 0:
                    self._write(pending)
        self.progress.spans_done(len(pairs))

    def _unit_done(self, unit: _Unit, hypotheses: list[Hypothesis]) -> None:
        # Stored before anything else (a killed driver loses only what is in flight), in the form the
        # memory keeps, which is what is used (as in-process).
        pairs = remember(self.memory, unit.context, list(zip(unit.texts, hypotheses)))
        self.model_translations += len(pairs)
        self._fill(unit.waiters, pairs)
        dispatched = self.dispatched[unit.context]
        for text in unit.texts:
            dispatched.pop(text, None)  # in the memory now: later chunks find it there
        deferred = self.deferred.pop(unit.id)
        if deferred:
            stored = self.memory.lookup(unit.context, list(deferred))
            fresh = dict(pairs)
            self._fill(deferred, [(text, stored.get(text) or fresh[text]) for text in list(deferred)])

    def _unit_failed(self, unit: _Unit, message: str) -> None:
        dispatched = self.dispatched[unit.context]
        for text in unit.texts:
            dispatched.pop(text, None)
        for waiters in (unit.waiters, self.deferred.pop(unit.id, {})):
            for entries in waiters.values():
                for pending, _index in entries:
                    if not pending.failed:
                        pending.failed = True
                        pending.segmented.outcome.fail(f"{pending.segmented.outcome.source}: {message}")
                        self.progress.file_done(pending.segmented.outcome)

    def _write(self, pending: _Pending) -> None:
        segmented = pending.segmented
        outcome = write_document(self.out_dir, translated_document(segmented, self.identity), segmented.outcome)
        self.progress.file_done(outcome)


class _Translator:
    """A Ray Data actor: loads the models it is asked for once, and translates whole work units
    (one ``translate`` call each, so its engine batches are those of the in-process run)."""

    def __init__(self, paths: dict[str, str], settings: EngineSettings):
        self.paths = paths
        self.settings = settings
        self.engines: dict[str, object] = {}

    def __call__(self, batch: dict) -> dict:
        import numpy as np

        from translate.align import with_alignment
        from translate.engines import load_engine

        results = []
        for lang, payload in zip(batch["lang"], batch["texts"]):
            path = self.paths[str(lang)]
            if path not in self.engines:  # languages sharing a model folder share the engine
                self.engines[path] = load_engine(Path(path), self.settings)
            texts = pickle.loads(payload)
            hypotheses = translate(self.engines[path], texts, batch_size=self.settings.max_batch_size)
            # The word alignment is made here, in parallel, and replaces the attention: what comes back
            # to the driver is a few hundred bytes per text (the memory's form), not the attention.
            results.append(pickle.dumps([with_alignment(text, hyp) for text, hyp in zip(texts, hypotheses)]))
        return {"unit": batch["unit"], "hypotheses": np.array(results, dtype=object)}


# -- Ray session and checks ---------------------------------------------------------------------


def connect(address: str | None, models_root: Path) -> bool:
    """Join the cluster at ``address``, or start a local Ray when None; reuse a session already
    open in this process. Returns whether this call started the session (and should end it)."""
    import ray
    import ray.data

    context = ray.data.DataContext.get_current()
    context.enable_progress_bars = False  # the run's own progress says what is done
    logging.getLogger("ray").setLevel(logging.WARNING)
    logging.getLogger("ray.data").setLevel(logging.ERROR)  # not "progress bars disabled" on every pass
    if ray.is_initialized():
        return False
    import translate

    # Workers import this same `translate` (a checkout or an install), and find the models root.
    package_parent = str(Path(translate.__file__).resolve().parent.parent)
    env_vars = {
        "PYTHONPATH": os.pathsep.join(filter(None, [package_parent, os.environ.get("PYTHONPATH")])),
        "TRANSLATE_MODELS_DIR": str(Path(models_root).resolve()),
    }
    try:
        ray.init(address=address, include_dashboard=False, log_to_driver=False, logging_level=logging.WARNING,
                 runtime_env={"env_vars": env_vars})
    except (ConnectionError, RuntimeError, ValueError) as err:
        where = f"the Ray cluster at {address}" if address else "a local Ray"
        raise TranslateError(f"--executor ray: cannot start or join {where}: {_short(err)}") from None
    return True


def _read_marker(path: str) -> str | None:
    try:
        return Path(path).read_text(encoding="ascii")
    except OSError:
        return None


def check_shared_folder(out_dir: Path) -> None:
    """Fail unless every live node of the cluster sees ``out_dir`` as the driver does: the driver
    writes a marker file with a random token and a task pinned to each node reads it back."""
    import ray
    from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy

    token = uuid.uuid4().hex
    marker = out_dir / f"{_MARKER_PREFIX}{token}"
    marker.write_text(token, encoding="ascii")
    try:
        nodes = [node for node in ray.nodes() if node.get("Alive")]
        reader = ray.remote(num_cpus=0, max_retries=RETRIES)(_read_marker)
        refs = [reader.options(scheduling_strategy=NodeAffinitySchedulingStrategy(node["NodeID"], soft=False))
                .remote(str(marker)) for node in nodes]
        seen = ray.get(refs, timeout=300)
    finally:
        marker.unlink(missing_ok=True)
    blind = [node.get("NodeManagerAddress", node["NodeID"]) for node, text in zip(nodes, seen) if text != token]
    if blind:
        raise TranslateError(
            f"--out {out_dir}: Ray node(s) {', '.join(blind)} do not see this folder as the driver does; "
            "with --executor ray, inputs and outputs must be on a file system every node shares, at the same path"
        )


def _short(err: BaseException) -> str:
    """The first line of an error, with its type (Ray's errors carry long tracebacks)."""
    text = str(err).strip().splitlines()
    return f"{type(err).__name__}: {text[0] if text else ''}".rstrip(": ")
