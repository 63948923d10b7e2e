"""Language segmentation benchmark: letter-level accuracy on mixed fr/es/en documents.

    python benchmarks/langid.py                     # all langid-dev lines, 300 documents
    python benchmarks/langid.py --half 1            # only the odd lines (the half not used for tuning)
    python benchmarks/langid.py --root OTHER/langid-dev --docs 500 --seed 7

Documents come from benchmarks/mixed_documents.py (fixed seed). Compared:

- this project: ``translate.segment.segment_document`` (langdetect profiles + py3langid
  evidence, Viterbi over words with context);
- the same with langdetect's profiles alone (no py3langid), to show what each part brings;
- langdetect per sentence: the sentences of our splitter, each labelled by langdetect
  (seeded, restricted to fr/es/en) - the naive approach;
- lingua per sentence, and lingua's own mixed-language detection, when
  lingua-language-detector is installed (restricted to fr/es/en, like the others).

Also: share of single sentences, word pairs and single words of langid-dev labelled
right (the label of a line is the language of most of its letters), and the time to
detect the five seed documents in a fresh process (``translate detect seeds --json``).
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.mixed_documents import (  # noqa: E402
    DEFAULT_ROOT,
    LANGUAGES,
    load_pool,
    letter_accuracy,
    letter_labels,
    make_documents,
)

Spans = list[tuple[int, int, str]]


def project_spans(langid_weight: float | None = None) -> Callable[[str], Spans]:
    from translate.segment import DEFAULT_SETTINGS, SegmenterSettings, segment_document

    settings = DEFAULT_SETTINGS if langid_weight is None else SegmenterSettings(langid_weight=langid_weight)
    return lambda text: [(s.start, s.end, s.lang) for s in segment_document(text, settings=settings)]


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


def lingua_detector():
    try:
        from lingua import Language, LanguageDetectorBuilder
    except ImportError:
        return None, {}
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


def seeds_seconds() -> tuple[float, float]:
    """Wall and CPU seconds of a fresh ``translate detect --json seeds`` (best of three runs)."""
    runs = []
    for _ in range(3):
        cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "translate", "detect", "--json", str(REPO / "seeds")],
            check=True, stdout=subprocess.DEVNULL, cwd=REPO,
        )
        wall = time.perf_counter() - started
        cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
        runs.append((wall, cpu))
    return min(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", type=Path, default=DEFAULT_ROOT, help="langid-dev folder (sentences/, word-pairs/, single-words/)")
    parser.add_argument("--half", type=int, choices=(0, 1), help="only the even (0) or odd (1) lines")
    parser.add_argument("--docs", type=int, default=300, help="number of mixed documents")
    parser.add_argument("--seed", type=int, default=20240611)
    args = parser.parse_args()

    pool = load_pool(args.root, args.half)
    documents = make_documents(pool, args.docs, args.seed)
    characters = sum(len(doc.text) for doc in documents)
    methods: list[tuple[str, Callable[[str], Spans]]] = [
        ("translate (this project)", project_spans()),
        ("translate, langdetect profiles only", project_spans(langid_weight=0.0)),
        ("langdetect per sentence", per_sentence(langdetect_classifier())),
    ]
    detector, names = lingua_detector()
    if detector is not None:
        methods.append(("lingua per sentence", per_sentence(lambda t: names.get(detector.detect_language_of(t), "und"))))
        methods.append(("lingua mixed-language", lingua_mixed(detector, names)))

    half = "all lines" if args.half is None else ("even lines" if args.half == 0 else "odd lines")
    print(f"{len(documents)} mixed documents, {characters} characters, seed {args.seed}, {args.root} ({half})\n")
    header = f"{'method':<38} {'letters':>8} {'s/100k':>7} {'sentences':>9} {'pairs':>6} {'words':>6}"
    print(header)
    print("-" * len(header))
    for name, predict in methods:
        predict(documents[0].text)  # load models outside the timing
        started = time.perf_counter()
        accuracy = letter_accuracy(documents, predict)
        seconds = (time.perf_counter() - started) * 100_000 / characters
        lines = [line_accuracy(pool, kind, predict) for kind in ("sentences", "word-pairs", "single-words")]
        print(f"{name:<38} {accuracy:>8.4f} {seconds:>7.2f} {lines[0]:>9.4f} {lines[1]:>6.4f} {lines[2]:>6.4f}", flush=True)
    wall, cpu = seeds_seconds()
    print(f"\nfive seeds, fresh process (translate detect --json seeds): {wall:.2f} s wall, {cpu:.2f} s CPU")


if __name__ == "__main__":
    main()
