"""The engine interface shared by every translation backend."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import ClassVar


@dataclass(frozen=True)
class EngineSettings:
    engine: str = "auto"
    device: str = "auto"  # auto | cpu | cuda
    beams: int | None = None  # None: the model's own generation settings
    max_batch_size: int | None = None  # spans per model call; None: the engine's own preference
    attention: bool = False  # return source/target pieces and attention for word alignment
    compute_type: str = "auto"  # ctranslate2 only: auto (int8 on CPU) | int8 | float16 | ...
    threads: int | None = None  # CPU threads per model call; None: every CPU this process may use
    # Bounds on generated target tokens (</s> included); None: the model's generation settings.
    # The benchmark sets both to force a fixed output length.
    min_new_tokens: int | None = None
    max_new_tokens: int | None = None


@dataclass
class Hypothesis:
    """One translation: its text, the mean token log-probability, and its length in target tokens.

    Engines asked for attention (``EngineSettings.attention``) also give what the aligner needs:
    the source and target subword pieces and, for each target piece, its attention over the
    source pieces (rows: target pieces, columns: source pieces). The align stage turns them into
    ``alignment``: word pairs ``[src_start, src_end, tgt_start, tgt_end]``, character offsets into
    the text the model was given and into ``text``; that, not the attention, is what the
    translation memory keeps (``align.with_alignment``).
    """

    text: str
    score: float | None
    target_tokens: int = 0
    source_pieces: list[str] | None = None
    target_pieces: list[str] | None = None
    attention: Sequence[Sequence[float]] | None = None  # e.g. a list of lists, or of array("f") rows
    alignment: list[list[int]] | None = None
    origin: str | None = None  # "human": a reviewer's translation from the translation memory (translate review)


class Engine(ABC):
    """One loaded model that translates batches of texts. Engines derive from this class:
    ``name``, ``model_path`` and ``max_input_tokens`` are set, the two methods implemented, and
    the batch limits the translator uses when the caller gives none may be overridden."""

    name: ClassVar[str]
    model_path: str
    max_input_tokens: int  # longest input (in model tokens, end-of-sentence included) the model accepts
    batch_size: ClassVar[int] = 16  # spans per model call
    batch_tokens: ClassVar[int] = 2048  # padded input tokens (spans x longest span) per model call
    # Engines that decode several batches at once share a call's spans evenly among a multiple of this
    # many batches (translator.plan_batches); 1: batches as full as the limits allow.
    batch_multiple: ClassVar[int] = 1

    @abstractmethod
    def count_tokens(self, texts: list[str]) -> list[int]:
        """Input length of each text in model tokens."""

    @abstractmethod
    def translate_batch(self, texts: list[str]) -> list[Hypothesis]:
        """Translate texts that all fit ``max_input_tokens``; one hypothesis per text, in order."""

    def translate_batches(self, batches: Iterable[list[str]]) -> Iterator[list[Hypothesis]]:
        """``translate_batch`` of each batch, in order. An engine that can decode several batches at
        once (CTranslate2 on CPU) keeps them in flight; the hypotheses must not depend on that."""
        for batch in batches:
            yield self.translate_batch(batch)
