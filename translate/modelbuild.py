"""Build a MarianMT model folder from scratch: a SentencePiece vocabulary trained on
some texts and randomly initialised weights, saved in Hugging Face format.

Tests and benchmarks use it where real opus-mt weights cannot be downloaded: the
folder it writes is loaded through exactly the code path a real model takes. Its
translations are meaningless (the weights are random), but their shapes, speed and
every mechanism around them are real.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class MarianShape:
    d_model: int = 32
    layers: int = 1
    heads: int = 2
    ffn_dim: int = 64
    vocab_size: int = 400  # SentencePiece pieces; specials are added on top
    # Rows of the embedding matrix; when larger than the SentencePiece vocabulary, filler entries pad
    # vocab.json up to it (real opus-mt-fr-en has 59514), so speed and memory match the real model.
    model_vocab_size: int | None = None
    max_positions: int = 512
    max_length: int = 32  # generation stops here (random weights rarely emit </s>)
    num_beams: int = 2


OPUS_MT_SHAPE = MarianShape(d_model=512, layers=6, heads=8, ffn_dim=2048, vocab_size=8000, model_vocab_size=59514,
                            max_positions=512, max_length=512, num_beams=4)


def build_marian_model(out_dir: Path, texts: list[str], shape: MarianShape = MarianShape(), seed: int = 0) -> Path:
    """Write a MarianMT model folder to ``out_dir`` and return it."""
    import sentencepiece as spm
    import torch
    from transformers import GenerationConfig, MarianConfig, MarianMTModel, MarianTokenizer
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()  # no "Writing model shards" bar in test and benchmark output

    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus.txt"
        corpus.write_text("\n".join(t for t in texts if t.strip()), encoding="utf-8")
        spm.SentencePieceTrainer.train(
            input=str(corpus), model_prefix=str(Path(tmp) / "spm"), vocab_size=shape.vocab_size,
            model_type="unigram", character_coverage=1.0, pad_id=0, eos_id=1, unk_id=2, bos_id=-1,
            hard_vocab_limit=False, minloglevel=2, num_threads=1,
        )
        for name in ("source.spm", "target.spm"):
            shutil.copy(Path(tmp) / "spm.model", out_dir / name)
        processor = spm.SentencePieceProcessor(model_file=str(Path(tmp) / "spm.model"))
    # Same id layout as the real opus-mt models: </s> 0, <unk> 1, the pieces, <pad> last (the decoder start
    # token). CTranslate2's Marian converter relies on <pad> being the last entry.
    vocab = {"</s>": 0, "<unk>": 1}
    for index in range(processor.get_piece_size()):
        vocab.setdefault(processor.id_to_piece(index), len(vocab))
    vocab.pop("<pad>", None)
    vocab = {piece: index for index, piece in enumerate(vocab)}
    while shape.model_vocab_size and len(vocab) < shape.model_vocab_size - 1:
        vocab[f"<filler_{len(vocab)}>"] = len(vocab)
    vocab["<pad>"] = pad_id = len(vocab)
    (out_dir / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    tokenizer = MarianTokenizer(str(out_dir / "source.spm"), str(out_dir / "target.spm"), str(out_dir / "vocab.json"),
                                model_max_length=shape.max_positions)
    config = MarianConfig(
        vocab_size=len(vocab), decoder_vocab_size=len(vocab), d_model=shape.d_model,
        encoder_layers=shape.layers, decoder_layers=shape.layers,
        encoder_attention_heads=shape.heads, decoder_attention_heads=shape.heads,
        encoder_ffn_dim=shape.ffn_dim, decoder_ffn_dim=shape.ffn_dim, max_position_embeddings=shape.max_positions,
        pad_token_id=pad_id, eos_token_id=0, decoder_start_token_id=pad_id, forced_eos_token_id=0,
        share_encoder_decoder_embeddings=True,
    )
    torch.manual_seed(seed)
    model = MarianMTModel(config)
    model.generation_config = GenerationConfig(
        pad_token_id=pad_id, eos_token_id=0, decoder_start_token_id=pad_id, forced_eos_token_id=0,
        num_beams=shape.num_beams, max_length=shape.max_length, bad_words_ids=[[pad_id]],
    )
    model.save_pretrained(out_dir)
    tokenizer.save_pretrained(out_dir)
    return out_dir


def main(argv: list[str] | None = None) -> None:
    """``python -m translate.modelbuild OUT_DIR TEXT_FILE...``: a random-weight model to try the pipeline offline."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m translate.modelbuild", description=main.__doc__)
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("texts", type=Path, nargs="+", help="text files to train the vocabulary on")
    args = parser.parse_args(argv)
    lines = [line for path in args.texts for line in path.read_text(encoding="utf-8").splitlines()]
    print(build_marian_model(args.out_dir, lines))


if __name__ == "__main__":
    main()
