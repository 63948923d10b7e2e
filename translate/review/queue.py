"""The review queue: every translated span of a batch's output folder, in review order.

First the spot-check sample (``translate spot-check``'s own code, same size, seed and strata, so
the verdicts measure what the spot-check reports), then the spans with a serious flag, then
those with a hint, then the rest; within each part, in document order. Flags come from the
spot-check signals without the round trip (no model is run to open a review); those of each
JSON file are kept in the review database, so the next start reads them instead of computing them.
"""

from __future__ import annotations

import gc
from dataclasses import dataclass
from pathlib import Path

# The parts of the queue, in order.
SAMPLE, SERIOUS, HINT, REST = "sample", "serious", "hint", "rest"


@dataclass
class ReviewQueue:
    items: list[dict]  # one per span, in review order (what the page gets; it finds neighbours by position)
    warnings: list[str]


def build_queue(out_dir: Path, *, sample: int = 20, seed: int = 0, store=None) -> ReviewQueue:
    """The queue of ``out_dir``; UsageError when it holds no batch output. ``store``: the review
    database (a ``ReviewStore``), which keeps the flags of each JSON file for the next start.

    The queue, its spans and their flags live as long as the review server: Python's cycle
    collector is paused while they are made (it would walk them again and again and find next to
    nothing) and they are then frozen (``gc.freeze``: left out of its later walks too)."""
    from translate.spotcheck.run import cyclic_collection_paused

    with cyclic_collection_paused():
        queue = _build_queue(out_dir, sample, seed, store)
        gc.freeze()
    return queue


def _build_queue(out_dir: Path, sample: int, seed: int, store) -> ReviewQueue:
    from translate.spotcheck.run import run_spot_check
    from translate.spotcheck.signals import SERIOUS as SERIOUS_FLAGS

    checked = run_spot_check(out_dir, sample=sample, seed=seed, round_trip=False, flag_cache=store)
    drawn = {(span.document, span.seg) for span in checked.sample}
    items = []
    for document in checked.documents:
        for position, span in enumerate(document.spans):
            names = span.flag_names
            if (span.document, span.seg) in drawn:
                part = SAMPLE
            elif any(name in SERIOUS_FLAGS for name in names):
                part = SERIOUS
            else:
                part = HINT if names else REST
            items.append({
                "id": f"{span.seg}:{span.document}",
                "document": span.document, "seg": span.seg, "position": position, "lang": span.lang,
                "text": span.text, "translation": span.translation, "part": part,
                "flags": [{"name": flag.name, "explanation": flag.explanation,
                           "serious": flag.name in SERIOUS_FLAGS} for flag in span.flags],
            })
    order = {SAMPLE: 0, SERIOUS: 1, HINT: 2, REST: 3}
    items.sort(key=lambda item: order[item["part"]])  # stable: document order within a part
    return ReviewQueue(items, list(checked.warnings))

