"""Time `spot-check` stages on a large batch-like folder built from the test fixtures.

Run: python benchmarks/spot_check_speed.py [COPIES]   (default 100 copies of the two fixture documents)
The round trip is not included (it runs real models when they are on disk).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from spotcheck_fixtures import GOOD_A, GOOD_B, SEED_A, SEED_B, batch_document, write_batch  # noqa: E402

from translate.spotcheck import Thresholds, check_documents, load_batch_outputs, sample_spans, summarise  # noqa: E402
from translate.spotcheck.signals import SIGNAL_NAMES  # noqa: E402
from translate.spotcheck.writers import html_report  # noqa: E402


def main(copies: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        a, b = batch_document(SEED_A, GOOD_A), batch_document(SEED_B, GOOD_B, keep_all=False)
        docs = []
        for i in range(copies):
            docs += [{**a, "source": f"c{i}/{SEED_A}"}, {**b, "source": f"c{i}/{SEED_B}"}]
        write_batch(out, docs)
        timings = {}
        start = time.perf_counter()
        loaded = load_batch_outputs(out)
        timings["load"] = time.perf_counter() - start
        start = time.perf_counter()
        notes = check_documents(loaded.documents, Thresholds())
        timings["signals"] = time.perf_counter() - start
        start = time.perf_counter()
        summary = summarise(loaded.documents, list(SIGNAL_NAMES[:-1]), notes)
        spans = [span for doc in loaded.documents for span in doc.spans]
        sample = sample_spans(spans, 20, 0)
        timings["summary+sample"] = time.perf_counter() - start
        start = time.perf_counter()
        html = html_report("bench", summary, loaded.documents, sample, Thresholds(), [])
        timings["html"] = time.perf_counter() - start
        total = sum(timings.values())
        print(f"{len(loaded.documents)} documents, {len(spans)} spans, report {len(html) / 1e3:.0f} kB")
        for name, seconds in timings.items():
            print(f"  {name:15s} {seconds:7.2f} s")
        print(f"  {'total':15s} {total:7.2f} s  ({1000 * total / len(spans):.2f} ms per span)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100)
