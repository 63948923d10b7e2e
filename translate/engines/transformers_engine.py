"""MarianMT through Hugging Face transformers: MarianTokenizer + MarianMTModel.generate.

With ``EngineSettings.attention`` each hypothesis also carries its subword pieces and
the decoder's cross-attention for word alignment (see ``_alignment_attention``).
"""

from __future__ import annotations

from array import array
from pathlib import Path

from translate.engines.base import Engine, EngineSettings, Hypothesis
from translate.errors import TranslateError, UsageError


def pick_device(requested: str) -> str:
    import torch

    if requested == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if requested == "cuda" and not torch.cuda.is_available():
        raise UsageError("--device cuda: no CUDA device is available (use --device cpu or auto)")
    if requested not in ("cpu", "cuda"):
        raise UsageError(f"--device {requested}: choose auto, cpu or cuda")
    return requested


# Upper bound on the attention tensors one alignment pass may hold (all layers, self and cross).
_ALIGNMENT_PASS_BYTES = 256 * 1024 * 1024


class TransformersEngine(Engine):
    name = "transformers"
    compute_type = "float32"
    # Beyond ~32 spans a call, padding and beam bookkeeping eat the gain on CPU; measured in benchmarks/.
    batch_size = 32
    batch_tokens = 2048

    def __init__(self, model_path: Path, settings: EngineSettings):
        import torch  # noqa: F401  (fail here, not mid-batch, if torch is missing)
        from transformers import MarianMTModel, MarianTokenizer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
        hf_logging.set_verbosity_error()
        self.model_path = str(model_path)
        self.settings = settings
        self.device = pick_device(settings.device)
        if settings.threads:  # torch's default is already one thread per physical core
            torch.set_num_threads(settings.threads)
        try:
            self.tokenizer = MarianTokenizer.from_pretrained(model_path)
            # Never trust_remote_code: a model folder is data, not code.
            self.model = MarianMTModel.from_pretrained(model_path, trust_remote_code=False).to(self.device).eval()
        except (OSError, ValueError) as err:
            raise TranslateError(f"cannot load MarianMT model from {model_path}: {str(err).splitlines()[0]}") from None
        config_limit = self.model.config.max_position_embeddings
        tokenizer_limit = self.tokenizer.model_max_length or config_limit
        self.max_input_tokens = int(min(config_limit, tokenizer_limit))

    def count_tokens(self, texts: list[str]) -> list[int]:
        return [len(ids) for ids in self.tokenizer(texts, truncation=False)["input_ids"]]

    def translate_batch(self, texts: list[str]) -> list[Hypothesis]:
        import torch

        if not texts:
            return []
        inputs = self.tokenizer(texts, return_tensors="pt", padding=True, truncation=False).to(self.device)
        generate_options = {"return_dict_in_generate": True, "output_scores": True}
        if self.settings.beams is not None:
            generate_options["num_beams"] = self.settings.beams
        if self.settings.max_new_tokens is not None:
            generate_options["max_new_tokens"] = self.settings.max_new_tokens
        if self.settings.min_new_tokens is not None:
            generate_options["min_new_tokens"] = self.settings.min_new_tokens
        with torch.inference_mode():
            # The encoder runs once: generation and the alignment pass share its output.
            encoder_outputs = self.model.get_encoder()(**inputs)
            encoder_states = encoder_outputs.last_hidden_state  # kept: generate expands encoder_outputs in place
            output = self.model.generate(
                attention_mask=inputs["attention_mask"], encoder_outputs=encoder_outputs, **generate_options
            )
            # Per-token log-probabilities of the chosen sequence (beam search or greedy alike).
            token_logprobs = self.model.compute_transition_scores(
                output.sequences, output.scores, getattr(output, "beam_indices", None), normalize_logits=True
            )
        sequences = output.sequences[:, 1:]  # drop the decoder start token
        pad_id = self.model.config.pad_token_id
        hypotheses = []
        for row, logprobs in zip(sequences, token_logprobs):
            mask = (row != pad_id) & torch.isfinite(logprobs[: row.shape[0]])
            count = int(mask.sum())
            score = float(logprobs[: row.shape[0]][mask].mean()) if count else None
            text = self.tokenizer.decode(row, skip_special_tokens=True)
            hypotheses.append(Hypothesis(text, score, count))
        if self.settings.attention:
            self._add_alignment_attention(texts, inputs, encoder_states, output.sequences, hypotheses)
        return hypotheses

    def _add_alignment_attention(self, texts, inputs, encoder_states, sequences, hypotheses) -> None:
        """Fill pieces and attention of each hypothesis from a teacher-forced pass over the chosen output.

        Generation (greedy or beam search) is done; one more decoder pass over the chosen
        sequences with ``output_attentions`` gives the cross-attention of the final output
        directly, with no beam bookkeeping. Following Chen et al. 2020 ("Shift-Att"), a target
        token's attention is read at the position where that token is the decoder *input*
        (it has then been seen), not where it is predicted. The layer is a middle one, averaged
        over its heads: that paper finds middle layers align best (the last ones attend for
        predicting the next token); with no gold alignments here to tune on, it is fixed at
        layer L/2 (the third of opus-mt's six).
        """
        import torch

        layers = self.model.config.decoder_layers
        layer = max(0, layers // 2 - 1)
        eos_id, pad_id = self.model.config.eos_token_id, self.model.config.pad_token_id
        attention = []
        # Every layer's attention is returned; bound memory by passing a few rows at a time.
        heads = self.model.config.decoder_attention_heads
        source_len, target_len = inputs["input_ids"].shape[1], sequences.shape[1]
        per_row = heads * target_len * (source_len + target_len) * layers * 4
        step = max(1, min(len(texts), _ALIGNMENT_PASS_BYTES // per_row))
        # Generation keeps the default (sdpa) attention, which cannot return weights; only this pass runs
        # eager, so a translation is the same with or without alignment.
        previous = self.model.config._attn_implementation
        self.model.set_attn_implementation("eager")
        try:
            with torch.inference_mode():
                for start in range(0, len(texts), step):
                    rows = slice(start, start + step)
                    out = self.model(
                        attention_mask=inputs["attention_mask"][rows],
                        encoder_outputs=(encoder_states[rows],),
                        decoder_input_ids=sequences[rows],
                        output_attentions=True,
                    )
                    if not out.cross_attentions or out.cross_attentions[layer] is None:
                        raise TranslateError(
                            f"{self.model_path}: the model returned no attention weights for word alignment"
                            " (run with --no-alignment)"
                        )
                    attention.extend(out.cross_attentions[layer].mean(dim=1).float().cpu())
        finally:
            if previous and previous != "eager":
                self.model.set_attn_implementation(previous)
        for text, ids, mask, target_ids, matrix, hypothesis in zip(
            texts, inputs["input_ids"], inputs["attention_mask"], sequences, attention, hypotheses
        ):
            source_columns = [j for j, (i, m) in enumerate(zip(ids.tolist(), mask.tolist())) if m and i != eos_id]
            source_pieces = self.tokenizer.tokenize(text)
            if len(source_pieces) != len(source_columns):  # unexpected: fall back to the vocabulary's pieces
                source_pieces = self.tokenizer.convert_ids_to_tokens([int(ids[j]) for j in source_columns])
            # Row k of the pass has token k of the sequence as decoder input (token 0 is the start token).
            target_rows = []
            for k, token in enumerate(target_ids.tolist()[1:], start=1):
                if token in (eos_id, pad_id):
                    break
                target_rows.append(k)
            hypothesis.source_pieces = source_pieces
            hypothesis.target_pieces = self.tokenizer.convert_ids_to_tokens([int(target_ids[k]) for k in target_rows])
            # Rows as float32 arrays: a run keeps many hypotheses, and Python float lists take 8x the memory.
            kept = matrix[target_rows][:, source_columns]
            hypothesis.attention = [array("f", row.tolist()) for row in kept]
