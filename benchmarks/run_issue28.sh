#!/usr/bin/env bash
# Issue 28's final measurements; run on an IDLE machine (figures taken beside other work are not comparable):
#
#     bash benchmarks/run_issue28.sh [NAME]   # from the repository root, the project's virtualenv active
#
# NAME (default: today's date) names the result files, so that a second run of the day keeps the first's.
# About 30-35 minutes on 2 cores: bench_ray --opus-shape, 200 documents, 2 rounds (about 8 min); bench_translate,
# opus-mt shape, 300 spans, CTranslate2 only, beam 4 and greedy, 2 rounds, raw grid over both thread splits,
# the pipeline at its default and three other batch sizes, then 4 confirmation rounds of the pipeline and the
# grid's three fastest (greedy: also those three returning scores, as the pipeline's outputs must, and the
# pipeline without scores, to show what they cost), peak memory of the fr+es run (about 24 min).
# Writes benchmarks/results/bench_ray-opus-NAME.json and bench_translate-threads-NAME.json, and prints
# both tables (docs/threads.md takes its figures from them).
set -euo pipefail
cd "$(dirname "$0")/.."
day=${1:-$(date -u +%F)}
results=benchmarks/results
load=$(cut -d' ' -f1 /proc/loadavg)
echo "load average $load at start ($(nproc) CPUs); this measurement needs an idle machine" >&2
if awk "BEGIN {exit !($load > 0.5)}"; then
    echo "warning: the machine is not idle (load $load); the figures will not be comparable" >&2
fi

python benchmarks/bench_ray.py --opus-shape --docs 200 --rounds 2 --json > "$results/bench_ray-opus-$day.json"
python benchmarks/bench_translate.py --ctranslate2-only --spans 300 --repeats 2 \
    --pipeline-batching 0x8192 64x4096 0x2048 --confirm-rounds 4 --json > "$results/bench_translate-threads-$day.json"

python - "$results/bench_ray-opus-$day.json" "$results/bench_translate-threads-$day.json" <<'PY'
import json
import sys

sys.path.insert(0, "benchmarks")
from bench_translate import print_table

ray = json.load(open(sys.argv[1]))
print("bench_ray --opus-shape --docs 200 --rounds 2")
for key in ("in_process_thread_split", "in_process_s", "ray_s", "ray_startup_s", "in_process_docs_per_s",
            "ray_docs_per_s", "in_process_over_ray", "identical_outputs", "load_average_at_start",
            "load_average_at_end", "in_process_runs_s", "ray_runs_s"):
    print(f"| {key.replace('_', ' ')} | {ray[key]} |")
print()
print("bench_translate --ctranslate2-only --spans 300 --repeats 2")
print_table(json.load(open(sys.argv[2])))
PY
