"""Executors: what composes the stages of ``translate.stages`` into a run.

- in-process (``translate.batch._InProcessRun``): a reader thread and the main thread;
- Ray (``translate.executors.ray_executor``): read-and-segment tasks and a pool of long-lived actors
  for translation, on a local Ray or a running cluster.

Both are driven by ``translate.batch.run_batch``, which keeps what is shared: the output lock,
validation, discovery, model resolution, the translation memory, run files and the report.
"""

EXECUTORS = ("in-process", "ray")
