"""MarianMT through CTranslate2: a Hugging Face Marian folder converted once (int8 on CPU by default).

Tokenisation uses the model folder's own SentencePiece files directly (``source.spm`` in,
``target.spm`` out), which gives the same pieces as ``MarianTokenizer`` without importing
transformers or torch: the engine then needs neither once its conversion exists.

Decoding follows the model's ``generation_config.json`` like the transformers engine:
beam size (unless ``--beams``), ``max_length`` (CTranslate2 counts generated tokens, the
decoder start token excluded, hence ``max_length - 1``), ``length_penalty``,
``no_repeat_ngram_size`` and ``repetition_penalty``. ``bad_words_ids = [[pad]]`` needs no
equivalent: the converter drops ``<pad>`` from the target vocabulary, so it cannot be generated.
One difference: at ``max_length`` transformers forces ``</s>`` (``forced_eos_token_id``) while
CTranslate2 simply stops; the text is the same, the transformers score has one more token.

Word alignment reads the same attention as the transformers engine: the conversion keeps the
cross-attention of decoder layer L/2 (the third of opus-mt's six) averaged over all its heads
(``alignment_layer``/``alignment_heads`` of the CTranslate2 spec; the converter's default is the
last layer's first head), and a target piece's row is the step where it is the decoder's input
(Shift-Att), i.e. the row of the step that predicts the next piece.
"""

from __future__ import annotations

import ctypes
import hashlib
import json
import os
import shutil
import sys
import tempfile
from array import array
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path

from translate.engines.base import Engine, EngineSettings, Hypothesis
from translate.engines.threads import available_cpus, share_one_malloc_arena, thread_split
from translate.errors import TranslateError, UsageError
from translate.fsutil import user_cache_dir

EOS = "</s>"
# Identity of a conversion: changing any of these files in the source folder reconverts it.
_SOURCE_FILES = (
    "config.json", "generation_config.json", "tokenizer_config.json", "vocab.json", "source.spm", "target.spm",
    "model.safetensors", "pytorch_model.bin",
)
_MARKER = "translate-conversion.json"
COMPUTE_TYPES = ("auto", "int8", "int8_float32", "int8_float16", "int8_bfloat16", "int16", "float16", "bfloat16", "float32")


# The cuBLAS that CTranslate2's CUDA build loads by name (by CTranslate2 major version): it loads it at the
# first decoding, not with the model, so a missing one would otherwise fail mid-run.
_CUBLAS_LIBRARY = {4: "libcublas.so.12"}


@lru_cache(maxsize=1)
def cuda_problem() -> str | None:
    """Why CTranslate2 cannot decode on a GPU here, or None where it can as far as can be told before decoding."""
    import ctranslate2

    if ctranslate2.get_cuda_device_count() == 0:
        return "no CUDA device is available to CTranslate2"
    library = _CUBLAS_LIBRARY.get(int(ctranslate2.__version__.split(".")[0]))
    if library and sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(library)
        except OSError:
            return (f"CTranslate2 {ctranslate2.__version__} decodes on CUDA with {library} (CUDA 12's cuBLAS), "
                    f"which is not installed or not on the library path")
    return None


def pick_device(requested: str) -> str:
    """``auto``: the GPU where CTranslate2 can use it, else the CPU."""
    if requested not in ("auto", "cpu", "cuda"):
        raise UsageError(f"--device {requested}: choose auto, cpu or cuda")
    if requested == "cpu":
        return "cpu"
    problem = cuda_problem()
    if requested == "auto":
        return "cpu" if problem else "cuda"
    if problem:
        raise UsageError(f"--device cuda: {problem} (use --device cpu or auto, or --engine transformers)")
    return "cuda"


def pick_compute_type(requested: str, device: str) -> str:
    """``auto``: int8 on CPU, int8_float16 on CUDA (float16 where int8 is unsupported)."""
    import ctranslate2

    supported = set(ctranslate2.get_supported_compute_types(device))
    if requested == "auto":
        preferences = ("int8", "int8_float32", "float32") if device == "cpu" else ("int8_float16", "float16", "float32")
        return next(t for t in preferences if t in supported)
    if requested not in COMPUTE_TYPES:
        raise UsageError(f"--compute-type {requested}: choose one of {', '.join(COMPUTE_TYPES)}")
    if requested not in supported:
        raise UsageError(
            f"--compute-type {requested} is not supported on {device} here; supported: {', '.join(sorted(supported))}"
        )
    return requested


class CTranslate2Engine(Engine):
    name = "ctranslate2"
    # Rows decoded at once per call (spans x beams). Memory grows with the rows each replica decodes
    # (about 2.7 MB a row with opus-mt's vocabulary), and on CPU one replica per core decodes a batch of its
    # own (engines/threads.py): fr+es loaded, two replicas, peak RSS 871 MB at 128 rows a call against
    # 933-1390 MB at 256 (docs/threads.md). 128 rows: 32 spans a call at beam 4, 128 greedy. The size never
    # depends on the thread count: a batch's padding can change CTranslate2's scores, so the same batches
    # are made whatever the threads. The padded-token bound, 4096 as CTranslate2's fastest own batching by
    # tokens on the opus-mt-shaped model (docs/threads.md), sets the batches where spans are long or decoding
    # is greedy; at beam 4 the row bound does.
    batch_size = 128
    batch_tokens = 4096
    max_beam_rows = 128
    # Where the span bound sets the batches, a call's spans are shared evenly among a multiple of four
    # batches (translator.plan_batches), so that 1, 2 or 4 replicas finish together instead of one decoding a
    # last batch alone. Four, not MAX_REPLICAS (8): a multiple of 8 would cut the 2-core machine's batches
    # smaller (slower there) and change its translations' padding.
    batch_multiple = 4

    def __init__(self, model_path: Path, settings: EngineSettings):
        import ctranslate2
        import sentencepiece

        model_path = Path(model_path)
        self.model_path = str(model_path)
        self.settings = settings
        self.device = pick_device(settings.device)
        self.compute_type = pick_compute_type(settings.compute_type, self.device)
        config = _read_json(model_path / "config.json")
        generation = _read_json(model_path / "generation_config.json")
        tokenizer_config = _read_json(model_path / "tokenizer_config.json")
        try:
            self.source_spm = sentencepiece.SentencePieceProcessor(model_file=str(model_path / "source.spm"))
            self.target_spm = sentencepiece.SentencePieceProcessor(model_file=str(model_path / "target.spm"))
        except (OSError, RuntimeError) as err:  # sentencepiece raises RuntimeError for a missing file
            raise TranslateError(f"cannot load the SentencePiece models of {model_path}: {err}") from None
        vocab = _read_json(model_path / "vocab.json")
        self.language_codes = {piece for piece in vocab if piece.startswith(">>") and piece.endswith("<<")}
        self.special_pieces = {"<pad>", "<unk>", EOS}

        # As the transformers engine: the smaller of the position table and the tokenizer's limit.
        limits = [n for n in (config.get("max_position_embeddings"), tokenizer_config.get("model_max_length"))
                  if isinstance(n, int) and n > 0]
        self.max_input_tokens = min(limits, default=512)
        self.beam_size = int(settings.beams or generation.get("num_beams") or config.get("num_beams") or 1)
        self.batch_size = max(1, min(self.batch_size, self.max_beam_rows // self.beam_size))
        max_length = generation.get("max_length") or config.get("max_length") or 512
        self.decoding_options = {
            "max_decoding_length": max(1, int(max_length) - 1),
            "length_penalty": float(generation.get("length_penalty", 1.0)),
            "no_repeat_ngram_size": int(generation.get("no_repeat_ngram_size") or 0),
            "repetition_penalty": float(generation.get("repetition_penalty") or 1.0),
        }
        if settings.max_new_tokens is not None:
            self.decoding_options["max_decoding_length"] = settings.max_new_tokens
        if settings.min_new_tokens is not None:
            self.decoding_options["min_decoding_length"] = settings.min_new_tokens

        converted = ensure_converted(model_path, self.compute_type)
        # On CPU, several replicas decode different batches at once (see translate_batches and
        # engines/threads.py); on a GPU one replica takes every batch.
        self.inter_threads, intra_threads = (
            thread_split(settings.threads or available_cpus()) if self.device == "cpu" else (1, 0))
        if self.inter_threads > 1:
            share_one_malloc_arena()  # before the replicas' threads first allocate
        try:
            self.translator = ctranslate2.Translator(
                str(converted), device=self.device, compute_type=self.compute_type,
                inter_threads=self.inter_threads, intra_threads=intra_threads,
            )
        except (RuntimeError, ValueError) as err:
            raise TranslateError(f"cannot load the CTranslate2 model {converted}: {str(err).splitlines()[0]}") from None
        if self.device == "cuda":
            self._check_gpu_decoding(converted)

    def _check_gpu_decoding(self, converted: Path) -> None:
        """Decode one token: CTranslate2 loads its CUDA libraries at the first decoding, and a missing or
        mismatched one should stop the run here, with a reason, not fail every batch."""
        try:
            self.translator.translate_batch([[EOS]], beam_size=1, max_decoding_length=1)
        except RuntimeError as err:
            reason = str(err).splitlines()[0] if str(err) else type(err).__name__
            raise TranslateError(f"cannot decode with the CTranslate2 model {converted} on CUDA: {reason} "
                                 f"(use --device cpu or --engine transformers)") from None

    def source_pieces(self, texts: list[str]) -> list[list[str]]:
        """SentencePiece pieces of each text, as MarianTokenizer splits them (no ``</s>``)."""
        pieces = self.source_spm.encode(list(texts), out_type=str)
        for index, text in enumerate(texts):
            # Multilingual models take a leading >>lang<< code, kept whole like MarianTokenizer does.
            if text.startswith(">>") and (end := text.find("<<")) != -1:
                code = text[: end + 2]
                pieces[index] = [code, *self.source_spm.encode(text[end + 2 :], out_type=str)]
        return pieces

    def count_tokens(self, texts: list[str]) -> list[int]:
        return [len(pieces) + 1 for pieces in self.source_pieces(texts)]

    def translate_batch(self, texts: list[str]) -> list[Hypothesis]:
        return next(self.translate_batches([texts]))

    def translate_batches(self, batches: Iterable[list[str]]) -> Iterator[list[Hypothesis]]:
        """Every batch is queued at once and decoded whole by one replica (never cut into sub-batches:
        a batch's padding can change CTranslate2's scores, so a translation never depends on the thread
        count). The costliest batch goes first, so that it does not run alone at the end, then the others
        in order, so that the first results come back (to be saved, aligned and written by the caller)
        while later batches decode. Results come in the order of ``batches``."""
        batches = [list(batch) for batch in batches]
        pieces = [self.source_pieces(batch) if batch else [] for batch in batches]
        cost = [len(p) * max(map(len, p), default=0) for p in pieces]  # padded input tokens
        costliest = max(range(len(batches)), key=cost.__getitem__, default=None)
        submitted = {}
        for index in sorted(range(len(batches)), key=lambda i: i != costliest):
            if pieces[index]:
                submitted[index] = self.translator.translate_batch(
                    [p + [EOS] for p in pieces[index]],
                    asynchronous=True,
                    beam_size=self.beam_size,
                    return_scores=True,
                    return_end_token=True,  # counted in the score, as in the transformers engine
                    return_attention=self.settings.attention,
                    max_input_length=0,  # the translator already splits what does not fit
                    **self.decoding_options,
                )
        for index in range(len(batches)):
            results = [result.result() for result in submitted.pop(index, ())]
            yield [self._hypothesis(source, result) for source, result in zip(pieces[index], results)]

    def _hypothesis(self, source: list[str], result) -> Hypothesis:
        target = list(result.hypotheses[0])
        token_count = len(target)
        if target and target[-1] == EOS:
            target.pop()
        score = mean_token_logprob(result.scores[0], token_count, self.decoding_options["length_penalty"])
        text = self.target_spm.decode_pieces([p for p in target if p not in self.special_pieces])
        hypothesis = Hypothesis(text, score, token_count)
        if self.settings.attention:
            hypothesis.source_pieces = source
            hypothesis.target_pieces = target
            # Shift-Att: step k predicts piece k with piece k-1 as input, so piece k's row is that of
            # step k+1 (the </s> step for the last piece; its own row when decoding stopped at the
            # length limit). Columns: source pieces (</s> column dropped). float32 arrays as the
            # transformers engine gives: a run keeps many hypotheses.
            rows = result.attention[0]
            hypothesis.attention = [
                array("f", rows[k + 1 if k + 1 < len(rows) else k][: len(source)]) for k in range(len(target))
            ]
        return hypothesis


def mean_token_logprob(score: float, token_count: int, length_penalty: float) -> float | None:
    """CTranslate2 returns the summed log-probability divided by ``length ** length_penalty``
    (``</s>`` included in both when it was generated); undo that into the mean per token."""
    if token_count <= 0:
        return None
    return float(score) * token_count ** (length_penalty - 1.0)


def _read_json(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as err:
        raise TranslateError(f"cannot read {path}: {err}") from None


# --- conversion -------------------------------------------------------------------------------


# Which attention a conversion keeps for alignment (recorded: a conversion made otherwise is redone).
ALIGNMENT_ATTENTION = "decoder layer L/2, mean of all heads"


def alignment_layer(decoder_layers: int) -> int:
    """The decoder layer whose cross-attention aligns words (0-based): L/2, the third of six; the
    transformers engine reads the same one."""
    return max(0, decoder_layers // 2 - 1)


def source_identity(model_path: Path, quantization: str) -> dict:
    """What a conversion was made from: the folder, its files' sizes and modification times, the quantization
    (and the attention it keeps for alignment)."""
    files = {}
    for name in _SOURCE_FILES:
        path = model_path / name
        if path.is_file():
            stat = path.stat()
            files[name] = [stat.st_size, stat.st_mtime_ns]
    return {"source": str(model_path.resolve()), "files": files, "quantization": quantization,
            "alignment": ALIGNMENT_ATTENTION}


def conversion_name(model_path: Path, root: Path, quantization: str) -> str:
    """``NAME.ct2-QUANT``; a model outside the models root gets a short hash of its path, so that two
    folders with the same name never take turns overwriting one conversion."""
    model_path = model_path.resolve()
    name = model_path.name
    if model_path.parent.name == "snapshots" and model_path.parent.parent.name.startswith("models--"):
        name = model_path.parent.parent.name.removeprefix("models--")  # Hugging Face cache layout
    if model_path.parent != root.resolve():
        name += "-" + hashlib.sha256(str(model_path).encode()).hexdigest()[:8]
    return f"{name}.ct2-{quantization}"


def fallback_root() -> Path:
    return user_cache_dir("ctranslate2")


def ensure_converted(model_path: Path, quantization: str, root: Path | None = None) -> Path:
    """The CTranslate2 conversion of ``model_path``, made once and reused while the source is unchanged.

    It lives in the models root (see ``translate.models.models_root``), or under
    ``~/.cache/translate/ctranslate2`` when the models root cannot be written. It is converted in a
    temporary folder then renamed into place, so an interrupted conversion never leaves a broken one.
    """
    from translate.models import models_root, remove_stale_conversions

    identity = source_identity(model_path, quantization)
    roots = [root] if root else [models_root(), fallback_root()]
    for candidate_root in roots:
        remove_stale_conversions(candidate_root)  # left by conversions killed midway
    for candidate_root in roots:
        target = candidate_root / conversion_name(model_path, candidate_root, quantization)
        if _conversion_matches(target, identity):
            return target
    last_error: OSError | None = None
    for candidate_root in roots:
        target = candidate_root / conversion_name(model_path, candidate_root, quantization)
        try:
            candidate_root.mkdir(parents=True, exist_ok=True)
            work = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=candidate_root))
        except OSError as err:
            last_error = err
            continue
        try:
            _convert(model_path, work / "model", quantization)
            (work / "model" / _MARKER).write_text(json.dumps(identity, indent=1), encoding="utf-8")
            _move_into_place(work / "model", target, identity)
            return target
        finally:
            shutil.rmtree(work, ignore_errors=True)
    raise TranslateError(f"cannot write the CTranslate2 conversion of {model_path}: {last_error}")


def _conversion_matches(target: Path, identity: dict) -> bool:
    try:
        return json.loads((target / _MARKER).read_text(encoding="utf-8")) == identity and (target / "model.bin").is_file()
    except (OSError, ValueError):
        return False


def _move_into_place(converted: Path, target: Path, identity: dict) -> None:
    stale = None
    if target.exists():
        if _conversion_matches(target, identity):
            return  # another process finished the same conversion first
        stale = target.with_name(f".{target.name}.stale-{os.getpid()}")
        target.rename(stale)
    try:
        converted.rename(target)
    except OSError:
        if not _conversion_matches(target, identity):
            raise
    finally:
        if stale is not None:
            shutil.rmtree(stale, ignore_errors=True)


def _convert(model_path: Path, output_dir: Path, quantization: str) -> None:
    try:
        from ctranslate2.converters import TransformersConverter
        from transformers.utils import logging as hf_logging
    except ImportError as err:
        raise TranslateError(
            f"converting {model_path} for CTranslate2 needs transformers and torch ({err}); "
            f"install them or use --engine transformers"
        ) from None
    hf_logging.disable_progress_bar()
    hf_logging.set_verbosity_error()

    class _AlignedConverter(TransformersConverter):
        """Keeps the cross-attention that word alignment reads (see the module docstring)."""

        def _load(self):
            spec = super()._load()
            decoder = getattr(spec, "decoder", None)
            if decoder is not None and hasattr(decoder, "alignment_layer"):
                layers = len(decoder.layer)
                heads = int(getattr(decoder, "num_heads", 0) or _read_json(model_path / "config.json").get("decoder_attention_heads", 8))
                decoder.alignment_layer = type(decoder.alignment_layer)(alignment_layer(layers))
                decoder.alignment_heads = type(decoder.alignment_heads)(heads)
            return spec

    try:
        # trust_remote_code stays off: a model folder is data, not code.
        _AlignedConverter(str(model_path), trust_remote_code=False).convert(
            str(output_dir), quantization=quantization, force=True
        )
    except (OSError, ValueError, RuntimeError, NotImplementedError, KeyError) as err:
        reason = str(err).splitlines()[0] if str(err) else type(err).__name__
        raise TranslateError(f"cannot convert {model_path} for CTranslate2: {reason}") from None
