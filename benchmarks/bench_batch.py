"""End-to-end speed of ``translate batch``: where a run spends its time, and how it grows with the folder.

    python benchmarks/bench_batch.py                      # 10, 100 and 1,000 documents (long: see below)
    python benchmarks/bench_batch.py --docs 10 100 --json
    python benchmarks/bench_batch.py --quick              # seconds: tiny model, a few documents (a smoke run)
    python benchmarks/bench_batch.py --model models/Helsinki-NLP--opus-mt-fr-en --es-model models/...

For each folder size N it generates N seed-like documents (below), then runs the batch
pipeline (``translate.batch.run_batch``, what ``translate batch`` runs, in a fresh process
per run so that peak memory is per run) twice on the same folder: fresh (empty output
folder, empty translation memory), then resumed (nothing changed: every file is up to
date). Per size it reports, as one JSON object keyed by N:

- ``docs_per_min`` and ``target_tok_s`` (target tokens generated / wall time) of the fresh run;
- ``stage_seconds``: time per stage (``translate.stagetimes``): read and decode, segment,
  resume checks, memory lookups and writes, model loading, model (the engine's
  ``translate_batch`` calls), alignment, writers (three outputs per document), run files
  (index and TMX). Reading and segmenting run in a background thread beside the model, so
  stages overlap and need not add up to the wall time;
- ``non_model_share``: 1 - model seconds / wall seconds (model loading counts as non-model);
- ``peak_rss_mb``: peak resident memory of the fresh run's process;
- ``resume_share``: resumed run / fresh run, wall time of ``run_batch`` (the process start,
  about the same for both, is reported apart as ``process_start_s``);
- ``disk_bytes_per_doc``: bytes of the output folder per document (the memory apart);
- ``scaling_over_previous``: per-document throughput against the next smaller size (1.0: linear).

Documents. The generator is deterministic (document i is the same in every folder size):
a base language (fr 50 %, es 30 %, en 20 %), 8-16 paragraphs of 1-4 sentences, a quarter of
the paragraphs and some sentences in the other languages, short English captions, a
boilerplate footer shared by documents of one language (as real sites have), in .txt (60 %),
.md (20 %: headings, lists, emphasis, links, code) and .html (20 %: title, headings,
paragraphs, links, emphasis), ten documents to a sub-folder. Sentences are spliced from two
real sentences of the same language (the first words of one, the end of another) so that a
large folder is not mostly repeats the memory would answer. Sentences come from the seeds
(French) and ``../shared/langid-dev`` (fr, es, en; read, not copied) when it is there; from
a clean clone without it, from the seeds only (nearly all French; recorded as ``corpus``).

Model. Without ``--model`` an opus-mt-shaped MarianMT model with random weights is built
(``translate.modelbuild.OPUS_MT_SHAPE``: 59,514-word vocabulary, 6+6 layers, beam 4) and
used for both fr and es on CTranslate2 (int8, converted before any timing). Random weights
never end a translation, so its generation ``max_length`` is set to ``--output-tokens`` + 1:
every translated span gets that many target tokens, about what opus-mt gives a seed span.

Cost: the model dominates; on 2 cores at beam 4 expect a few minutes per 100 documents on an
idle machine, so the 1,000-document run takes about an hour. Figures taken on a shared
machine are not the product's speed; record the conditions with any figure.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

LANGUAGES = ("fr", "es", "en")
LANGID_DEV = REPO.parent / "shared" / "langid-dev"
TARGETS = {
    "non_model_share_max": 0.15,  # at the largest size
    "scaling_min": 0.9,  # per-document throughput at the largest size / at the one before
    "resume_share_max": 0.02,
    "peak_rss_mb_max": 1200.0,
}
STAGES = ("read_decode", "segment", "resume_check", "memory", "model_load", "model", "alignment", "writers",
          "run_files")
BOILERPLATE = {
    "fr": "Tous droits réservés. Reproduction interdite sans autorisation écrite de la rédaction.",
    "es": "Todos los derechos reservados. Prohibida su reproducción sin autorización escrita de la redacción.",
    "en": "All rights reserved. No reproduction without the written permission of the editors.",
}


def log(message: str) -> None:
    print(f"[bench-batch] {message}", file=sys.stderr, flush=True)


# -- documents ---------------------------------------------------------------------------------


def sentence_pool() -> tuple[dict[str, list[str]], str]:
    """Sentences per language, and where they came from."""
    from translate.formats import read_source
    from translate.segment import segment_document

    pool: dict[str, list[str]] = {lang: [] for lang in LANGUAGES}
    for path in sorted((REPO / "seeds").glob("*.txt")):
        document = read_source(path, path.name)
        for seg in segment_document(document.text, document.blocks):
            if seg.lang in pool and len(seg.text.split()) >= 4:
                pool[seg.lang].append(seg.text)
    corpus = "seeds only (../shared/langid-dev not found)"
    if (LANGID_DEV / "sentences").is_dir():
        for lang in LANGUAGES:
            lines = (LANGID_DEV / "sentences" / f"{lang}.txt").read_text("utf-8").splitlines()
            pool[lang] += [line.strip() for line in lines if len(line.split()) >= 4]
        corpus = "seeds + ../shared/langid-dev sentences"
    for lang in LANGUAGES:
        if not pool[lang]:
            pool[lang] = pool["fr"]
    return pool, corpus


def _sentence(pool: dict[str, list[str]], lang: str, rng: random.Random) -> str:
    first, second = rng.choice(pool[lang]).split(), rng.choice(pool[lang]).split()
    words = first[: rng.randint(2, max(2, len(first) - 1))] + second[rng.randint(1, max(1, len(second) - 2)):]
    text = " ".join(words)
    return text if text[-1] in ".!?…»\"" else text + "."


def make_document(index: int, pool: dict[str, list[str]]) -> tuple[str, str]:
    """Document ``index``: its relative path and its text (the same whatever the folder size)."""
    rng = random.Random(index)
    base = rng.choices(LANGUAGES, weights=(5, 3, 2))[0]
    others = [lang for lang in LANGUAGES if lang != base]
    fmt = rng.choices(("txt", "md", "html"), weights=(6, 2, 2))[0]
    title = _sentence(pool, base, rng).rstrip(".")
    paragraphs: list[tuple[str, str]] = []  # (kind, text)
    for _ in range(rng.randint(8, 16)):
        lang = base if rng.random() < 0.75 else rng.choice(others)
        sentences = [_sentence(pool, lang, rng) for _ in range(rng.randint(1, 4))]
        if rng.random() < 0.15:  # a switch inside the paragraph
            sentences.insert(rng.randrange(len(sentences) + 1), _sentence(pool, rng.choice(others), rng))
        kind = rng.choices(("p", "h", "li"), weights=(8, 1, 1))[0]
        paragraphs.append((kind, " ".join(sentences) if kind == "p" else sentences[0].rstrip(".")))
        if rng.random() < 0.1:
            paragraphs.append(("caption", rng.choice(("Recent Posts", "YouTube video", "Photo: AFP", "Read more"))))
    paragraphs.append(("p", BOILERPLATE[base]))
    name = f"{index // 10:03d}/doc-{index:05d}.{fmt}"
    if fmt == "txt":
        return name, "\n\n".join([title] + [text for _, text in paragraphs]) + "\n"
    if fmt == "md":
        return name, _markdown(title, paragraphs, rng)
    return name, _html(title, paragraphs, base, rng)


def _markdown(title: str, paragraphs: list[tuple[str, str]], rng: random.Random) -> str:
    lines = [f"# {title}", ""]
    for kind, text in paragraphs:
        words = text.split()
        if kind == "p" and len(words) > 6 and rng.random() < 0.3:
            at = rng.randrange(1, len(words) - 2)
            words[at] = f"**{words[at]}**"
            words[at + 2] = f"[{words[at + 2]}](https://example.org/{at})"
        text = " ".join(words)
        lines += [f"## {text}" if kind == "h" else f"- {text}" if kind == "li" else f"*{text}*" if kind == "caption"
                  else text, ""]
        if rng.random() < 0.05:
            lines += ["```", "print('code is kept as it is')", "```", ""]
    return "\n".join(lines)


def _html(title: str, paragraphs: list[tuple[str, str]], lang: str, rng: random.Random) -> str:
    body = [f"<h1>{html.escape(title)}</h1>"]
    for kind, text in paragraphs:
        words = [html.escape(word) for word in text.split()]
        if kind == "p" and len(words) > 6 and rng.random() < 0.3:
            at = rng.randrange(1, len(words) - 2)
            words[at] = f"<em>{words[at]}</em>"
            words[at + 2] = f'<a href="https://example.org/{at}">{words[at + 2]}</a>'
        text = " ".join(words)
        tag = {"p": "p", "h": "h2", "li": "p", "caption": "figcaption"}[kind]
        body.append(f"<{tag}>{text}</{tag}>")
    return (f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n<title>{html.escape(title)}'
            f"</title>\n<style>p {{ margin: 0 0 1em }}</style>\n</head>\n<body>\n" + "\n".join(body)
            + "\n<script>console.log('kept');</script>\n</body>\n</html>\n")


def write_folder(folder: Path, count: int, pool: dict[str, list[str]]) -> int:
    """Write documents 0..count-1 under ``folder``; total characters."""
    characters = 0
    for index in range(count):
        name, text = make_document(index, pool)
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        characters += len(text)
    return characters


# -- one run, in its own process -----------------------------------------------------------------


def child_run(args: argparse.Namespace) -> dict:
    """Run the batch pipeline once in this process; its figures."""
    from translate.batch import RunSettings, run_batch
    from translate.engines import EngineSettings
    from translate.stagetimes import StageTimes

    times = StageTimes()
    options = RunSettings(
        input_dir=Path(args.input), out_dir=Path(args.out), models={"fr": args.model, "es": args.es_model},
        engine=EngineSettings(engine="ctranslate2", device="cpu", attention=True, threads=args.threads),
        cache_path=Path(args.cache), stage_times=times,
    )
    started = time.perf_counter()
    report = run_batch(options)
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "files": len(report.outcomes), "translated": len(report.translated), "up_to_date": len(report.up_to_date),
        "failed": [o.error for o in report.failed],
        "model_translations": report.model_translations, "memory_hits": report.memory_hits,
        "stage_seconds": times.snapshot(), "counts": dict(times.counts),
        "peak_rss_mb": peak_rss_mb(),
    }


def peak_rss_mb() -> float:
    # VmHWM (peak resident set) starts afresh at exec, unlike getrusage's ru_maxrss after a fork.
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_child(input_dir: Path, out_dir: Path, cache: Path, fr_model: Path, es_model: Path, env: dict,
              threads: int | None) -> dict:
    command = [sys.executable, __file__, "--child", "--input", str(input_dir), "--out", str(out_dir),
               "--cache", str(cache), "--model", str(fr_model), "--es-model", str(es_model)]
    if threads:
        command += ["--threads", str(threads)]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env)
    if done.returncode != 0:
        raise SystemExit(f"batch run failed:\n{done.stderr[-4000:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["process_seconds"] = time.perf_counter() - started
    if result["failed"]:
        raise SystemExit(f"batch run had failures: {result['failed'][:5]}")
    return result


def folder_bytes(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


# -- the benchmark -----------------------------------------------------------------------------


def build_model(work: Path, quick: bool, output_tokens: int) -> Path:
    from dataclasses import replace

    from translate.modelbuild import OPUS_MT_SHAPE, MarianShape, build_marian_model

    texts = [line for path in sorted((REPO / "seeds").glob("*.txt")) for line in path.read_text("utf-8").splitlines()]
    shape = MarianShape(model_vocab_size=600, num_beams=4) if quick else OPUS_MT_SHAPE
    return build_marian_model(work / ("bench-tiny" if quick else "bench-opus-mt-shape"), texts,
                              replace(shape, max_length=output_tokens + 1))


def measure_size(count: int, work: Path, pool, fr_model: Path, es_model: Path, env: dict, threads: int | None) -> dict:
    folder = work / f"docs-{count}"
    characters = write_folder(folder, count, pool)
    out, cache = work / f"out-{count}", work / f"memory-{count}.sqlite3"
    log(f"{count} documents ({characters} characters): fresh run...")
    fresh = run_child(folder, out, cache, fr_model, es_model, env, threads)
    log(f"{count} documents: fresh {fresh['seconds']:.1f} s; resumed run...")
    resumed = run_child(folder, out, cache, fr_model, es_model, env, threads)
    log(f"{count} documents: resumed {resumed['seconds']:.2f} s")
    if resumed["up_to_date"] != count or fresh["translated"] != count:
        raise SystemExit(f"{count} documents: expected all translated then all up to date, got "
                         f"{fresh['translated']} and {resumed['up_to_date']}")
    seconds = fresh["seconds"]
    stages = {name: round(fresh["stage_seconds"].get(name, 0.0), 3) for name in STAGES}
    tokens = fresh["counts"].get("target_tokens", 0)
    return {
        "documents": count, "characters": characters,
        "seconds": round(seconds, 2),
        "docs_per_min": round(count / seconds * 60, 2),
        "target_tokens": tokens,
        "target_tok_s": round(tokens / seconds, 1),
        "model_translations": fresh["model_translations"], "memory_hits": fresh["memory_hits"],
        "non_model_share": round(1 - fresh["stage_seconds"].get("model", 0.0) / seconds, 3),
        "stage_seconds": stages,
        "peak_rss_mb": round(fresh["peak_rss_mb"], 1),
        "resumed_seconds": round(resumed["seconds"], 3),
        "resume_share": round(resumed["seconds"] / seconds, 4),
        "resume_stage_seconds": {name: round(value, 3) for name, value in resumed["stage_seconds"].items()},
        "resume_peak_rss_mb": round(resumed["peak_rss_mb"], 1),
        "process_start_s": round(resumed["process_seconds"] - resumed["seconds"], 2),
        "disk_bytes_per_doc": round(folder_bytes(out) / count),
        "memory_bytes_per_doc": round(cache.stat().st_size / count) if cache.exists() else 0,
    }


def run(args: argparse.Namespace) -> dict:
    from translate.engines.ctranslate2_engine import available_cpus, ensure_converted

    threads = args.threads or available_cpus()
    with tempfile.TemporaryDirectory(prefix="bench-batch-", dir=args.work) as tmp:
        work = Path(tmp)
        env = dict(os.environ, TRANSLATE_MODELS_DIR=os.environ.get("TRANSLATE_MODELS_DIR", str(work / "models-root")),
                   HF_HUB_OFFLINE="1")
        os.environ["TRANSLATE_MODELS_DIR"] = env["TRANSLATE_MODELS_DIR"]
        fr_model = Path(args.model) if args.model else build_model(work, args.quick, args.output_tokens)
        es_model = Path(args.es_model) if args.es_model else fr_model
        for folder in {fr_model, es_model}:
            ensure_converted(folder, "int8")  # conversion is a one-off, outside every timing
        pool, corpus = sentence_pool()
        result: dict = {
            "model": args.model or ("tiny random model" if args.quick else "random weights, opus-mt-fr-en shape"),
            "engine": "ctranslate2 int8", "threads": threads, "corpus": corpus,
            "output_tokens_per_span": None if args.model else args.output_tokens,
        }
        sizes: dict[str, dict] = {}
        previous = None
        for count in sorted(args.docs):
            figures = measure_size(count, work, pool, fr_model, es_model, env, threads)
            figures.update(result)
            if previous is not None:
                # Per-document throughput against the next smaller size: 1.0 is linear scaling.
                figures["scaling_over_previous"] = {"previous": previous["documents"], "ratio": round(
                    figures["docs_per_min"] / previous["docs_per_min"], 3)}
            figures["targets_met"] = {
                "non_model_share": figures["non_model_share"] <= TARGETS["non_model_share_max"],
                "resume_share": figures["resume_share"] <= TARGETS["resume_share_max"],
                "peak_rss_mb": figures["peak_rss_mb"] <= TARGETS["peak_rss_mb_max"],
            }
            if previous is not None:
                figures["targets_met"]["scaling"] = figures["scaling_over_previous"]["ratio"] >= TARGETS["scaling_min"]
            sizes[str(count)] = previous = figures
    return sizes


def print_table(sizes: dict) -> None:
    counts = list(sizes)
    result = sizes[counts[-1]]
    print(f"model: {result['model']} ({result['engine']}, beam 4, {result['output_tokens_per_span']} target tokens "
          f"a span); {result['threads']} threads; documents from {result['corpus']}")
    print()
    print("| measure | " + " | ".join(f"{c} docs" for c in counts) + " |")
    print("| --- |" + " ---: |" * len(counts))
    rows = [("documents / minute", "docs_per_min"), ("target tokens / s", "target_tok_s"),
            ("wall time, fresh (s)", "seconds"), ("non-model share of wall time", "non_model_share"),
            ("peak RSS (MB)", "peak_rss_mb"), ("resumed / fresh", "resume_share"),
            ("resumed run (s)", "resumed_seconds"), ("disk bytes / document", "disk_bytes_per_doc"),
            ("memory bytes / document", "memory_bytes_per_doc")]
    for label, key in rows:
        print(f"| {label} | " + " | ".join(str(sizes[c][key]) for c in counts) + " |")
    for stage in STAGES:
        print(f"| stage: {stage} (s) | " + " | ".join(str(sizes[c]["stage_seconds"][stage]) for c in counts) + " |")
    print("| per-document throughput / previous size | " + " | ".join(
        str(sizes[c].get("scaling_over_previous", {}).get("ratio", "")) for c in counts) + " |")
    print()
    for count in counts:
        print(f"targets at {count} documents: " + ", ".join(
            f"{k} {'met' if ok else 'MISSED'}" for k, ok in sizes[count]["targets_met"].items()))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, nargs="+", help="folder sizes in documents (default: 10 100 1000)")
    parser.add_argument("--model", help="a MarianMT folder for fr (default: build one with random weights)")
    parser.add_argument("--es-model", help="the es model (default: --model again)")
    parser.add_argument("--output-tokens", type=int, default=32, help="target tokens a span (built model only)")
    parser.add_argument("--threads", type=int, default=None, help="CPU threads (default: every available CPU)")
    parser.add_argument("--work", help="folder for the generated documents and outputs (default: the temp dir)")
    parser.add_argument("--quick", action="store_true", help="tiny model, few documents: a smoke run, not figures")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--input", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    parser.add_argument("--cache", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child_run(args)))
        return
    if args.quick:
        args.docs = args.docs or [3, 6]
        args.output_tokens = min(args.output_tokens, 6)
    args.docs = args.docs or [10, 100, 1000]
    result = run(args)
    if args.json:
        print(json.dumps(result, indent=1))
    else:
        print_table(result)


if __name__ == "__main__":
    main()
