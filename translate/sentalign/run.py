"""``translate align`` as a library: pair the files, read them, align them, write the outputs.

Folders are paired by relative path, compared without the format suffix and without one
language tag before it: ``a/b.md``, ``a/b.en.txt`` and ``a/b.fr.html`` all have the key ``a/b``
(a tag is two or three letters, optionally with a region: ``.en``, ``.pt-BR``, ``.fra``). A file
pairs with the one file of the other folder that has its key; a key shared by several files of
one folder, or found in one folder only, is reported and skipped.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from translate.errors import InputError

_LANGUAGE_TAG = re.compile(r"\.[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})?$")


@dataclass
class AlignSettings:
    similarity: str = "encoder"
    source_lang: str | None = None  # None: each group's language as the segmenter finds it
    target_lang: str = "en"
    translate_sources: Callable[[list[str]], list[str]] | None = None  # for similarity "mt"


@dataclass
class PairOutcome:
    source: str
    target: str | None
    error: str | None = None
    groups: int = 0
    one_sided: int = 0
    review: int = 0
    paths: dict = field(default_factory=dict)


def pairing_key(relative: str) -> str:
    path = PurePosixPath(relative)
    stem = _LANGUAGE_TAG.sub("", path.stem) or path.stem
    return str(path.with_name(stem))


def supported_files(folder: Path, out_dir: Path | None = None) -> tuple[list[str], list[str]]:
    """The supported files under ``folder`` (relative, forward slashes), walked by the rules of every
    command (``translate.discover``: links only inside the folder, the output folder skipped), and
    one message per path left out."""
    from translate.discover import discover_inputs

    inputs, excluded = discover_inputs(folder, out_dir)
    return [item.source for item in inputs], [f"{path}: skipped: {why}" for path, why in excluded]


def pair_folders(source_dir: Path, target_dir: Path, out_dir: Path | None = None
                 ) -> tuple[list[tuple[str, str]], list[str]]:
    """Pairs of relative paths (source, target) and one message per file left unpaired or out."""
    def by_key(files):
        keys: dict[str, list[str]] = {}
        for name in files:
            keys.setdefault(pairing_key(name), []).append(name)
        return keys

    (source_files, source_left), (target_files, target_left) = (supported_files(source_dir, out_dir),
                                                                supported_files(target_dir, out_dir))
    sources, targets = by_key(source_files), by_key(target_files)
    pairs, problems = [], source_left + target_left
    for key, names in sorted(sources.items()):
        found = targets.get(key, [])
        if len(names) > 1 or len(found) > 1:
            problems.append(f"{', '.join(names + found)}: several files pair as {key!r}; rename all but one")
        elif not found:
            problems.append(f"{names[0]}: no translation in {target_dir} (looked for {key}.*, {key}.LANG.*)")
        else:
            pairs.append((names[0], found[0]))
    for key, names in sorted(targets.items()):
        if key not in sources:
            problems.append(f"{target_dir / names[0]}: no source in {source_dir} pairs with it")
    return pairs, problems


def align_files(source_path: Path, target_path: Path, source_name: str, target_name: str, settings: AlignSettings):
    """Read both files (any input format each), align them; an ``AlignmentRecord`` for the writers.
    Raises InputError naming the file when one cannot be read."""
    from translate.formats import FORMAT_NAMES, format_for, read_source
    from translate.sentalign.aligner import align_documents
    from translate.writers.alignment_writer import AlignmentRecord

    for path in (source_path, target_path):
        if format_for(path) is None:
            raise InputError(f"{path}: not a supported format (formats: {', '.join(FORMAT_NAMES)})")
    source = read_source(source_path, source_name)
    target = read_source(target_path, target_name)
    alignment = align_documents(source, target, settings.similarity, translate_sources=settings.translate_sources)
    langs = group_languages(alignment) if settings.source_lang is None else [settings.source_lang] * len(alignment.groups)
    return AlignmentRecord(
        alignment=alignment, source_name=source_name, target_name=target_name,
        source_format=format_for(source_path).name, target_format=format_for(target_path).name,
        source_langs=langs, target_lang=settings.target_lang,
        settings={"similarity": settings.similarity, "paragraphs_first": alignment.paragraphs_first,
                  "sentences": [len(alignment.source_sentences), len(alignment.target_sentences)]},
    )


def group_languages(alignment) -> list[str]:
    """The source language of each group: the segmenter's language covering most of its characters
    (the document's main language for a group without source, or without a language of its own)."""
    from translate.segment import segment_source

    segments = segment_source(alignment.source)  # source offsets, HTML and Markdown included
    overall = Counter()
    for seg in segments:
        if seg.lang != "und":
            overall[seg.lang] += seg.end - seg.start
    main = overall.most_common(1)[0][0] if overall else "und"
    langs, cursor = [], 0
    for group in alignment.groups:
        span = alignment.span("source", group)
        if span is None:
            langs.append(main)
            continue
        while cursor < len(segments) and segments[cursor].end <= span[0]:
            cursor += 1
        chars = Counter()
        index = cursor
        while index < len(segments) and segments[index].start < span[1]:
            seg = segments[index]
            if seg.lang != "und":
                chars[seg.lang] += min(seg.end, span[1]) - max(seg.start, span[0])
            index += 1
        langs.append(chars.most_common(1)[0][0] if chars else main)
    return langs


def align_and_write(out_dir: Path, source_path: Path, target_path: Path, source_name: str, target_name: str,
                    settings: AlignSettings) -> PairOutcome:
    """One pair, start to finish; an unreadable file becomes the outcome's error, never an exception."""
    from translate.writers.alignment_writer import write_alignment

    try:
        record = align_files(source_path, target_path, source_name, target_name, settings)
        paths = write_alignment(out_dir, record, protected=(source_path, target_path))
    except InputError as err:
        return PairOutcome(source_name, target_name, error=str(err))
    except OSError as err:
        return PairOutcome(source_name, target_name, error=f"{out_dir}: cannot write: {err.strerror or err}")
    alignment = record.alignment
    return PairOutcome(source_name, target_name, groups=len(alignment.groups),
                       one_sided=sum(1 for g in alignment.groups if g.one_sided),
                       review=sum(1 for g in alignment.groups if alignment.is_low_confidence(g)), paths=paths)
