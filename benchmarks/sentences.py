"""Sentence splitter benchmark: our rule set (translate/sentences.py) against pysbd, when installed.

    python benchmarks/sentences.py

Paragraphs are made of 2-6 langid-dev sentences of one language joined by a space
(fixed seed). A join is a boundary a splitter should find when the first line ends with
. ! ? or … and the next starts with a capital, a digit or an opening mark; we report the
share found (recall), the number of cuts inside lines (most are wrong, a few lines hold
two sentences), and seconds per 100k characters. pysbd gets each paragraph's true
language, which a mixed document cannot give it.
"""

from __future__ import annotations

import random
import re
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.mixed_documents import LANGUAGES, load_pool  # noqa: E402
from translate.sentences import split_sentences  # noqa: E402

_MARKED_END = re.compile(r"[.!?…][\"'»”’)\]]*$")
_MARKED_START = re.compile(r"^[\w\"'«“(¿¡—–-]")


def paragraphs(seed: int = 5, count: int = 600):
    pool = load_pool()
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        lang = rng.choice(LANGUAGES)
        lines = rng.sample(pool["sentences"][lang], rng.randint(2, 6))
        text, joins, marked = "", [], []
        for line in lines:
            if text:
                joins.append(len(text))
                marked.append(bool(_MARKED_END.search(text)) and line[0].isupper() or line[0].isdigit())
                text += " "
            text += line
        out.append((lang, text, joins, marked))
    return out


def evaluate(name, split, data) -> None:
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
    print(f"{name:<14} recall {found / expected:.4f}  cuts inside lines {inside:>4}  {seconds * 100_000 / characters:.3f} s/100k chars")


def ours(lang: str, text: str) -> list[int]:
    # Cut positions: the end of every sentence but the last.
    return [end for _, end in split_sentences(text, 0, len(text))[:-1]]


def main() -> None:
    data = paragraphs()
    evaluate("translate", ours, data)
    try:
        import pysbd
    except ImportError:
        print("pysbd not installed")
        return
    segmenters = {lang: pysbd.Segmenter(language=lang, clean=False, char_span=True) for lang in LANGUAGES}

    def with_pysbd(lang: str, text: str) -> list[int]:
        spans = segmenters[lang].segment(text)
        return [len(text[: s.end].rstrip()) for s in spans[:-1]]

    evaluate("pysbd", with_pysbd, data)


if __name__ == "__main__":
    main()
