"""Whole sentences through inline markup, measured on the pages of benchmarks/data/pages/.

1. **Fragments**: the share of the spans sent to the model (fr/es spans) that are sentence
   fragments, i.e. start with a small letter. Runs with any version of the code (it falls back to
   the old per-block segmentation), so the figure before the change is measured the same way:
   ``PYTHONPATH=/path/to/old/checkout python benchmarks/markup.py --fragments-only``.
2. **Structure**: every span "translated" to plain words (the same number of words, in reverse
   order, with a reversed word alignment, so every element has to move), then, on the page as a
   browser parses it (Markdown rendered by markdown-it): the same block structure, the same
   multiset of inline elements with the same attributes (translated ones aside), valid nesting
   (no end tag that does not match the open element, beyond those of the source), and scripts and
   styles unchanged.
3. **Cost**: markup transfer (writing the English documents from the translated spans) against
   translation time (the pipeline's ``translate_texts`` with word alignment, CTranslate2) on all
   the pages' spans, with a random-weight model of opus-mt's shape (``--quick``: a tiny one).

``--json`` prints the result as one JSON object.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.append(str(REPO))  # after PYTHONPATH, so that another checkout's code can be measured
PAGES = REPO / "benchmarks" / "data" / "pages"

# Elements that do not end a sentence (as translate/formats/html_page.py) and void ones.
INLINE = set("a abbr b bdi bdo big br cite code data del dfn em font i img ins kbd label mark q s samp small span "
             "strike strong sub sup time tt u var wbr".split())
VOID = set("area base br col embed hr img input link meta param source track wbr".split())
TRANSLATED_ATTRIBUTES = {"title", "alt", "placeholder", "aria-label", "lang"}


def page_files() -> list[Path]:
    return sorted(p for p in PAGES.iterdir() if p.suffix in (".html", ".md") and p.name != "README.md")


def read(path: Path):
    from translate.formats import format_for

    fmt = format_for(path)
    data = path.read_bytes()
    return fmt, fmt.read(data, path.name, sha256="-")


def segments_of(document):
    try:
        from translate.segment import segment_source
    except ImportError:  # before whole-sentence flows: per-block segmentation
        from translate.segment import segment_document

        return segment_document(document.text, document.blocks)
    return segment_source(document)


def is_fragment(text: str) -> bool:
    first = next((ch for ch in text if ch.isalnum()), "")
    return first.isalpha() and first.islower()


def measure_fragments() -> dict:
    """Fragments among the spans of the page text, and among attribute values (title, alt...: not
    translated before whole-sentence flows, so counted apart to compare like with like)."""
    per_page, totals = {}, Counter()
    for path in page_files():
        _, document = read(path)
        plain = getattr(document, "plain", None)
        row = Counter()
        for seg in segments_of(document):
            if seg.lang not in ("fr", "es"):
                continue
            kind = "attribute" if plain is not None and plain.flows[seg.paragraph].attribute else "text"
            row[f"{kind}_spans"] += 1
            row[f"{kind}_fragments"] += is_fragment(seg.text)
        per_page[path.name] = dict(row)
        totals.update(row)
    def share(kind: str) -> float:
        return round(totals[f"{kind}_fragments"] / totals[f"{kind}_spans"], 4) if totals[f"{kind}_spans"] else 0.0

    return {"pages": per_page, **totals, "text_fragment_share": share("text"), "attribute_fragment_share": share("attribute")}


# -- structure --------------------------------------------------------------------------------------


class _Events(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.events: list[tuple] = []
        self.raw: list[str] = []
        self.stack: list[str] = []
        self.bad_ends = 0

    def handle_starttag(self, tag, attrs):
        attrs = tuple(sorted((k, v) for k, v in attrs if k not in TRANSLATED_ATTRIBUTES
                             and not (tag == "meta" and k == "content")))
        self.events.append(("<", tag, attrs))
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        self.events.append(("</", tag))
        if self.stack and self.stack[-1] == tag:
            self.stack.pop()
        else:
            self.bad_ends += 1
            if tag in self.stack:
                while self.stack.pop() != tag:
                    pass

    def handle_data(self, data):
        if self.lasttag in ("script", "style") and self.stack and self.stack[-1] in ("script", "style"):
            self.raw.append(data)


def html_of(path: Path, text: str) -> str:
    if path.suffix == ".md":
        from translate.formats.markdown import _parser

        return _parser().render(text)
    return text


def structure(html_text: str) -> dict:
    parser = _Events()
    parser.feed(html_text)
    parser.close()
    blocks = [e for e in parser.events if e[1] not in INLINE]
    inline = Counter(e for e in parser.events if e[1] in INLINE)
    return {"blocks": blocks, "inline": inline, "bad_ends": parser.bad_ends, "raw": parser.raw}


def reversed_words(seg) -> tuple[str, list[list[int]]]:
    """A 'translation' with the words in reverse order and the alignment that says so."""
    from translate.wordalign import find_words

    words = find_words(seg.text)
    target_words, alignment, cursor = [], [], 0
    for start, end in reversed(words):
        word = "w" + seg.text[start:end].lower()
        alignment.append([start, end, cursor, cursor + len(word)])
        target_words.append(word)
        cursor += len(word) + 1
    return " ".join(target_words) or "x", alignment


def measure_structure() -> dict:
    results = {}
    for path in page_files():
        fmt, document = read(path)
        segments = segments_of(document)
        for seg in segments:
            seg.translation, seg.alignment = reversed_words(seg)
        english = fmt.write(document, segments)
        before, after = structure(html_of(path, document.text)), structure(html_of(path, english))
        results[path.name] = {
            "same_blocks": before["blocks"] == after["blocks"],
            "same_inline_elements": before["inline"] == after["inline"],
            "valid_nesting": after["bad_ends"] <= before["bad_ends"],
            "scripts_styles_unchanged": before["raw"] == after["raw"],
            "inline_elements": sum(before["inline"].values()),
        }
    return results


# -- cost -----------------------------------------------------------------------------------------------


def measure_cost(quick: bool, output_tokens: int) -> dict:
    from translate.wordalign import align_hypothesis
    from translate.engines import EngineSettings, load_engine
    from translate.modelbuild import OPUS_MT_SHAPE, MarianShape, build_marian_model
    from translate.translator import translate_texts

    documents = []
    for path in page_files():
        fmt, document = read(path)
        documents.append((fmt, document, segments_of(document)))
    texts = sorted({seg.text for _, _, segs in documents for seg in segs if seg.lang in ("fr", "es")})
    with tempfile.TemporaryDirectory() as work:
        shape = MarianShape(model_vocab_size=600) if quick else OPUS_MT_SHAPE
        model = build_marian_model(Path(work) / "model", texts * 3, shape)
        engine = load_engine(model, EngineSettings(engine="ctranslate2", attention=True, max_new_tokens=output_tokens))
        engine.translate_batch(texts[:2])  # warm up
        started = time.perf_counter()
        hypotheses = dict(zip(texts, translate_texts(engine, texts)))
        translation_s = time.perf_counter() - started
    started = time.perf_counter()
    for seg in (seg for _, _, segs in documents for seg in segs):
        if seg.text in hypotheses:
            hypothesis = hypotheses[seg.text]
            seg.translation = hypothesis.text
            seg.alignment = align_hypothesis(seg.text, hypothesis)
        else:
            seg.translation = seg.text
    alignment_s = time.perf_counter() - started
    started = time.perf_counter()
    for fmt, document, segments in documents:
        fmt.write(document, segments)
    transfer_s = time.perf_counter() - started
    return {"model": "tiny" if quick else "opus-mt shape (random weights)", "spans": len(texts),
            "output_tokens": output_tokens, "translation_s": round(translation_s, 3),
            "alignment_s": round(alignment_s, 3), "markup_transfer_s": round(transfer_s, 4),
            "transfer_over_translation": round(transfer_s / translation_s, 4) if translation_s else None}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--fragments-only", action="store_true")
    parser.add_argument("--quick", action="store_true", help="tiny model for the cost measure")
    parser.add_argument("--output-tokens", type=int, default=40, help="tokens generated per span (random weights never stop)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    result = {"fragments": measure_fragments()}
    if not args.fragments_only:
        result["structure"] = measure_structure()
        result["cost"] = measure_cost(args.quick, args.output_tokens)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
        return
    fragments = result["fragments"]
    print("| page | text spans to the model | fragments | attribute spans | starting small |\n| --- | ---: | ---: | ---: | ---: |")
    for name, row in [*fragments["pages"].items(), ("**all**", fragments)]:
        print(f"| {name} | {row.get('text_spans', 0)} | {row.get('text_fragments', 0)} | "
              f"{row.get('attribute_spans', 0)} | {row.get('attribute_fragments', 0)} |")
    print(f"fragment share: page text {fragments['text_fragment_share']:.1%}, attribute values "
          f"{fragments['attribute_fragment_share']:.1%}")
    if "structure" in result:
        print("\n| page | inline elements | same blocks | same inline elements | valid nesting | scripts/styles |")
        print("| --- | ---: | --- | --- | --- | --- |")
        for name, row in result["structure"].items():
            print(f"| {name} | {row['inline_elements']} | {row['same_blocks']} | {row['same_inline_elements']} | "
                  f"{row['valid_nesting']} | {row['scripts_styles_unchanged']} |")
        cost = result["cost"]
        print(f"\ncost ({cost['model']}, {cost['spans']} spans, {cost['output_tokens']} tokens each): translation "
              f"{cost['translation_s']} s, alignment {cost['alignment_s']} s, markup transfer {cost['markup_transfer_s']} s "
              f"= {cost['transfer_over_translation']:.2%} of translation time")


if __name__ == "__main__":
    main()
