"""Language segmentation on real Spanish–English code-switching: words right, switch points,
in-sentence switches and exotic labels, beside lingua and langdetect.

    python benchmarks/langid_cs.py                       # both halves of ../shared/langid-cs-dev
    python benchmarks/langid_cs.py --half tuning         # or held-out
    python benchmarks/langid_cs.py --speed b8b1be7       # + CPU time per MB against a commit
    python benchmarks/langid_cs.py --no-unpunctuated --only translate
    python benchmarks/langid_cs.py --only translate --set core_word_cost=20 --set insertion_margin=0
    python benchmarks/langid_cs.py --only "this tree" --wrong-letters   # + where its unpunctuated errors are

Data: the 16 conversations of the Bangor Miami corpus in ``../shared/langid-cs-dev`` (CHAT files
with the language of every word; GPL: read from there, nothing of it is in this repository).
Fixed split, alternating by file number: tuning half herring1, 3, 6, 8, 10, 12, 14, 16;
held-out half herring2, 5, 7, 9, 11, 13, 15, 17. Only the tuning half was looked at while
changing the segmenter.

Each conversation becomes one text document, one utterance per line, as transcribed (lower
case, CHAT conventions removed, the terminator kept). Gold: ``@s:spa``/``@s:eng`` words are
in that language, other words in the utterance's precode (``[- spa]``) or the conversation's
first language; ``@s:eng&spa`` (names, "ok"), mixed words (``@s:spa+eng``) and ``@s:ita``
are not scored. Measures, over the scored words of a conversation in order:

- ``words``: share of words whose predicted label (the label of the span holding the word's
  first letter) is their gold language;
- ``switch F1``: switch points (a change of gold language between two consecutive scored
  words, within or between utterances) matched one to one by a predicted change at most one
  word away; precision and recall;
- ``in-sentence``: recall of the gold switch points between two words of one utterance;
- ``neither``: share of the letters of all words labelled neither en nor es (``und`` aside,
  counted in ``und``).

Compared: this tree's ``segment_document`` (open set, no declared language) on each
conversation, and on each utterance alone (as short messages such as tweets are segmented: no
conversation around them), lingua's mixed-language detection (fr/es/en) per utterance, langdetect
per utterance (all its languages, seeded) and lingua per utterance (fr/es/en).

``unpunctuated``: documents of five lines built from langid-dev sentences (odd lines, the half
benchmarks/langid.py holds out; ``--unpunctuated-lines even`` for the tuning lines), each line the start of a sentence in one of fr/es/en cut at a
word and the end of a sentence in another, joined by a space ("as people write"): letters right.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.langid import extract_package, segmentation_speed  # noqa: E402
from benchmarks.mixed_documents import (  # noqa: E402
    DEFAULT_ROOT, LANGUAGES, MixedDocument, letter_accuracy, letter_labels, load_pool)

# ../shared next to the checkout (a git worktree one level deeper: ../../shared).
SHARED = next((p for p in (REPO.parent / "shared", REPO.parent.parent / "shared") if p.is_dir()), REPO.parent / "shared")
CS_ROOT = SHARED / "langid-cs-dev"
DEV_ROOT = DEFAULT_ROOT if DEFAULT_ROOT.is_dir() else SHARED / "langid-dev"
TUNING = (1, 3, 6, 8, 10, 12, 14, 16)
HELD_OUT = (2, 5, 7, 9, 11, 13, 15, 17)
_TAGS = {"eng": "en", "spa": "es"}

Spans = list[tuple[int, int, str]]


@dataclass
class Word:
    start: int
    end: int
    gold: str | None  # en, es, or None: not scored
    utterance: int


@dataclass
class Conversation:
    name: str
    text: str
    words: list[Word]
    utterances: list[tuple[int, int]]  # (start, end) of each line


_BULLET = re.compile(r"\x15[^\x15]*\x15|\b\d+_\d+\b")
_BRACKET = re.compile(r"\[[^\]]*\]")
_PRECODE = re.compile(r"\[- (\w+)\]")


def _tiers(path: Path) -> tuple[str, list[str]]:
    """(first language, main tiers joined over their continuation lines)."""
    first, tiers, current = "en", [], None
    for line in path.read_text("utf-8").splitlines():
        if line.startswith("@Languages:"):
            first = _TAGS.get(line.split(":", 1)[1].strip().split(",")[0].strip(), "en")
        if line.startswith("*"):
            current = line.split("\t", 1)[1] if "\t" in line else ""
            tiers.append(current)
        elif line.startswith("\t") and current is not None and tiers:
            tiers[-1] += " " + line.strip()
        else:
            current = None
    return first, tiers


def _clean_word(token: str) -> tuple[str, str | None | bool]:
    """(word, tag): tag True = no marker; a language code; None = not scored."""
    tag: str | None | bool = True
    if "@" in token:
        token, marker = token.split("@", 1)
        if marker.startswith("s:"):
            tag = _TAGS.get(marker[2:])  # eng&spa, spa+eng, ita...: None
    token = token.replace("(", "").replace(")", "").replace(":", "").replace("^", "")
    return token, tag


def read_conversation(path: Path) -> Conversation:
    first, tiers = _tiers(path)
    lines: list[str] = []
    words: list[Word] = []
    utterances: list[tuple[int, int]] = []
    offset = 0
    for tier in tiers:
        precode = _PRECODE.search(tier)
        default = _TAGS.get(precode.group(1)) if precode else first
        body = _BRACKET.sub(" ", _BULLET.sub(" ", tier)).replace("<", " ").replace(">", " ")
        pieces: list[str] = []
        line_words: list[tuple[int, int, str | None]] = []
        length = 0
        for token in body.split():
            if token in (".", "?", "!", ","):
                if pieces:
                    pieces[-1] += token
                    length += 1
                continue
            if token[0] in "+&" or token in ("xxx", "yyy", "www", "0") or not re.search(r"\w", token):
                continue
            word, tag = _clean_word(token)
            gold = default if tag is True else tag
            for part in word.split("_"):
                if not part or not re.search(r"[^\W\d_]", part):
                    continue
                start = length + (1 if pieces else 0)
                pieces.append(part)
                line_words.append((start, start + len(part), gold))
                length = start + len(part)
        if not pieces:
            continue
        line = " ".join(pieces)
        index = len(utterances)
        utterances.append((offset, offset + len(line)))
        words.extend(Word(offset + s, offset + e, g, index) for s, e, g in line_words)
        lines.append(line)
        offset += len(line) + 1
    return Conversation(path.stem, "\n".join(lines), words, utterances)


def conversations(numbers: Sequence[int], root: Path = CS_ROOT) -> list[Conversation]:
    return [read_conversation(root / f"herring{n}.cha") for n in numbers]


# -- methods -------------------------------------------------------------------------------------


def translate_spans(**changes) -> Callable[[str], Spans]:
    import dataclasses

    from translate.segment import DEFAULT_SETTINGS, segment_document

    settings = dataclasses.replace(DEFAULT_SETTINGS, **changes)
    return lambda text: [(s.start, s.end, s.lang) for s in segment_document(text, settings=settings)]


def per_line(classify: Callable[[str], str]) -> Callable[[str], Spans]:
    def spans(text: str) -> Spans:
        found, offset = [], 0
        for line in text.split("\n"):
            if line.strip():
                found.append((offset, offset + len(line), classify(line)))
            offset += len(line) + 1
        return found

    return spans


def per_line_spans(detect: Callable[[str], Spans]) -> Callable[[str], Spans]:
    def spans(text: str) -> Spans:
        found, offset = [], 0
        for line in text.split("\n"):
            if line.strip():
                found.extend((offset + s, offset + e, lang) for s, e, lang in detect(line))
            offset += len(line) + 1
        return found

    return spans


def langdetect_any() -> Callable[[str], str]:
    """langdetect as people call it: all its languages, seeded for repeatable results."""
    from langdetect import DetectorFactory, detect
    from langdetect.lang_detect_exception import LangDetectException

    DetectorFactory.seed = 0

    def classify(text: str) -> str:
        try:
            return detect(text).split("-")[0]
        except LangDetectException:
            return "und"

    return classify


def lingua_methods() -> list[tuple[str, Callable[[str], Spans]]]:
    try:
        from lingua import Language, LanguageDetectorBuilder
    except ImportError:
        return []
    names = {Language.FRENCH: "fr", Language.SPANISH: "es", Language.ENGLISH: "en"}
    detector = LanguageDetectorBuilder.from_languages(*names).build()

    def mixed(line: str) -> Spans:
        return [(r.start_index, r.end_index, names[r.language]) for r in detector.detect_multiple_languages_of(line)]

    return [
        ("lingua multi fr/es/en, per line", per_line_spans(mixed)),
        ("lingua per line fr/es/en", per_line(lambda t: names.get(detector.detect_language_of(t), "und"))),
    ]


# -- scores --------------------------------------------------------------------------------------


def _char_labels(text: str, spans: Spans) -> list[str]:
    labels = ["und"] * len(text)
    for start, end, lang in spans:
        labels[start:end] = [lang] * (end - start)
    return labels


def score(convs: Sequence[Conversation], predict: Callable[[str], Spans]) -> dict[str, float]:
    right = scored = 0
    gold_switches = predicted_switches = matched = 0
    inside = inside_found = 0
    letters = neither = undetermined = 0
    for conv in convs:
        labels = _char_labels(conv.text, predict(conv.text))
        for word in conv.words:
            for ch, label in zip(conv.text[word.start : word.end], labels[word.start : word.end]):
                if ch.isalpha():
                    letters += 1
                    neither += label not in ("en", "es", "und")
                    undetermined += label == "und"
        sequence = [w for w in conv.words if w.gold is not None]
        gold = [w.gold for w in sequence]
        pred = [labels[w.start] for w in sequence]
        right += sum(g == p for g, p in zip(gold, pred))
        scored += len(sequence)
        gold_at = [i for i in range(1, len(gold)) if gold[i] != gold[i - 1]]
        pred_at = [i for i in range(1, len(pred)) if pred[i] != pred[i - 1]]
        gold_switches += len(gold_at)
        predicted_switches += len(pred_at)
        # One-to-one matching within one word: exact positions first, then neighbours.
        free = set(pred_at)
        found: set[int] = set()
        for distance in (0, 1):
            for i in gold_at:
                if i in found:
                    continue
                for j in (i - distance, i + distance):
                    if j in free:
                        free.discard(j)
                        found.add(i)
                        break
        matched += len(found)
        for i in gold_at:
            if sequence[i].utterance == sequence[i - 1].utterance:
                inside += 1
                inside_found += i in found
    precision = matched / predicted_switches if predicted_switches else 0.0
    recall = matched / gold_switches if gold_switches else 0.0
    return {
        "words": right / scored,
        "switch_f1": 2 * precision * recall / (precision + recall) if precision + recall else 0.0,
        "precision": precision,
        "recall": recall,
        "in_sentence_recall": inside_found / inside if inside else 0.0,
        "neither": neither / letters,
        "und": undetermined / letters,
        "scored_words": scored,
        "gold_switches": gold_switches,
        "in_sentence_switches": inside,
    }


def unpunctuated_documents(count: int = 200, seed: int = 5, half: int = 1, root: Path = DEV_ROOT) -> list[MixedDocument]:
    """Documents of five lines, each the start of a sentence in one language cut at a word and the
    end of a sentence in another, joined by a space: a switch inside a line with no punctuation."""
    pool = load_pool(root, half, LANGUAGES)["sentences"]
    rng = random.Random(seed)
    documents = []
    for _ in range(count):
        parts, gold, length = [], [], 0
        for line_index in range(5):
            first, second = rng.sample(LANGUAGES, 2)
            head = rng.choice(pool[first]).split()
            tail = rng.choice(pool[second]).split()
            head = head[: rng.randint(2, max(2, len(head) - 1))]
            tail = tail[rng.randint(1, max(1, len(tail) - 2)) :]
            if line_index:
                parts.append("\n")
                length += 1
            for words, lang in ((head, first), (tail, second)):
                if words is tail:
                    parts.append(" ")
                    length += 1
                piece = " ".join(words)
                gold.append((length, length + len(piece), lang))
                parts.append(piece)
                length += len(piece)
        documents.append(MixedDocument("".join(parts), gold))
    return documents


_WHITESPACE_RUN = re.compile(r"\S+")
_INDEX = {lang: index for index, lang in enumerate(LANGUAGES)}
_WRONG_KINDS = (
    ("shared", "a word both languages write (Zipf 3 or more in the gold and the given language)"),
    ("name", "capitalised after a line's first word, or with digits (names, titles, codes)"),
    ("other language", "given a language other than fr/es/en, or und"),
    ("other", "any other word"),
)


def wrong_letters(documents: Sequence[MixedDocument], predict: Callable[[str], Spans]) -> dict:
    """Where the wrong letters of the unpunctuated documents are: letters by kind of word
    (``_WRONG_KINDS``) and how many of them are in the two words on either side of the cut."""
    from translate.lexicon import zipf_frequencies

    kinds = dict.fromkeys((kind for kind, _ in _WRONG_KINDS), 0)
    near_cut = total = 0
    for doc in documents:
        gold = dict(letter_labels(doc.text, doc.gold))
        predicted = dict(letter_labels(doc.text, predict(doc.text)))
        total += len(gold)
        cuts = [start for start, _, _ in doc.gold[1::2]]  # each line: head, then tail
        line_start = 0
        for number, line in enumerate(doc.text.split("\n")):
            tokens = [(m.start() + line_start, m.end() + line_start) for m in _WHITESPACE_RUN.finditer(line)]
            cut = next(i for i, (start, _) in enumerate(tokens) if start >= cuts[number])
            for position, (start, end) in enumerate(tokens):
                letters = [i for i in range(start, end) if i in gold]
                wrong = sum(predicted[i] != gold[i] for i in letters)
                if not wrong:
                    continue
                given, right = predicted[letters[0]], gold[letters[0]]
                word = "".join(doc.text[i] for i in letters)
                if given not in _INDEX:
                    kind = "other language"
                elif position and (word[0].isupper() or any(c.isdigit() for c in doc.text[start:end])):
                    kind = "name"
                elif min(zipf_frequencies(word.lower())[_INDEX[lang]] for lang in (given, right)) >= 3:
                    kind = "shared"
                else:
                    kind = "other"
                kinds[kind] += wrong
                near_cut += wrong if cut - 2 <= position < cut + 2 else 0
            line_start += len(line) + 1
    return {"letters": total, "wrong": kinds, "near_cut": near_cut}


# -- speed ---------------------------------------------------------------------------------------

def speed_ratio(revision: str, rounds: int, texts: list[str]) -> tuple[float, list[tuple[float, float]]]:
    """CPU seconds per MB of this tree and of ``revision`` (its translate/ from git archive), fresh
    processes alternating in ``rounds``; returns (median ratio this/revision, per-round seconds)."""
    work = Path(tempfile.mkdtemp(prefix="langid-cs-speed-"))
    extract_package(revision, work / "baseline")
    data = work / "texts.json"
    data.write_text(json.dumps(texts), "utf-8")
    characters = sum(map(len, texts))
    megabytes = sum(len(t.encode("utf-8")) for t in texts) / 1e6

    def run(root: Path) -> float:
        return characters / segmentation_speed(root, data) / megabytes

    rows = []
    for index in range(rounds):
        if index % 2:
            old = run(work / "baseline")
            new = run(REPO)
        else:
            new = run(REPO)
            old = run(work / "baseline")
        rows.append((new, old))
    ratios = sorted(new / old for new, old in rows)
    return ratios[len(ratios) // 2], rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", type=Path, default=CS_ROOT, help="langid-cs-dev folder")
    parser.add_argument("--half", choices=("tuning", "held-out"), help="only one half (default: both)")
    parser.add_argument("--only", help="methods whose name contains one of these comma-separated texts")
    parser.add_argument("--no-unpunctuated", action="store_true", help="skip the langid-dev unpunctuated measure")
    parser.add_argument("--unpunctuated-lines", choices=("odd", "even"), default="odd",
                        help="langid-dev lines of the unpunctuated documents: odd (held out, default) or even (tuning)")
    parser.add_argument("--wrong-letters", action="store_true",
                        help="also where this tree's wrong letters of the unpunctuated documents are, by kind of word")
    parser.add_argument("--speed", metavar="REVISION", help="also CPU time per MB, this tree / REVISION")
    parser.add_argument("--rounds", type=int, default=6, help="alternating speed rounds")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                        help="a SegmenterSettings weight for this tree's segmenter (repeatable)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    halves = {"tuning": TUNING, "held-out": HELD_OUT}
    if args.half:
        halves = {args.half: halves[args.half]}
    data = {name: conversations(numbers, args.root) for name, numbers in halves.items()}
    this_tree = translate_spans(**settings_changes(args.set))
    methods: list[tuple[str, Callable[[str], Spans]]] = [
        ("translate (this tree)", this_tree), ("translate, each line alone", per_line_spans(this_tree))]
    methods += lingua_methods()[:1]
    methods.append(("langdetect per line (all languages)", per_line(langdetect_any())))
    methods += lingua_methods()[1:]
    if args.only:
        wanted = [w.strip() for w in args.only.split(",") if w.strip()]
        methods = [(n, m) for n, m in methods if any(w in n for w in wanted)]
    lines = args.unpunctuated_lines
    unpunctuated = [] if args.no_unpunctuated else unpunctuated_documents(half=1 if lines == "odd" else 0)
    report: dict = {"halves": {}, "unpunctuated": {}}
    for half, convs in data.items():
        words = sum(1 for c in convs for w in c.words if w.gold)
        if not args.json:
            print(f"\n{half} half: {', '.join(c.name for c in convs)} ({words} scored words)")
            header = f"{'method':<38} {'words':>6} {'switchF1':>8} {'prec':>5} {'recall':>6} {'in-sent':>7} {'neither':>8} {'und':>6} {'s':>5}"
            print(header + "\n" + "-" * len(header))
        for name, method in methods:
            started = time.process_time()
            row = score(convs, method)
            row["cpu_s"] = time.process_time() - started
            report["halves"].setdefault(half, {})[name] = row
            if not args.json:
                print(f"{name:<38} {row['words']:>6.4f} {row['switch_f1']:>8.4f} {row['precision']:>5.3f} {row['recall']:>6.3f} "
                      f"{row['in_sentence_recall']:>7.3f} {100 * row['neither']:>7.2f}% {100 * row['und']:>5.2f}% {row['cpu_s']:>5.1f}",
                      flush=True)
    if unpunctuated:
        if not args.json:
            print(f"\nunpunctuated in-sentence switches: {len(unpunctuated)} documents of five cut-and-joined lines"
                  f" (langid-dev sentences, {lines} lines): letters right")
        for name, method in methods:
            accuracy = letter_accuracy(unpunctuated, method)
            report["unpunctuated"][name] = accuracy
            if not args.json:
                print(f"  {name:<38} {accuracy:.4f}", flush=True)
        if args.wrong_letters:
            where = wrong_letters(unpunctuated, this_tree)
            report["unpunctuated_wrong_letters"] = where
            if not args.json:
                letters, wrong = where["letters"], sum(where["wrong"].values())
                print(f"\nwrong letters of this tree, by kind of word (share of all {letters} letters):")
                for kind, meaning in _WRONG_KINDS:
                    print(f"  {where['wrong'][kind] / letters:>7.2%}  {kind}: {meaning}")
                print(f"  {wrong / letters:>7.2%}  in all, of which {where['near_cut'] / letters:.2%} in the two words"
                      " either side of the cut")
    if args.speed:
        from benchmarks.langid import megabyte_file

        folder = Path(tempfile.mkdtemp(prefix="langid-cs-mb-"))
        big = megabyte_file(load_pool(DEV_ROOT, None, LANGUAGES + _other_languages()), folder).read_text("utf-8")
        cs_text = [c.text for convs in data.values() for c in convs]
        for what, texts in (("1 MB open-set file", [big]), ("dev conversations", cs_text)):
            ratio, rows = speed_ratio(args.speed, args.rounds, texts)
            report.setdefault("speed", {})[what] = {"ratio": ratio, "rounds": rows}
            if not args.json:
                cells = "  ".join(f"{new:.2f}/{old:.2f}" for new, old in rows)
                print(f"\nCPU s per MB, {what}, this tree / {args.speed}, alternating rounds: {cells}; median ratio {ratio:.2f}")
    if args.json:
        print(json.dumps(report, indent=2))


def settings_changes(assignments: Sequence[str]) -> dict[str, float]:
    """``NAME=VALUE`` pairs as changes to SegmenterSettings (numbers)."""
    changes = {}
    for assignment in assignments:
        name, _, value = assignment.partition("=")
        changes[name.strip()] = float(value)
    return changes


def _other_languages():
    from benchmarks.mixed_documents import OTHER_LANGUAGES

    return OTHER_LANGUAGES


if __name__ == "__main__":
    main()
