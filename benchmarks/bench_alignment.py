"""What word alignment costs: the attention pass within translation, and the aligner itself.

Uses a random-weight model of opus-mt's shape (6+6 layers, d_model 512, 8 heads, beam 4),
built locally, on the seeds' longer lines. Random weights rarely stop early, so generation
is capped at ``--max-length`` tokens (real opus-mt output is about as long as its input).

The attention pass is timed inside each translate_batch call, next to the call's total:
comparing two separate runs (with and without attention) is swamped by other load on a
shared machine, while both parts of one call see the same load.

    python benchmarks/bench_alignment.py [--sentences 32] [--max-length 48] [--rounds 2]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=32)
    parser.add_argument("--max-length", type=int, default=48)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--threads", type=int, default=0, help="torch threads (0: torch's default)")
    args = parser.parse_args()

    import torch

    from translate.wordalign import align_hypothesis
    from translate.engines import EngineSettings, load_engine
    from translate.engines.transformers_engine import TransformersEngine
    from translate.modelbuild import OPUS_MT_SHAPE, build_marian_model

    if args.threads:
        torch.set_num_threads(args.threads)
    lines = [line for path in sorted((REPO / "seeds").glob("*.txt")) for line in path.read_text("utf-8").splitlines()]
    sentences = [line for line in lines if 40 <= len(line) <= 300][: args.sentences]

    pass_seconds: list[float] = []
    attention_pass = TransformersEngine._add_alignment_attention

    def timed_pass(self, *pass_args):
        started = time.perf_counter()
        attention_pass(self, *pass_args)
        pass_seconds.append(time.perf_counter() - started)

    TransformersEngine._add_alignment_attention = timed_pass
    with tempfile.TemporaryDirectory() as tmp:
        model = build_marian_model(Path(tmp) / "opus-shape", lines, OPUS_MT_SHAPE)
        engine = load_engine(model, EngineSettings(beams=4, attention=True))
        engine.model.generation_config.max_length = args.max_length
        engine.translate_batch(sentences[:2])  # warm up
        shares = []
        for _ in range(args.rounds):
            pass_seconds.clear()
            started = time.perf_counter()
            hypotheses = []
            for start in range(0, len(sentences), 16):
                hypotheses.extend(engine.translate_batch(sentences[start : start + 16]))
            total = time.perf_counter() - started
            shares.append((sum(pass_seconds), total))
    started = time.perf_counter()
    for sentence, hypothesis in zip(sentences, hypotheses):
        align_hypothesis(sentence, hypothesis)
    aligner = time.perf_counter() - started

    print(f"{len(sentences)} sentences, beam 4, up to {args.max_length} tokens, torch threads {torch.get_num_threads()}")
    for attention_seconds, total in shares:
        print(f"translate_batch total {total:.2f} s, of which attention pass {attention_seconds:.2f} s"
              f" ({100 * attention_seconds / total:.1f} %; generation alone would be {total - attention_seconds:.2f} s)")
    print(f"aligner (pieces -> word pairs): {aligner * 1000:.1f} ms in all, {aligner / len(sentences) * 1000:.2f} ms per span")


if __name__ == "__main__":
    main()
