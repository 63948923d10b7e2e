"""Discover stage: which input files a command works on, with one set of rules for every command.

Symbolic links are followed only when they point inside the folder walked; each real folder is
walked once (so link loops end); the output folder, when given, is skipped; hidden files and
folders (a name starting with ``.``: ``.git/``, ``.venv/``, ``.env``) are skipped unless
``include_hidden``, as other tools that walk a project do. What is left out for a reason the user
may not expect is returned with the reason, for the command to warn about.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from translate.formats import FORMAT_NAMES, format_for


@dataclass(frozen=True)
class InputFile:
    path: Path
    source: str  # the name recorded for it: relative to the input folder, forward slashes
    format: str  # the name of its format (txt, md, docx, ...: translate.formats.format_named)


def is_hidden(name: str) -> bool:
    """A hidden file or folder: its name starts with a dot (``.`` and ``..`` are not names here)."""
    return name.startswith(".")


def discover_inputs(
    input_dir: Path, out_dir: Path | None = None, formats: tuple[str, ...] = FORMAT_NAMES, *,
    include_hidden: bool = False,
) -> tuple[list[InputFile], list[tuple[str, str]]]:
    """Supported files under ``input_dir`` sorted by name, and what was left out and why (``(path, why)``).
    Hidden files and folders under ``input_dir`` are skipped (silently) unless ``include_hidden``.

    ``out_dir`` is skipped when it lies inside ``input_dir``; when it is ``input_dir``'s ancestor,
    only the output folder itself is skipped, not the input's subfolders.
    """
    root = input_dir.resolve()
    out_resolved = out_dir.resolve() if out_dir is not None else None
    out_is_ancestor = out_resolved is not None and root.is_relative_to(out_resolved)

    def is_output_folder(target: Path) -> bool:
        if out_resolved is None:
            return False
        return target == out_resolved or (not out_is_ancestor and target.is_relative_to(out_resolved))

    found: list[InputFile] = []
    excluded: list[tuple[str, str]] = []
    visited = {root}
    stack: list[tuple[Path, str]] = [(input_dir, "")]
    while stack:
        folder, prefix = stack.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
        except OSError as err:
            excluded.append((prefix or ".", f"cannot list folder: {err.strerror or err}"))
            continue
        for entry in entries:
            if not include_hidden and is_hidden(entry.name):
                continue
            relative = f"{prefix}{entry.name}"
            try:
                relative.encode("utf-8")
            except UnicodeEncodeError:
                excluded.append((relative.encode("utf-8", "surrogateescape").decode("utf-8", "replace"),
                                 "file name is not valid UTF-8"))
                continue
            try:
                if entry.is_symlink():
                    try:
                        target = Path(entry.path).resolve(strict=True)
                    except (OSError, RuntimeError):
                        excluded.append((relative, "broken symbolic link or link loop"))
                        continue
                    if not target.is_relative_to(root):
                        excluded.append((relative, "symbolic link to outside the input folder (not followed)"))
                        continue
                    is_dir = target.is_dir()
                else:
                    is_dir = entry.is_dir(follow_symlinks=False)
                    target = Path(entry.path).resolve() if is_dir else Path(entry.path)
            except OSError as err:
                excluded.append((relative, f"cannot inspect: {err.strerror or err}"))
                continue
            if is_dir:
                if is_output_folder(target) or target in visited:
                    continue  # the output folder, or a folder already walked (a loop or a second link)
                visited.add(target)
                stack.append((Path(entry.path), relative + "/"))
                continue
            fmt = format_for(Path(entry.name), formats)
            if fmt is None or not (entry.is_file() if not entry.is_symlink() else target.is_file()):
                continue
            found.append(InputFile(Path(entry.path), relative, fmt.name))
    found.sort(key=lambda item: item.source)
    return found, excluded


def discover_paths(
    paths: list[Path], formats: tuple[str, ...] = FORMAT_NAMES, *, include_hidden: bool = False
) -> tuple[list[InputFile], list[tuple[str, str]]]:
    """Files given by name, and the supported files under each folder given (by ``discover_inputs``'s rules).

    A file given by name is kept whatever its suffix (read as plain text when it has no known
    format), hidden or not, and even when it is missing: reading it reports the problem. Sources are the paths
    as given, with the folder's name in front of what was found under it.
    """
    files: list[InputFile] = []
    excluded: list[tuple[str, str]] = []
    for path in paths:
        if path.is_dir():
            found, left_out = discover_inputs(path, None, formats, include_hidden=include_hidden)
            prefix = path.as_posix().rstrip("/") + "/"
            files.extend(InputFile(item.path, prefix + item.source, item.format) for item in found)
            excluded.extend((prefix + where, why) for where, why in left_out)
            if not found:
                excluded.append((path.as_posix(), f"no {', '.join(formats)} files in this folder"))
        else:
            fmt = format_for(path) or format_for(Path("x.txt"))
            files.append(InputFile(path, path.as_posix(), fmt.name))
    return files, excluded
