"""Translation memory: a SQLite table of translations already made, so that no span is
translated twice (boilerplate repeated across files, re-runs, a run resumed after a kill).

An entry is keyed by a *context* and the source text. The context is a hash of the model's
identity and revision (a content hash of the files in the model folder, see
``model_fingerprint``) and of the generation settings that change the output (engine,
beams, attention...) and of ``MEMORY_LAYOUT``. Swapping the weights behind a model name, or
changing beams, therefore never returns a stale translation; copying a model folder elsewhere
keeps its entries. An entry holds the translation, its score and token count, and its word
alignment (``[src_start, src_end, tgt_start, tgt_end]`` over the model's input text and the
translation): about 0.5 KB, where the attention rows it is computed from took hundreds of KB.

The database uses WAL journaling and is committed after every stored batch, so a killed run
loses at most the batch in flight. A database that SQLite reports as corrupt is moved aside
(``NAME.corrupt-TIMESTAMP``) with a warning and rebuilt; any later database error disables
the memory for the rest of the run (with a warning) instead of stopping the translation.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from translate.engines.base import Hypothesis

DEFAULT_FILE_NAME = "translation-memory.sqlite3"
_LOOKUP_CHUNK = 500  # SQLite's host-parameter limit is 999 on older builds
_SCHEMA = """
CREATE TABLE IF NOT EXISTS contexts (
    context TEXT PRIMARY KEY,
    description TEXT NOT NULL,
    created REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS translations (
    context TEXT NOT NULL,
    source_hash TEXT NOT NULL,
    source TEXT NOT NULL,
    translation TEXT NOT NULL,
    score REAL,
    target_tokens INTEGER NOT NULL,
    extra TEXT,
    created REAL NOT NULL,
    PRIMARY KEY (context, source_hash)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS file_digests (
    path TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    sha256 TEXT NOT NULL
);
"""
# Hypothesis fields beyond text/score/tokens, kept as compact JSON: the word alignment (character
# offsets into the model's input text and the translation), not the attention it came from.
_EXTRA_FIELDS = ("alignment",)
# Version of what an entry holds. It is part of every context key, so entries of another layout
# (layout 1 stored the pieces and attention rows) are never read as this one.
MEMORY_LAYOUT = 2


@dataclass
class MemoryStats:
    path: str
    entries: int
    size_bytes: int
    contexts: list[tuple[dict, int]]  # (what the context is, entries in it)


class _CorruptDatabase(sqlite3.DatabaseError):
    pass


def _is_corruption(err: sqlite3.Error) -> bool:
    return isinstance(err, _CorruptDatabase) or getattr(err, "sqlite_errorname", None) in ("SQLITE_CORRUPT", "SQLITE_NOTADB")


def default_memory_path(models_root: Path) -> Path:
    return models_root / DEFAULT_FILE_NAME


def _text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


class TranslationMemory:
    """One SQLite database; ``path=None`` keeps it in memory (nothing persists)."""

    def __init__(self, path: Path | None, on_warning: Callable[[str], None] | None = None):
        self.path = path
        self.on_warning = on_warning or (lambda message: None)
        self.disabled = False
        self._lock = threading.Lock()  # the connection is shared by the reader thread and the translator
        self._db = self._open()

    # -- opening, corruption ---------------------------------------------------------------

    def _open(self) -> sqlite3.Connection:
        if self.path is None:
            return self._connect(":memory:")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            self.on_warning(f"translation memory {self.path}: cannot create its folder ({err.strerror or err}); "
                            "this run keeps its translations in memory only")
            self.path = None
            return self._connect(":memory:")
        try:
            return self._connect(str(self.path), check=True)
        except sqlite3.Error as err:
            if not _is_corruption(err):  # locked for too long, read-only, ...: never destroy it
                self.on_warning(f"translation memory {self.path}: cannot open ({err}); "
                                "this run keeps its translations in memory only")
                self.path = None
                return self._connect(":memory:")
            aside = self._set_aside()
            self.on_warning(f"translation memory {self.path} is unreadable ({err}); moved it to {aside.name} "
                            "and started a new one")
            return self._connect(str(self.path), check=True)

    def _connect(self, target: str, check: bool = False) -> sqlite3.Connection:
        db = sqlite3.connect(target, timeout=30, check_same_thread=False, isolation_level=None)
        try:
            if target != ":memory:":
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: a killed process loses nothing committed
            db.executescript(_SCHEMA)
            if check:
                # SQLite reports each problem on its own line (and may give hundreds): the warning names
                # the first and counts the others, on one line.
                problems = [line.strip() for (row,) in db.execute("PRAGMA quick_check(100)")
                            for line in str(row).splitlines() if line.strip() and not line.startswith("***")]
                if problems != ["ok"]:
                    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
                    raise _CorruptDatabase(f"integrity check: {problems[0] if problems else 'no answer'}{more}")
        except sqlite3.DatabaseError:
            db.close()
            raise
        return db

    def _set_aside(self) -> Path:
        aside = self.path.with_name(f"{self.path.name}.corrupt-{time.strftime('%Y%m%d-%H%M%S')}")
        self.path.replace(aside)
        for suffix in ("-wal", "-shm"):
            # The journal of a corrupt database belongs to it; replaying it into a new one would be wrong.
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)
        return aside

    def _failed(self, err: sqlite3.Error) -> None:
        if not self.disabled:
            self.disabled = True
            self.on_warning(f"translation memory {self.path or ':memory:'}: {err}; going on without it for this run")

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # -- contexts ----------------------------------------------------------------------------

    def context(self, description: dict) -> str:
        """The key of a model + settings context (``description`` is stored for ``cache stats``)."""
        canonical = json.dumps({**description, "memory_layout": MEMORY_LAYOUT}, sort_keys=True, ensure_ascii=False)
        key = hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:32]
        self._write("INSERT OR IGNORE INTO contexts VALUES (?, ?, ?)", [(key, canonical, time.time())])
        return key

    # -- lookups and stores ------------------------------------------------------------------

    def lookup(self, context: str, texts: Iterable[str]) -> dict[str, Hypothesis]:
        """The stored translations of those ``texts`` that are in the memory."""
        by_hash = {_text_hash(text): text for text in texts}
        found: dict[str, Hypothesis] = {}
        if self.disabled or not by_hash:
            return found
        hashes = list(by_hash)
        try:
            with self._lock:
                for start in range(0, len(hashes), _LOOKUP_CHUNK):
                    chunk = hashes[start : start + _LOOKUP_CHUNK]
                    rows = self._db.execute(
                        "SELECT source_hash, source, translation, score, target_tokens, extra FROM translations "
                        f"WHERE context = ? AND source_hash IN ({','.join('?' * len(chunk))})",
                        [context, *chunk],
                    ).fetchall()
                    for source_hash, source, translation, score, tokens, extra in rows:
                        if source != by_hash[source_hash]:
                            continue  # a hash collision would be astronomically rare; never trust it
                        hypothesis = Hypothesis(translation, score, tokens)
                        for name, value in (json.loads(extra) if extra else {}).items():
                            if name in _EXTRA_FIELDS:
                                setattr(hypothesis, name, value)
                        found[source] = hypothesis
        except sqlite3.Error as err:
            self._failed(err)
        return found

    def store(self, context: str, items: Iterable[tuple[str, Hypothesis]]) -> None:
        """Store translations, committed at once (one transaction per call)."""
        now = time.time()
        rows = []
        for text, hyp in items:
            extra = {name: getattr(hyp, name) for name in _EXTRA_FIELDS if getattr(hyp, name, None) is not None}
            rows.append((context, _text_hash(text), text, hyp.text, hyp.score, hyp.target_tokens,
                         json.dumps(extra, separators=(",", ":")) if extra else None, now))
        self._write("INSERT OR REPLACE INTO translations VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)

    def _write(self, sql: str, rows: list[tuple]) -> None:
        if self.disabled or not rows:
            return
        try:
            with self._lock:
                self._db.execute("BEGIN IMMEDIATE")
                try:
                    self._db.executemany(sql, rows)
                except BaseException:
                    self._db.execute("ROLLBACK")
                    raise
                self._db.execute("COMMIT")
        except sqlite3.Error as err:
            self._failed(err)

    # -- model identity ------------------------------------------------------------------------

    def file_digest(self, path: Path) -> str:
        """SHA-256 of a file's bytes, computed once per (path, size, modification time)."""
        resolved = path.resolve()
        stat = resolved.stat()
        if not self.disabled:
            try:
                with self._lock:
                    row = self._db.execute(
                        "SELECT sha256 FROM file_digests WHERE path = ? AND size = ? AND mtime_ns = ?",
                        (str(resolved), stat.st_size, stat.st_mtime_ns),
                    ).fetchone()
                if row:
                    return row[0]
            except sqlite3.Error as err:
                self._failed(err)
        digest = hashlib.sha256()
        with open(resolved, "rb") as handle:
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
        value = digest.hexdigest()
        self._write("INSERT OR REPLACE INTO file_digests VALUES (?, ?, ?, ?)",
                    [(str(resolved), stat.st_size, stat.st_mtime_ns, value)])
        return value

    # -- maintenance -------------------------------------------------------------------------------

    def stats(self) -> MemoryStats:
        with self._lock:
            entries = self._db.execute("SELECT COUNT(*) FROM translations").fetchone()[0]
            rows = self._db.execute(
                "SELECT c.description, COUNT(t.source_hash) FROM contexts c "
                "LEFT JOIN translations t ON t.context = c.context GROUP BY c.context ORDER BY c.created"
            ).fetchall()
        size = 0
        if self.path is not None:
            size = sum(p.stat().st_size for p in (self.path, Path(f"{self.path}-wal")) if p.exists())
        return MemoryStats(str(self.path or ":memory:"), entries, size,
                           [(json.loads(description), count) for description, count in rows if count])

    def clear(self) -> int:
        """Remove every entry; returns how many there were."""
        with self._lock:
            count = self._db.execute("SELECT COUNT(*) FROM translations").fetchone()[0]
            self._db.execute("BEGIN IMMEDIATE")
            self._db.execute("DELETE FROM translations")
            self._db.execute("DELETE FROM contexts")
            self._db.execute("COMMIT")
            self._db.execute("VACUUM")
        return count


def model_fingerprint(model_path: Path, memory: TranslationMemory) -> str:
    """Identity and revision of a model folder: a hash over the content of its files.

    Each file's hash is cached in the memory by path, size and modification time, so the
    weights are read once, not on every run.
    """
    lines = []
    for path in sorted(model_path.iterdir()):
        if path.name.startswith(".") or not path.is_file():
            continue
        lines.append(f"{path.name}:{memory.file_digest(path)}")
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()[:32]
