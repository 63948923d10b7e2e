"""Checks that make a Ray run fail at once, in one line, where Ray itself would wait: for a cluster
address nobody answers at (Ray retries for about 14 minutes, then names another address), and for
actors larger than any node (Ray keeps them pending for ever, silently)."""

from __future__ import annotations

import logging
import socket

from translate.errors import TranslateError, UsageError

# Seconds to wait for a cluster's port to answer: a live head answers at once, even across a data centre.
_PROBE_SECONDS = 5.0
# Ray's notice, on every local start, that it enabled its default (token authentication).
_AUTH_LOGGER = "ray._private.authentication.authentication_token_setup"
_DEFAULT_AUTH_NOTICE = "Token authentication is enabled for this Ray cluster"


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


def quiet_default_auth_notice() -> None:
    """Keep Ray's notice that it chose its default (token authentication) off the terminal: it is
    printed on every local start and asks nothing of the user. Ray's other authentication messages
    (a cluster without authentication, a missing token) still show."""
    logger = logging.getLogger(_AUTH_LOGGER)
    if not any(isinstance(known, _DropDefaultAuthNotice) for known in logger.filters):
        logger.addFilter(_DropDefaultAuthNotice())


class _DropDefaultAuthNotice(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith(_DEFAULT_AUTH_NOTICE)


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
