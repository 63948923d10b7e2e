"""Sentence splitter benchmark: our rule set (translate/sentences.py) against its previous
abbreviation list and against pysbd, when installed.

    python benchmarks/sentences.py              # held-out: the odd langid-dev lines
    python benchmarks/sentences.py --half 0     # the even lines

Two sets, built with a fixed seed from ../shared/langid-dev sentences of one language (fr, es,
en), joined by a space into paragraphs of 2-6:

- "lines": real lines as they are. A join is a boundary a splitter should find when the first
  line ends with . ! ? or … and the next starts with a capital, a digit or an opening mark; we
  report the share found (recall) and the number of cuts inside lines (most are wrong: an
  abbreviation taken for an end; a few lines hold two sentences).
- "cut lines": each line but the last is cut after a random word and given a period
  ("... le dijo que no."), so sentences end after every kind of word, common words that are
  also abbreviations (no, mar, art) included; we report the recall of those ends.

Times are seconds per 100k characters (of the "lines" set). pysbd gets each paragraph's true
language, which a mixed document cannot give it. The abbreviation lists were chosen by what
the words are (an abbreviation only, or also a word), not by these lines; the odd lines are
the held-out report.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.mixed_documents import DEFAULT_ROOT, LANGUAGES, load_pool  # noqa: E402
from translate import sentences  # noqa: E402
from translate.sentences import split_sentences  # noqa: E402

_MARKED_END = re.compile(r"[.!?…][\"'»”’)\]]*$")
_WORD = re.compile(r"[^\W\d_]+")

# The list before issue 10: every entry was an abbreviation whatever followed it.
PREVIOUS_ABBREVIATIONS = frozenset(
    """
    m mm mme mmes mlle mlles mr mrs ms dr drs prof st sr sra srta sres dra dña ud uds vd vds
    av avda ave pp p pág págs no nº núm num vol vols ed eds cap fig figs art arts ej etc cf
    vs approx env vol apr jan feb mar jun jul aug sep sept oct nov dec ene abr ago dic janv
    févr avr juil déc inc ltd co corp jr lt gen gov rep sen ph mt mme
    """.split()
)


def paragraphs(pool, seed: int, count: int, cut: bool):
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        lang = rng.choice(LANGUAGES)
        lines = rng.sample(pool["sentences"][lang], rng.randint(2, 6))
        if cut:
            lines = [_cut_after_a_word(line, rng) for line in lines[:-1]] + lines[-1:]
        text, joins, marked = "", [], []
        for line in lines:
            if text:
                joins.append(len(text))
                marked.append(bool(_MARKED_END.search(text)) and line[0].isupper() or line[0].isdigit())
                text += " "
            text += line
        out.append((lang, text, joins, marked))
    return out


def _cut_after_a_word(line: str, rng: random.Random) -> str:
    words = list(_WORD.finditer(line))
    return line[: rng.choice(words).end()] + "." if words else line


def evaluate(split, data) -> tuple[int, int, int, float, int]:
    """(boundaries found, boundaries expected, cuts inside lines, seconds, characters)."""
    found = expected = inside = characters = 0
    started = time.perf_counter()
    predicted = [split(lang, text) for lang, text, _, _ in data]
    seconds = time.perf_counter() - started
    for (_, text, joins, marked), cuts in zip(data, predicted):
        characters += len(text)
        cut_set = set(cuts)
        for join, is_marked in zip(joins, marked):
            if is_marked:
                expected += 1
                found += join in cut_set
        inside += len(cut_set - set(joins))
    return found, expected, inside, seconds, characters


def ours(lang: str, text: str) -> list[int]:
    # Cut positions: the end of every sentence but the last.
    return [end for _, end in split_sentences(text, 0, len(text))[:-1]]


@contextmanager
def previous_list():
    saved = sentences._TITLES, sentences._ALWAYS, sentences._BEFORE_NUMBER
    sentences._TITLES, sentences._ALWAYS, sentences._BEFORE_NUMBER = frozenset(), PREVIOUS_ABBREVIATIONS, frozenset()
    try:
        yield
    finally:
        sentences._TITLES, sentences._ALWAYS, sentences._BEFORE_NUMBER = saved


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--half", type=int, choices=(0, 1), default=1, help="even (0) or odd (1, held out) lines")
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--count", type=int, default=600, help="paragraphs per set")
    parser.add_argument("--root", type=Path, default=DEFAULT_ROOT)
    args = parser.parse_args()
    pool = load_pool(args.root, args.half)
    lines = paragraphs(pool, args.seed, args.count, cut=False)
    cut_lines = paragraphs(pool, args.seed + 1, args.count, cut=True)

    splitters = [("translate", ours, None), ("previous list", ours, previous_list)]
    try:
        import pysbd

        segmenters = {lang: pysbd.Segmenter(language=lang, clean=False, char_span=True) for lang in LANGUAGES}

        def with_pysbd(lang: str, text: str) -> list[int]:
            spans = segmenters[lang].segment(text)
            return [len(text[: s.end].rstrip()) for s in spans[:-1]]

        splitters.append(("pysbd", with_pysbd, None))
    except ImportError:
        print("(pysbd not installed: not compared)")

    half = "even lines" if args.half == 0 else "odd lines (held out)"
    print(f"{args.count} paragraphs per set, seed {args.seed}, {args.root} ({half})\n")
    print("| splitter | lines: recall | lines: cuts inside lines | cut lines: recall | s / 100k chars |")
    print("|---|---|---|---|---|")
    for name, split, context in splitters:
        with context() if context else _nothing():
            found, expected, inside, seconds, characters = evaluate(split, lines)
            cut_found, cut_expected, _, _, _ = evaluate(split, cut_lines)
        print(f"| {name} | {found / expected:.4f} | {inside} | {cut_found / cut_expected:.4f} "
              f"| {seconds * 100_000 / characters:.3f} |")


@contextmanager
def _nothing():
    yield


if __name__ == "__main__":
    main()
