"""MarianMT through Hugging Face transformers: MarianTokenizer + MarianMTModel.generate.

Scores come from one teacher-forced pass over the chosen output (``_score_chosen``), not
from generate's per-step scores, which took gigabytes with a 59k-word vocabulary. With
``EngineSettings.attention`` the same pass gives each hypothesis its subword pieces and the
decoder's cross-attention for word alignment (see ``_add_alignment_attention``).
"""

from __future__ import annotations

from array import array
from pathlib import Path

from translate.engines.base import Engine, EngineSettings, Hypothesis
from translate.engines.threads import available_cpus
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
    # generate's beam search briefly holds several copies of its caches and (rows x vocabulary) scores,
    # rows = spans x beams: about 5 MB a row with opus-mt, so 128 rows (32 spans, beam 4) peaked at +700 MB.
    # Bounding the rows keeps two loaded models at beam 4 under 1.5 GB (48 rows: 1386 MiB; 64 rows
    # reached 1501 MiB; benchmarks/bench_translate.py --rss-child); greedy keeps 32 spans a call.
    max_beam_rows = 48

    def __init__(self, model_path: Path, settings: EngineSettings):
        import torch
        from transformers import MarianMTModel, MarianTokenizer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
        hf_logging.set_verbosity_error()
        self.model_path = str(model_path)
        self.settings = settings
        self.device = pick_device(settings.device)
        if self.device == "cpu":
            # Intra-op threads: the threads given, else one per CPU this process may use. Batches are not
            # decoded side by side: generate's Python loop holds the GIL between steps.
            torch.set_num_threads(settings.threads or available_cpus())
        try:
            self.tokenizer = MarianTokenizer.from_pretrained(model_path)
            # Never trust_remote_code: a model folder is data, not code.
            self.model = MarianMTModel.from_pretrained(model_path, trust_remote_code=False).to(self.device).eval()
        except (OSError, ValueError) as err:
            raise TranslateError(f"cannot load MarianMT model from {model_path}: {str(err).splitlines()[0]}") from None
        beams = settings.beams or self.model.generation_config.num_beams or 1
        self.batch_size = max(1, min(self.batch_size, self.max_beam_rows // beams))
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
        generate_options = {}
        if self.settings.beams is not None:
            generate_options["num_beams"] = self.settings.beams
        if self.settings.max_new_tokens is not None:
            generate_options["max_new_tokens"] = self.settings.max_new_tokens
        if self.settings.min_new_tokens is not None:
            generate_options["min_new_tokens"] = self.settings.min_new_tokens
        with torch.inference_mode():
            # The encoder runs once: generation and the scoring pass share its output.
            encoder_outputs = self.model.get_encoder()(**inputs)
            encoder_states = encoder_outputs.last_hidden_state  # kept: generate expands encoder_outputs in place
            # Only the chosen sequences: asking generate for every step's scores kept a (rows x beams x vocabulary)
            # tensor per step, gigabytes with a 59k-word vocabulary. They are scored afterwards instead.
            sequences = self.model.generate(
                attention_mask=inputs["attention_mask"], encoder_outputs=encoder_outputs, **generate_options
            )
            token_logprobs, attention = self._score_chosen(inputs, encoder_states, sequences)
        sequences = sequences.cpu()  # beside the scores, which are gathered on the CPU (the model may be on a GPU)
        pad_id = self.model.config.pad_token_id
        hypotheses = []
        for row, logprobs in zip(sequences[:, 1:], token_logprobs):  # drop the decoder start token
            mask = (row != pad_id) & torch.isfinite(logprobs)
            count = int(mask.sum())
            score = float(logprobs[mask].mean()) if count else None
            text = self.tokenizer.decode(row, skip_special_tokens=True)
            hypotheses.append(Hypothesis(text, score, count))
        if attention is not None:
            self._add_alignment_attention(texts, inputs.to("cpu"), sequences, attention, hypotheses)
        return hypotheses

    def _score_chosen(self, inputs, encoder_states, sequences):
        """Per-token log-probabilities of the chosen sequences, and (with alignment) their attention.

        One teacher-forced decoder pass over the chosen output. Token k is scored as generate
        scores it: the model's logits at step k (log-softmaxed first under beam search), through
        the same logits processors generate applies (``bad_words_ids``, minimum lengths, the
        forced final ``</s>``, repetition settings), then log-softmax. So the scores equal what
        ``compute_transition_scores(..., normalize_logits=True)`` gave from generate's own
        per-step scores, without keeping those: only one step's (rows x vocabulary) logits exist
        at a time.

        With alignment on, the same pass returns the cross-attention (see
        ``_add_alignment_attention``); it then runs with the ``eager`` attention implementation
        (``sdpa``, used for generation, returns no weights), so a translation is the same with
        or without alignment. Returns ``(logprobs, attention)``: logprobs has one row per
        sequence and one column per generated token (``-inf`` never occurs for a generated
        token); attention is a list of (target x source) matrices, or None.
        """
        import torch

        from translate.engines.ctranslate2_engine import alignment_layer

        want_attention = self.settings.attention
        config = self.model.config
        layers, heads = config.decoder_layers, config.decoder_attention_heads
        source_len, target_len = inputs["input_ids"].shape[1], sequences.shape[1]
        rows_total = sequences.shape[0]
        step = rows_total
        if want_attention:
            # Every layer's attention is returned; bound memory by passing a few rows at a time.
            per_row = heads * target_len * (source_len + target_len) * layers * 4
            step = max(1, min(rows_total, _ALIGNMENT_PASS_BYTES // per_row))
        processors = self._logits_processors()
        beam_search = (self.settings.beams or self.model.generation_config.num_beams or 1) > 1
        layer = alignment_layer(layers)  # the same layer as the CTranslate2 conversion keeps
        logprobs = torch.zeros(rows_total, target_len - 1)
        attention = [] if want_attention else None
        previous = config._attn_implementation
        if want_attention:
            self.model.set_attn_implementation("eager")
        try:
            for start in range(0, rows_total, step):
                rows = slice(start, start + step)
                chosen = sequences[rows]
                out = self.model.model(
                    attention_mask=inputs["attention_mask"][rows],
                    encoder_outputs=(encoder_states[rows],),
                    decoder_input_ids=chosen,
                    output_attentions=want_attention,
                    use_cache=False,
                )
                hidden = out.last_hidden_state
                for k in range(target_len - 1):
                    # Exactly MarianMTModel's head, one step at a time: (rows x vocabulary) at most.
                    scores = self.model.lm_head(hidden[:, k]) + self.model.final_logits_bias
                    if beam_search:  # beam search processes log-probabilities, greedy search raw logits
                        scores = torch.log_softmax(scores, dim=-1)
                    prefix = chosen[:, : k + 1]
                    for processor in processors:
                        scores = processor(prefix, scores)
                    scores = torch.log_softmax(scores, dim=-1)
                    logprobs[rows, k] = scores.gather(1, chosen[:, k + 1 : k + 2]).squeeze(1).float().cpu()
                if want_attention:
                    if not out.cross_attentions or out.cross_attentions[layer] is None:
                        raise TranslateError(
                            f"{self.model_path}: the model returned no attention weights for word alignment"
                            " (run with --no-alignment)"
                        )
                    attention.extend(out.cross_attentions[layer].mean(dim=1).float().cpu())
        finally:
            if want_attention and previous and previous != "eager":
                self.model.set_attn_implementation(previous)
        return logprobs, attention

    def _logits_processors(self) -> list:
        """The logits processors generate builds from the model's generation settings and ours, in its order.

        Only those MarianMT generation settings use (see the README's "Engines and speed"); the
        sampling warpers do not apply to greedy or beam search.
        """
        from transformers.generation.logits_process import (
            ForcedBOSTokenLogitsProcessor,
            ForcedEOSTokenLogitsProcessor,
            MinLengthLogitsProcessor,
            MinNewTokensLengthLogitsProcessor,
            NoBadWordsLogitsProcessor,
            NoRepeatNGramLogitsProcessor,
            RepetitionPenaltyLogitsProcessor,
            SuppressTokensLogitsProcessor,
        )

        generation = self.model.generation_config
        eos = generation.eos_token_id if generation.eos_token_id is not None else self.model.config.eos_token_id
        processors = []
        if generation.repetition_penalty not in (None, 1.0):
            processors.append(RepetitionPenaltyLogitsProcessor(generation.repetition_penalty))
        if generation.no_repeat_ngram_size:
            processors.append(NoRepeatNGramLogitsProcessor(generation.no_repeat_ngram_size))
        if generation.bad_words_ids is not None:
            processors.append(NoBadWordsLogitsProcessor(generation.bad_words_ids, eos))
        if generation.min_length:
            processors.append(MinLengthLogitsProcessor(generation.min_length, eos, device=self.device))
        ours = self.settings
        min_new = ours.min_new_tokens if ours.min_new_tokens is not None else generation.min_new_tokens
        if min_new:  # the decoder start token is the "prompt" of one token
            processors.append(MinNewTokensLengthLogitsProcessor(1, min_new, eos, device=self.device))
        if generation.forced_bos_token_id is not None:
            processors.append(ForcedBOSTokenLogitsProcessor(generation.forced_bos_token_id))
        if generation.forced_eos_token_id is not None:
            max_new = ours.max_new_tokens if ours.max_new_tokens is not None else generation.max_new_tokens
            max_length = 1 + max_new if max_new is not None else generation.max_length
            processors.append(
                ForcedEOSTokenLogitsProcessor(max_length, generation.forced_eos_token_id, device=self.device))
        if generation.suppress_tokens is not None:
            processors.append(SuppressTokensLogitsProcessor(generation.suppress_tokens, device=self.device))
        return processors

    def _add_alignment_attention(self, texts, inputs, sequences, attention, hypotheses) -> None:
        """Fill pieces and attention of each hypothesis from the teacher-forced pass over the chosen output.

        The pass over the final output gives its cross-attention directly, with no beam
        bookkeeping. Following Chen et al. 2020 ("Shift-Att"), a target token's attention is
        read at the position where that token is the decoder *input* (it has then been seen),
        not where it is predicted. The layer is a middle one, averaged over its heads: that
        paper finds middle layers align best (the last ones attend for predicting the next
        token); with no gold alignments here to tune on, it is fixed at layer L/2 (the third of
        opus-mt's six).
        """
        eos_id, pad_id = self.model.config.eos_token_id, self.model.config.pad_token_id
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
