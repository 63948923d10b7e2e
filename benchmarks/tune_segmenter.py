"""Coordinate search of the segmenter's weights on the even lines of langid-dev.

    python benchmarks/tune_segmenter.py [--docs 400] [--seed 11]

Starts from the current ``SegmenterSettings``, tries each weight x0.75 and x1.33 in turn,
keeps what raises letter accuracy on documents built from the even lines, and prints
the result with its accuracy on documents from the odd lines (held out). Copy the
printed values into ``translate/segment.py`` by hand; nothing is written.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.mixed_documents import letter_accuracy, load_pool, make_documents  # noqa: E402
from translate.segment import DEFAULT_SETTINGS, SegmenterSettings, segment_document  # noqa: E402

FACTORS = (0.75, 1.33)
FIELDS = ("evidence_scale", "word_cap", "name_weight", "initial_weight", "langid_weight")


def accuracy(settings: SegmenterSettings, documents) -> float:
    return letter_accuracy(
        documents, lambda text: [(s.start, s.end, s.lang) for s in segment_document(text, settings=settings)]
    )


def neighbours(settings: SegmenterSettings):
    for name in FIELDS:
        for factor in FACTORS:
            yield dataclasses.replace(settings, **{name: round(getattr(settings, name) * factor, 4)})
    for index in range(len(settings.switch_costs)):
        for factor in FACTORS:
            costs = list(settings.switch_costs)
            costs[index] = round(costs[index] * factor, 3)
            yield dataclasses.replace(settings, switch_costs=tuple(costs))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=400)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    tuning = make_documents(load_pool(half=0), args.docs, args.seed)
    held_out = make_documents(load_pool(half=1), args.docs, args.seed + 1)
    best, best_score = DEFAULT_SETTINGS, accuracy(DEFAULT_SETTINGS, tuning)
    print(f"start {best_score:.5f} {best}", flush=True)
    for _ in range(args.rounds):
        improved = False
        for candidate in list(neighbours(best)):
            score = accuracy(candidate, tuning)
            if score > best_score + 2e-5:
                best, best_score, improved = candidate, score, True
                print(f"{best_score:.5f} {best}", flush=True)
        if not improved:
            break
    print(f"tuning lines {best_score:.5f}, held-out lines {accuracy(best, held_out):.5f}\n{best}")


if __name__ == "__main__":
    main()
