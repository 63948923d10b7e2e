"""Translation speed and memory: naive transformers, the project's pipeline on each engine, raw CTranslate2.

    python benchmarks/bench_translate.py            # full run (about 20 minutes a round on 2 cores)
    python benchmarks/bench_translate.py --json     # the same figures as one JSON object
    python benchmarks/bench_translate.py --quick    # seconds: tiny model, few spans (a smoke run)
    python benchmarks/bench_translate.py --model models/Helsinki-NLP--opus-mt-fr-en

Without ``--model`` it builds a MarianMT model with the real opus-mt-fr-en architecture
(d_model 512, 6+6 layers, 8 heads, ffn 2048, vocabulary 59514) and random weights. Random
weights never emit ``</s>`` by themselves, so every method is forced to generate exactly
``--output-tokens`` target tokens per span (transformers ``min_new_tokens = max_new_tokens``,
CTranslate2 ``min_decoding_length = max_decoding_length``): the token counts are identical
across methods and tokens/s = generated target tokens / seconds.

The spans are the fr/es spans of ``seeds/`` as the project's segmenter cuts them, repeated to
about ``--spans``; each repetition gets a distinct suffix (`` (2)``, `` (3)``...) so that the
pipeline's de-duplication cannot make it look faster than it is. Methods, all on the same spans:

- naive transformers: MarianTokenizer + ``generate`` one span at a time (on the first
  ``--naive-spans`` spans only, it is slow; tokens/s is comparable all the same);
- pipeline: ``translate.translator.translate_texts`` over ``translate.engines.load_engine``, as
  ``translate batch`` runs it (tokenisation, batching, detokenisation, scores included), after one
  small warm-up call (as the raw translator gets);
- raw CTranslate2: ``Translator.translate_batch`` on pre-tokenised input, int8, same threads, one call
  over all spans, over a grid of its own options: every thread split ``inter_threads`` x
  ``intra_threads`` of the threads (2 threads: 1 x 2 and 2 x 1; with several replicas CTranslate2
  decodes the call's sub-batches side by side), ``batch_type`` "examples" with ``max_batch_size``
  16, 32, 64 and "tokens" with 1024, 2048, 4096, each on the spans in their order and shuffled
  (fixed seed). In both modes CTranslate2 sorts the input by length before cutting batches. The
  pipeline (with its default thread split, ``translate.engines.threads.thread_split``) is compared
  with the fastest configuration of the same run (``pipeline_over_best_raw``); ``--repeats N`` runs
  every method once per round, N rounds, the order reversed every other round, and keeps each
  method's best run (a slow spell of a shared machine then hits all methods alike);
  ``--pipeline-batching`` also times the pipeline with other batch limits (to tune its defaults), and
  ``--pipeline-splits`` with other thread splits than ``thread_split``'s (to test its rule on machines
  with more cores); ``--raw-grid`` and ``--raw-orders`` narrow the raw grid (every thread split is kept);
- confirmation rounds (``--confirm-rounds``, 4 by default): the grid's winner is its best of many noisy
  timings, biased upward by the noise, so the pipeline and the grid's three fastest configurations are
  timed again side by side, the same number of runs each, in rounds that alternate their order;
  ``pipeline_over_best_raw_confirmed`` is the pipeline over the fastest of them (both best runs);
  greedy also times those configurations returning scores, as the pipeline's outputs must
  (``pipeline_over_best_raw_scored_confirmed``, the greedy target: the same outputs), and the pipeline
  without scores;
- peak RSS: a separate process per engine loads two models (fr and es; the same folder twice
  unless ``--es-model``) and translates ``--rss-spans`` spans with both, beam 4, with the default
  thread split (several batches, so that every replica decodes one);
- start-up: ``python -m translate --help``, best of several runs.
Model loading and conversion are outside the timings.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

TARGETS = {  # beam 4 (and greedy for the raw baseline), ratios within one run
    "pipeline_over_best_raw": 0.95,
    "pipeline_ct2_over_naive": 10.0,
    "pipeline_tf_over_naive": 2.5,
    "peak_rss_mb_transformers_max": 1536.0,
    "peak_rss_mb_ctranslate2_max": 1200.0,  # issue 28: under 1.2 GB with every replica busy
    "startup_s_max": 0.5,
}


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def seed_spans(count: int) -> list[str]:
    """The fr/es spans of the seeds, repeated (each repetition made distinct) to about ``count``."""
    from translate.formats import read_source
    from translate.segment import segment_document

    base: list[str] = []
    for path in sorted((REPO / "seeds").glob("*.txt")):
        document = read_source(path, path.name)
        base += [seg.text for seg in segment_document(document.text, document.blocks) if seg.needs_translation]
    base = list(dict.fromkeys(base))
    spans = []
    round_number = 1
    while len(spans) < count:
        spans += [text if round_number == 1 else f"{text} ({round_number})" for text in base]
        round_number += 1
    return spans[:count]


def build_model(work: Path, quick: bool) -> Path:
    from translate.modelbuild import OPUS_MT_SHAPE, MarianShape, build_marian_model

    texts = [line for path in sorted((REPO / "seeds").glob("*.txt")) for line in path.read_text("utf-8").splitlines()]
    shape = MarianShape(model_vocab_size=600) if quick else OPUS_MT_SHAPE
    return build_marian_model(work / ("bench-tiny" if quick else "bench-opus-mt-shape"), texts, shape)


def engine_settings(engine: str, beams: int, output_tokens: int, threads: int | None):
    from translate.engines import EngineSettings

    return EngineSettings(engine=engine, device="cpu", beams=beams, threads=threads,
                          min_new_tokens=output_tokens, max_new_tokens=output_tokens)


def time_naive_transformers(model_dir: Path, spans: list[str], beams: int, output_tokens: int) -> tuple[int, float]:
    import torch
    from transformers import MarianMTModel, MarianTokenizer
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    tokenizer = MarianTokenizer.from_pretrained(model_dir)
    model = MarianMTModel.from_pretrained(model_dir).eval()
    tokens = 0
    started = time.perf_counter()
    with torch.inference_mode():
        for text in spans:
            inputs = tokenizer([text], return_tensors="pt")
            output = model.generate(**inputs, num_beams=beams, min_new_tokens=output_tokens, max_new_tokens=output_tokens)
            tokenizer.decode(output[0], skip_special_tokens=True)
            tokens += output.shape[1] - 1  # minus the decoder start token
    return tokens, time.perf_counter() - started


_engines: dict[tuple, object] = {}  # loaded engines, by setting, reused across rounds (see time_pipeline)


def load_split_engine(engine_name: str, model_dir: Path, settings, split: tuple[int, int] | None = None):
    """``load_engine``, with CTranslate2's replicas x threads set to ``split`` instead of ``thread_split``'s."""
    from unittest import mock

    from translate.engines import ctranslate2_engine, load_engine

    if split is None:
        return load_engine(model_dir, settings)
    with mock.patch.object(ctranslate2_engine, "thread_split", lambda threads: split):
        return load_engine(model_dir, settings)


class UnscoredTranslator:
    """A CTranslate2 translator whose calls return no scores (every score 0.0): what the pipeline would cost
    without the scores its outputs carry, for the greedy comparison only (greedy decoding skips its
    log-softmax without scores; beam search needs it anyway)."""

    def __init__(self, translator):
        self.translator = translator

    def translate_batch(self, *args, **options):
        options["return_scores"] = False
        return [_Unscored(result) for result in self.translator.translate_batch(*args, **options)]


class _Unscored:
    def __init__(self, result):
        self.pending = result

    def result(self):
        done = self.pending.result()
        self.hypotheses, self.attention, self.scores = done.hypotheses, done.attention, [0.0]
        return self


def time_pipeline(engine_name: str, model_dir: Path, spans: list[str], beams: int, output_tokens: int,
                  threads: int | None, batch_size: int | None = None, batch_tokens: int | None = None,
                  split: tuple[int, int] | None = None, scores: bool = True) -> tuple[int, float]:
    from translate.translator import translate_texts

    key = (engine_name, str(model_dir), beams, output_tokens, threads, split)
    if key not in _engines:
        _engines[key] = load_split_engine(engine_name, model_dir,
                                          engine_settings(engine_name, beams, output_tokens, threads), split)
        # One small call first, outside the timing. The raw translators are warmed alike.
        translate_texts(_engines[key], spans[:2])
    # One engine per setting for the whole run, as the raw translators are: a batch run loads its engine
    # once and makes many calls, so a fresh engine's first large batches (its buffers growing, page faults)
    # are not what a span costs. A new engine per timing made the greedy pipeline 15 % slower than the raw
    # translator on the same batches (benchmarks/results/bench_translate-threads-4rounds-fresh-engine-*).
    engine = _engines[key]
    if not scores:  # CTranslate2 only
        translator, engine.translator = engine.translator, UnscoredTranslator(engine.translator)
    try:
        started = time.perf_counter()
        hypotheses = translate_texts(engine, spans, batch_size=batch_size, batch_tokens=batch_tokens)
        seconds = time.perf_counter() - started
    finally:
        if not scores:
            engine.translator = translator
    return sum(h.target_tokens for h in hypotheses), seconds


RAW_GRID = (("examples", 16), ("examples", 32), ("examples", 64), ("tokens", 1024), ("tokens", 2048), ("tokens", 4096))
RAW_ORDERS = ("in_order", "shuffled")
# Raw configurations also timed with scores returned, as the pipeline must return them (the spot-check and
# the review read them): greedy decoding can skip its softmax without scores, beam search cannot. The
# best of the grid was one of these in every run of docs/threads.md.
RAW_SCORED = (("examples", 32), ("tokens", 4096))


def thread_splits(threads: int) -> list[tuple[int, int]]:
    """Every ``(inter_threads, intra_threads)`` that uses exactly ``threads`` threads."""
    return [(inter, threads // inter) for inter in range(1, threads + 1) if threads % inter == 0]


def raw_ctranslate2_runner(model_dir: Path, spans: list[str], threads: int):
    """A function timing one raw ``translate_batch`` call over all spans: (inter_threads, intra_threads,
    batch_type, max_batch_size, order, beams, output_tokens) -> (tokens, seconds). Loading (one translator per
    thread split) and tokenisation happen once, outside every timing."""
    import random

    import ctranslate2
    import sentencepiece

    from translate.engines.ctranslate2_engine import ensure_converted

    converted = ensure_converted(model_dir, "int8")
    translators = {split: ctranslate2.Translator(str(converted), device="cpu", compute_type="int8",
                                                 inter_threads=split[0], intra_threads=split[1])
                   for split in thread_splits(threads)}
    processor = sentencepiece.SentencePieceProcessor(model_file=str(model_dir / "source.spm"))
    in_order = [pieces + ["</s>"] for pieces in processor.encode(spans, out_type=str)]
    shuffled = list(in_order)
    random.Random(0).shuffle(shuffled)
    sources = {"in_order": in_order, "shuffled": shuffled}
    for translator in translators.values():  # warmed like the pipeline's engine
        translator.translate_batch(in_order[:2], beam_size=1, max_decoding_length=4)

    def run(inter: int, intra: int, batch_type: str, max_batch_size: int, order: str, beams: int,
            output_tokens: int, scores: bool = False) -> tuple[int, float]:
        started = time.perf_counter()
        results = translators[inter, intra].translate_batch(
            sources[order], max_batch_size=max_batch_size, batch_type=batch_type, beam_size=beams,
            min_decoding_length=output_tokens, max_decoding_length=output_tokens, return_scores=scores)
        seconds = time.perf_counter() - started
        return sum(len(r.hypotheses[0]) for r in results), seconds

    return run


CONFIG_KEYS = ("inter_threads", "intra_threads", "batch_type", "max_batch_size", "order")


def timed_rounds(plan: list[tuple[str, object]], rounds: int, label: str) -> tuple[dict[str, int], dict[str, list[float]]]:
    """Run every ``(key, method)`` of ``plan`` once per round, ``rounds`` rounds, every other round in
    reverse order (no method always runs right after the same one, and a slow spell of the machine hits
    every method alike); returns each key's token count and its seconds, round by round."""
    tokens: dict[str, int] = {}
    runs: dict[str, list[float]] = {key: [] for key, _ in plan}
    for round_number in range(rounds):
        for key, method in plan if round_number % 2 == 0 else reversed(plan):
            tokens[key], seconds = method()
            runs[key].append(seconds)
            log(f"{label} {round_number + 1}: {key}: {tokens[key]} tokens in {seconds:.1f} s")
    return tokens, runs


def confirm(pipeline, raws: list[tuple[dict, object]], rounds: int, label: str, unscored=None,
            scored: list[tuple[dict, object]] | None = None) -> dict:
    """Time the pipeline and the grid's fastest raw configurations again, side by side, ``rounds`` rounds.

    The grid picks its best of many noisy timings (24 configurations, each its best run), so its winner's
    figure is biased upward by the noise: the same configuration ran 7 % apart in one run. Here every
    method gets the same number of runs, in rounds that alternate their order, and keeps its best run; the
    baseline is the fastest of the raw configurations in these rounds. ``paired_ratios`` are each round's
    pipeline over that configuration, timed in the same round. ``unscored``, where given, is the pipeline
    without scores, timed in the same rounds (``pipeline_unscored_*``). ``scored``, where given, are raw
    configurations returning scores, as the pipeline's outputs must (``raw_scored``,
    ``pipeline_over_best_raw_scored``): greedy decoding skips its log-softmax without them."""
    plan = [("pipeline", pipeline)] + [(f"raw_{i}", method) for i, (_, method) in enumerate(raws)]
    plan += [(f"scored_{i}", method) for i, (_, method) in enumerate(scored or [])]
    if unscored is not None:
        plan.append(("pipeline_unscored", unscored))
    tokens, runs = timed_rounds(plan, rounds, f"{label}: confirmation round")

    def timed(prefix: str, configs: list[tuple[dict, object]]) -> list[dict]:
        return [{**config, "tok_s": round(tokens[f"{prefix}_{i}"] / min(runs[f"{prefix}_{i}"]), 1),
                 "runs_s": [round(s, 3) for s in runs[f"{prefix}_{i}"]]} for i, (config, _) in enumerate(configs)]

    raw = timed("raw", raws)
    best_index = max(range(len(raw)), key=lambda i: raw[i]["tok_s"])
    best = raw[best_index]
    pipeline_tok_s = round(tokens["pipeline"] / min(runs["pipeline"]), 1)
    paired = [round(r / p, 3) for p, r in zip(runs["pipeline"], runs[f"raw_{best_index}"])]
    extra = {}
    if unscored is not None:
        unscored_tok_s = round(tokens["pipeline_unscored"] / min(runs["pipeline_unscored"]), 1)
        extra = {"pipeline_unscored_tok_s": unscored_tok_s,
                 "pipeline_unscored_runs_s": [round(s, 3) for s in runs["pipeline_unscored"]],
                 "pipeline_unscored_over_best_raw": round(unscored_tok_s / best["tok_s"], 3)}
    if scored:
        raw_scored = timed("scored", scored)
        best_scored = max(raw_scored, key=lambda r: r["tok_s"])
        extra |= {"raw_scored": raw_scored, "best_raw_scored_tok_s": best_scored["tok_s"],
                  "pipeline_over_best_raw_scored": round(pipeline_tok_s / best_scored["tok_s"], 3)}
    return {
        "rounds": rounds, "pipeline_tok_s": pipeline_tok_s, "pipeline_runs_s": [round(s, 3) for s in runs["pipeline"]],
        "raw": raw,
        "best_raw_config": {k: best[k] for k in CONFIG_KEYS}, "best_raw_tok_s": best["tok_s"],
        "pipeline_over_best_raw": round(pipeline_tok_s / best["tok_s"], 3),
        "paired_ratios": paired, "median_paired_ratio": round(statistics.median(paired), 3),
        "tokens_equal": len(set(tokens.values())) == 1, **extra,
    }


def peak_rss_child(engine_name: str, fr_model: Path, es_model: Path, spans: list[str], output_tokens: int,
                   threads: int | None, split: tuple[int, int] | None = None) -> float:
    """In this (fresh) process: load fr and es models on one engine, translate with both; peak RSS in MB."""
    from translate.translator import translate_texts

    settings = engine_settings(engine_name, 4, output_tokens, threads)
    engines = [load_split_engine(engine_name, fr_model, settings, split),
               load_split_engine(engine_name, es_model, settings, split)]
    for engine in engines:
        translate_texts(engine, spans)
    # VmHWM (peak resident set) starts afresh at exec, unlike getrusage's ru_maxrss, which keeps the
    # peak of the forking parent.
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # not Linux: KiB on most systems


def measure_peak_rss(engine_name: str, fr_model: Path, es_model: Path, spans: int, output_tokens: int,
                     threads: int | None, split: tuple[int, int] | None = None) -> float:
    command = [sys.executable, __file__, "--rss-child", engine_name, "--model", str(fr_model), "--es-model",
               str(es_model), "--spans", str(spans), "--output-tokens", str(output_tokens)]
    if threads:
        command += ["--threads", str(threads)]
    if split:
        command += ["--rss-split", f"{split[0]}x{split[1]}"]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    return float(done.stdout.strip().splitlines()[-1])


def measure_startup(runs: int) -> float:
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "translate", "--help"], capture_output=True, check=True, cwd=REPO)
        best = min(best, time.perf_counter() - started)
    return best


def run(args: argparse.Namespace) -> dict:
    from translate.engines.ctranslate2_engine import ensure_converted
    from translate.engines.threads import available_cpus, thread_split

    threads = args.threads or available_cpus()
    with tempfile.TemporaryDirectory(prefix="bench-translate-") as tmp:
        work = Path(tmp)
        model_dir = Path(args.model) if args.model else build_model(work, args.quick)
        es_model = Path(args.es_model) if args.es_model else model_dir
        # Conversions (and their torch import) happen here, outside any timing or memory figure.
        import os

        os.environ.setdefault("TRANSLATE_MODELS_DIR", str(work / "models-root"))
        for folder in {model_dir, es_model}:
            ensure_converted(folder, "int8")
        spans = seed_spans(args.spans)
        naive_spans = spans[: args.naive_spans]
        raw = raw_ctranslate2_runner(model_dir, spans, threads)
        splits = thread_splits(threads)
        result: dict = {
            "model": args.model or ("tiny random model" if args.quick else "random weights, opus-mt-fr-en shape"),
            "spans": len(spans), "unique_spans": len(set(spans)), "naive_spans": len(naive_spans),
            "output_tokens_per_span": args.output_tokens, "threads": threads, "repeats": args.repeats,
            "raw_ctranslate2_batch_size": args.raw_batch_size, "ctranslate2_only": args.ctranslate2_only,
        }
        for beams, label in ((4, "beam_4"), (1, "greedy")):
            if beams not in args.beam_sizes:
                continue
            figures: dict = {}
            # Every method of this beam setting, timed in rounds: with --repeats N each method runs once per
            # round and keeps its best run, so a slow spell of the machine hits every method alike (rather
            # than all the repeats of whichever method it fell on).
            plan = [] if args.ctranslate2_only else [
                ("naive_transformers", lambda: time_naive_transformers(model_dir, naive_spans, beams, args.output_tokens)),
                ("pipeline_transformers", lambda: time_pipeline("transformers", model_dir, spans, beams,
                                                                args.output_tokens, threads)),
            ]
            plan.append(("pipeline_ctranslate2", lambda: time_pipeline("ctranslate2", model_dir, spans, beams,
                                                                       args.output_tokens, threads)))
            for inter, intra in splits:
                for batch_type, size in args.raw_grid:
                    for order in args.raw_orders:
                        plan.append((f"raw_{inter}x{intra}_{batch_type}_{size}_{order}",
                                     lambda i=inter, t=intra, b=batch_type, m=size, o=order:
                                     raw(i, t, b, m, o, beams, args.output_tokens)))
            default_split = thread_split(threads)
            for batch_type, size in RAW_SCORED:
                plan.append((f"scored_{batch_type}_{size}",
                             lambda b=batch_type, m=size: raw(*default_split, b, m, "in_order", beams, args.output_tokens,
                                                              scores=True)))
            # The raw figure before issue 28: one replica with every thread, examples --raw-batch-size, in order.
            old_raw = f"raw_1x{threads}_examples_{args.raw_batch_size}_in_order"
            if not any(key == old_raw for key, _ in plan):
                plan.append((old_raw, lambda: raw(1, threads, "examples", args.raw_batch_size, "in_order", beams,
                                                  args.output_tokens)))
            for split in args.pipeline_splits:
                plan.append((f"pipeline_ctranslate2_split_{split[0]}x{split[1]}",
                             lambda s=split: time_pipeline("ctranslate2", model_dir, spans, beams, args.output_tokens,
                                                           threads, split=s)))
            for size, tokens in args.pipeline_batching:
                plan.append((f"pipeline_ctranslate2_{size}x{tokens}",
                             lambda n=size, t=tokens: time_pipeline("ctranslate2", model_dir, spans, beams,
                                                                    args.output_tokens, threads, batch_size=n, batch_tokens=t)))
            counts, runs = timed_rounds(plan, args.repeats, f"{label}: round")
            all_seconds = {key: [round(seconds, 2) for seconds in times] for key, times in runs.items()}
            for key, times in runs.items():
                figures[f"{key}_tok_s"] = round(counts[key] / min(times), 1)
                figures[f"{key}_s"] = round(min(times), 2)
            grid = []
            for inter, intra in splits:
                for batch_type, size in args.raw_grid:
                    for order in args.raw_orders:
                        key = f"raw_{inter}x{intra}_{batch_type}_{size}_{order}"
                        grid.append({"inter_threads": inter, "intra_threads": intra, "batch_type": batch_type,
                                     "max_batch_size": size, "order": order,
                                     "tok_s": figures.pop(f"{key}_tok_s"), "s": figures.pop(f"{key}_s"),
                                     "runs_s": all_seconds[key]})
            figures["raw_ctranslate2_grid"] = grid
            scored = [{"inter_threads": default_split[0], "intra_threads": default_split[1], "batch_type": batch_type, "max_batch_size": size,
                       "order": "in_order", "tok_s": figures.pop(f"scored_{batch_type}_{size}_tok_s"),
                       "s": figures.pop(f"scored_{batch_type}_{size}_s"), "runs_s": all_seconds[f"scored_{batch_type}_{size}"]}
                      for batch_type, size in RAW_SCORED]
            figures["raw_ctranslate2_scored"] = scored
            figures["pipeline_ctranslate2_runs_s"] = all_seconds["pipeline_ctranslate2"]
            figures["raw_ctranslate2_tok_s"] = figures.pop(f"{old_raw}_tok_s", None) or next(
                g["tok_s"] for g in grid if (g["inter_threads"], g["batch_type"], g["max_batch_size"], g["order"])
                == (1, "examples", args.raw_batch_size, "in_order"))
            counts["raw_ctranslate2"] = counts.pop(old_raw)
            figures.pop(f"{old_raw}_s", None)
            best = max(grid, key=lambda g: g["tok_s"])
            figures["best_raw_ctranslate2_tok_s"] = best["tok_s"]
            figures["best_raw_config"] = {k: best[k] for k in ("inter_threads", "intra_threads", "batch_type",
                                                                 "max_batch_size", "order")}
            figures["pipeline_thread_split"] = list(thread_split(threads))
            figures["pipeline_over_best_raw"] = round(figures["pipeline_ctranslate2_tok_s"] / best["tok_s"], 3)
            if args.confirm_rounds:
                top = sorted(grid, key=lambda g: -g["tok_s"])[: args.confirm_top]
                figures["confirmed"] = confirm(
                    lambda: time_pipeline("ctranslate2", model_dir, spans, beams, args.output_tokens, threads),
                    [({k: g[k] for k in CONFIG_KEYS},
                      lambda g=g: raw(g["inter_threads"], g["intra_threads"], g["batch_type"], g["max_batch_size"],
                                      g["order"], beams, args.output_tokens)) for g in top],
                    args.confirm_rounds, label,
                    unscored=(lambda: time_pipeline("ctranslate2", model_dir, spans, beams, args.output_tokens, threads,
                                                    scores=False)) if beams == 1 else None,
                    scored=[({k: g[k] for k in CONFIG_KEYS},
                             lambda g=g: raw(g["inter_threads"], g["intra_threads"], g["batch_type"], g["max_batch_size"],
                                             g["order"], beams, args.output_tokens, scores=True))
                            for g in top] if beams == 1 else None)
                figures["pipeline_over_best_raw_confirmed"] = figures["confirmed"]["pipeline_over_best_raw"]
                if beams == 1:
                    figures["pipeline_over_best_raw_scored_confirmed"] = figures["confirmed"]["pipeline_over_best_raw_scored"]
            best_scored = max(scored, key=lambda g: g["tok_s"])
            figures["pipeline_over_best_raw_scored"] = round(figures["pipeline_ctranslate2_tok_s"] / best_scored["tok_s"], 3)
            for split in args.pipeline_splits:
                key = f"pipeline_ctranslate2_split_{split[0]}x{split[1]}"
                tok_s = figures.pop(f"{key}_tok_s")
                figures.setdefault("pipeline_ctranslate2_splits", []).append(
                    {"inter_threads": split[0], "intra_threads": split[1], "tok_s": tok_s,
                     "s": figures.pop(f"{key}_s"), "runs_s": all_seconds[key],
                     "over_best_raw": round(tok_s / best["tok_s"], 3)})
            for size, tokens in args.pipeline_batching:
                key = f"pipeline_ctranslate2_{size}x{tokens}"
                figures.setdefault("pipeline_ctranslate2_batching", []).append(
                    {"batch_size": size, "batch_tokens": tokens, "tok_s": figures.pop(f"{key}_tok_s"),
                     "s": figures.pop(f"{key}_s"), "runs_s": all_seconds[key]})
            per_span = args.output_tokens
            expected = {key: len(spans) * per_span for key in counts}
            if "naive_transformers" in counts:
                expected["naive_transformers"] = len(naive_spans) * per_span
            figures["target_tokens_equal"] = counts == expected
            figures["pipeline_ct2_over_raw_ct2"] = round(figures["pipeline_ctranslate2_tok_s"] / figures["raw_ctranslate2_tok_s"], 2)
            if not args.ctranslate2_only:
                figures["pipeline_ct2_over_naive"] = round(
                    figures["pipeline_ctranslate2_tok_s"] / figures["naive_transformers_tok_s"], 2)
                figures["pipeline_tf_over_naive"] = round(
                    figures["pipeline_transformers_tok_s"] / figures["naive_transformers_tok_s"], 2)
            result[label] = figures
        rss_spans = min(len(spans), args.rss_spans)
        log("peak memory, one process per engine...")
        if not args.ctranslate2_only:
            result["peak_rss_mb_transformers"] = round(
                measure_peak_rss("transformers", model_dir, es_model, rss_spans, args.output_tokens, threads), 1)
        result["peak_rss_mb_ctranslate2"] = round(
            measure_peak_rss("ctranslate2", model_dir, es_model, rss_spans, args.output_tokens, threads), 1)
        for split in args.pipeline_splits:
            result.setdefault("peak_rss_mb_ctranslate2_splits", {})[f"{split[0]}x{split[1]}"] = round(
                measure_peak_rss("ctranslate2", model_dir, es_model, rss_spans, args.output_tokens, threads, split), 1)
    result["startup_s"] = round(measure_startup(args.startup_runs), 3)
    # The beam-4 comparison with the best raw configuration, also at the top level for scripts.
    beam4, greedy = result.get("beam_4"), result.get("greedy")
    if beam4:
        for key in ("best_raw_ctranslate2_tok_s", "best_raw_config", "pipeline_over_best_raw"):
            result[key] = beam4[key]
    met = {}
    if beam4:
        met["pipeline_over_best_raw"] = beam4["pipeline_over_best_raw"] >= TARGETS["pipeline_over_best_raw"]
        if not args.ctranslate2_only:
            met["pipeline_ct2_over_naive"] = beam4["pipeline_ct2_over_naive"] >= TARGETS["pipeline_ct2_over_naive"]
            met["pipeline_tf_over_naive"] = beam4["pipeline_tf_over_naive"] >= TARGETS["pipeline_tf_over_naive"]
    if greedy:
        met["greedy_pipeline_over_best_raw"] = greedy["pipeline_over_best_raw"] >= TARGETS["pipeline_over_best_raw"]
    for key, figures in (("beam_4", beam4), ("greedy", greedy)):
        if figures and "confirmed" in figures:
            met[f"{key}_pipeline_over_best_raw_confirmed"] = (
                figures["pipeline_over_best_raw_confirmed"] >= TARGETS["pipeline_over_best_raw"])
            if "pipeline_over_best_raw_scored_confirmed" in figures:
                met[f"{key}_pipeline_over_best_raw_scored_confirmed"] = (
                    figures["pipeline_over_best_raw_scored_confirmed"] >= TARGETS["pipeline_over_best_raw"])
    if not args.ctranslate2_only:
        met["peak_rss_mb_transformers"] = result["peak_rss_mb_transformers"] <= TARGETS["peak_rss_mb_transformers_max"]
    met["peak_rss_mb_ctranslate2"] = result["peak_rss_mb_ctranslate2"] < TARGETS["peak_rss_mb_ctranslate2_max"]
    met["startup_s"] = result["startup_s"] < TARGETS["startup_s_max"]
    result["targets_met"] = met
    return result


def print_table(result: dict) -> None:
    if "beam_4" not in result or "greedy" not in result:  # --beam-sizes with one setting: no side-by-side table
        print(json.dumps(result, indent=2))
        return
    print(f"model: {result['model']}; {result['spans']} spans ({result['unique_spans']} unique), "
          f"{result['output_tokens_per_span']} target tokens each; naive on {result['naive_spans']} spans; "
          f"{result['threads']} threads")
    print()
    print("| measure | beam 4 | greedy |")
    print("| --- | ---: | ---: |")
    rows = [
        ("naive transformers, tokens/s", "naive_transformers_tok_s"),
        ("pipeline transformers, tokens/s", "pipeline_transformers_tok_s"),
        ("pipeline ctranslate2, tokens/s", "pipeline_ctranslate2_tok_s"),
        ("raw ctranslate2 int8, 1 replica x all threads, examples 32 in order, tokens/s", "raw_ctranslate2_tok_s"),
        ("best raw ctranslate2 int8, tokens/s", "best_raw_ctranslate2_tok_s"),
        ("best raw configuration", "best_raw_config"),
        ("pipeline thread split (inter x intra)", "pipeline_thread_split"),
        ("**pipeline ct2 / best raw ct2**", "pipeline_over_best_raw"),
        ("pipeline ct2 / best raw ct2 returning scores (examples 32, tokens 4096)", "pipeline_over_best_raw_scored"),
        ("**pipeline ct2 / best raw ct2, confirmation rounds** (the grid's fastest, timed again side by side)",
         "pipeline_over_best_raw_confirmed"),
        ("pipeline ct2 / raw ct2 (examples 32, in order)", "pipeline_ct2_over_raw_ct2"),
        ("pipeline ct2 / naive", "pipeline_ct2_over_naive"),
        ("pipeline tf / naive", "pipeline_tf_over_naive"),
        ("same target token counts", "target_tokens_equal"),
    ]
    def cell(value) -> str:
        if isinstance(value, dict):
            return (f"{value['inter_threads']} x {value['intra_threads']} threads, {value['batch_type']} "
                    f"{value['max_batch_size']}, {value['order'].replace('_', ' ')}")
        if isinstance(value, list):
            return " x ".join(map(str, value))
        return str(value)

    for label, key in rows:
        if key in result["beam_4"]:  # --ctranslate2-only: no transformers rows
            print(f"| {label} | {cell(result['beam_4'][key])} | {cell(result['greedy'][key])} |")
    print()
    print("raw CTranslate2 `translate_batch`, tokens/s:")
    print()
    print("| inter x intra threads | batch_type | max_batch_size | input | beam 4 | greedy |")
    print("| --- | --- | ---: | --- | ---: | ---: |")
    for beam4, greedy in zip(result["beam_4"]["raw_ctranslate2_grid"], result["greedy"]["raw_ctranslate2_grid"]):
        print(f"| {beam4['inter_threads']} x {beam4['intra_threads']} | {beam4['batch_type']} "
              f"| {beam4['max_batch_size']} | {beam4['order'].replace('_', ' ')} | {beam4['tok_s']} | {greedy['tok_s']} |")
    for mode, title in (("beam_4", "beam 4"), ("greedy", "greedy")):
        confirmed = result[mode].get("confirmed")
        if not confirmed:
            continue
        print()
        print(f"{title}, confirmation rounds: the pipeline and the grid's fastest raw configurations timed again side "
              f"by side, {confirmed['rounds']} rounds, each method's best run:")
        print()
        print("| method | tokens/s | runs (s) |")
        print("| --- | ---: | --- |")
        print(f"| pipeline | {confirmed['pipeline_tok_s']} | {' '.join(map(str, confirmed['pipeline_runs_s']))} |")
        for raw in confirmed["raw"]:
            print(f"| raw, {cell(raw)} | {raw['tok_s']} | {' '.join(map(str, raw['runs_s']))} |")
        print(f"| **pipeline / fastest raw** | **{confirmed['pipeline_over_best_raw']}** | "
              f"median of the rounds' paired ratios {confirmed['median_paired_ratio']} |")
        for raw in confirmed.get("raw_scored", []):
            print(f"| raw returning scores, {cell(raw)} | {raw['tok_s']} | {' '.join(map(str, raw['runs_s']))} |")
        if "pipeline_over_best_raw_scored" in confirmed:
            print(f"| **pipeline / fastest raw returning scores** (the same outputs) | "
                  f"**{confirmed['pipeline_over_best_raw_scored']}** | |")
        if "pipeline_unscored_tok_s" in confirmed:
            print(f"| pipeline without scores (outputs then lack them) | {confirmed['pipeline_unscored_tok_s']} | "
                  f"{' '.join(map(str, confirmed['pipeline_unscored_runs_s']))} |")
            print(f"| pipeline without scores / fastest raw | {confirmed['pipeline_unscored_over_best_raw']} | |")
    if result["beam_4"].get("pipeline_ctranslate2_splits"):
        print()
        print("pipeline ctranslate2 with other thread splits (default batching), tokens/s, and over the grid's best raw:")
        print()
        print("| replicas x threads | beam 4 | greedy | peak RSS fr+es (MB) |")
        print("| --- | ---: | ---: | ---: |")
        memory = result.get("peak_rss_mb_ctranslate2_splits", {})
        for beam4, greedy in zip(result["beam_4"]["pipeline_ctranslate2_splits"],
                                 result["greedy"]["pipeline_ctranslate2_splits"]):
            name = f"{beam4['inter_threads']}x{beam4['intra_threads']}"
            print(f"| {beam4['inter_threads']} x {beam4['intra_threads']} | {beam4['tok_s']} ({beam4['over_best_raw']}) "
                  f"| {greedy['tok_s']} ({greedy['over_best_raw']}) | {memory.get(name, '')} |")
    if result["beam_4"].get("pipeline_ctranslate2_batching"):
        print()
        print("pipeline ctranslate2 with other batch limits, tokens/s:")
        print()
        print("| spans | padded tokens | beam 4 | greedy |")
        print("| ---: | ---: | ---: | ---: |")
        for beam4, greedy in zip(result["beam_4"]["pipeline_ctranslate2_batching"],
                                 result["greedy"]["pipeline_ctranslate2_batching"]):
            spans = beam4['batch_size'] or "default (32 at beam 4, 128 greedy)"
            print(f"| {spans} | {beam4['batch_tokens']} | {beam4['tok_s']} | {greedy['tok_s']} |")
    print()
    print("| measure | value |")
    print("| --- | ---: |")
    if "peak_rss_mb_transformers" in result:
        print(f"| peak RSS, fr+es loaded, transformers (MB) | {result['peak_rss_mb_transformers']} |")
    print(f"| peak RSS, fr+es loaded, ctranslate2 (MB) | {result['peak_rss_mb_ctranslate2']} |")
    print(f"| `translate --help` start-up (s) | {result['startup_s']} |")
    print()
    print("targets (beam 4): " + ", ".join(f"{k} {'met' if ok else 'MISSED'}" for k, ok in result["targets_met"].items()))


def split_option(value: str) -> tuple[int, int]:
    """INTERxINTRA, e.g. 8x2: CTranslate2 replicas x threads each."""
    inter, _, intra = value.partition("x")
    try:
        split = int(inter), int(intra)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value}: expected INTERxINTRA, e.g. 8x2") from None
    if min(split) < 1:
        raise argparse.ArgumentTypeError(f"{value}: both numbers must be at least 1")
    return split


def raw_option(value: str) -> tuple[str, int]:
    """TYPE:SIZE, e.g. examples:32 or tokens:4096: one batching option of the raw grid."""
    batch_type, _, size = value.partition(":")
    if batch_type not in ("examples", "tokens") or not size.isdigit() or int(size) < 1:
        raise argparse.ArgumentTypeError(f"{value}: expected examples:N or tokens:N, e.g. examples:32")
    return batch_type, int(size)


def batching(value: str) -> tuple[int | None, int]:
    """SPANSxTOKENS; SPANS 0 keeps the engine's own span bound (32 at beam 4, 128 greedy)."""
    spans, _, tokens = value.partition("x")
    try:
        return int(spans) or None, int(tokens)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value}: expected SPANSxTOKENS, e.g. 32x2048 or 0x8192") from None


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", help="a MarianMT folder (default: build one with random weights)")
    parser.add_argument("--es-model", help="second model for the memory figure (default: --model again)")
    parser.add_argument("--spans", type=int, default=500)
    parser.add_argument("--naive-spans", type=int, default=48, help="spans for the (slow) naive method")
    parser.add_argument("--rss-spans", type=int, default=128, help="spans each model translates in the memory run")
    parser.add_argument("--output-tokens", type=int, default=32, help="target tokens forced per span")
    parser.add_argument("--raw-batch-size", type=int, default=32, help="max_batch_size (examples) of the raw run")
    parser.add_argument("--repeats", type=int, default=1, help="N rounds, each timing every method once; each keeps its best")
    parser.add_argument("--beam-sizes", type=int, nargs="+", default=[4, 1], choices=[4, 1],
                        help="which of beam 4 and greedy to time (default both)")
    parser.add_argument("--pipeline-batching", nargs="*", default=[], type=batching, metavar="SPANSxTOKENS",
                        help="also time the ctranslate2 pipeline with these batch limits, e.g. 32x2048 64x4096; "
                             "0 spans: the engine's own span bound (0x8192: the default before 2026-12-04's change)")
    parser.add_argument("--pipeline-splits", nargs="*", default=[], type=split_option, metavar="INTERxINTRA",
                        help="also time the ctranslate2 pipeline (and its fr+es memory) with these thread splits, "
                             "e.g. 16x1 8x2 (default: only thread_split's)")
    parser.add_argument("--raw-grid", nargs="+", default=list(RAW_GRID), type=raw_option, metavar="TYPE:SIZE",
                        help="the raw grid's batching options (default: examples 16, 32, 64 and tokens 1024, 2048, "
                             "4096); every thread split is timed with each")
    parser.add_argument("--raw-orders", nargs="+", default=list(RAW_ORDERS), choices=RAW_ORDERS,
                        help="the raw grid's input orders (default both)")
    parser.add_argument("--confirm-rounds", type=int, default=4,
                        help="time the pipeline and the grid's fastest raw configurations again, side by side, in N "
                             "rounds (0: skip)")
    parser.add_argument("--confirm-top", type=int, default=3, help="how many of the grid's fastest to time again")
    parser.add_argument("--threads", type=int, default=None, help="CPU threads (default: every available CPU)")
    parser.add_argument("--ctranslate2-only", action="store_true",
                        help="skip the transformers methods (naive, pipeline, memory): issue 28's figures only")
    parser.add_argument("--startup-runs", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="tiny model and few spans: a smoke run, not figures")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    parser.add_argument("--rss-child", help=argparse.SUPPRESS)
    parser.add_argument("--rss-split", type=split_option, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.rss_child:
        spans = seed_spans(args.spans)
        print(peak_rss_child(args.rss_child, Path(args.model), Path(args.es_model), spans, args.output_tokens, args.threads,
                             args.rss_split))
        return
    if args.quick:
        args.spans, args.naive_spans, args.rss_spans = min(args.spans, 24), min(args.naive_spans, 3), min(args.rss_spans, 4)
        args.output_tokens, args.startup_runs = min(args.output_tokens, 6), min(args.startup_runs, 1)
    result = run(args)
    if args.json:
        print(json.dumps(result, indent=1))
    else:
        print_table(result)


if __name__ == "__main__":
    main()
