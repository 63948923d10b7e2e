"""Entry point of the ``translate`` command, under a module name no other project uses.

Two other projects install a top-level Python package named ``translate`` (translate-toolkit,
and the package index's ``translate``, a Google Translate client). Installed into the same
environment, either can be the one that ``import translate`` finds. This module is imported
before any ``translate`` package, checks that ``translate`` is ours, and otherwise says so in
one line and exits 2 instead of failing with a traceback somewhere inside the other package.
"""

from __future__ import annotations

import sys

DISTRIBUTION = "translate-mixed"
# A module only our package has: its presence tells our `translate` from the others.
_MARKER_MODULE = "translate._distribution"


def shadowing_problem() -> str | None:
    """Why ``import translate`` would not load this project, or None when it would."""
    import importlib.util
    from pathlib import Path

    spec = importlib.util.find_spec("translate")
    if spec is not None and spec.origin:
        try:
            marker = importlib.util.find_spec(_MARKER_MODULE)
        except ImportError:  # the `translate` package found fails to import
            marker = None
        # An editable install can serve our submodules under another project's `translate`:
        # only a marker beside the package's own __init__ means the package is ours.
        if marker is not None and marker.origin and Path(marker.origin).parent == Path(spec.origin).parent:
            return None
    if spec is None:
        return f"the Python package `translate` of {DISTRIBUTION} is not installed in this environment ({sys.prefix})"
    where = spec.origin or ", ".join(spec.submodule_search_locations or []) or "an unknown place"
    owner = _owner_of_translate_package()
    return (
        f"`import translate` loads {owner or 'another package'} from {where}, not {DISTRIBUTION} "
        f"(both install a package named `translate`); install {DISTRIBUTION} in an environment of its own "
        f"(`pipx install .` in its source folder, or a separate virtual environment)"
    )


def _owner_of_translate_package() -> str | None:
    """The installed distribution(s) other than ours that provide a top-level ``translate``."""
    from importlib.metadata import packages_distributions, version

    owners = [name for name in packages_distributions().get("translate", []) if name != DISTRIBUTION]
    if not owners:
        return None
    return ", ".join(f"{name} {version(name)}" for name in sorted(set(owners)))


def main() -> None:
    problem = shadowing_problem()
    if problem is not None:
        print(f"translate: error: {problem}", file=sys.stderr)
        sys.exit(2)
    from translate.cli import main as cli_main

    cli_main()


if __name__ == "__main__":
    main()
