"""Outputs of ``translate align``: ``NAME.json`` (the contract), ``NAME.html`` (side by side) and
``NAME.tmx`` (one translation unit per aligned group), for the source named ``NAME.EXT``.

The JSON has the groups in document order, each as character offsets into the two decoded
documents (null for the empty side of a one-sided group) with its confidence. It also carries
``segments`` in the batch JSON's shape (one per two-sided group: source text, its translation,
``score`` = the log of the confidence), so that tools reading batch outputs, such as
``translate spot-check``, read an alignment too. The JSON is written last.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import quote

from translate.fsutil import write_atomic_all


@dataclass
class AlignmentRecord:
    """An aligned document pair and what the outputs need to say about it."""

    alignment: object  # translate.sentalign.aligner.DocumentAlignment
    source_name: str  # relative path of the source (names the outputs)
    target_name: str
    source_format: str
    target_format: str
    source_langs: list[str]  # per group: the source language (segmenter's majority, or as given)
    target_lang: str
    settings: dict


def alignment_paths(out_dir: Path, source_name: str) -> dict[str, Path]:
    relative = PurePosixPath(source_name)
    base = out_dir.joinpath(*relative.parent.parts) / relative.stem
    return {kind: base.with_name(base.name + "." + kind) for kind in ("json", "html", "tmx")}


def to_json(record: AlignmentRecord) -> dict:
    alignment = record.alignment
    groups, segments = [], []
    for index, (group, lang) in enumerate(zip(alignment.groups, record.source_langs)):
        source, target = alignment.span("source", group), alignment.span("target", group)
        groups.append({"source": list(source) if source else None, "target": list(target) if target else None,
                       "confidence": group.confidence})
        if source and target:
            segments.append({"paragraph": index, "start": source[0], "end": source[1], "lang": lang,
                             "text": alignment.text("source", group), "translation": alignment.text("target", group),
                             "score": round(math.log(max(group.confidence, 1e-4)), 4)})
    return {
        "source": record.source_name,
        "translation": record.target_name,
        "sha256": alignment.source.sha256,
        "translation_sha256": alignment.target.sha256,
        "encoding": alignment.source.encoding,
        "translation_encoding": alignment.target.encoding,
        "format": record.source_format,
        "translation_format": record.target_format,
        "languages": {"target": record.target_lang},
        "settings": record.settings,
        "groups": groups,
        "segments": segments,
    }


def render_page(record: AlignmentRecord) -> str:
    from translate.writers.html_writer import content_security_policy, environment

    alignment = record.alignment
    rows = []
    for index, (group, lang) in enumerate(zip(alignment.groups, record.source_langs)):
        source = alignment.text("source", group) if alignment.span("source", group) else None
        target = alignment.text("target", group) if alignment.span("target", group) else None
        rows.append({"index": index, "source": source, "target": target, "source_lang": lang,
                     "confidence": group.confidence, "one_sided": group.one_sided,
                     "review": alignment.is_low_confidence(group)})
    paths = alignment_paths(Path("."), record.source_name)
    return environment().get_template("alignment.html.j2").render(
        source=record.source_name, target=record.target_name, rows=rows, target_lang=record.target_lang,
        one_sided=sum(1 for row in rows if row["one_sided"]), review=sum(1 for row in rows if row["review"]),
        similarity=alignment.similarity, threshold=alignment.review_threshold,
        json_link=quote(paths["json"].name), tmx_link=quote(paths["tmx"].name),
        csp=content_security_policy(["page.css", "document.css", "alignment.css"], []),
    )


def render_tmx(record: AlignmentRecord) -> str:
    from translate.writers.tmx_writer import pairs_tmx

    alignment = record.alignment
    units = [(f"{record.source_name}#{index}", record.source_name, lang, alignment.text("source", group),
              record.target_lang, alignment.text("target", group))
             for index, (group, lang) in enumerate(zip(alignment.groups, record.source_langs)) if not group.one_sided]
    langs = sorted(set(record.source_langs))
    return pairs_tmx(units, srclang=langs[0] if len(langs) == 1 else "*all*")


def write_alignment(out_dir: Path, record: AlignmentRecord, protected=()) -> dict[str, Path]:
    """Write the pair's outputs, the JSON last. Raises InputError, writing nothing, when one of them
    would replace a file ``align`` did not write, or one of ``protected`` (the pair's own files)."""
    from translate.outdir import alignment_record_of, check_replaceable

    paths = alignment_paths(out_dir, record.source_name)
    contents = {
        paths["html"]: render_page(record),
        paths["tmx"]: render_tmx(record),
        paths["json"]: json.dumps(to_json(record), ensure_ascii=False, indent=1) + "\n",
    }
    contents = {path: data.encode("utf-8") for path, data in contents.items()}
    check_replaceable(record.source_name, contents, paths["json"], alignment_record_of(record.source_name), protected)
    write_atomic_all(contents)  # renamed in order, one after the other: the JSON last
    return paths
