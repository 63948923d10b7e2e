"""Write stage: a translated document -> files in the output folder.

For an input ``a/b.txt`` the outputs are ``a/b.json`` (the machine-readable contract),
``a/b.en.txt`` (the English document, written by the input's format), ``a/b.html``
(side by side), and any extra document the format makes (EPUB: ``a/b.bilingual.epub``).
The JSON is written last: its presence marks the document as done.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from translate.document import Span, SourceDocument
from translate.formats.base import EnglishDocument, Format
from translate.fsutil import write_atomic_all
from translate.writers import html_writer, json_writer
from translate.writers.paths import output_paths


@dataclass
class TranslatedDocument:
    document: SourceDocument
    segments: list[Span]
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
    the paths by kind. Raises InputError, writing nothing, when one of them would replace a file
    this command did not write (``translate.outdir.in_the_way``)."""
    from translate.outdir import batch_record_of, check_replaceable
    from translate.writers.run_files import recorded_run_file

    if english is None:
        english = fmt.english(translated.document, translated.segments)
    translated = with_english(translated, english)
    source = translated.document.source
    paths = output_paths(out_dir, source)
    contents = {paths["english"]: english.data, **{paths[kind]: english.extras[kind] for kind in fmt.extra_outputs},
                # The page links to the run's index where the last batch put it (a site's index.md takes
                # index.html); the batch points the pages elsewhere when this run's index goes elsewhere.
                paths["html"]: html_writer.render_document(translated, recorded_run_file(out_dir, "index").name),
                paths["json"]: json_writer.dumps(translated)}
    contents = {path: data.encode("utf-8") if isinstance(data, str) else data for path, data in contents.items()}
    # Nothing of the document is written when one of its outputs would replace a file not ours.
    check_replaceable(source, contents, paths["json"], batch_record_of(source))
    write_atomic_all(contents)  # renamed in order, one after the other: the JSON last
    return paths
