"""How fast `translate review` is on a 10,000-span run: building the queue at start-up (the first
start, which computes the spot-check flags, and the next one, which reads them from the review
database; each in a fresh process, as `translate review` starts; the first start twice, without
and with the per-user copy of py3langid's model that the first read of the model on a machine
writes, in a cache folder of its own), opening the review (page, queue
and judgements over HTTP, then the first span drawn in headless Chromium), and saving a verdict
(POST, one SQLite transaction).

    python -m benchmarks.review_speed [--spans 10000] [--saves 200]

The output folder is synthetic (batch JSON files of 100 spans each, French text; no model is
run): the review reads only the JSON. Prints measured times; nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

SENTENCES = ["Le conseil municipal a voté le budget de l'année prochaine hier soir.",
             "Les habitants du quartier demandent une nouvelle école depuis trois ans.",
             "El alcalde presentó el proyecto a los vecinos el lunes pasado.",
             "La bibliothèque ouvrira ses portes le 12 mars à 9 heures."]


def make_run(out: Path, spans: int, per_document: int = 100) -> None:
    for doc in range(spans // per_document):
        segments = []
        for seg in range(per_document):
            text = f"{SENTENCES[seg % len(SENTENCES)]} ({doc}-{seg})"
            lang = "es" if text.startswith("El ") else "fr"
            segments.append({"paragraph": seg, "start": 0, "end": len(text), "lang": lang, "text": text,
                             "translation": f"The translation of span {seg} of document {doc}.", "score": -0.5})
        data = {"contract": 3, "source": f"doc{doc:04}.txt", "sha256": "0", "encoding": "utf-8", "format": "txt",
                "models": {"fr": "m", "es": "m"}, "revisions": {"fr": "r", "es": "r"}, "settings": {},
                "segments": segments}
        (out / f"doc{doc:04}.json").write_text(json.dumps(data), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--spans", type=int, default=10_000)
    parser.add_argument("--saves", type=int, default=200)
    parser.add_argument("--build-only", metavar="OUT_DIR", help=argparse.SUPPRESS)  # one start, in this process
    args = parser.parse_args()
    if args.build_only:
        print(_build_time(Path(args.build_only)))
        return
    import uvicorn

    from translate.review.queue import build_queue
    from translate.review.server import create_app, new_token
    from translate.review.store import ReviewStore

    from translate.review.store import database_path

    with tempfile.TemporaryDirectory() as folder, tempfile.TemporaryDirectory() as cache:
        out = Path(folder)
        make_run(out, args.spans)
        env = {**os.environ, "XDG_CACHE_HOME": cache}  # no copy of py3langid's model yet
        cold = _fresh_process_build(out, env)  # computes the flags, writes the model's copy
        for suffix in ("", "-wal", "-shm"):
            Path(f"{database_path(out)}{suffix}").unlink(missing_ok=True)
        # The first computes the flags again (reading the model's copy), the others read them.
        starts = [_fresh_process_build(out, env) for _ in range(3)]
        store = ReviewStore.of(out)
        queue = build_queue(out, store=store)
        token = new_token()
        server = uvicorn.Server(uvicorn.Config(create_app(out, queue, store, token), host="127.0.0.1", port=0,
                                               log_level="warning"))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        while not server.started:
            time.sleep(0.05)
        port = server.servers[0].sockets[0].getsockname()[1]
        root = f"http://127.0.0.1:{port}"

        def get(path: str) -> bytes:
            request = urllib.request.Request(root + path, headers={"X-Review-Token": token})
            with urllib.request.urlopen(request) as response:
                return response.read()

        opens = []
        for _ in range(5):
            started = time.perf_counter()
            get("/?token=" + token), get("/api/queue"), get("/api/reviews")
            opens.append(time.perf_counter() - started)
        saves = []
        for index in range(args.saves):
            item = queue.items[index % len(queue.items)]
            body = json.dumps({"document": item["document"], "seg": item["seg"], "reviewer": "bench",
                               "verdict": "acceptable"}).encode("utf-8")
            request = urllib.request.Request(root + "/api/review", data=body, method="POST",
                                             headers={"X-Review-Token": token, "Content-Type": "application/json"})
            started = time.perf_counter()
            with urllib.request.urlopen(request) as response:
                response.read()
            saves.append(time.perf_counter() - started)
        queue_bytes = len(get("/api/queue"))
        browser_open = _browser_open(f"{root}/?token={token}")
        server.should_exit = True
        thread.join(timeout=5)
        store.close()
    print(f"spans in the queue: {len(queue.items)}")
    print(f"cores this process may use: {len(os.sched_getaffinity(0))}")
    print(f"queue built at the first start (load JSON, compute flags, sample), no copy of py3langid's model yet "
          f"(the first read on a machine): {cold:.2f} s")
    print(f"queue built at the first start (load JSON, compute flags, sample), the model's copy there: "
          f"{starts[0]:.2f} s")
    print(f"queue built at the next starts (load JSON, flags from the review database, sample): "
          f"{starts[1]:.2f} s, {starts[2]:.2f} s")
    print(f"open over HTTP (page + queue + judgements), median of 5: {statistics.median(opens) * 1000:.0f} ms "
          f"(queue JSON {queue_bytes / 1e6:.1f} MB)")
    if browser_open is not None:
        print(f"open in headless Chromium (navigation to the first span drawn), median of 3: {browser_open * 1000:.0f} ms")
    print(f"save a verdict (POST), median {statistics.median(saves) * 1000:.1f} ms, "
          f"95th percentile {sorted(saves)[int(len(saves) * 0.95)] * 1000:.1f} ms, max {max(saves) * 1000:.1f} ms "
          f"over {len(saves)} saves (after {len(saves)} rows)")


def _build_time(out: Path) -> float:
    from translate.review.queue import build_queue
    from translate.review.store import ReviewStore

    started = time.perf_counter()
    store = ReviewStore.of(out)
    build_queue(out, store=store)
    store.close()
    return time.perf_counter() - started


def _fresh_process_build(out: Path, env: dict[str, str]) -> float:
    """The queue's build time in a new Python process (imports and model loads included, the
    interpreter's start-up not)."""
    result = subprocess.run([sys.executable, "-m", "benchmarks.review_speed", "--build-only", str(out)],
                            capture_output=True, text=True, check=True, env=env)
    return float(result.stdout.strip().splitlines()[-1])


def _browser_open(url: str) -> float | None:
    chromium = Path("/usr/bin/chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    if not chromium.is_file():
        return None
    times = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium), args=["--no-sandbox", "--disable-gpu"])
        for _ in range(3):
            page = browser.new_page(viewport={"width": 1366, "height": 768})
            started = time.perf_counter()
            page.goto(url)
            page.wait_for_selector(".english-text")
            times.append(time.perf_counter() - started)
            page.close()
        browser.close()
    return statistics.median(times)


if __name__ == "__main__":
    main()
