"""What word alignment costs: translation with and without attention, and the aligner itself.

Uses a random-weight model of opus-mt's shape (6+6 layers, d_model 512, 8 heads, beam 4),
built locally, on the seeds' French lines. Random weights rarely stop early, so generation
is capped at ``--max-length`` tokens (real opus-mt output is about as long as its input).

    python benchmarks/bench_alignment.py [--sentences 48] [--max-length 48] [--rounds 2]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=48)
    parser.add_argument("--max-length", type=int, default=48)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--threads", type=int, default=0, help="torch threads (0: torch's default)")
    args = parser.parse_args()

    import torch

    from translate.align import align_hypothesis
    from translate.engines import EngineSettings, load_engine
    from translate.modelbuild import OPUS_MT_SHAPE, build_marian_model

    if args.threads:
        torch.set_num_threads(args.threads)
    lines = [line for path in sorted((REPO / "seeds").glob("*.txt")) for line in path.read_text("utf-8").splitlines()]
    sentences = [line for line in lines if 40 <= len(line) <= 300][: args.sentences]
    with tempfile.TemporaryDirectory() as tmp:
        model = build_marian_model(Path(tmp) / "opus-shape", lines, OPUS_MT_SHAPE)
        engines = {}
        for attention in (False, True):
            engine = load_engine(model, EngineSettings(beams=4, attention=attention))
            engine.model.generation_config.max_length = args.max_length
            engine.translate_batch(sentences[:2])  # warm up
            engines[attention] = engine
        timings: dict[bool, list[float]] = {False: [], True: []}
        hypotheses = []
        for _ in range(args.rounds):
            for attention in (False, True):  # alternate, so load changes hit both alike
                started = time.perf_counter()
                result = []
                for start in range(0, len(sentences), 16):
                    result.extend(engines[attention].translate_batch(sentences[start : start + 16]))
                timings[attention].append(time.perf_counter() - started)
                if attention:
                    hypotheses = result
        started = time.perf_counter()
        for sentence, hypothesis in zip(sentences, hypotheses):
            align_hypothesis(sentence, hypothesis)
        aligner = time.perf_counter() - started

    # The fastest round is the least disturbed by other load on the machine; the median is shown too.
    plain, with_attention = min(timings[False]), min(timings[True])
    print(f"{len(sentences)} sentences, beam 4, up to {args.max_length} tokens, torch threads {torch.get_num_threads()}")
    print(f"translate without attention: {plain:.2f} s (best of {args.rounds}; median {statistics.median(timings[False]):.2f} s)")
    print(f"translate with attention:    {with_attention:.2f} s (best of {args.rounds}; median {statistics.median(timings[True]):.2f} s)"
          f"  -> +{100 * (with_attention / plain - 1):.1f} %")
    print(f"aligner (pieces -> word pairs): {aligner * 1000:.1f} ms in all, {aligner / len(sentences) * 1000:.2f} ms per span")


if __name__ == "__main__":
    main()
