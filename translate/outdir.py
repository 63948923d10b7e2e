"""The output folder of a command (``batch``, ``align``, the API's ``out_dir``): where it may be,
who holds it, and which files in it a run may replace.

- It may not be, nor lie inside, one of the command's inputs, nor be a file (usage errors), and it
  must be a folder that can be created and written (an error, exit code 1). It is created only once the
  run is sure to start (its models resolved), so a failed start leaves nothing behind.
- ``OutputLock``: one run at a time per output folder, whatever the command.
- A run never replaces a file it did not write. An output path that already exists is replaced
  only when it is the run's own: a document's outputs are its own when the document's JSON in
  the folder (written last, so it records finished outputs) names the same source; a run file
  (``index.html``, ``corpus.tmx``) is its own when it is one by content; and a file whose bytes
  are exactly the new ones loses nothing (the outputs renamed before a kill, before the JSON).
  Anything else in the way is a per-file error naming the path.
- The run's own files (index page, corpus) take their usual names unless a document's output or
  a file of the user's has them; then they move to ``translate-index.html`` /
  ``translate-corpus.tmx`` (then ``-2``, ``-3``...), and the summary says where.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Collection, Iterable, Mapping
from contextlib import contextmanager
from pathlib import Path

from translate.errors import InputError, TranslateError, UsageError

LOCK_FILE_NAME = ".translate.lock"
# The run files of a batch and the names they move to when taken: kind -> (usual name, stem, suffix).
RUN_FILES = {"index": ("index.html", "translate-index", ".html"), "tmx": ("corpus.tmx", "translate-corpus", ".tmx")}
# What the first bytes of a run file of ours hold: the index page's policy and title, the TMX header's tool.
_RUN_FILE_MARKS = {
    ".html": (b"<!DOCTYPE html>", b'content="default-src &#39;none&#39;;', b"<title>Translated documents</title>"),
    ".tmx": (b"<tmx ", b'creationtool="translate"'),
}
_MARK_WINDOW = 2048


class OutputLockedError(TranslateError):
    """Another run holds the output folder."""


# -- where the output folder may be -----------------------------------------------------------------


def check_output_folder(out_dir: Path, inputs: Iterable[Path]) -> None:
    """Check ``out_dir`` before anything is read or made: a UsageError when it is one of ``inputs``
    (files or folders), lies inside an input folder (a run would write over, or among, what it
    reads) or is a file; a TranslateError (exit code 1) when it cannot be made (a file in its path)
    or written to (a read-only mount). Creates nothing."""
    out = out_dir.resolve()
    for given in inputs:
        path = given.resolve()
        if out == path:
            raise UsageError(f"--out {out_dir}: the output folder must not be an input ({given})")
        if path.is_dir() and out.is_relative_to(path):
            raise UsageError(f"--out {out_dir}: the output folder must not lie inside the input folder {given}")
    # The nearest of the folder and its parents that exists, spelt as given (for the message).
    existing = next((p for p in (out_dir, *out_dir.parents) if os.path.lexists(p)), None)
    if existing == out_dir and not existing.is_dir():  # a file given as the folder: a wrong argument
        raise UsageError(f"--out {out_dir}: exists and is not a folder")
    if existing is not None and not existing.is_dir():
        raise TranslateError(f"--out {out_dir}: cannot write to the output folder: {existing} is not a folder")
    if existing == out_dir:
        import tempfile

        try:  # a read-only mount or no permission, told before the models load; leaves no file
            tempfile.TemporaryFile(dir=out).close()
        except OSError as err:
            raise TranslateError(f"--out {out_dir}: cannot write to the output folder: {err.strerror or err}") from None


def create_output_folder(out_dir: Path) -> None:
    """Create ``out_dir`` (and its parents); a TranslateError (exit code 1) when it cannot be a folder
    that this run writes into."""
    if out_dir.exists() and not out_dir.is_dir():
        raise TranslateError(f"--out {out_dir}: cannot write to the output folder: exists and is not a folder")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise TranslateError(f"--out {out_dir}: cannot create the output folder: {err.strerror or err}") from None


@contextmanager
def output_folder(out_dir: Path):
    """``create_output_folder`` for the time of the block; when the block fails (a model missing
    only once a document needs it, Ctrl-C...), the folders it created are removed again if empty."""
    absolute = Path(os.path.abspath(out_dir))
    made = [path for path in (absolute, *absolute.parents) if not os.path.lexists(path)]
    create_output_folder(out_dir)
    try:
        yield out_dir
    except BaseException:
        for folder in made:  # the deepest first; one that is not empty stops the cleaning
            try:
                folder.rmdir()
            except OSError:
                break
        raise


class OutputLock:
    """An exclusive ``flock`` on OUT/.translate.lock, held for the whole run, by every command.

    The kernel releases it when the process ends in any way (kill -9 included), so a crashed
    run never leaves the folder locked; a second run fails at once instead of waiting. The
    file holds the owner's pid (for the message) and is removed on release; a run that opened
    the file just before it was removed notices (another inode) and starts over.
    """

    def __init__(self, out_dir: Path):
        self.path = out_dir / LOCK_FILE_NAME
        self.fd: int | None = None

    def __enter__(self):
        import fcntl

        while True:
            try:
                fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            except OSError as err:  # a read-only mount, no permission, ...
                raise TranslateError(
                    f"--out {self.path.parent}: cannot write to the output folder: {err.strerror or err}"
                ) from None
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                holder = os.read(fd, 32).decode("ascii", "replace").strip()
                os.close(fd)
                raise OutputLockedError(
                    f"{self.path.parent}: another translate run is writing to this output folder"
                    f"{f' (pid {holder})' if holder.isdigit() else ''}; wait for it to finish, or use another --out"
                ) from None
            try:
                current = os.stat(self.path).st_ino
            except FileNotFoundError:
                current = None
            if current == os.fstat(fd).st_ino:
                break
            os.close(fd)
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode("ascii"))
        self.fd = fd
        return self

    def __exit__(self, *exc):
        if self.fd is not None:
            self.path.unlink(missing_ok=True)  # while still holding the lock
            os.close(self.fd)
            self.fd = None
        return False


# -- which files a run may replace --------------------------------------------------------------------


def batch_record_of(source: str) -> Callable[[object], bool]:
    """Whether a parsed JSON is a batch document's, for the input named ``source``."""
    return lambda record: (isinstance(record, dict) and record.get("source") == source
                           and "groups" not in record and isinstance(record.get("segments"), list))


def alignment_record_of(source: str) -> Callable[[object], bool]:
    """Whether a parsed JSON is ``translate align``'s, for the source named ``source``."""
    return lambda record: (isinstance(record, dict) and record.get("source") == source
                           and isinstance(record.get("groups"), list))


def in_the_way(outputs: Mapping[Path, bytes], json_path: Path, is_own_record: Callable[[object], bool],
               protected: Collection[Path] = ()) -> Path | None:
    """The first of ``outputs`` (path -> the bytes about to be written) that exists and is not this
    run's to replace (see the module's docstring); None when all may be written. ``protected``: paths
    never written over (the command's input files)."""
    guarded = {path.resolve() for path in protected}
    own_document: bool | None = None  # read once, when first needed
    for path, data in outputs.items():
        if guarded and path.resolve() in guarded:
            return path
        try:
            if path.is_symlink() or not path.is_file():
                if os.path.lexists(path):
                    return path  # a folder, a link, a device: never ours
                continue
        except OSError:
            return path
        if own_document is None:
            own_document = _is_own_json(json_path, is_own_record)
        if own_document or is_own_run_file(path) or _same_bytes(path, data):
            continue
        return path
    return None


def check_replaceable(source: str, outputs: Mapping[Path, bytes], json_path: Path,
                      is_own_record: Callable[[object], bool], protected: Collection[Path] = ()) -> None:
    """Raise InputError naming the first of ``outputs`` in the way (``in_the_way``): the document
    fails, nothing of it is written, the run goes on."""
    path = in_the_way(outputs, json_path, is_own_record, protected)
    if path is not None:
        raise InputError(f"{source}: {path} is in the way: a file this command did not write is never replaced; "
                         "move it away, or choose another --out")


def _is_own_json(path: Path, is_own_record: Callable[[object], bool]) -> bool:
    try:
        if path.is_symlink():
            return False
        return is_own_record(json.loads(path.read_bytes()))
    except (OSError, ValueError):
        return False


def _same_bytes(path: Path, data: bytes) -> bool:
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


def is_own_run_file(path: Path) -> bool:
    """Whether ``path`` is a run file (index page or TMX) that translate wrote, by its first bytes."""
    marks = _RUN_FILE_MARKS.get(path.suffix)
    if marks is None:
        return False
    try:
        if path.is_symlink():
            return False
        with path.open("rb") as handle:
            head = handle.read(_MARK_WINDOW)
        return all(mark in head for mark in marks)
    except OSError:
        return False


def run_file_paths(out_dir: Path, claimed: Collection[Path]) -> dict[str, Path]:
    """Where the run's index page and corpus go: their usual names unless one is ``claimed`` (an
    output of a document of the run) or holds a file that is not a run file of ours; then
    ``translate-index.html``, ``translate-index-2.html``, ... (the same for the corpus)."""
    chosen = {}
    for kind, (usual, stem, suffix) in RUN_FILES.items():
        candidates = [usual, f"{stem}{suffix}", *(f"{stem}-{number}{suffix}" for number in range(2, 1000))]
        for name in candidates:
            path = out_dir / name
            if path in claimed:
                continue
            if os.path.lexists(path) and not (path.is_file() and is_own_run_file(path)):
                continue
            chosen[kind] = path
            break
        else:  # a thousand names taken: a folder no one should write into
            raise TranslateError(f"{out_dir}: no free name for the run's {usual}")
    return chosen
