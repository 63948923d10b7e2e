"""Thresholds of the spot-check signals: one dataclass, documented defaults, CLI overrides.

Every field can be changed from the command line with ``--threshold NAME=VALUE``
(repeatable). The defaults were chosen as follows:

- ``not_english_*``: P(English) is calibrated (a logistic model of the per-word evidence
  margins, fitted on the tune half of benchmarks/data/spot_check_pairs.tsv and langid-dev);
  below 0.1, 99 % of held-out German/Italian/Portuguese/Spanish outputs and no held-out
  English one (benchmarks/spot_check_quality.py). Outputs of fewer than 5 words are not
  judged: names and cognates decide too much there.
- ``length_ratio_*``: a Gale & Church (1993) length model. The English length of a
  sentence is expected around ``ratio * source length`` with a variance proportional
  to the source length (``variance`` characters per source character, 6.8 in their
  paper; 0.8-0.9 on our literal news pairs, so 6.8 is generous); the ratios (fr 0.95,
  es 0.96) were measured on the tune half of the development set.
- ``truncated_z``: on the tune half, 0.8 deviations catches 96 % of outputs cut in half
  while 1.2 % of complete outputs stripped of their final punctuation are flagged
  (0.75: 96 % / 1.3 %; 1.0: 84 % / 0 %).
- ``low_confidence_*``: a robust z-score (median and MAD) of the span's mean token
  log-probability against the other spans of the same source language (same model;
  models are never pooled).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from translate.errors import UsageError


def _setting(default, help: str):
    return field(default=default, metadata={"help": help})


@dataclass(frozen=True)
class Thresholds:
    low_confidence_z: float = _setting(
        3.5, "flag a score more than this many robust deviations below its language's median")
    low_confidence_min_spread: float = _setting(
        0.15, "floor for the robust deviation (log-prob units), so a very uniform corpus does not flag tiny dips")
    low_confidence_min_spans: int = _setting(
        8, "scored spans a language (= model) needs to be judged; models are never pooled")
    length_ratio_fr: float = _setting(0.95, "expected English/French length ratio (characters)")
    length_ratio_es: float = _setting(0.96, "expected English/Spanish length ratio (characters)")
    length_ratio_variance: float = _setting(
        6.8, "variance of the English length per source character (Gale & Church)")
    length_ratio_z: float = _setting(2.5, "flag when the English length is this many deviations off")
    not_english_max_probability: float = _setting(
        0.1, "flag an output whose probability of being English is below this")
    not_english_min_words: int = _setting(
        5, "outputs with fewer words are not judged (detection is unreliable on short text)")
    untranslated_share: float = _setting(
        0.5, "flag when this share of the source's common words reappears, in order, in the output")
    untranslated_min_words: int = _setting(
        3, "sources with fewer common (lower-case) words are not judged")
    repetition_min_repeats: int = _setting(
        3, "flag a word or phrase repeated back to back this many times (more than in the source), "
        "or a 3-word phrase occurring this many times anywhere (and more often than the source's commonest word pair)")
    repetition_max_phrase: int = _setting(6, "longest phrase, in words, searched for loops")
    truncated_z: float = _setting(
        0.8, "an output that ends without the source's final punctuation is truncated when its length "
        "is more than this many Gale-Church deviations short")
    number_added_check: bool = _setting(
        True, "give the number_added hint for numbers in the output that are not in the source")
    round_trip_min_chrf: float = _setting(
        0.35, "flag when the back-translation's chrF against the source (0-1) is below this "
        "(not yet calibrated on real models)")

    def expected_length_ratio(self, lang: str) -> float:
        return {"fr": self.length_ratio_fr, "es": self.length_ratio_es}.get(lang, 1.0)


def threshold_help() -> list[tuple[str, object, str]]:
    """(name, default, explanation) of every threshold, for --help and the report."""
    return [(f.name, f.default, f.metadata["help"]) for f in dataclasses.fields(Thresholds)]


def with_overrides(base: Thresholds, assignments: list[str]) -> Thresholds:
    """``base`` with ``NAME=VALUE`` assignments applied; UsageError on an unknown name or bad value."""
    fields = {f.name: f for f in dataclasses.fields(Thresholds)}
    changes: dict[str, object] = {}
    for assignment in assignments:
        name, sep, raw = assignment.partition("=")
        name, raw = name.strip().replace("-", "_"), raw.strip()
        if not sep or name not in fields:
            raise UsageError(
                f"--threshold {assignment!r}: expected NAME=VALUE with NAME one of: {', '.join(fields)}")
        changes[name] = _convert(name, fields[name].type, raw)
    return dataclasses.replace(base, **changes)


def _convert(name: str, type_name: str, raw: str):
    try:
        if type_name == "bool":
            lowered = raw.lower()
            if lowered in ("1", "true", "yes", "on"):
                return True
            if lowered in ("0", "false", "no", "off"):
                return False
            raise ValueError(raw)
        value = int(raw) if type_name == "int" else float(raw)
    except ValueError:
        raise UsageError(f"--threshold {name}={raw}: not a valid {type_name}") from None
    if value < 0:
        raise UsageError(f"--threshold {name}={raw}: must not be negative")
    return value
