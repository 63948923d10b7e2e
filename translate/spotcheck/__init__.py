"""Spot-checks of a batch's translations: flag suspicious spans, score, sample for review.

Stages: ``loader`` reads the batch JSON files, ``checker`` runs the ``signals`` (one
module each) with the ``thresholds``, ``sampling`` picks spans for human review and
``writers`` produce the JSON, CSV and HTML outputs. ``translate spot-check`` drives them.
"""

from translate.spotcheck.checker import Summary, check_documents, summarise
from translate.spotcheck.loader import load_batch_outputs
from translate.spotcheck.sampling import sample_spans
from translate.spotcheck.spans import BatchDocument, Flag, Span
from translate.spotcheck.thresholds import Thresholds, with_overrides

__all__ = [
    "BatchDocument",
    "Flag",
    "Span",
    "Summary",
    "Thresholds",
    "check_documents",
    "load_batch_outputs",
    "sample_spans",
    "summarise",
    "with_overrides",
]
