"""Checks that make a Ray run fail at once, in one line, where Ray itself would wait: for a cluster
address nobody answers at (Ray retries for about 14 minutes, then names another address), and for
actors larger than any node (Ray keeps them pending for ever, silently)."""

from __future__ import annotations

import os
import socket

from translate.errors import TranslateError, UsageError

# Seconds to wait for a cluster's port to answer: a live head answers at once, even across a data centre.
_PROBE_SECONDS = 5.0
# Ray's token authentication: the mode it picks for a local cluster when none is set ("token"), set
# explicitly so that Ray does not print its notice about that default on every run.
_AUTH_MODE = "RAY_AUTH_MODE"


def check_reachable(address: str | None) -> None:
    """Raise a one-line TranslateError unless something answers at ``address``'s host and port.

    ``None`` (start a local Ray) and ``auto`` (the cluster this machine runs, found by Ray from its
    own files) are not probed."""
    if address is None or address == "auto":
        return
    where = address.split("://", 1)[1] if "://" in address else address
    host, sep, port = where.rpartition(":")
    host = host.strip("[]")  # [::1]:6379
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise UsageError(f"--ray-address {address}: expected HOST:PORT, ray://HOST:PORT or auto")
    try:
        with socket.create_connection((host, int(port)), timeout=_PROBE_SECONDS):
            return
    except OSError as err:
        reason = err.strerror or str(err) or type(err).__name__
        raise TranslateError(f"--executor ray: cannot reach the Ray cluster at {address}: {reason}") from None


def quiet_local_start() -> None:
    """Before starting a local Ray: its default authentication, chosen explicitly (Ray's notice about
    the default is printed otherwise). A mode the user set is kept; a joined cluster's is its own."""
    os.environ.setdefault(_AUTH_MODE, "token")


def check_actors_fit(nodes: list[dict], cpus: int, gpus: int) -> None:
    """Raise a one-line UsageError when no live node of the cluster has the CPUs (and GPUs) one actor
    asks for: Ray would keep the actors pending, and the run would wait for ever.

    ``nodes`` as ``ray.nodes()`` gives them."""
    alive = [node.get("Resources", {}) for node in nodes if node.get("Alive")]
    if gpus:
        total = int(sum(resources.get("GPU", 0) for resources in alive))
        if not any(resources.get("GPU", 0) >= gpus for resources in alive):
            raise UsageError(f"--device cuda: each Ray actor needs {gpus} GPU, the cluster has {total}; "
                             "use --device cpu")
    total = sum(resources.get("CPU", 0) for resources in alive)
    largest = max((resources.get("CPU", 0) for resources in alive), default=0)
    if largest < cpus:
        has = (f"the cluster has {_count(largest)}" if len(alive) == 1 else
               f"the cluster's largest node has {_count(largest)} ({_count(total)} in all)")
        advice = f"; ask for at most {_count(largest)}" if largest >= 1 else ""
        raise UsageError(f"--ray-actor-cpus {cpus}: each actor needs {cpus} CPUs, {has}{advice}")


def _count(cpus: float) -> str:
    return str(int(cpus)) if float(cpus).is_integer() else f"{cpus:g}"
