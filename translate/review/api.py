"""``review_results`` and ``apply_reviews``: the review's part of the Python API (``translate.api``)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from translate.arguments import api_boundary
from translate.review.apply import ApplyReport


@api_boundary
def review_results(out_dir: str | Path) -> list[dict]:
    """Every judgement saved for ``out_dir``'s review, oldest first: document, seg, text, reviewer,
    verdict, category, comment, edit, created (seconds since the epoch) and id. Empty when nobody
    has reviewed the folder."""
    from translate.review.store import open_existing

    store = open_existing(Path(out_dir))
    if store is None:
        return []
    try:
        return [review.to_json() for review in store.history()]
    finally:
        store.close()


@api_boundary
def apply_reviews(out_dir: str | Path, input_dir: str | Path | None = None, *, cache: str | Path | None = None,
                  models_root: str | Path | None = None,
                  on_warning: Callable[[str], None] | None = None) -> ApplyReport:
    """Apply the reviewers' edits to ``out_dir``, the output folder of a batch: human
    translation-memory entries, and the touched documents rewritten in every format. No model is
    loaded.

    Args:
        out_dir: the batch's output folder.
        input_dir: the batch's input folder (the edited documents are rewritten from their inputs);
            default: the one the batch recorded in ``out_dir/.translate-run``.
        cache: the translation memory (default: in the models root, as the batch).
        models_root: the models root whose memory is the default.
        on_warning: told each edit not applied, with the reason.

    Raises:
        UsageError: ``out_dir`` is not a folder, or the input folder is neither given nor recorded.
    """
    from translate.batch import OutputLock
    from translate.errors import UsageError
    from translate.memory import TranslationMemory, default_memory_path
    from translate.models import models_root as default_models_root
    from translate.review.apply import apply_edits
    from translate.writers.run_files import RUN_RECORD_NAME, recorded_input_dir

    out = Path(out_dir)
    if not out.is_dir():
        raise UsageError(f"{out}: not a folder (expected the output folder of `translate batch`)")
    if input_dir is None:
        inputs = recorded_input_dir(out)
        if inputs is None:
            raise UsageError(f"{out}: no input folder recorded in {RUN_RECORD_NAME} (or it no longer exists); "
                             "give the batch's input folder (--input IN_DIR; input_dir= in Python)")
    else:
        inputs = Path(input_dir)
        if not inputs.is_dir():
            raise UsageError(f"--input {inputs}: not a folder (expected the input folder of the batch)")
    path = Path(cache) if cache is not None else default_memory_path(Path(models_root) if models_root else default_models_root())
    with OutputLock(out):
        memory = TranslationMemory(path, on_warning=on_warning)
        try:
            return apply_edits(out, inputs, memory, on_warning=on_warning)
        finally:
            memory.close()
