"""Real web pages whose declared language is fr, es or en: how many of their letters the segmenter
gives another language (issue 26's "real pages" measure).

    python benchmarks/declared_pages.py PAGES_DIR                      # this tree
    python benchmarks/declared_pages.py PAGES_DIR --baseline b8b1be7   # and a commit's segmenter beside it

PAGES_DIR holds ``.html`` pages (none ship with this repository: real pages belong to their sites).
Each page is read as ``translate batch`` reads it (``translate.formats.read_source``) and segmented
as the batch does (``translate.segment.segment_source``: the page's ``<html lang>`` is evidence).
The declared language (its primary subtag) stands for the truth, as in the issue: a page's letters
are counted in three parts, those given its declared language, another of fr/es/en, and another
language (``und`` letters, numbers and names without evidence, are in none). Pages declared
in another language, or none, are skipped. The baseline runs in a child process from that commit's
``translate/`` (``git archive``), so both trees read the same pages with their own readers.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORE = ("fr", "es", "en")


def declared_languages(pages: Path) -> dict[str, str]:
    """Each page's declared language (primary subtag) when it is fr, es or en, read by this tree's reader
    (a baseline older than the declared language reads the same pages with the same truth)."""
    from translate.formats import read_source

    declared = {}
    for path in sorted(pages.glob("*.html")):
        try:
            language = read_source(path, path.name).language or ""
        except Exception:  # noqa: BLE001 - reported by count_letters
            language = "en"
        if language.split("-")[0].lower() in CORE:
            declared[path.name] = language.split("-")[0].lower()
    return declared


def count_letters(pages: Path, declared: dict[str, str]) -> dict:
    """Per page: letters by part; run with the tree to measure first on sys.path."""
    from translate.formats import read_source
    from translate.segment import segment_document

    segment_source = getattr(sys.modules["translate.segment"], "segment_source", None)
    counts = {}
    for name, language in declared.items():
        try:
            document = read_source(pages / name, name)
        except Exception as err:  # noqa: BLE001 - a page one reader refuses is reported, not fatal
            counts[name] = {"error": str(err).splitlines()[0]}
            continue
        spans = segment_source(document) if segment_source else segment_document(document.text, document.blocks)
        parts = {"declared": 0, "other_core": 0, "other": 0, "und": 0}
        for span in spans:
            letters = sum(ch.isalpha() for ch in span.text)
            lang = span.lang.split("-")[0]
            part = ("declared" if lang == language else "other_core" if lang in CORE
                    else "und" if lang == "und" else "other")
            parts[part] += letters
        counts[name] = {"lang": language, **parts}
    return counts


def measure(tree: Path, pages: Path, declared: dict[str, str]) -> dict:
    """``count_letters`` in a fresh process importing ``translate`` from ``tree``."""
    code = ("import json, sys; sys.path.insert(0, sys.argv[1]); sys.path.insert(1, sys.argv[2]); "
            "from declared_pages import count_letters; from pathlib import Path; "
            "print(json.dumps(count_letters(Path(sys.argv[3]), json.loads(sys.stdin.read()))))")
    done = subprocess.run([sys.executable, "-c", code, str(tree), str(REPO / "benchmarks"), str(pages)],
                          input=json.dumps(declared), capture_output=True, text=True, check=True,
                          cwd=tempfile.gettempdir())
    return json.loads(done.stdout)


def summary(counts: dict) -> dict:
    pages = {name: c for name, c in counts.items() if "error" not in c}
    letters = sum(c["declared"] + c["other_core"] + c["other"] + c["und"] for c in pages.values())
    share = {part: round(100 * sum(c[part] for c in pages.values()) / max(letters, 1), 2)
             for part in ("declared", "other_core", "other", "und")}
    by_language = {}
    for c in pages.values():
        by_language[c["lang"]] = by_language.get(c["lang"], 0) + 1
    return {"pages": len(pages), "pages_by_declared_language": dict(sorted(by_language.items())),
            "unreadable": sorted(name for name, c in counts.items() if "error" in c),
            "letters": letters, "percent_of_letters": share}


def main() -> None:
    sys.path.insert(0, str(REPO))
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pages", type=Path, help="a folder of .html pages")
    parser.add_argument("--baseline", help="also measure the segmenter of this commit")
    parser.add_argument("--exclude", nargs="*", default=[], metavar="PAGE",
                        help="pages left out (e.g. ones whose text is not in the language they declare)")
    parser.add_argument("--per-page", action="store_true", help="also print each page's shares")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    trees = {"this tree": REPO}
    with tempfile.TemporaryDirectory(prefix="declared-pages-") as tmp:
        if args.baseline:
            from benchmarks.langid import extract_package

            trees[args.baseline] = extract_package(args.baseline, Path(tmp))
        declared = {name: lang for name, lang in declared_languages(args.pages).items() if name not in args.exclude}
        results = {name: measure(tree, args.pages.resolve(), declared) for name, tree in trees.items()}
    report = {name: summary(counts) for name, counts in results.items()}
    if args.json:
        print(json.dumps({"summary": report, "pages": results} if args.per_page else report, indent=1))
        return
    first = next(iter(report.values()))
    print(f"{first['pages']} pages declared fr/es/en {first['pages_by_declared_language']}, "
          f"{first['letters']} letters; unreadable: {first['unreadable'] or 'none'}")
    print()
    print("| segmenter | declared language | another of fr/es/en | another language | und |")
    print("|---|---:|---:|---:|---:|")
    for name, figures in report.items():
        share = figures["percent_of_letters"]
        print(f"| {name} | {share['declared']} % | {share['other_core']} % | {share['other']} % | {share['und']} % |")
    if args.per_page:
        print()
        for name, counts in results.items():
            for page, c in counts.items():
                if "error" not in c:
                    total = max(c["declared"] + c["other_core"] + c["other"] + c["und"], 1)
                    print(f"{name}\t{page}\t{c['lang']}\t"
                          f"{100 * c['other_core'] / total:.1f}\t{100 * c['other'] / total:.1f}")


if __name__ == "__main__":
    main()
