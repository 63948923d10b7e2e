"""Language segmentation benchmark: letter-level accuracy on mixed documents, open set included.

    python benchmarks/langid.py                     # all langid-dev lines, 300 + 300 documents
    python benchmarks/langid.py --half 1            # only the odd lines (the half not used for tuning)
    python benchmarks/langid.py --root OTHER/langid-dev --docs 500 --seed 7
    python benchmarks/langid.py --half 1 --baseline 274fffb   # compare with the segmenter of a commit
    python benchmarks/langid.py --half 0 --only "open set" --set core_word_cost=20   # another weight

Documents come from benchmarks/mixed_documents.py (fixed seed): ``--docs`` fr/es/en documents,
and as many open-set documents (fr/es/en quoting one to three of the 28 other languages of
langid-dev). Compared:

- this project: ``translate.segment.segment_document`` (langdetect profiles + py3langid
  evidence, Viterbi over words with context), open set;
- the same closed to fr/es/en (``SegmenterSettings(open_set=False)``), and with langdetect's
  profiles alone (no py3langid), to show what each part brings;
- the segmenter of the ``--baseline`` commit ("today's", before the open set; default
  274fffb), run as ``translate detect --json`` on the documents written to files, from that
  commit's ``translate/`` extracted with ``git archive`` (skipped when git cannot);
- langdetect per sentence: the sentences of our splitter, each labelled by langdetect
  (seeded, restricted to fr/es/en) - the naive approach;
- lingua per sentence (fr/es/en, and all its 75 languages), and lingua's own mixed-language
  detection (fr/es/en), when lingua-language-detector is installed.

Columns: ``letters`` (fr/es/en documents: letters right), ``core`` (open-set documents:
fr/es/en letters right), ``flagged`` (open-set documents: other-language letters labelled
neither fr, es nor en), ``named`` (... labelled with their own language), CPU seconds per
100k characters (both sets, one process, models loaded before: CPU time, so that a busy
machine inflates it less than wall time), and the share of single
sentences, word pairs and single words of langid-dev (fr/es/en) labelled right. Then the
confusion of it, pt, ca and ro letters, and ``translate detect --json`` in a fresh process on
the five seeds and on a 1 MB file of open-set documents, for this tree and the baseline.
"""

from __future__ import annotations

import argparse
import io
import json
import resource
import subprocess
import sys
import tarfile
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.mixed_documents import (  # noqa: E402
    DEFAULT_ROOT,
    LANGUAGES,
    OTHER_LANGUAGES,
    letter_accuracy,
    letter_confusion,
    letter_labels,
    load_pool,
    make_documents,
    make_open_documents,
    open_set_scores,
)

DEFAULT_BASELINE = "274fffb"  # the last commit before the open-set segmenter
CLOSE_RELATIVES = ("it", "pt", "ca", "ro")

Spans = list[tuple[int, int, str]]


def project_spans(**changes) -> Callable[[str], Spans]:
    import dataclasses

    from translate.segment import DEFAULT_SETTINGS, segment_document

    settings = dataclasses.replace(DEFAULT_SETTINGS, **changes)
    return lambda text: [(s.start, s.end, s.lang) for s in segment_document(text, settings=settings)]


def extract_package(revision: str, folder: Path) -> Path:
    """``translate/`` of the commit ``revision`` (``git archive``) under ``folder``; returns ``folder``, a
    root to import that commit's package from."""
    archive = subprocess.run(
        ["git", "archive", "--format=tar", revision, "translate"], cwd=REPO, check=True, capture_output=True
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(folder, filter="data")
    return folder


class BaselineSegmenter:
    """The segmenter of another commit, run as ``translate detect --json`` over files (one process
    for all documents); ``spans`` answers from the results, ``seconds`` is that process's CPU time."""

    def __init__(self, revision: str, folder: Path) -> None:
        extract_package(revision, folder)
        self.revision, self.folder, self.results = revision, folder, {}

    def detect(self, paths: list[Path]) -> tuple[float, float, list[dict]]:
        return detect_process(self.folder, paths)

    def run(self, texts: list[str], work: Path) -> float:
        """Span ``texts`` (written as files into the empty folder ``work``); the CPU seconds."""
        paths = []
        for index, text in enumerate(texts):
            path = work / f"doc{index:05d}.txt"
            path.write_text(text, "utf-8")
            paths.append(path)
        _, cpu, records = self.detect([work])
        by_source = {r["source"]: r for r in records}
        for path, text in zip(paths, texts):
            record = by_source.get(path.as_posix())
            self.results[text] = [(s["start"], s["end"], s["lang"]) for s in record["segments"]] if record else []
        for path in paths:
            path.unlink()
        return cpu

    def spans(self, text: str) -> Spans:
        return self.results[text]


def detect_process(code_root: Path, paths: list[Path]) -> tuple[float, float, list[dict]]:
    """Wall and CPU seconds of one fresh ``translate detect --json PATHS`` run with the package
    under ``code_root``, and its records."""
    cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "translate", "detect", "--json", *map(str, paths)],
        capture_output=True, cwd=code_root, text=True,
    )
    if done.returncode not in (0, 1):  # 1: some file could not be read, the others are there
        raise RuntimeError(f"translate detect failed ({done.returncode}): {done.stderr[-500:]}")
    wall = time.perf_counter() - started
    cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
    return wall, cpu, [json.loads(line) for line in done.stdout.splitlines() if line.strip()]


def per_sentence(classify: Callable[[str], str]) -> Callable[[str], Spans]:
    from translate.segment import split_paragraphs, split_sentences

    def spans(text: str) -> Spans:
        return [
            (start, end, classify(text[start:end]))
            for block in split_paragraphs(text)
            for start, end in split_sentences(text, block.start, block.end)
        ]

    return spans


def langdetect_classifier() -> Callable[[str], str]:
    from langdetect import detector_factory
    from langdetect.lang_detect_exception import LangDetectException

    detector_factory.init_factory()
    factory = detector_factory._factory
    factory.seed = 0
    priors = {lang: (1.0 if lang in LANGUAGES else 0.0) for lang in factory.get_lang_list()}

    def classify(text: str) -> str:
        detector = factory.create()
        detector.set_prior_map(priors)
        detector.append(text)
        try:
            return detector.detect()
        except LangDetectException:
            return "und"

    return classify


def lingua_detector(all_languages: bool = False):
    try:
        from lingua import Language, LanguageDetectorBuilder
    except ImportError:
        return None, {}
    if all_languages:
        names = {language: language.iso_code_639_1.name.lower() for language in Language.all()}
        return LanguageDetectorBuilder.from_all_languages().build(), names
    names = {Language.FRENCH: "fr", Language.SPANISH: "es", Language.ENGLISH: "en"}
    return LanguageDetectorBuilder.from_languages(*names).build(), names


def lingua_mixed(detector, names) -> Callable[[str], Spans]:
    def spans(text: str) -> Spans:
        return [
            (r.start_index, r.end_index, names[r.language]) for r in detector.detect_multiple_languages_of(text)
        ]

    return spans


def line_accuracy(pool, kind: str, predict: Callable[[str], Spans]) -> float:
    right = total = 0
    for lang in LANGUAGES:
        for line in pool[kind][lang]:
            votes = Counter(label for _, label in letter_labels(line, predict(line)))
            total += 1
            right += bool(votes) and votes.most_common(1)[0][0] == lang
    return right / total


_SPEED_SCRIPT = """
import json, sys, time
from translate.segment import segment_document
texts = json.load(open(sys.argv[1], encoding="utf-8"))
segment_document("Le chat dort.")  # load the models
started = time.process_time()
for text in texts:
    segment_document(text)
print(sum(map(len, texts)) / (time.process_time() - started))
"""


def segmentation_speed(code_root: Path, texts_file: Path) -> float:
    """Characters segmented per CPU second, one process on one core, with the package under
    ``code_root`` (models loaded first; its word caches start empty)."""
    done = subprocess.run(
        [sys.executable, "-c", _SPEED_SCRIPT, str(texts_file)], capture_output=True, text=True, cwd=code_root, check=True
    )
    return float(done.stdout.strip())


def best_of(runs: int, measure: Callable[[], tuple[float, float, list]]) -> tuple[float, float]:
    """Lowest (wall, CPU) seconds of ``runs`` fresh processes."""
    return min(measure()[:2] for _ in range(runs))


def megabyte_file(pool, folder: Path) -> Path:
    """A file of about 1 MB: open-set documents (seed 1), blank-line separated."""
    parts, size, seed = [], 0, 1
    while size < 1_000_000:
        for doc in make_open_documents(pool, 50, seed):
            parts.append(doc.text)
            size += len(doc.text.encode("utf-8")) + 2
        seed += 1
    path = folder / "one-megabyte.txt"
    path.write_text("\n\n".join(parts), "utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", type=Path, default=DEFAULT_ROOT, help="langid-dev folder (sentences/, word-pairs/, single-words/)")
    parser.add_argument("--half", type=int, choices=(0, 1), help="only the even (0) or odd (1) lines")
    parser.add_argument("--docs", type=int, default=300, help="number of mixed documents of each kind")
    parser.add_argument("--seed", type=int, default=20240611)
    parser.add_argument("--baseline", default=DEFAULT_BASELINE, help="git revision of today's segmenter ('' to skip)")
    parser.add_argument("--no-lingua-all", action="store_true", help="skip lingua with all its languages (slow to load)")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of the tables")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                        help="a SegmenterSettings weight for this project's open-set segmenter (repeatable)")
    parser.add_argument("--only", metavar="TEXT,...",
                        help="run only the methods whose name contains one of these texts (e.g. 'open set,all languages')")
    args = parser.parse_args()

    pool = load_pool(args.root, args.half, LANGUAGES + OTHER_LANGUAGES)
    closed = make_documents(pool, args.docs, args.seed)
    opened = make_open_documents(pool, args.docs, args.seed + 1)
    characters = sum(len(doc.text) for doc in closed + opened)
    work = Path(tempfile.mkdtemp(prefix="langid-bench-"))
    methods: list[tuple[str, Callable[[str], Spans] | BaselineSegmenter]] = [
        ("translate (this project, open set)", project_spans(**{
            name.strip(): float(value) for name, _, value in (item.partition("=") for item in args.set)})),
        ("translate, closed to fr/es/en", project_spans(open_set=False)),
        ("translate, langdetect profiles only", project_spans(langid_weight=0.0, open_set=False)),
    ]
    baseline = None
    if args.baseline:
        try:
            baseline = BaselineSegmenter(args.baseline, work / "baseline")
            methods.append((f"today's segmenter ({args.baseline})", baseline))
        except (subprocess.CalledProcessError, OSError) as err:
            print(f"baseline {args.baseline} skipped: {err}", file=sys.stderr)
    methods.append(("langdetect per sentence (fr/es/en)", per_sentence(langdetect_classifier())))
    detector, names = lingua_detector()
    if detector is not None:
        methods.append(("lingua per sentence (fr/es/en)", per_sentence(lambda t: names.get(detector.detect_language_of(t), "und"))))
        methods.append(("lingua mixed-language (fr/es/en)", lingua_mixed(detector, names)))
        if not args.no_lingua_all:
            every, every_name = lingua_detector(all_languages=True)
            methods.append(
                ("lingua per sentence (all languages)", per_sentence(lambda t: every_name.get(every.detect_language_of(t), "und")))
            )

    if args.only:
        wanted = [part.strip() for part in args.only.split(",") if part.strip()]
        methods = [(name, method) for name, method in methods if any(part in name for part in wanted)]
    half = "all lines" if args.half is None else ("even lines" if args.half == 0 else "odd lines")
    report: dict = {"documents": {"closed": len(closed), "open": len(opened), "characters": characters,
                                  "seed": args.seed, "lines": half}, "methods": {}}
    if not args.json:
        print(f"{len(closed)} fr/es/en + {len(opened)} open-set documents, {characters} characters, seed {args.seed}, {args.root} ({half})\n")
        header = f"{'method':<38} {'letters':>8} {'core':>7} {'flagged':>7} {'named':>7} {'s/100k':>7} {'sentences':>9} {'pairs':>6} {'words':>6}"
        print(header)
        print("-" * len(header))
    texts = [doc.text for doc in closed + opened]
    for name, method in methods:
        if isinstance(method, BaselineSegmenter):
            (work / "docs").mkdir(exist_ok=True)
            lines = [line for kind in ("sentences", "word-pairs", "single-words") for lang in LANGUAGES for line in pool[kind][lang]]
            method.run(lines, work / "docs")
            method.run(texts, work / "docs")
            texts_file = work / "speed.json"
            texts_file.write_text(json.dumps(texts), "utf-8")
            seconds = 100_000 / segmentation_speed(method.folder, texts_file)
            predict = method.spans
        else:
            predict = method
            predict(closed[0].text)  # load models outside the timing
            started = time.process_time()
            for text in texts:
                predict(text)
            seconds = (time.process_time() - started) * 100_000 / characters
        accuracy = letter_accuracy(closed, predict)
        confusion = letter_confusion(opened, predict)
        found = open_set_scores(confusion)
        lines = [line_accuracy(pool, kind, predict) for kind in ("sentences", "word-pairs", "single-words")]
        report["methods"][name] = {"letters": accuracy, **found, "s_per_100k": seconds, "sentences": lines[0],
                                   "word_pairs": lines[1], "single_words": lines[2], "confusion": {
                                       lang: _shares(confusion.get(lang, {}), lang) for lang in CLOSE_RELATIVES}}
        if not args.json:
            print(f"{name:<38} {accuracy:>8.4f} {found['core']:>7.4f} {found['flagged']:>7.4f} {found['named']:>7.4f} "
                  f"{seconds:>7.2f} {lines[0]:>9.4f} {lines[1]:>6.4f} {lines[2]:>6.4f}", flush=True)
    if not args.json:
        print("\nclose relatives, open-set documents (share of their letters labelled: own language / fr,es,en / other):")
        for name, row in report["methods"].items():
            cells = "  ".join(f"{lang} {c['own']:.3f}/{c['core']:.3f}/{c['other']:.3f}" for lang, c in row["confusion"].items())
            print(f"  {name:<38} {cells}")

    seeds = sorted((REPO / "seeds").glob("*.txt"))
    big = megabyte_file(pool, work)
    corpora = {"mixed documents": texts, "1 MB file": [big.read_text("utf-8")]}
    speeds: dict[str, dict[str, float]] = {}
    for what, corpus in corpora.items():
        texts_file = work / "speed.json"
        texts_file.write_text(json.dumps(corpus), "utf-8")
        roots = {"this tree": REPO, **({f"baseline {baseline.revision}": baseline.folder} if baseline else {})}
        for who, root in roots.items():
            speeds.setdefault(who, {})[what] = max(segmentation_speed(root, texts_file) for _ in range(3))
    report["segmentation_chars_per_cpu_s"] = speeds
    timings = {"this tree": {"seeds": best_of(3, lambda: detect_process(REPO, seeds)),
                             "1 MB": best_of(3, lambda: detect_process(REPO, [big]))}}
    if baseline is not None:
        timings[f"baseline {baseline.revision}"] = {"seeds": best_of(3, lambda: baseline.detect(seeds)),
                                                   "1 MB": best_of(3, lambda: baseline.detect([big]))}
    report["detect_seconds"] = {who: {what: {"wall": w, "cpu": c} for what, (w, c) in rows.items()} for who, rows in timings.items()}
    if args.json:
        print(json.dumps(report, indent=2))
        return
    print("\nsegmentation speed, characters per CPU second (one process, one core, best of 3):")
    for who, rows in speeds.items():
        print(f"  {who:<20} " + "  ".join(f"{what}: {value / 1000:.0f}k" for what, value in rows.items()))
    print(f"\ntranslate detect --json, fresh process, best of 3 (wall / CPU seconds; 1 MB = {big.stat().st_size} bytes):")
    for who, rows in timings.items():
        print(f"  {who:<20} " + "  ".join(f"{what}: {w:.2f} / {c:.2f}" for what, (w, c) in rows.items()))
    if baseline is not None and len(timings) == 2:
        mine, theirs = timings["this tree"], timings[f"baseline {baseline.revision}"]
        print("  ratio this / baseline (CPU): " + "  ".join(f"{what}: {mine[what][1] / theirs[what][1]:.2f}" for what in mine))


def _shares(row: dict[str, int], lang: str) -> dict[str, float]:
    if not row:
        return {"own": float("nan"), "core": float("nan"), "other": float("nan"), "letters": 0}
    total = sum(row.values())
    core = sum(n for label, n in row.items() if label in LANGUAGES)
    own = row.get(lang, 0)
    return {"own": own / total, "core": core / total, "other": (total - own - core) / total, "letters": sum(row.values())}


if __name__ == "__main__":
    main()
