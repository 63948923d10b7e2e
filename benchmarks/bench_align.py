"""Sentence alignment (`translate align`): accuracy on Text+Berg and on our own documents, speed, memory.

Accuracy is scored as in the alignment literature (Vecalign's ``score.py``): strict precision
and recall count exact groups, lax ones count a group right when it overlaps a gold group on
both sides; 1-0 and 0-1 groups are left out of both. Gale-Church (``--similarity length``) is
the floor.

- Text+Berg (German-French, ``../shared/align-dev``, GPL-2: read from there, never copied): the
  gold groups are cut in two halves and each half is aligned as a document of its own. The
  encoder's weights (``scoring.EmbeddingParams``) were tuned on half A; half B is held out.
- Our own documents (``benchmarks/data/align``): a French and a Spanish text written for this
  benchmark and translated into English by us with merges, splits, a dropped and an added
  sentence, and seed 002 with our English translation. None was used for tuning. They go through
  the whole product path: read as .txt files, split by the project's splitter, paragraphs first.
- Speed: ``translate align`` on 1,000 sentences per side (Text+Berg lines, then shuffled copies
  of them so that no run of sentences repeats), run as a fresh process so the time includes
  start-up and loading the encoder; wall and CPU seconds (user + system: the machine may be
  shared, so the load average before and after is printed too), peak memory of that process, and
  the encoder's own (resident memory after loading minus before).

    python benchmarks/bench_align.py [--json] [--skip-speed] [--book]

``--book`` also times the search alone on a 10,000-sentence book (Text+Berg vectors tiled).
Figures depend on the machine's load: compare only runs made side by side.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
DEV = REPO.parent / "shared" / "align-dev"
DATA = REPO / "benchmarks" / "data" / "align"
OWN = [  # (name, source, translation, gold)
    ("fr-en fromagerie", DATA / "fromagerie.fr.txt", DATA / "fromagerie.en.txt", DATA / "fromagerie.gold"),
    ("es-en faro", DATA / "faro.es.txt", DATA / "faro.en.txt", DATA / "faro.gold"),
    ("fr-en seed 002", REPO / "seeds" / "002_e0580501eea99c2f.txt", DATA / "seed002.en.txt", DATA / "seed002.gold"),
]


def read_gold(path: Path) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    groups = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            src, tgt = line.split(":")
            groups.append((tuple(ast.literal_eval(src)), tuple(ast.literal_eval(tgt))))
    return groups


def score(test, gold) -> dict[str, float]:
    """Strict and lax precision, recall and F1 (Vecalign's definitions)."""

    def precision(reference, candidate):
        exact = set(reference)
        ref_sets = [(set(s), set(t)) for s, t in reference if s and t]
        strict_hits = lax_hits = total = 0
        for src, tgt in candidate:
            if not src or not tgt:
                continue
            total += 1
            strict_hits += (src, tgt) in exact
            lax_hits += any(set(src) & s and set(tgt) & t for s, t in ref_sets)
        return (strict_hits / total, lax_hits / total) if total else (0.0, 0.0)

    def f1(p, r):
        return 2 * p * r / (p + r) if p + r else 0.0

    strict_p, lax_p = precision(gold, test)
    strict_r, lax_r = precision(test, gold)
    return {"strict_p": strict_p, "strict_r": strict_r, "strict_f1": f1(strict_p, strict_r),
            "lax_p": lax_p, "lax_r": lax_r, "lax_f1": f1(lax_p, lax_r)}


def as_index_groups(groups) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    return [(tuple(range(*g.source)), tuple(range(*g.target))) for g in groups]


def text_berg_halves():
    """The dev set as two documents: the sentences of the first and of the second half of the gold groups."""
    de = (DEV / "dev.de").read_text(encoding="utf-8").splitlines()
    fr = (DEV / "dev.fr").read_text(encoding="utf-8").splitlines()
    gold = read_gold(DEV / "dev.defr")
    half = len(gold) // 2
    halves = []
    for part in (gold[:half], gold[half:]):
        src = sorted(i for s, _ in part for i in s)
        tgt = sorted(j for _, t in part for j in t)
        s0, t0 = src[0], tgt[0]  # every line from the half's first to its last is in its document
        local = [(tuple(i - s0 for i in s), tuple(j - t0 for j in t)) for s, t in part]
        halves.append(([line.strip() for line in de[s0 : src[-1] + 1]], [line.strip() for line in fr[t0 : tgt[-1] + 1]],
                       local))
    return halves


def align_sentences(similarity: str, src: list[str], tgt: list[str]):
    from translate.sentalign.aligner import align_with_paragraphs, make_scorer

    scorer = make_scorer(similarity, src, tgt)
    groups, _ = align_with_paragraphs(scorer, [(0, len(src))], [(0, len(tgt))])
    return groups


def accuracy_rows() -> list[dict]:
    from translate.formats import read_source
    from translate.sentalign.aligner import align_documents

    rows = []
    if DEV.is_dir():
        for name, (src, tgt, gold) in zip(("Text+Berg de-fr, half A (tuning)", "Text+Berg de-fr, half B (held out)"),
                                          text_berg_halves()):
            for similarity in ("encoder", "length"):
                started = time.perf_counter()
                groups = align_sentences(similarity, src, tgt)
                rows.append({"set": name, "similarity": similarity, "groups": len(gold),
                             "seconds": round(time.perf_counter() - started, 2),
                             **score(as_index_groups(groups), gold)})
    else:
        print(f"({DEV} not found: Text+Berg rows skipped)", file=sys.stderr)
    for name, source, translation, gold_path in OWN:
        gold = read_gold(gold_path)
        for similarity in ("encoder", "length"):
            started = time.perf_counter()
            alignment = align_documents(read_source(source), read_source(translation), similarity)
            rows.append({"set": name, "similarity": similarity, "groups": len(gold),
                         "seconds": round(time.perf_counter() - started, 2),
                         **score(as_index_groups(alignment.groups), gold)})
    return rows


def speed(sentences: int = 1000) -> dict:
    """``translate align`` on ``sentences`` lines per side, in a fresh process."""
    de = [line for line in (DEV / "dev.de").read_text(encoding="utf-8").splitlines() if line.strip()]
    fr = [line for line in (DEV / "dev.fr").read_text(encoding="utf-8").splitlines() if line.strip()]
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "book.de.txt").write_text("\n".join(distinct_lines(de, sentences)) + "\n", encoding="utf-8")
        (folder / "book.fr.txt").write_text("\n".join(distinct_lines(fr, sentences)) + "\n", encoding="utf-8")
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        before, cpu_before = usage.ru_maxrss, usage.ru_utime + usage.ru_stime
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "translate", "align", str(folder / "book.de.txt"),
                        str(folder / "book.fr.txt"), "--out", str(folder / "out")],
                       cwd=REPO, check=True, capture_output=True)
        seconds = time.perf_counter() - started
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        peak, cpu = usage.ru_maxrss, usage.ru_utime + usage.ru_stime - cpu_before
    probe = ("import resource,os\n"
             "def rss():\n"
             "    return int(open('/proc/self/statm').read().split()[1]) * os.sysconf('SC_PAGE_SIZE') / 2**20\n"
             "before = rss()\n"
             "from translate.sentalign.encoder import load_encoder\n"
             "load_encoder()\n"
             "print(rss() - before)\n")
    encoder_mb = float(subprocess.run([sys.executable, "-c", probe], cwd=REPO, check=True, capture_output=True,
                                      text=True).stdout.strip())
    return {"sentences_per_side": sentences, "seconds": round(seconds, 1), "cpu_seconds": round(cpu, 1),
            "peak_rss_mb": round(max(peak, before) / 1024, 1), "encoder_rss_mb": round(encoder_mb, 1),
            "cpus": len(os.sched_getaffinity(0)),
            "load_average_before_after": (round(load_before, 1), round(os.getloadavg()[0], 1))}


def distinct_lines(lines: list[str], count: int) -> list[str]:
    """``count`` lines: ``lines``, then copies of them each shuffled differently, so that no run of
    two or more consecutive lines repeats (a repeated run would be encoded once, flattering the time)."""
    out: list[str] = []
    copy = 0
    while len(out) < count:
        block = list(lines)
        if copy:
            random.Random(copy).shuffle(block)
        out.extend(block)
        copy += 1
    return out[:count]


def book_search(sentences: int = 10_000) -> dict:
    """The search alone (no encoding) on a ``sentences``-long book: Text+Berg vectors tiled."""
    import numpy as np

    from translate.sentalign import dp
    from translate.sentalign.encoder import run_vectors
    from translate.sentalign.scoring import EmbeddingScorer

    de = [line.strip() for line in (DEV / "dev.de").read_text(encoding="utf-8").splitlines()]
    fr = [line.strip() for line in (DEV / "dev.fr").read_text(encoding="utf-8").splitlines()]
    src_runs, tgt_runs = run_vectors(de), run_vectors(fr)
    times = {}
    for n in (sentences // 4, sentences // 2, sentences):
        tile_s, tile_t = -(-n // len(de)), -(-n // len(fr))
        sv = {k: np.tile(v, (tile_s, 1))[:n] for k, v in src_runs.items()}
        tv = {k: np.tile(v, (tile_t, 1))[: n * len(fr) // len(de)] for k, v in tgt_runs.items()}
        scorer = EmbeddingScorer(sv, tv, [len(x) for x in (de * tile_s)[:n]],
                                 [len(x) for x in (fr * tile_t)[: n * len(fr) // len(de)]])
        started = time.perf_counter()
        dp.align(scorer)
        times[n] = round(time.perf_counter() - started, 1)
    return {"search_seconds_by_source_sentences": times}


def table(rows: list[dict]) -> str:
    lines = ["| set | similarity | gold groups | strict P | strict R | strict F1 | lax P | lax R | lax F1 | s |",
             "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        lines.append(f"| {r['set']} | {r['similarity']} | {r['groups']} | {r['strict_p']:.3f} | {r['strict_r']:.3f} | "
                     f"**{r['strict_f1']:.3f}** | {r['lax_p']:.3f} | {r['lax_r']:.3f} | {r['lax_f1']:.3f} | "
                     f"{r['seconds']} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of tables")
    parser.add_argument("--skip-speed", action="store_true", help="accuracy only")
    parser.add_argument("--book", action="store_true", help="also time the search on a 10,000-sentence book")
    args = parser.parse_args()
    result = {"accuracy": accuracy_rows()}
    if not args.skip_speed and DEV.is_dir():
        result["speed"] = speed()
    if args.book and DEV.is_dir():
        result["book"] = book_search()
    if args.json:
        print(json.dumps(result, indent=1))
        return
    print(table(result["accuracy"]))
    for key in ("speed", "book"):
        if key in result:
            print()
            print("\n".join(f"- {name}: {value}" for name, value in result[key].items()))


if __name__ == "__main__":
    main()
