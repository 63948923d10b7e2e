"""The package's shape: layers that import only downwards, no import cycle, no module over 600 lines.

Every ``translate`` import counts, at module level or inside a function (a lazy import is still a
dependency). A module may import modules of its own layer or of layers below it; the layers, lowest
first, are listed here on purpose, so a new module must be placed in one.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "translate"
MAX_LINES = 600

# Lowest first: a module is in the first layer one of whose prefixes names it or a package above it.
LAYERS: list[tuple[str, ...]] = [
    ("translate._distribution", "translate.errors", "translate.arguments", "translate.fsutil", "translate.outdir",
     "translate.document", "translate.stagetimes"),
    # Text and models: languages, sentences, inline markup, word alignment, engines and their models, the memory.
    ("translate.lexicon", "translate.viterbi", "translate.word_labels", "translate.langid", "translate.py3langid_model",
     "translate.sentences", "translate.segmenter_settings", "translate.segment",
     "translate.markup", "translate.wordalign",
     "translate.engines", "translate.translator", "translate.models", "translate.model_registry",
     "translate.memory", "translate.modelbuild"),
    ("translate.formats", "translate.discover"),  # read (and the formats' English)
    ("translate.writers",),  # write
    ("translate.stages",),  # the stages as functions
    ("translate.session", "translate.plan"),  # one core: the session and the plan of a group
    ("translate.settings", "translate.executors"),
    # The batch, and the review's edits that it applies at the end of a run (the review database, apply).
    ("translate.batch", "translate.review.store", "translate.review.apply"),
    ("translate.sentalign", "translate.spotcheck", "translate.review"),  # the other commands' libraries
    ("translate.api", "translate"),  # the Python API (``translate`` re-exports it)
    ("translate.cli", "translate.__main__"),
]


def modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        name = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        found[name.removesuffix(".__init__")] = path
    return found


def imports(path: Path, known: dict[str, Path]) -> set[str]:
    """The package's modules that ``path`` imports (a name imported from a package counts as its module
    when it is one, else as the package)."""
    def resolve(name: str) -> str | None:
        while name and name not in known:
            name = name.rpartition(".")[0]
        return name or None

    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(resolve(alias.name) for alias in node.names if alias.name.split(".")[0] == "translate")
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").split(".")[0] == "translate":
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                found.add(full if full in known else resolve(node.module))
        elif isinstance(node, ast.ImportFrom) and node.level:
            raise AssertionError(f"{path}: relative import")
    found.discard(None)
    return found


def layer_of(name: str) -> int:
    best = None
    for index, prefixes in enumerate(LAYERS):
        for prefix in prefixes:
            if name == prefix or (name.startswith(prefix + ".") and prefix != "translate"):
                if best is None or len(prefix) > best[1]:
                    best = (index, len(prefix))
    assert best is not None, f"{name}: in no layer of tests/test_architecture.py's LAYERS; place it in one"
    return best[0]


def graph() -> dict[str, set[str]]:
    known = modules()
    return {name: imports(path, known) - {name} for name, path in known.items()}


def test_every_import_goes_to_the_same_layer_or_below():
    upward = sorted(f"{name} -> {target}" for name, targets in graph().items() for target in targets
                    if layer_of(target) > layer_of(name))
    assert upward == []


def test_there_is_no_import_cycle():
    edges = graph()
    cycles, state = [], {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = "open"
        for target in sorted(edges[node]):
            if state.get(target) == "open":
                cycles.append(" -> ".join(path[path.index(target):] + [node, target]) if target in path
                              else f"{node} -> {target}")
            elif target not in state:
                visit(target, path + [node])
        state[node] = "done"

    for node in sorted(edges):
        if node not in state:
            visit(node, [])
    assert cycles == []


def test_no_module_is_over_600_lines():
    long = {name: n for name, path in modules().items() if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}
