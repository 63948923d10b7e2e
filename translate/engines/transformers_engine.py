"""MarianMT through Hugging Face transformers: MarianTokenizer + MarianMTModel.generate."""

from __future__ import annotations

from pathlib import Path

from translate.engines.base import EngineSettings, Hypothesis
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


class TransformersEngine:
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
            output = self.model.generate(**inputs, **generate_options)
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
        return hypotheses
