"""A corrupt translation memory is reported in one line, not SQLite's whole integrity report (issue 25)."""

from __future__ import annotations

import os
import random
import sqlite3

from translate.memory import TranslationMemory


def damaged_database(path) -> None:
    """A SQLite file that opens but whose b-tree pages are damaged in several places."""
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE notes (key TEXT, value TEXT)")
    db.execute("CREATE INDEX notes_key ON notes (key)")
    db.executemany("INSERT INTO notes VALUES (?, ?)", [(f"key {i}" * 5, "v" * 50) for i in range(3000)])
    db.commit()
    db.close()
    data = bytearray(path.read_bytes())
    noise = random.Random(25)
    for page in (5, 9, 14, 30):
        data[page * 4096 + 100 : page * 4096 + 300] = bytes(noise.randrange(256) for _ in range(200))
    path.write_bytes(bytes(data))


def test_corrupt_memory_warning_is_one_line(tmp_path):
    path = tmp_path / "tm.sqlite3"
    damaged_database(path)
    report = sqlite3.connect(path).execute("PRAGMA quick_check").fetchone()[0]
    assert report.count("\n") > 3  # what used to be printed whole
    warnings = []
    memory = TranslationMemory(path, on_warning=warnings.append)
    memory.close()
    assert len(warnings) == 1 and "\n" not in warnings[0], warnings
    assert "is unreadable (integrity check: On tree page" in warnings[0] and "more)" in warnings[0]
    assert "moved it to tm.sqlite3.corrupt-" in warnings[0]
    assert len(warnings[0]) < 400
    assert [name for name in os.listdir(tmp_path) if name.startswith("tm.sqlite3.corrupt-")]
