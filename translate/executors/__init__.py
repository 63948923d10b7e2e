"""Executors: what composes the stages of ``translate.stages`` into a run (``translate.executors.base.Executor``).

- in-process (``translate.executors.in_process``): a reader thread and the main thread;
- Ray (``translate.executors.ray_executor``): read-and-segment tasks and a pool of long-lived actors
  for translation, on a local Ray or a running cluster.

Both translate each group with the run's ``translate.plan.GroupPlan`` over one
``translate.session.Session``, and are driven by ``translate.batch.run_batch``, which keeps what is
shared: the output lock, discovery, the session, run files and the report.
"""

from __future__ import annotations

EXECUTORS = ("in-process", "ray")
INSTALL_HINT = ("--executor ray: Ray is not installed; install it with `pip install 'translate-mixed[ray]'` "
                "(or `pip install ray`)")


def require_ray() -> None:
    """Raise a one-line UsageError when Ray is not installed."""
    import importlib.util

    from translate.errors import UsageError

    if importlib.util.find_spec("ray") is None:
        raise UsageError(INSTALL_HINT)


def executor_class(name: str):
    """The executor named ``name`` (one of ``EXECUTORS``), imported when first needed (Ray is heavy)."""
    if name == "ray":
        from translate.executors.ray_executor import RayExecutor

        return RayExecutor
    from translate.executors.in_process import InProcessExecutor

    return InProcessExecutor
