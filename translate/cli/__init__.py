"""Command-line layer: a thin typer app; each command lives in its own module.

Command modules import only typer/rich at import time and call library functions
lazily, so that ``translate --help`` does not pay for torch or transformers.
"""

from __future__ import annotations

import sys

from translate.cli.app import app  # noqa: F401  (the commands are added to it)
from translate.errors import TranslateError


def _register_commands() -> None:
    # Imported for their side effect of adding commands to `app`.
    from translate.cli import align, batch, cache, detect, models, spot_check  # noqa: F401


def main() -> None:
    _register_commands()
    try:
        app()
    except TranslateError as err:
        from translate.cli.console import error

        error(str(err))
        sys.exit(err.exit_code)
    except KeyboardInterrupt:
        from translate.cli.console import error

        error("interrupted")
        sys.exit(130)
