"""The files of a whole run: ``OUT/index.html`` (every document, with counts and links),
``OUT/corpus.tmx`` (every translated span, for CAT tools), or other names when a document or a
file of the user's has those (``translate.outdir.run_file_paths``), and ``OUT/.translate-run`` (the
input folder, so that ``translate review apply OUT`` finds the inputs to rewrite).

Both are built from the documents' JSON files in the output folder, not from memory, so
that a document a run did not redo (unchanged since an earlier run) is listed and
exported like the others. They cover the documents of *this* run: its inputs, whether
translated now or before; outputs in OUT from inputs that are gone are left out.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from translate.document import KEPT_LANGUAGES
from translate.errors import TranslateError
from translate.fsutil import write_atomic

LANGUAGE_ORDER = ("fr", "es", "en", "und")
RUN_RECORD_NAME = ".translate-run"


@dataclass
class IndexEntry:
    source: str
    html: str  # URL relative to the output folder
    english: str
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def spans(self) -> int:
        return sum(self.counts.values())

    translated: int = 0  # spans with a translation by a model (not English, und, or left untranslated)


@dataclass
class Failure:
    source: str
    reason: str


def read_run_documents(out_dir: Path, outcomes) -> tuple[list[dict], list[Failure]]:
    """The JSON of each successful outcome's document, and the failures (with their reasons)."""
    from translate.writers.paths import output_paths

    documents, failures = [], []
    for outcome in outcomes:
        if outcome.error is not None:
            failures.append(Failure(outcome.source, outcome.error))
            continue
        path = output_paths(out_dir, outcome.source)["json"]
        try:
            documents.append(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError) as err:
            reason = err.strerror if isinstance(err, OSError) and err.strerror else str(err)
            failures.append(Failure(outcome.source, f"{outcome.source}: no readable output {path.name}: {reason}"))
    return documents, failures


def index_entries(out_dir: Path, documents: list[dict]) -> list[IndexEntry]:
    from translate.writers.paths import output_paths

    entries = []
    for document in documents:
        source = document["source"]
        paths = output_paths(out_dir, source)
        counts = {lang: 0 for lang in LANGUAGE_ORDER}
        translated = 0
        for seg in document.get("segments", []):
            counts[seg.get("lang", "und")] = counts.get(seg.get("lang", "und"), 0) + 1
            translated += seg.get("lang") not in KEPT_LANGUAGES and seg.get("translation") is not None
        entries.append(IndexEntry(
            source=source,
            html=quote(paths["html"].relative_to(out_dir).as_posix()),
            english=quote(paths["english"].relative_to(out_dir).as_posix()),
            counts=counts,
            translated=translated,
        ))
    return entries


def render_index(entries: list[IndexEntry], failures: list[Failure], corpus_name: str = "corpus.tmx") -> str:
    from translate.writers.html_writer import LANGUAGE_NAMES, content_security_policy, environment

    # fr, es, en, the other languages found (alphabetically), und.
    found = {lang for entry in entries for lang, n in entry.counts.items() if n}
    languages = [*LANGUAGE_ORDER[:3], *sorted(found - set(LANGUAGE_ORDER)), LANGUAGE_ORDER[3]]
    totals = {lang: sum(entry.counts.get(lang, 0) for entry in entries) for lang in languages}
    return environment().get_template("index.html.j2").render(
        entries=entries,
        failures=failures,
        totals=totals,
        translated=sum(entry.translated for entry in entries),
        languages=languages,
        language_names=LANGUAGE_NAMES,
        corpus_name=corpus_name,
        corpus_link=quote(corpus_name),
        csp=content_security_policy(["page.css"], []),
    )


def write_run_files(out_dir: Path, outcomes, input_dir: Path | None = None) -> dict[str, Path]:
    """Write the run's index page and corpus for the run's outcomes, and the run record of
    ``input_dir`` when given; returns their paths ("index", "tmx", "record"): ``index.html`` and
    ``corpus.tmx`` unless a document of the run has that name or a file that is not a run file is
    there (``translate.outdir.run_file_paths``)."""
    from translate.outdir import run_file_paths
    from translate.writers.paths import output_paths
    from translate.writers.tmx_writer import corpus_tmx

    documents, failures = read_run_documents(out_dir, outcomes)
    claimed = {path for outcome in outcomes for path in output_paths(out_dir, outcome.source).values()}
    paths = run_file_paths(out_dir, claimed)
    if paths["index"].name != recorded_run_file(out_dir, "index").name:
        # Pages link to where the last run's index went (translate.writers.write_outputs); this one's moved.
        relink_pages(out_dir, [outcome.source for outcome in outcomes if outcome.error is None], paths["index"].name)
    try:
        write_atomic(paths["index"], render_index(index_entries(out_dir, documents), failures, paths["tmx"].name))
        write_atomic(paths["tmx"], corpus_tmx(documents))
        if input_dir is not None:
            paths["record"] = out_dir / RUN_RECORD_NAME
            write_atomic(paths["record"], run_record(out_dir, input_dir, paths))
    except OSError as err:
        raise TranslateError(f"{out_dir}: cannot write {paths['index'].name} / {paths['tmx'].name}: "
                             f"{err.strerror or err}") from None
    return paths


def relink_pages(out_dir: Path, sources, index_name: str) -> None:
    """Point the "All documents" link of each source's side-by-side page to the run's index, named
    ``index_name`` in ``out_dir``; pages that do already, or are missing, are left alone. Raises
    TranslateError naming the page when one cannot be rewritten."""
    from translate.writers.html_writer import index_link, relinked
    from translate.writers.paths import output_paths

    for source in sources:
        path = output_paths(out_dir, source)["html"]
        try:
            if path.is_symlink():  # not written by us
                continue
            page = path.read_text(encoding="utf-8")
        except (OSError, ValueError):  # gone, or not ours: nothing to point
            continue
        changed = relinked(page, index_link(source, index_name))
        if changed is not None:
            try:
                write_atomic(path, changed)
            except OSError as err:
                raise TranslateError(f"{path}: cannot point its link to {index_name}: {err.strerror or err}") from None


def run_record(out_dir: Path, input_dir: Path, run_files: dict[str, Path] | None = None) -> str:
    """The run record: the input folder, absolute and relative to the output folder (which still
    holds when both folders are moved together), and the names the run's index and corpus took."""
    from translate.outdir import RUN_FILES

    absolute = input_dir.resolve()
    relative = Path(os.path.relpath(absolute, out_dir.resolve())).as_posix()
    names = {kind: path.name for kind, path in (run_files or {}).items() if kind in RUN_FILES}
    return json.dumps({"input_dir": str(absolute), "input_dir_relative": relative, "run_files": names},
                      indent=2) + "\n"


def _read_run_record(out_dir: Path) -> dict:
    """The run record of the last batch into ``out_dir``; empty when there is none or it is unreadable."""
    try:
        record = json.loads((out_dir / RUN_RECORD_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return record if isinstance(record, dict) else {}


def recorded_run_file(out_dir: Path, kind: str) -> Path:
    """Where the last batch into ``out_dir`` wrote its run file ``kind`` ("index", "tmx"), as its run
    record names it; its usual name (``translate.outdir.RUN_FILES``) when no record names one."""
    from translate.outdir import RUN_FILES

    names = _read_run_record(out_dir).get("run_files")
    name = names.get(kind) if isinstance(names, dict) else None
    if isinstance(name, str) and Path(name).name == name:
        return out_dir / name
    return out_dir / RUN_FILES[kind][0]


def recorded_input_dir(out_dir: Path) -> Path | None:
    """The input folder of the last batch into ``out_dir``, as its run record names it: relative to
    ``out_dir`` when that folder exists, else the absolute path when it does; None when there is no
    readable record or neither folder exists."""
    record = _read_run_record(out_dir)
    candidates = [out_dir / record["input_dir_relative"] if isinstance(record.get("input_dir_relative"), str) else None,
                  Path(record["input_dir"]) if isinstance(record.get("input_dir"), str) else None]
    return next((path for path in candidates if path is not None and path.is_dir()), None)
