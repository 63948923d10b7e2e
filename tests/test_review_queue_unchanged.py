"""The review queue and the spot-check flags are those of the code before the signals were made
faster (issue 27's first-open target): a varied output folder, built from the repository's
spot-check development pairs and their known defects (copies, cuts, loops, dropped and changed
numbers, dropped negations, other languages, spans left untranslated), gives the same flags (names,
explanations, highlighted ranges), the same sample and the same queue as recorded in
tests/data/review_queue_expected.json, with and without the review database.

The record was made by the code before the change (commit fc69677):

    PYTHONPATH=OLD_TREE python tests/test_review_queue_unchanged.py --record

Re-record only after a change of the signals that is meant to change flags, and say so.
"""

from __future__ import annotations

import hashlib
import json
import random
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
EXPECTED = REPO / "tests" / "data" / "review_queue_expected.json"
SPANS_PER_DOCUMENT = 60
EXTRA = [  # (lang, source, output): what the development pairs lack
    ("fr", "Il est arrivé au XIVe siècle, le vingtième jour.", "He arrived in the 14th century, on the twentieth day."),
    ("fr", "Rendez-vous à 14h30 sur https://example.org/a ou à info@example.org.",
     "Meet at 2:30 p.m. on https://example.org/a or at info@example.org."),
    ("es", "Los años ochenta costaron 30 000 millones.", "The eighties cost 30 billion."),
    ("es", "Cuarenta y dos personas, no, nunca.", "Forty-two people, yes, always."),
    ("fr", "Non, non, non, non !", "No, no, no, no!"),
    ("fr", "La réunion a été reportée à la semaine prochaine.", "Die Sitzung wurde auf nächste Woche verschoben."),
    ("es", "El museo abrirá sus puertas en primavera.", "Il museo aprirà le sue porte in primavera."),
    ("fr", "Le budget a été voté.", "The budget the budget the budget the budget was voted."),
    ("fr", "Quatre-vingt-dix-sept pour cent des habitants.", "Ninety-seven per cent of residents."),
    ("es", "Felipe VI visitó la región el 3 de mayo.", "Felipe visited the region on May 3."),
]


def cases() -> list[tuple[str, str, str | None]]:
    """(lang, source, output) of every span; None: left untranslated (no model for the language)."""
    sys.path.insert(0, str(REPO / "benchmarks"))
    from spot_check_quality import corrupt, load_pairs

    found = []
    for index, pair in enumerate(load_pairs()):
        found.append((pair.lang, pair.source, pair.english))
        found += [(pair.lang, pair.source, output) for output in corrupt(pair, index, {}).values()]
    found += EXTRA
    found += [("de", "Das ist ein deutscher Satz.", None), ("it", "Questa frase è italiana.", None)]
    return found


def write_folder(out: Path) -> None:
    """The batch JSON files of the cases: documents of SPANS_PER_DOCUMENT spans, with model scores."""
    rng = random.Random(27)
    all_cases = cases()
    out.mkdir(parents=True, exist_ok=True)
    for number, start in enumerate(range(0, len(all_cases), SPANS_PER_DOCUMENT)):
        segments = []
        for lang, source, output in all_cases[start : start + SPANS_PER_DOCUMENT]:
            segment = {"paragraph": len(segments), "start": 0, "end": len(source), "lang": lang, "text": source,
                       "translation": output}
            if output is not None:
                segment["score"] = round(rng.gauss(-0.6, 0.25) - (2.5 if rng.random() < 0.03 else 0.0), 3)
            segments.append(segment)
        data = {"contract": 3, "source": f"doc{number:03}.txt", "sha256": "0", "encoding": "utf-8", "format": "txt",
                "models": {"fr": "fr-en", "es": "es-en"}, "revisions": {"fr": "r1", "es": "r1"}, "settings": {},
                "segments": segments}
        (out / f"doc{number:03}.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def observed(out: Path, store=None) -> dict:
    """What the record holds: the flags of every span, the sample and the queue, digested."""
    from translate.review.queue import build_queue
    from translate.spotcheck.run import run_spot_check

    checked = run_spot_check(out, sample=40, seed=5, round_trip=False)
    flags = [[span.document, span.seg, [[flag.name, flag.explanation, [list(r) for r in flag.source_ranges],
                                        [list(r) for r in flag.translation_ranges]] for flag in span.flags]]
             for document in checked.documents for span in document.spans + document.left_untranslated]
    queue = build_queue(out, sample=40, seed=5, store=store)
    return {
        "spans": len(flags),
        "flag_counts": dict(sorted(Counter(flag[0] for _, _, found in flags for flag in found).items())),
        "flags_sha256": _digest(flags),
        "sample": [f"{span.seg}:{span.document}" for span in checked.sample],
        "queue_sha256": _digest([[item["id"], item["part"], [flag["name"] for flag in item["flags"]],
                                  [flag["explanation"] for flag in item["flags"]]] for item in queue.items]),
    }


def _digest(value) -> str:
    return hashlib.sha256(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")).hexdigest()


def test_flags_sample_and_queue_are_the_recorded_ones(tmp_path):
    from translate.review.store import ReviewStore

    expected = json.loads(EXPECTED.read_text(encoding="utf-8"))
    out = tmp_path / "out"
    write_folder(out)
    assert expected["spans"] > 2000 and len(expected["flag_counts"]) == 11  # the corpus is varied
    assert observed(out) == expected
    store = ReviewStore.of(out)
    try:
        assert observed(out, store) == expected  # the first start: flags computed and stored
        assert observed(out, store) == expected  # the next start: flags read from the database
    finally:
        store.close()


if __name__ == "__main__" and sys.argv[1:] == ["--record"]:
    import tempfile

    import translate  # noqa: F401  (first: the benchmark module puts this checkout on the path)

    with tempfile.TemporaryDirectory() as folder:
        write_folder(Path(folder) / "out")
        record = observed(Path(folder) / "out")
    EXPECTED.write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    print(f"recorded {EXPECTED} with translate from {sys.modules['translate'].__file__}")
