"""MkDocs hook: the benchmark tables, generated at build time from ``benchmarks/results/*.json``.

A page holds markers that this hook replaces with tables:

- ``<!-- benchmark-results: NAME.json -->``: the tables of that result file (the build fails when it
  does not exist);
- ``<!-- benchmark-results: unlisted -->``: every result file that no marker of the site names, each
  as a generic table of its values, so that a new result file shows up without editing the page.

Files are recognised by the script that wrote them (the name before the first ``-``): ``bench_translate``
and ``bench_batch`` get the tables their README sections had; any other file a generic one. Figures are
printed as stored; nothing is computed here except the column layout.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from mkdocs.exceptions import PluginError

MARKER = re.compile(r"<!-- benchmark-results: ([^ ]+) -->")
_named: set[str] = set()


def on_files(files, config):
    # Which files the pages name, so that "unlisted" is the rest (pages are rendered one at a time).
    _named.clear()
    for file in files.documentation_pages():
        text = Path(file.abs_src_path).read_text(encoding="utf-8")
        _named.update(name for name in MARKER.findall(text) if name != "unlisted")
    return files


def on_page_markdown(markdown: str, page, config, files) -> str:
    if "<!-- benchmark-results:" not in markdown:
        return markdown
    results = Path(config.config_file_path).parent / "benchmarks" / "results"

    def replace(match: re.Match) -> str:
        name = match.group(1)
        if name == "unlisted":
            rest = sorted(p.name for p in results.glob("*.json") if p.name not in _named)
            return "\n\n".join(f"### `{n}`\n\n" + render(n, _load(results / n)) for n in rest) or "(none)"
        path = results / name
        if not path.is_file():
            raise PluginError(f"{page.file.src_path}: benchmark result {name} not found in {results}")
        return render(name, _load(path))

    return MARKER.sub(replace, markdown)


def _load(path: Path):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except ValueError as err:
        raise PluginError(f"{path}: not valid JSON ({err})") from err


def render(name: str, data) -> str:
    """The Markdown tables of one result file."""
    script = name.split("-")[0].removesuffix(".json")
    if script == "bench_translate" and isinstance(data, dict):
        return _bench_translate(data)
    if script == "bench_batch" and isinstance(data, dict) and all(k.isdigit() for k in data):
        return _bench_batch(data)
    return _generic(data)


# -- bench_translate.py --json ---------------------------------------------------------------------

_MODES = (("beam_4", "beam 4"), ("greedy", "greedy"))


def _bench_translate(data: dict) -> str:
    modes = [(key, title) for key, title in _MODES if isinstance(data.get(key), dict)]
    out = [_table(["setting", "value"], [[k, _fmt(data[k])] for k in (
        "model", "spans", "unique_spans", "naive_spans", "output_tokens_per_span", "threads", "repeats") if k in data])]
    header = ["method"] + [f"{title} ({unit})" for _, title in modes for unit in ("s", "tok/s")]
    rows: list[list[str]] = []

    def row(label: str, pick) -> None:
        cells = []
        for key, _ in modes:
            s, tok_s = pick(data[key])
            cells += [_fmt(s), _fmt(tok_s)]
        if any(cells):
            rows.append([label, *cells])

    row("pipeline ctranslate2, default batching",
        lambda m: (m.get("pipeline_ctranslate2_s"), m.get("pipeline_ctranslate2_tok_s")))
    batchings = {(b["batch_size"], b["batch_tokens"]) for key, _ in modes
                 for b in data[key].get("pipeline_ctranslate2_batching", [])}
    # A batch size of None is the engine's own span bound (--pipeline-batching 0xTOKENS).
    for size, tokens in sorted(batchings, key=lambda b: (b[0] or 0, b[1])):
        spans = f"{size} spans" if size else "default spans"
        row(f"pipeline ctranslate2, {spans} / {tokens} tokens",
            lambda m, size=size, tokens=tokens: _find(m.get("pipeline_ctranslate2_batching", []),
                                                      batch_size=size, batch_tokens=tokens))
    configs = []
    for key, _ in modes:
        for g in data[key].get("raw_ctranslate2_grid", []):
            # Runs before issue 28 have no thread split in their grid (None: one translator, every thread).
            config = (g.get("inter_threads"), g.get("intra_threads"), g["batch_type"], g["max_batch_size"], g["order"])
            if config not in configs:
                configs.append(config)
    for inter, intra, batch_type, size, order in configs:
        split = f"{inter} x {intra} threads, " if inter else ""
        row(f"raw, {split}{batch_type} {size}, {order.replace('_', ' ')}",
            lambda m, c=(inter, intra, batch_type, size, order): _find(
                m.get("raw_ctranslate2_grid", []), inter_threads=c[0], intra_threads=c[1], batch_type=c[2],
                max_batch_size=c[3], order=c[4]))
    row("pipeline transformers", lambda m: (m.get("pipeline_transformers_s"), m.get("pipeline_transformers_tok_s")))
    row(f"naive transformers ({data.get('naive_spans', '?')} spans)",
        lambda m: (m.get("naive_transformers_s"), m.get("naive_transformers_tok_s")))
    out.append(_table(header, rows))

    ratios = [["pipeline ctranslate2 / best raw configuration",
               *[f"{_fmt(data[k].get('pipeline_over_best_raw'))} ({_config(data[k].get('best_raw_config'))})"
                 for k, _ in modes]]]
    if any("pipeline_over_best_raw_scored" in data[k] for k, _ in modes):
        ratios.append(["pipeline ctranslate2 / best raw returning scores (examples 32, tokens 4096)",
                       *[_fmt(data[k].get("pipeline_over_best_raw_scored")) for k, _ in modes]])
    if any("pipeline_over_best_raw_confirmed" in data[k] for k, _ in modes):
        ratios.append(["pipeline ctranslate2 / fastest raw, confirmation rounds (timed again side by side)",
                       *[f"{_fmt(data[k].get('pipeline_over_best_raw_confirmed'))} "
                         f"({_config((data[k].get('confirmed') or {}).get('best_raw_config'))})" for k, _ in modes]])
    for key, label in (("pipeline_ct2_over_naive", "pipeline ctranslate2 / naive transformers"),
                       ("pipeline_tf_over_naive", "pipeline transformers / naive transformers"),
                       ("target_tokens_equal", "same target token counts for every method")):
        ratios.append([label, *[_fmt(data[k].get(key)) for k, _ in modes]])
    out.append(_table(["ratio", *[title for _, title in modes]], ratios))

    extra = [[k, _fmt(data[k])] for k in ("peak_rss_mb_transformers", "peak_rss_mb_ctranslate2", "startup_s")
             if k in data]
    extra += [[f"target met: {k}", _fmt(v)] for k, v in (data.get("targets_met") or {}).items()]
    if extra:
        out.append(_table(["measure", "value"], extra))
    return "\n\n".join(out)


def _find(items: list[dict], **match) -> tuple:
    for item in items:
        if all(item.get(k) == v for k, v in match.items()):
            return item.get("s"), item.get("tok_s")
    return None, None


def _config(config) -> str:
    if not isinstance(config, dict):
        return "?"
    split = f"{config['inter_threads']} x {config['intra_threads']} threads, " if config.get("inter_threads") else ""
    return (f"{split}{config.get('batch_type')} {config.get('max_batch_size')}, "
            f"{str(config.get('order')).replace('_', ' ')}")


# -- bench_batch.py --json -------------------------------------------------------------------------

_BATCH_ROWS = (
    ("documents / min", "docs_per_min"),
    ("target tokens / s", "target_tok_s"),
    ("characters", "characters"),
    ("model translations / memory hits", ("model_translations", "memory_hits")),
    ("non-model share of wall time", "non_model_share"),
    ("wall seconds, fresh run", "seconds"),
    ("peak RSS (MB)", "peak_rss_mb"),
    ("resumed run (s)", "resumed_seconds"),
    ("resumed run / fresh run", "resume_share"),
    ("outputs / memory per document (bytes)", ("disk_bytes_per_doc", "memory_bytes_per_doc")),
    ("throughput per document / previous size", "scaling_over_previous.ratio"),
)


def _bench_batch(data: dict) -> str:
    sizes = sorted(data, key=int)
    runs = [data[s] for s in sizes]
    header = ["measure", *[f"{int(s):,} documents" for s in sizes]]
    rows = []
    for label, key in _BATCH_ROWS:
        keys = key if isinstance(key, tuple) else (key,)
        rows.append([label, *[" / ".join(_fmt(_get(run, k)) for k in keys) for run in runs]])
    stages = sorted({stage for run in runs for stage in run.get("stage_seconds", {})},
                    key=lambda st: list(runs[-1].get("stage_seconds", {})).index(st)
                    if st in runs[-1].get("stage_seconds", {}) else 99)
    for stage in stages:
        rows.append([f"stage seconds: {stage.replace('_', ' ')}",
                     *[_fmt(run.get("stage_seconds", {}).get(stage)) for run in runs]])
    targets = sorted({t for run in runs for t in run.get("targets_met", {})})
    for target in targets:
        rows.append([f"target met: {target}", *[_fmt(run.get("targets_met", {}).get(target)) for run in runs]])
    setting = [[k, _fmt(runs[0].get(k))] for k in ("model", "engine", "threads", "corpus", "output_tokens_per_span")
               if k in runs[0]]
    return _table(["setting", "value"], setting) + "\n\n" + _table(header, rows)


def _get(run: dict, dotted: str):
    value = run
    for part in dotted.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


# -- any other file -------------------------------------------------------------------------------

def _generic(data) -> str:
    scalars: list[list[str]] = []
    tables: list[str] = []

    def walk(value, key: str) -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, f"{key}.{k}" if key else str(k))
        elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            columns = list(dict.fromkeys(c for v in value for c in v))
            tables.append(f"`{key}`:\n\n" + _table(columns, [[_fmt(v.get(c)) for c in columns] for v in value]))
        else:
            scalars.append([key or "(value)", _fmt(value)])

    walk(data, "")
    return "\n\n".join(([_table(["key", "value"], scalars)] if scalars else []) + tables)


# -- Markdown -------------------------------------------------------------------------------------

def _fmt(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (dict, list)):
        value = json.dumps(value, ensure_ascii=False)
    return str(value).replace("|", "\\|").replace("<", "&lt;")


def _table(header: list[str], rows: list[list[str]]) -> str:
    numeric = [all(_is_number(r[i]) for r in rows if i < len(r) and r[i]) and i > 0 for i in range(len(header))]
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join("---:" if n else "---" for n in numeric) + " |"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def _is_number(text: str) -> bool:
    try:
        float(text.replace(",", ""))
    except ValueError:
        return False
    return True
