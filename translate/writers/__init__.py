"""Write stage: a translated document -> files in the output folder.

For an input ``a/b.txt`` the outputs are ``a/b.json`` (the machine-readable contract),
``a/b.en.txt`` (the English document, written by the input's format) and ``a/b.html``
(side by side). The JSON is written last: its presence marks the document as done.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from translate.document import Segment, SourceDocument
from translate.fsutil import write_atomic
from translate.writers import html_writer, json_writer


@dataclass
class TranslatedDocument:
    document: SourceDocument
    segments: list[Segment]
    models: dict[str, str] = field(default_factory=dict)
    settings: dict = field(default_factory=dict)
    format: str = "txt"  # the input's format (txt, md, srt, html)
    revisions: dict[str, str] = field(default_factory=dict)  # model fingerprint per language (resume checks)


def output_paths(out_dir: Path, source: str) -> dict[str, Path]:
    """The output files of the input named ``source`` (relative, forward slashes)."""
    relative = PurePosixPath(source)
    base = out_dir.joinpath(*relative.parent.parts) / relative.stem
    return {
        "json": base.with_name(base.name + ".json"),
        "english": base.with_name(base.name + ".en" + relative.suffix),
        "html": base.with_name(base.name + ".html"),
    }


def write_outputs(out_dir: Path, translated: TranslatedDocument, fmt) -> dict[str, Path]:
    paths = output_paths(out_dir, translated.document.source)
    english = fmt.write(translated.document, translated.segments)
    encode = getattr(fmt, "encode", None)  # a format may keep the source's encoding (HTML's <meta charset>)
    write_atomic(paths["english"], encode(translated.document, english) if encode else english, encoding="utf-8")
    write_atomic(paths["html"], html_writer.render_document(translated))
    write_atomic(paths["json"], json_writer.dumps(translated))
    return paths
