"""How many CPU threads an engine uses, and how CTranslate2 divides them.

CTranslate2 runs ``inter_threads`` translation replicas (one batch each at a time, the model's
weights shared) with ``intra_threads`` threads each. Several single-threaded replicas working on
different batches use the cores better than one replica splitting each batch across threads
(intra-op scaling flattens); but every replica holds its own working buffers, so their number is
capped and larger machines give each replica more threads. See docs/threads.md.
"""

from __future__ import annotations

import ctypes
import os

from translate.errors import UsageError

# Replicas at most: each holds buffers for the batch it decodes, about 100 MB a loaded opus-mt model at 32
# spans and beam 4 (fr+es, peak RSS: 2 x 1 0.93-0.99 GB, 4 x 1 1.37 GB, 8 x 1 2.2-2.3 GB). On 16 cores,
# beam 4, 8 x 2 decoded 1.4x faster than 4 x 4 and as fast as 16 x 1 (docs/threads.md).
MAX_REPLICAS = 8


def available_cpus() -> int:
    """CPUs this process may run on (respects taskset/cgroup affinity, unlike os.cpu_count)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def thread_split(threads: int) -> tuple[int, int]:
    """``(inter_threads, intra_threads)`` for ``threads`` CPU threads: one single-threaded replica per
    thread up to ``MAX_REPLICAS``; beyond, as few threads per replica as keep the replicas within the cap
    (never more threads in all than given: 8 -> 8 x 1, 12 -> 6 x 2, 16 -> 8 x 2)."""
    if threads < 1:
        raise ValueError(f"threads must be at least 1, not {threads}")
    intra = -(-threads // MAX_REPLICAS)  # ceiling division
    return threads // intra, intra


def check_threads(threads: int | None) -> None:
    """Reject a thread count this process cannot use, before any work is done."""
    if threads is None:
        return
    cpus = available_cpus()
    if isinstance(threads, bool) or not isinstance(threads, int) or not 1 <= threads <= cpus:
        raise UsageError(f"--threads {threads}: choose a whole number from 1 to {cpus} "
                         f"(the CPUs this process may use)")


_M_ARENA_MAX = -8  # glibc's mallopt parameter (malloc.h)


def share_one_malloc_arena() -> None:
    """Make every thread allocate from one glibc malloc arena.

    glibc gives each thread that allocates its own arena and keeps freed memory there for reuse, so
    each CTranslate2 replica thread (of each loaded model) would keep the buffers of the largest batch
    it decoded: two replicas, fr+es loaded, peaked at 1372 MB, against 864 MB with one arena (docs/threads.md).
    One arena lets the replicas reuse each other's freed buffers. Process-wide, and a no-op where the C
    library has no ``mallopt`` (not glibc) or once glibc has fixed its arena limit (after 8 arenas).
    """
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return
    mallopt(_M_ARENA_MAX, 1)
