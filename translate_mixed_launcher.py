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


def shadowing_problem() -> str | None:
    """Why ``import translate`` would not load this project, or None when it would."""
    import importlib
    import importlib.util

    try:
        package = importlib.import_module("translate")
    except ModuleNotFoundError:
        return f"the Python package `translate` of {DISTRIBUTION} is not installed in this environment ({sys.prefix})"
    except Exception:  # another project's package that fails to import here: still not ours
        package = None
    # Our __init__ names the distribution. An editable install can serve our submodules under
    # another project's `translate`, so only the package's own __init__ is trusted.
    if getattr(package, "DISTRIBUTION", None) == DISTRIBUTION:
        return None
    spec = importlib.util.find_spec("translate")
    where = (spec and spec.origin) or "an unknown place"
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
