"""The review database: one SQLite file in the output folder, ``OUT/review.sqlite3``.

Every save is one row of ``reviews`` (never updated), committed in its own transaction, so a
killed server loses nothing saved and the history of each span is kept. A reviewer's current
judgement of a span is their latest row; a span's correction is the latest edit by anyone.
WAL journaling lets several reviewers (server threads, or several servers) write at once.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

FILE_NAME = "review.sqlite3"
VERDICTS = ("acceptable", "minor", "major", "critical")
SERIOUS_VERDICTS = frozenset({"major", "critical"})
CATEGORIES = ("accuracy", "fluency", "terminology", "markup", "wrong language", "untranslated")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS reviews (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    document TEXT NOT NULL,      -- the batch JSON's ``source``
    seg INTEGER NOT NULL,        -- index in its ``segments``
    text TEXT NOT NULL,          -- the span's source text when judged (an edit of a changed span is not applied)
    reviewer TEXT NOT NULL,
    verdict TEXT,                -- one of VERDICTS, or NULL (an edit or comment alone)
    category TEXT,
    comment TEXT,
    edit TEXT,                   -- the reviewer's English, or NULL
    created REAL NOT NULL        -- seconds since the epoch (UTC)
);
CREATE INDEX IF NOT EXISTS reviews_span ON reviews (document, seg);
-- The spot-check flags of each batch JSON file (by its SHA-256), so that the queue opens fast the next time.
CREATE TABLE IF NOT EXISTS flag_cache (
    checksum TEXT NOT NULL,
    signature TEXT NOT NULL,     -- of the signals and thresholds (translate.spotcheck.checker.flags_signature)
    flags TEXT NOT NULL,         -- JSON: per span, [[name, explanation, source ranges, translation ranges], ...]
    PRIMARY KEY (checksum, signature)
);
"""


@dataclass
class Review:
    document: str
    seg: int
    text: str
    reviewer: str
    verdict: str | None = None
    category: str | None = None
    comment: str | None = None
    edit: str | None = None
    created: float = 0.0
    id: int | None = None

    def to_json(self) -> dict:
        return asdict(self)


def database_path(out_dir: Path) -> Path:
    return out_dir / FILE_NAME


def check_review(review: Review) -> str | None:
    """Why ``review`` cannot be stored, or None."""
    if not review.reviewer.strip():
        return "a reviewer name is required"
    if review.verdict is not None and review.verdict not in VERDICTS:
        return f"verdict must be one of {', '.join(VERDICTS)}"
    if review.category is not None and review.category not in CATEGORIES:
        return f"category must be one of {', '.join(CATEGORIES)}"
    if review.verdict is None and review.edit is None and not review.comment:
        return "nothing to save: give a verdict, an edit or a comment"
    return None


class ReviewStore:
    """The database of one output folder; safe to share between threads."""

    def __init__(self, path: Path):
        self.path = path
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(path), timeout=30, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: a killed process keeps every commit
        self._db.executescript(_SCHEMA)

    @classmethod
    def of(cls, out_dir: Path) -> ReviewStore:
        return cls(database_path(out_dir))

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def save(self, review: Review) -> Review:
        """Store one judgement (one transaction); returns it with its id and time."""
        review.created = review.created or time.time()
        with self._lock:
            cursor = self._db.execute(
                "INSERT INTO reviews (document, seg, text, reviewer, verdict, category, comment, edit, created) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (review.document, review.seg, review.text, review.reviewer, review.verdict, review.category,
                 review.comment, review.edit, review.created))
            review.id = cursor.lastrowid
        return review

    def cached_flags(self, signature: str, checksums: list[str]) -> dict[str, list]:
        """The stored flags of these JSON files (by checksum), for this signature."""
        with self._lock:
            rows = self._db.execute("SELECT checksum, flags FROM flag_cache WHERE signature = ?", (signature,)).fetchall()
        wanted = set(checksums)
        return {checksum: json.loads(flags) for checksum, flags in rows if checksum in wanted}

    def store_flags(self, signature: str, flags: dict[str, list], keep: set[str]) -> None:
        """Store the flags of these JSON files (one transaction), and drop those of files that are no
        longer in the folder or of another signature."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                stale = [(checksum, old) for checksum, old in self._db.execute(
                    "SELECT checksum, signature FROM flag_cache").fetchall() if checksum not in keep or old != signature]
                self._db.executemany("DELETE FROM flag_cache WHERE checksum = ? AND signature = ?", stale)
                self._db.executemany("INSERT OR REPLACE INTO flag_cache VALUES (?, ?, ?)",
                                     [(checksum, signature, json.dumps(value, separators=(",", ":")))
                                      for checksum, value in flags.items()])
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise

    def history(self) -> list[Review]:
        """Every row, oldest first."""
        with self._lock:
            rows = self._db.execute(
                "SELECT document, seg, text, reviewer, verdict, category, comment, edit, created, id "
                "FROM reviews ORDER BY id").fetchall()
        return [Review(*row) for row in rows]


def current(history: list[Review]) -> dict[tuple[str, int], dict[str, Review]]:
    """Per span, each reviewer's latest judgement."""
    latest: dict[tuple[str, int], dict[str, Review]] = {}
    for review in history:
        latest.setdefault((review.document, review.seg), {})[review.reviewer] = review
    return latest


def span_verdicts(history: list[Review]) -> dict[tuple[str, int], Review]:
    """Per span, the latest judgement with a verdict, by anyone (what the quality figure counts)."""
    found: dict[tuple[str, int], Review] = {}
    for review in history:
        if review.verdict is not None:
            found[(review.document, review.seg)] = review
    return found


def span_edits(history: list[Review]) -> dict[tuple[str, int], Review]:
    """Per span, the latest edit, by anyone (what ``apply`` writes)."""
    found: dict[tuple[str, int], Review] = {}
    for review in history:
        if review.edit is not None:
            found[(review.document, review.seg)] = review
    return found


def open_existing(out_dir: Path) -> ReviewStore | None:
    """The folder's database, or None when nobody has reviewed it yet."""
    return ReviewStore.of(out_dir) if database_path(out_dir).is_file() else None
