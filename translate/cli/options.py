"""Options shared by several commands, declared once."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

ModelOption = Annotated[
    Optional[list[str]],
    typer.Option(
        "--model", "-m", metavar="LANG=PATH_OR_ID",
        help="Model for a source language: a local MarianMT folder or a Hugging Face id (repeatable).",
    ),
]
DeviceOption = Annotated[str, typer.Option("--device", help="auto, cpu or cuda.")]
BeamsOption = Annotated[
    Optional[int], typer.Option("--beams", min=1, help="Beam size (default: the model's own generation settings).")
]
BatchSizeOption = Annotated[int, typer.Option("--batch-size", min=1, help="Spans per model call.")]
CacheOption = Annotated[
    Optional[Path],
    typer.Option(
        "--cache", metavar="PATH",
        help="Translation memory database (default: translation-memory.sqlite3 in the models root).",
    ),
]
