"""Coordinate search of the segmenter's weights on the even lines of langid-dev.

    python benchmarks/tune_segmenter.py [--docs 400] [--seed 11]

Starts from the current ``SegmenterSettings``, tries each weight x0.75 and x1.33 in turn,
keeps what raises the objective on documents built from the even lines, and prints
the result with its scores on documents from the odd lines (held out). The objective:
letter accuracy on fr/es/en documents + fr/es/en letter accuracy on open-set documents
(quoting other languages) + half the share of other-language letters flagged as other. Copy the
printed values into ``translate/segment.py`` by hand; nothing is written.

This objective sees generated mixes only. The weights of the rules for real text
(``core_word_cost``, ``insertion_margin``, ``lexicon_bonus``, ``exotic_margin``, ``short_margin``,
``rare_share``, ``mixing_switches``, ``mixing_words``, ``established_run``) were chosen on the tuning half of ../shared/langid-cs-dev with
benchmarks/langid_cs.py, checked against these documents: do not tune them here alone (generated
mixes switch language only at sentences, so they would push in-sentence switches back out).
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.mixed_documents import (  # noqa: E402
    LANGUAGES,
    OTHER_LANGUAGES,
    letter_accuracy,
    letter_confusion,
    load_pool,
    make_documents,
    make_open_documents,
    open_set_scores,
)
from translate.segment import DEFAULT_SETTINGS, SegmenterSettings, segment_document  # noqa: E402

FACTORS = (0.75, 1.33)
FIELDS = ("evidence_scale", "word_cap", "name_weight", "initial_weight", "langid_weight", "other_cost", "other_cap", "rare_cost", "name_other")


def scores(settings: SegmenterSettings, documents) -> tuple[float, float, float]:
    """(fr/es/en documents: letters right, open-set documents: fr/es/en letters right, other letters flagged)."""
    closed, opened = documents

    def predict(text):
        return [(s.start, s.end, s.lang) for s in segment_document(text, settings=settings)]

    found = open_set_scores(letter_confusion(opened, predict))
    return letter_accuracy(closed, predict), found["core"], found["flagged"]


def accuracy(settings: SegmenterSettings, documents) -> float:
    closed, core, flagged = scores(settings, documents)
    return closed + core + 0.5 * flagged


def documents(half: int, count: int, seed: int):
    pool = load_pool(half=half, languages=LANGUAGES + OTHER_LANGUAGES)
    return make_documents(pool, count, seed), make_open_documents(pool, count, seed + 100)


def neighbours(settings: SegmenterSettings, fields=FIELDS, switch_costs: bool = True):
    for name in fields:
        for factor in FACTORS:
            yield dataclasses.replace(settings, **{name: round(getattr(settings, name) * factor, 4)})
    for index in range(len(settings.switch_costs) if switch_costs else 0):
        for factor in FACTORS:
            costs = list(settings.switch_costs)
            costs[index] = round(costs[index] * factor, 3)
            yield dataclasses.replace(settings, switch_costs=tuple(costs))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=400)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--fields", default=",".join(FIELDS), help="weights to tune, comma-separated")
    parser.add_argument("--no-switch-costs", action="store_true", help="keep the switch costs")
    args = parser.parse_args()
    tuning = documents(0, args.docs, args.seed)
    held_out = documents(1, args.docs, args.seed + 1)
    best, best_score = DEFAULT_SETTINGS, accuracy(DEFAULT_SETTINGS, tuning)
    print(f"start {best_score:.5f} {best}", flush=True)
    for _ in range(args.rounds):
        improved = False
        for candidate in list(neighbours(best, args.fields.split(","), not args.no_switch_costs)):
            score = accuracy(candidate, tuning)
            if score > best_score + 2e-5:
                best, best_score, improved = candidate, score, True
                print(f"{best_score:.5f} {best}", flush=True)
        if not improved:
            break
    print(f"tuning lines {best_score:.5f} {scores(best, tuning)}, held-out lines {scores(best, held_out)}\n{best}")


if __name__ == "__main__":
    main()
