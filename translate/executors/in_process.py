"""The stages composed in one process (``--executor in-process``, the default): a reader thread
reads and segments the files, a group at a time, into a small queue (memory stays bounded however
large the folder is); the main thread translates each group (``translate.plan.GroupPlan``) and
writes each document as soon as its last span is translated."""

from __future__ import annotations

import queue
import threading

from translate.discover import InputFile
from translate.executors.base import document_writer
from translate.plan import GroupPlan
from translate.stages import FileOutcome, group_inputs, read_and_segment, start_outcomes
from translate.stagetimes import NO_STAGE_TIMES


class InProcessExecutor:
    def __init__(self, settings, progress, session):
        self.settings = settings
        self.progress = progress
        self.session = session
        self.times = settings.stage_times or NO_STAGE_TIMES
        self.outcomes: list[FileOutcome] = []
        self.plan = GroupPlan(session, document_writer(settings.out_dir, session.identity, progress, self.times),
                              progress, batch_size=settings.engine.max_batch_size, times=settings.stage_times)

    def go(self, inputs: list[InputFile]) -> None:
        self.outcomes, clashes = start_outcomes(self.settings.out_dir, inputs, self.progress)
        work = [(index, item) for index, item in enumerate(inputs) if item.source not in clashes]

        handoff: queue.Queue = queue.Queue(maxsize=1)
        stop = threading.Event()
        reader = threading.Thread(target=self._read_all, args=(work, handoff, stop), name="translate-reader", daemon=True)
        reader.start()
        try:
            while True:
                kind, payload = handoff.get()
                if kind == "end":
                    break
                if kind == "error":
                    raise payload
                if kind == "outcome":
                    self.progress.file_done(payload)
                else:
                    self.plan.run(payload)
        finally:
            stop.set()
            reader.join(timeout=5)

    def _read_all(self, work: list[tuple[int, InputFile]], handoff: queue.Queue, stop: threading.Event) -> None:
        def put(item) -> bool:
            while not stop.is_set():
                try:
                    handoff.put(item, timeout=0.2)
                    return True
                except queue.Full:
                    continue
            return False

        try:
            for group in group_inputs(work, self.settings.group_bytes):
                documents = []
                for index, item in group:
                    result = read_and_segment(item, self.settings.out_dir, self.session.identity,
                                              force=self.settings.force, options=self.settings.read_options,
                                              times=self.times)
                    if isinstance(result, FileOutcome):
                        self.outcomes[index] = result
                        if not put(("outcome", result)):
                            return
                        continue
                    self.outcomes[index] = result.outcome
                    documents.append(result)
                if documents and not put(("group", documents)):
                    return
            put(("end", None))
        except BaseException as err:  # handed to the main thread, which raises it
            put(("error", err))
