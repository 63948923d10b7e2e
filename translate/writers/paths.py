"""Where a document's outputs go: ``a/b.txt`` -> ``a/b.json``, ``a/b.en.txt``, ``a/b.html`` (and a
format's extra outputs, ``a/b.bilingual.epub``)."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from translate.formats import format_for


def output_paths(out_dir: Path, source: str) -> dict[str, Path]:
    """The output files of the input named ``source`` (relative, forward slashes)."""
    relative = PurePosixPath(source)
    base = out_dir.joinpath(*relative.parent.parts) / relative.stem
    fmt = format_for(relative)
    english_suffix = fmt.english_suffix(relative.suffix) if fmt else relative.suffix
    paths = {
        "json": base.with_name(base.name + ".json"),
        "english": base.with_name(base.name + ".en" + english_suffix),
        "html": base.with_name(base.name + ".html"),
    }
    for kind in fmt.extra_outputs if fmt else ():
        paths[kind] = base.with_name(f"{base.name}.{kind}{relative.suffix}")
    return paths
