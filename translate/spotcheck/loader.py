"""Read the batch JSON files of an output folder (the source of truth of a spot-check).

A batch JSON is recognised by its keys (``source`` and ``segments``); other JSON
files in the folder are ignored. A file that cannot be parsed, or has the keys but
not the expected shape, is skipped: its warning is a ``SkippedDocument``, so that whoever reports
the check can count what it does not cover.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path

from translate.document import KEPT_LANGUAGES
from translate.spotcheck.spans import BatchDocument, Span


class SkippedDocument(str):
    """The warning about a JSON file left out of the check (a str, printed as is), with its ``path``
    relative to the output folder."""

    path: str

    def __new__(cls, path: str, message: str) -> SkippedDocument:
        warning = super().__new__(cls, message)
        warning.path = path
        return warning


@dataclass
class LoadResult:
    documents: list[BatchDocument] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def skipped(self) -> list[SkippedDocument]:
        return [warning for warning in self.warnings if isinstance(warning, SkippedDocument)]


class _Malformed(ValueError):
    pass


def is_batch_output(data: object) -> bool:
    return isinstance(data, dict) and "source" in data and "segments" in data


def load_batch_outputs(out_dir: Path) -> LoadResult:
    """Every batch document under ``out_dir`` (recursively), in path order."""
    result = LoadResult()
    for path in sorted(out_dir.rglob("*.json"), key=lambda p: p.relative_to(out_dir).as_posix()):
        if not path.is_file():
            continue
        shown = path.relative_to(out_dir).as_posix()
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError) as err:
            result.warnings.append(SkippedDocument(shown, f"{shown}: skipped, not readable JSON ({_reason(err)})"))
            continue
        if not is_batch_output(data):
            continue
        try:
            result.documents.append(parse_batch_document(data, shown))
        except _Malformed as err:
            result.warnings.append(SkippedDocument(shown, f"{shown}: skipped, malformed batch output ({err})"))
    return result


def parse_batch_document(data: dict, path: str) -> BatchDocument:
    source = data["source"]
    segments = data["segments"]
    if not isinstance(source, str):
        raise _Malformed("`source` is not a string")
    if not isinstance(segments, list):
        raise _Malformed("`segments` is not a list")
    models = _models(data)
    spans, left_untranslated = [], []
    for index, segment in enumerate(segments):
        if not isinstance(segment, dict):
            raise _Malformed(f"segment {index} is not an object")
        lang, text = segment.get("lang"), segment.get("text")
        if not isinstance(lang, str) or not isinstance(text, str):
            raise _Malformed(f"segment {index} lacks a string `lang` or `text`")
        if lang in KEPT_LANGUAGES:
            continue
        translation = segment.get("translation")
        if translation is not None and not isinstance(translation, str):
            raise _Malformed(f"segment {index}: `translation` is not a string")
        if translation is None:  # a language the run had no model for (kept as written)
            left_untranslated.append(Span(source, index, lang, text, ""))
            continue
        score = segment.get("score")
        if score is not None and (isinstance(score, bool) or not isinstance(score, (int, float))):
            raise _Malformed(f"segment {index}: `score` is not a number")
        # A NaN/infinite score (JSON extension) carries no usable confidence: treat as unknown.
        usable = score is not None and math.isfinite(score)
        spans.append(Span(source, index, lang, text, translation or "", float(score) if usable else None,
                          model=models.get(lang)))
    return BatchDocument(source, path, len(segments), spans, left_untranslated)


def _models(data: dict) -> dict[str, str]:
    """Language -> "model@revision" that translated it, as the batch recorded (empty when it did not)."""
    models, revisions = data.get("models"), data.get("revisions")
    if not isinstance(models, dict):
        return {}
    revisions = revisions if isinstance(revisions, dict) else {}
    return {lang: f"{name}@{revisions[lang][:12]}" if isinstance(revisions.get(lang), str) else name
            for lang, name in models.items() if isinstance(name, str)}


def _reason(err: Exception) -> str:
    if isinstance(err, OSError):
        return err.strerror or str(err)
    return str(err).split("\n")[0]
