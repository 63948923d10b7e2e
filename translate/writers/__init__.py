"""Write stage: a translated document -> files in the output folder.

For an input ``a/b.txt`` the outputs are ``a/b.json`` (the machine-readable contract),
``a/b.en.txt`` (the English document, written by the input's format), ``a/b.html``
(side by side), and any extra document the format makes (EPUB: ``a/b.bilingual.epub``).
The JSON is written last: its presence marks the document as done.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from translate.document import Segment, SourceDocument
from translate.formats.base import EnglishDocument, Format
from translate.fsutil import write_atomic
from translate.writers import html_writer, json_writer
from translate.writers.paths import output_paths


@dataclass
class TranslatedDocument:
    document: SourceDocument
    segments: list[Segment]
    models: dict[str, str] = field(default_factory=dict)
    settings: dict = field(default_factory=dict)
    format: str = "txt"  # the input's format name (txt, md, srt, html, docx, ...)
    revisions: dict[str, str] = field(default_factory=dict)  # model fingerprint per language (resume checks)
    segmenter: int | None = None  # translate.segment.SEGMENTER_VERSION of the spans (resume checks)


def with_english(translated: TranslatedDocument, english: EnglishDocument) -> TranslatedDocument:
    """``translated`` with its spans as ``english`` wrote them (their markup records)."""
    return replace(translated, segments=list(english.spans))


def write_outputs(out_dir: Path, translated: TranslatedDocument, fmt: Format,
                  english: EnglishDocument | None = None) -> dict[str, Path]:
    """Write the English document, its extra outputs, the side-by-side page and the JSON (last),
    each atomically, all made from one ``fmt.english`` value (``english``, or made here); returns
    the paths by kind."""
    if english is None:
        english = fmt.english(translated.document, translated.segments)
    translated = with_english(translated, english)
    paths = output_paths(out_dir, translated.document.source)
    write_atomic(paths["english"], english.data)
    for kind in fmt.extra_outputs:
        write_atomic(paths[kind], english.extras[kind])
    write_atomic(paths["html"], html_writer.render_document(translated))
    write_atomic(paths["json"], json_writer.dumps(translated))
    return paths
