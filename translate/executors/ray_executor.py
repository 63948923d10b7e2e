"""The stages of a batch run composed on Ray (``translate batch --executor ray``).

What runs where:

- **reading and segmenting** are Ray tasks, one per group of documents (the same groups as the
  in-process run, ``stages.group_inputs``; retried when a worker or node dies), a bounded number in
  flight, asking for no CPU (the actors hold the CPUs; the driver bounds how many run at once); the
  driver takes their results in input order;
- **the translation memory** stays one SQLite database owned by the driver: each group's texts are
  looked up in bulk before anything is dispatched, and what the actors translate is stored in bulk
  as each result comes back;
- **translation** runs on a pool of long-lived actors (``_Translator``), started once per run, which
  load the model pair (fr, es) while the first documents are read, and are fed work units as groups
  are read: translation overlaps reading, and the pool never starts again. A unit is what the
  in-process run hands one ``translate`` call (one group's texts of one language, less the memory's
  and earlier units'), so its engine batches, and the outputs, are the same byte for byte
  (CTranslate2's results depend slightly on a batch's other texts). The driver sends only the texts
  and gets back only their translations, scores and alignments;
- **word alignment** is made by the actors (each result comes back in the memory's compact form,
  the alignment instead of the attention); **writing** happens on the driver, where the documents
  already are (the memory's translations are filled in there): shipping each document to a task
  would copy it twice more.

Faults: read tasks are retried (``max_retries``); actors are restarted by Ray, and a unit whose actor
died (a crash, a lost node) is given again, at most ``RETRIES`` times, after which its documents are
reported as failed files (a text that crashes its worker every time cannot stall the run). An error
raised by the work itself fails the unit's documents at once. Nothing is dropped. Documents are done
when their JSON is written (as in-process), so a killed driver leaves complete outputs and the next
run, with either executor, skips them and rebuilds the same batches for the rest.
"""

from __future__ import annotations

import logging
import os
import uuid
from collections import deque
from dataclasses import dataclass, field, replace
from pathlib import Path

from translate.discover import InputFile
from translate.engines.base import EngineSettings, Hypothesis
from translate.errors import TranslateError
from translate.executors.base import document_writer
from translate.executors.ray_checks import check_actors_fit, check_reachable, quiet_default_auth_notice
from translate.plan import GroupPlan, Waiters
from translate.stages import FileOutcome, SegmentedDocument, group_inputs, read_and_segment, start_outcomes, translate

# Retries of a read task, and of a work unit whose actor died (crash or lost node).
RETRIES = 3
# Work units given to one actor at a time: the next one is already there when it finishes one.
UNITS_PER_ACTOR = 2
_MARKER_PREFIX = ".translate-ray-check-"


@dataclass
class _Unit:
    """One ``translate`` call's worth of work: a group's texts of one language that the memory and
    earlier units lack, and who waits for them."""

    id: int
    lang: str
    model: str  # the model folder (languages sharing one share the actor's engine)
    context: str  # the memory's context of the language's model and settings
    texts: list[str]
    waiters: Waiters  # text -> (document, segment index)
    attempts: int = 0  # how many times its actor died while translating it
    error: str = ""


@dataclass
class _Actor:
    handle: object
    in_flight: list = field(default_factory=list)  # ObjectRefs of its calls, in the order given


class RayExecutor:
    """A ``translate.executors.base.Executor`` on Ray."""

    def __init__(self, settings, progress, session):
        self.settings = settings
        self.out_dir = Path(os.path.abspath(settings.out_dir))  # workers may have another working folder
        self.progress = progress
        self.session = session
        self.outcomes: list[FileOutcome] = []
        self.plan = GroupPlan(session, document_writer(self.out_dir, session.identity, progress), progress)
        self.units = 0
        # Texts handed to a unit whose result has not come back, per memory context (languages sharing a
        # model share one): a later group, or the next language, leaves them out and waits for that
        # unit, as the in-process run would find them in the memory.
        self.dispatched: dict[str, dict[str, int]] = {}
        self.deferred: dict[int, Waiters] = {}
        self.queue: deque[_Unit] = deque()  # units not yet given to an actor
        self.calls: dict = {}  # ObjectRef -> (unit, actor)
        self.stale: list = []  # calls of an actor that died, already given again

    # -- the run ----------------------------------------------------------------------------

    def go(self, inputs: list[InputFile]) -> None:
        import ray

        self.outcomes, clashes = start_outcomes(self.settings.out_dir, inputs, self.progress)
        work = [(index, InputFile(Path(os.path.abspath(item.path)), item.source, item.format))
                for index, item in enumerate(inputs) if item.source not in clashes]
        owned = connect(self.settings.ray.address, self.session.models.root)
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

        # One read task per group: reading and segmenting a document takes milliseconds, less than a task.
        read = ray.remote(num_cpus=0, max_retries=RETRIES, scheduling_strategy="SPREAD")(read_group)
        actors = self._start_actors()
        in_flight = max(2, len(actors))
        most_queued = UNITS_PER_ACTOR * len(actors)  # bounds the documents the driver holds
        upcoming = iter(group_inputs(work, self.settings.group_bytes))
        reads: deque = deque()

        while True:
            while len(reads) < in_flight:
                group = next(upcoming, None)
                if group is None:
                    break
                reads.append((group, read.remote([item for _index, item in group], self.out_dir,
                                                 self.session.identity, self.settings.force,
                                                 self.settings.read_options)))
            # Groups are taken in input order, while the queue is short.
            while reads and len(self.queue) < most_queued and ray.wait([reads[0][1]], timeout=0)[0]:
                group, ref = reads.popleft()
                self.plan.run(self._read_results(group, ref), self._translate_later)
            self._dispatch(actors)
            if not reads and not self.queue and not self.calls:
                break
            waiting_on = list(self.calls) + self.stale
            if reads and len(self.queue) < most_queued:
                waiting_on.append(reads[0][1])
            ready, _ = ray.wait(waiting_on, num_returns=1)
            for ref in ready:
                if ref in self.calls or ref in self.stale:  # else the next group's read, taken above
                    self._call_done(ref, actors)

    def _read_results(self, group: list[tuple[int, InputFile]], ref) -> list[SegmentedDocument]:
        """The group's documents to translate; the other outcomes recorded."""
        import ray

        try:
            results = ray.get(ref)
        except ray.exceptions.RayError as err:
            results = []
            for _index, item in group:
                outcome = FileOutcome(item.source, format=item.format)
                outcome.fail(f"{item.source}: reading failed on the cluster: {_short(err)}")
                results.append(outcome)
        documents = []
        for (index, _item), result in zip(group, results):
            if isinstance(result, FileOutcome):
                self.outcomes[index] = result
                self.progress.file_done(result)
            else:
                self.outcomes[index] = result.outcome
                documents.append(result)
        return documents

    def _translate_later(self, lang: str, waiters: Waiters) -> None:
        """What the memory lacked of a group's texts in ``lang``: a work unit for the actors, less the
        texts an earlier unit still in flight translates (the in-process run would find them in the
        memory by now: they are filled when that unit comes back)."""
        context = self.session.context(lang)
        dispatched = self.dispatched.setdefault(context, {})
        for text in list(waiters):
            unit_id = dispatched.get(text)
            if unit_id is not None:
                self.deferred[unit_id].setdefault(text, []).extend(waiters.pop(text))
                self.plan.memory_hits += 1
        if not waiters:
            return
        unit = _Unit(self.units, lang, str(self.session.models.ensure(lang).path), context, list(waiters), waiters)
        self.units += 1
        self.deferred[unit.id] = {}
        dispatched.update(dict.fromkeys(unit.texts, unit.id))
        self.queue.append(unit)

    # -- the actors --------------------------------------------------------------------------

    def _start_actors(self) -> list[_Actor]:
        import ray

        settings, count, gpus = self._actor_plan()
        check_actors_fit(ray.nodes(), 1 if gpus else settings.threads, gpus)
        paths = sorted({str(model.path) for model in self.session.models.resolved.values()})  # those resolved already
        # Ray restarts a dead actor (without limit: each unit's own retries are bounded instead).
        translator = ray.remote(_Translator).options(
            num_cpus=settings.threads if not gpus else 1, num_gpus=gpus, max_restarts=-1, max_task_retries=0)
        actors = [_Actor(translator.remote(settings)) for _ in range(count)]
        for actor in actors:
            actor.handle.prepare.remote(paths)  # loads the models while the first documents are read
        return actors

    def _dispatch(self, actors: list[_Actor]) -> None:
        while self.queue:
            actor = min(actors, key=lambda actor: len(actor.in_flight))
            if len(actor.in_flight) >= UNITS_PER_ACTOR:
                return
            unit = self.queue.popleft()
            ref = actor.handle.translate.remote(unit.model, unit.texts)
            actor.in_flight.append(ref)
            self.calls[ref] = (unit, actor)

    def _call_done(self, ref, actors: list[_Actor]) -> None:
        import ray

        if ref in self.stale:  # its actor died and its unit was given again: only its error is read
            self.stale.remove(ref)
            try:
                ray.get(ref)
            except ray.exceptions.RayError:
                pass
            return
        unit, actor = self.calls.pop(ref)
        try:
            hypotheses = ray.get(ref)
        except ray.exceptions.RayTaskError as err:  # an error in the work itself: trying again would not help
            actor.in_flight.remove(ref)
            self._unit_failed(unit, f"translation failed on the cluster: {_short(err)}")
            return
        except ray.exceptions.RayError as err:  # the actor died (a crash, a lost node): its calls are lost
            self._actor_died(ref, unit, actor, err)
            return
        actor.in_flight.remove(ref)
        self._unit_done(unit, hypotheses)

    def _actor_died(self, ref, lost: _Unit, actor: _Actor, err: BaseException) -> None:
        """Give the dead actor's units again, the one it was translating (its first) counting one more
        attempt, not those queued behind it; past ``RETRIES`` attempts that one's documents fail."""
        again = []
        for position, call in enumerate(actor.in_flight):
            unit = self.calls.pop(call)[0] if call != ref else lost
            if call != ref:
                self.stale.append(call)
            if position == 0:
                unit.attempts += 1
                unit.error = _short(err)
                if unit.attempts > RETRIES:
                    self._unit_failed(unit, f"translation failed on the cluster: its worker died {unit.attempts} "
                                            f"times translating it (last: {unit.error})")
                    continue
            again.append(unit)
        actor.in_flight.clear()
        self.queue.extendleft(reversed(again))

    def _actor_plan(self) -> tuple[EngineSettings, int, int]:
        """Engine settings of each actor, how many actors, and GPUs per actor."""
        import ray

        engine, ray_settings = self.settings.engine, self.settings.ray
        resources = ray.cluster_resources()
        if engine.device == "cuda":
            actors = ray_settings.actors or max(1, int(resources.get("GPU", 0)))
            return replace(engine, threads=ray_settings.actor_cpus), actors, 1
        cpus = ray_settings.actor_cpus
        actors = ray_settings.actors or max(1, int(resources.get("CPU", 1)) // cpus)
        return replace(engine, threads=cpus, device="cpu"), actors, 0

    # -- results ------------------------------------------------------------------------------

    def _unit_done(self, unit: _Unit, hypotheses: list[Hypothesis]) -> None:
        # Stored before anything else (a killed driver loses only what is in flight), in the form the
        # memory keeps, which is what is used (as in-process).
        pairs = self.plan.translated(unit.lang, unit.waiters, list(zip(unit.texts, hypotheses)))
        dispatched = self.dispatched[unit.context]
        for text in unit.texts:
            dispatched.pop(text, None)  # in the memory now: later groups find it there
        deferred = self.deferred.pop(unit.id)
        if deferred:
            stored = self.session.lookup(unit.lang, list(deferred))
            fresh = dict(pairs)
            self.plan.fill(deferred, [(text, stored.get(text) or fresh[text]) for text in list(deferred)])

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


def read_group(items: list[InputFile], out_dir: Path, identity, force: bool, options=None
               ) -> list[SegmentedDocument | FileOutcome]:
    """A Ray task: read and segment a group's files (``read_and_segment`` each)."""
    results = []
    for item in items:
        try:
            results.append(read_and_segment(item, out_dir, identity, force=force, options=options))
        except Exception as err:  # one file's unexpected failure is that file's, not the group's
            outcome = FileOutcome(item.source, format=item.format)
            outcome.fail(f"{item.source}: cannot read: {type(err).__name__}: {err}")
            results.append(outcome)
    return results


class _Translator:
    """A translation actor: loads each model it is asked for once, and translates whole work units
    (one ``translate`` call each, so its engine batches are those of the in-process run)."""

    def __init__(self, settings: EngineSettings):
        self.settings = settings
        self.engines: dict[str, object] = {}

    def _engine(self, path: str):
        from translate.engines import load_engine

        if path not in self.engines:
            self.engines[path] = load_engine(Path(path), self.settings)
        return self.engines[path]

    def prepare(self, paths: list[str]) -> None:
        """Load the models ahead of the first unit; a failure shows on the units instead."""
        for path in paths:
            try:
                self._engine(path)
            except Exception:
                pass

    def translate(self, path: str, texts: list[str]) -> list[Hypothesis]:
        """The translations of ``texts`` by the model at ``path``, in order, with their word alignment
        instead of the attention: what goes back to the driver is a few hundred bytes per text."""
        from translate.wordalign import with_alignment

        hypotheses = translate(self._engine(path), texts, batch_size=self.settings.max_batch_size)
        return [with_alignment(text, hypothesis) for text, hypothesis in zip(texts, hypotheses)]


# -- Ray session and checks ---------------------------------------------------------------------


def connect(address: str | None, models_root: Path) -> bool:
    """Join the cluster at ``address``, or start a local Ray when None; reuse a session already
    open in this process. Returns whether this call started the session (and should end it)."""
    import ray

    logging.getLogger("ray").setLevel(logging.WARNING)
    if ray.is_initialized():
        return False
    check_reachable(address)
    quiet_default_auth_notice()
    # Workers import this same `translate` (a checkout or an install), and find the models root.
    package_parent = str(Path(__file__).resolve().parents[2])  # the folder holding translate/
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
