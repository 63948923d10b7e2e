"""False alarms and recall of the spot-check signals on news-like translations and injected defects.

Run:  python benchmarks/spot_check_quality.py [--fit] [--split heldout|tune] [--json]

Data: benchmarks/data/spot_check_pairs.tsv, French->English and Spanish->English pairs
written for this benchmark, each marked ``tune`` (used to fit the not_english calibration
and set thresholds) or ``heldout`` (only reported). Every good pair is also corrupted into
known defects: a copy of the source, the output cut in half, a loop, an empty output,
a dropped number, a changed number, a dropped negation, and wrong-language outputs in
German, Italian, Portuguese and Spanish. The wrong-language sentences are read at run
time from ../shared/langid-dev/sentences/{de,it,pt,es}.txt (GPL-free Leipzig text, not
copied into the project): even lines for ``tune``, odd lines for ``heldout``; they are
skipped with a note when that folder is missing.

``--fit`` refits the not_english calibration (a logistic model of the two evidence
margins) on the tune split plus the even lines of langid-dev (English as positives;
French, Spanish, German, Italian, Portuguese as negatives) and prints it, with the
length model (ratio and variance per source character) measured on the tune pairs.

Signals that need a model (low_confidence: the model's scores; round_trip: reverse
models) cannot be measured on human translations and are not in the table.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from translate.spotcheck.checker import check_documents  # noqa: E402
from translate.spotcheck.signals import SERIOUS, SIGNAL_NAMES  # noqa: E402
from translate.spotcheck.signals.numbers import read_numbers  # noqa: E402
from translate.spotcheck.spans import BatchDocument, Span  # noqa: E402
from translate.spotcheck.thresholds import Thresholds  # noqa: E402

PAIRS = REPO / "benchmarks" / "data" / "spot_check_pairs.tsv"
LANGID_DEV = REPO.parent / "shared" / "langid-dev" / "sentences"
FOREIGN = ("de", "it", "pt", "es")
# Defects the targets are about (recall >= 95 %), then the others measured.
KINDS = ("copy", "cut", "loop", "empty", "dropped_number", "wrong_de", "wrong_it", "wrong_pt", "wrong_es",
         "changed_number", "dropped_negation")
# Signals the table reports (those that need a model are left out).
TABLE_SIGNALS = tuple(name for name in SIGNAL_NAMES if name not in ("low_confidence", "round_trip"))
_NEGATION = re.compile(r"\b(?:not|never|no)\s+|n't\b|\bcannot\b", re.IGNORECASE)


@dataclass(frozen=True)
class Pair:
    id: str
    split: str
    lang: str
    source: str
    english: str


def load_pairs(path: Path = PAIRS) -> list[Pair]:
    pairs = []
    lines = [line for line in path.read_text("utf-8").splitlines() if line and not line.startswith("#")]
    for line in lines[1:]:
        pairs.append(Pair(*line.split("\t")))
    return pairs


def foreign_sentences(split: str) -> dict[str, list[str]]:
    """langid-dev sentences per wrong language: even lines for tune, odd for heldout; {} if absent."""
    found = {}
    for lang in FOREIGN:
        path = LANGID_DEV / f"{lang}.txt"
        if path.exists():
            lines = path.read_text("utf-8").splitlines()
            found[lang] = lines[0 if split == "tune" else 1 :: 2]
    return found


def _strip_end(text: str) -> str:
    return text.rstrip(" .,;:!?\"'»”")


def corrupt(pair: Pair, index: int, foreign: dict[str, list[str]]) -> dict[str, str]:
    """Known defects of one pair's output, deterministic for (pair, index)."""
    rng = random.Random(pair.id)
    words = pair.english.split()
    defects = {"copy": pair.source, "empty": ""}
    if len(words) >= 4:
        half = max(1, round(len(words) * rng.uniform(0.4, 0.6)))
        defects["cut"] = _strip_end(" ".join(words[:half]))
        keep = max(2, round(len(words) * rng.uniform(0.4, 0.8)))
        size = rng.randint(1, 3)
        loop = words[:keep] + [w.strip(".,;:\"'") for w in words[keep - size : keep]] * rng.randint(3, 6)
        defects["loop"] = _strip_end(" ".join(loop))
    source_mentions, _ = read_numbers(pair.source, pair.lang)
    source_values = set().union(*(m.values for m in source_mentions)) if source_mentions else set()
    output_mentions, _ = read_numbers(pair.english, "en")
    matching = [m for m in output_mentions if m.values & source_values]
    if matching:
        m = matching[0]
        after = pair.english[m.end :]
        after = after[1:] if after.startswith("%") else after
        defects["dropped_number"] = re.sub(r"\s{2,}", " ", (pair.english[: m.start] + after)).replace(" ,", ",")
        digits = [i for i in range(m.start, m.end) if pair.english[i].isdigit()]
        if digits:
            i = digits[-1] if len(digits) < 3 else digits[-2]  # not just the last of a long year
            new = str((int(pair.english[i]) + rng.randint(1, 8)) % 10)
            defects["changed_number"] = pair.english[:i] + new + pair.english[i + 1 :]
    if _NEGATION.search(pair.english):
        defects["dropped_negation"] = re.sub(r"\s{2,}", " ", _NEGATION.sub(
            lambda m: "can" if m.group(0).lower() == "cannot" else "", pair.english))
    for lang, lines in foreign.items():
        if lang != pair.lang:
            defects[f"wrong_{lang}"] = lines[index % len(lines)]
    return defects


def run_signals(cases: list[tuple[str, str, str]], thresholds: Thresholds) -> list[list[str]]:
    """Flag names raised on each (source, output, lang) case."""
    spans = [Span("bench", i, lang, source, output) for i, (source, output, lang) in enumerate(cases)]
    check_documents([BatchDocument("bench", "bench", len(spans), spans)], thresholds)
    return [span.flag_names for span in spans]


def evaluate(split: str, thresholds: Thresholds) -> dict:
    pairs = [p for p in load_pairs() if p.split == split]
    foreign = foreign_sentences(split)
    good = run_signals([(p.source, p.english, p.lang) for p in pairs], thresholds)
    # The same good outputs without their final punctuation (models sometimes drop it).
    unpunctuated = run_signals([(p.source, _strip_end(p.english), p.lang) for p in pairs], thresholds)
    defects: dict[str, list[tuple[str, str, str]]] = {kind: [] for kind in KINDS}
    for index, pair in enumerate(pairs):
        for kind, output in corrupt(pair, index, foreign).items():
            defects[kind].append((pair.source, output, pair.lang))
    flagged = {kind: run_signals(cases, thresholds) for kind, cases in defects.items() if cases}
    result = {"split": split, "pairs": len(pairs), "wrong_language_text": bool(foreign),
              "false_alarms": {}, "false_alarms_unpunctuated": {}, "recall": {},
              "cases": {k: len(v) for k, v in flagged.items()},
              "false_alarm_examples": []}
    for name in (*TABLE_SIGNALS, "serious"):
        def hit(names):
            return any(n in SERIOUS for n in names) if name == "serious" else name in names
        result["false_alarms"][name] = sum(map(hit, good)) / len(good)
        result["false_alarms_unpunctuated"][name] = sum(map(hit, unpunctuated)) / len(unpunctuated)
        result["recall"][name] = {kind: sum(map(hit, rows)) / len(rows) for kind, rows in flagged.items()}
    for pair, names in zip(pairs, good):
        serious = [n for n in names if n in SERIOUS]
        if serious:
            result["false_alarm_examples"].append((pair.id, serious))
    return result


def calibration_table(split: str) -> dict:
    """Reliability of not_english's P(English): per bin, texts and the share really English."""
    from translate.spotcheck.signals.not_english import probability_english

    texts = _calibration_texts(split)
    bins = [(0.0, 0.01), (0.01, 0.1), (0.1, 0.5), (0.5, 0.9), (0.9, 0.99), (0.99, 1.01)]
    rows = []
    brier, total = 0.0, 0
    for low, high in bins:
        members = []
        for text, is_english in texts:
            p = probability_english(text)
            if p is not None and low <= p < high:
                members.append((p, is_english))
        if members:
            rows.append({"bin": f"{low:.2f}-{min(high, 1.0):.2f}", "texts": len(members),
                         "mean_p": sum(p for p, _ in members) / len(members),
                         "english": sum(e for _, e in members) / len(members)})
        brier += sum((p - e) ** 2 for p, e in members)
        total += len(members)
    return {"split": split, "bins": rows, "brier": brier / max(total, 1), "texts": total}


def _calibration_texts(split: str) -> list[tuple[str, int]]:
    pairs = [p for p in load_pairs() if p.split == split]
    texts = [(p.english, 1) for p in pairs] + [(p.source, 0) for p in pairs]
    parity = 0 if split == "tune" else 1
    for lang in ("en", "fr", *FOREIGN):
        path = LANGID_DEV / f"{lang}.txt"
        if path.exists():
            texts += [(line, int(lang == "en")) for line in path.read_text("utf-8").splitlines()[parity::2]]
    return texts


def fit() -> dict:
    """Refit the not_english calibration and measure the length model on the tune split."""
    from translate.spotcheck.signals.not_english import evidence

    rows = [(evidence(text)[:2], label) for text, label in _calibration_texts("tune")]
    weights = _logistic([(1.0, c, o) for (c, o), _ in rows], [label for _, label in rows])
    pairs = [p for p in load_pairs() if p.split == "tune"]
    length = {}
    for lang in ("fr", "es"):
        chosen = [p for p in pairs if p.lang == lang]
        ratio = sum(len(p.english) for p in chosen) / sum(len(p.source) for p in chosen)
        variance = sum((len(p.english) - ratio * len(p.source)) ** 2 / len(p.source) for p in chosen) / len(chosen)
        length[lang] = {"ratio": round(ratio, 3), "variance": round(variance, 2)}
    return {"calibration": {"bias": round(weights[0], 4), "closed": round(weights[1], 4),
                            "open": round(weights[2], 4)}, "texts": len(rows), "length": length}


def _logistic(features: list[tuple[float, ...]], labels: list[int], l2: float = 1e-3,
              steps: int = 50) -> list[float]:
    """Logistic regression by Newton's method (three features; no numerical library needed)."""
    import numpy as np

    x, y = np.array(features, dtype=float), np.array(labels, dtype=float)
    w = np.zeros(x.shape[1])
    for _ in range(steps):
        p = 1 / (1 + np.exp(-np.clip(x @ w, -50, 50)))
        gradient = x.T @ (p - y) + l2 * w
        hessian = (x * (p * (1 - p))[:, None]).T @ x + l2 * np.eye(x.shape[1])
        w -= np.linalg.solve(hessian, gradient)
    return [float(v) for v in w]


def markdown(results: list[dict], calibration: dict) -> str:
    held = next(r for r in results if r["split"] == "heldout")
    kinds = [k for k in KINDS if k in held["cases"]]
    header = "| signal | " + " | ".join(f"false alarms ({r['split']}, {r['pairs']})" for r in results) + \
        " | false alarms, no final punctuation (heldout) | " + \
        " | ".join(f"{k} ({held['cases'][k]})" for k in kinds) + " |"
    lines = [header, "|" + "---|" * (2 + len(results) + len(kinds))]
    for name in (*TABLE_SIGNALS, "serious"):
        label = "**any serious flag**" if name == "serious" else f"`{name}`" + (" (serious)" if name in SERIOUS else "")
        cells = [f"{r['false_alarms'][name]:.1%}" for r in results]
        cells.append(f"{held['false_alarms_unpunctuated'][name]:.1%}")
        cells += [f"{held['recall'][name][k]:.0%}" for k in kinds]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    lines += ["", "| P(English) | texts | mean P | really English |", "|---|---|---|---|"]
    for row in calibration["bins"]:
        lines.append(f"| {row['bin']} | {row['texts']} | {row['mean_p']:.3f} | {row['english']:.1%} |")
    lines.append(f"\nBrier score {calibration['brier']:.4f} on {calibration['texts']} {calibration['split']} texts.")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fit", action="store_true", help="refit not_english's calibration on the tune split")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    if args.fit:
        print(json.dumps(fit(), indent=2))
        return
    thresholds = Thresholds()
    results = [evaluate(split, thresholds) for split in ("tune", "heldout")]
    calibration = calibration_table("heldout")
    if args.json:
        print(json.dumps({"results": results, "calibration": calibration}, indent=2))
        return
    if not results[0]["wrong_language_text"]:
        print(f"note: {LANGID_DEV} not found: wrong-language defects skipped", file=sys.stderr)
    print(markdown(results, calibration))
    for r in results:
        if r["false_alarm_examples"]:
            print(f"\nserious false alarms ({r['split']}): {r['false_alarm_examples']}")


if __name__ == "__main__":
    main()
