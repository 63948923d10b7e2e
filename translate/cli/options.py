"""Options shared by several commands, declared once."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

ModelOption = Annotated[
    Optional[list[str]],
    typer.Option(
        "--model", "-m", metavar="LANG=PATH_OR_ID",
        help="Model for a source language (fr, es, or any code the segmenter gives: it, de, ...; * for every language "
        "without its own, such as the multilingual opus-mt-mul-en): a local MarianMT folder or a Hugging Face id "
        "(repeatable).",
    ),
]
LanguagesOption = Annotated[
    Optional[str],
    typer.Option(
        "--languages", metavar="fr,es|LIST|auto",
        help="Languages to translate (default: fr, es and every language given a --model); auto: every detected "
        "language with a model (its --model, its default opus-mt model found locally or on the Hub, or the "
        "fallback --model '*=ID'). Spans in other languages are kept as they are.",
    ),
]
DeviceOption = Annotated[str, typer.Option("--device", help="auto, cpu or cuda.")]
BeamsOption = Annotated[
    Optional[int], typer.Option("--beams", min=1, help="Beam size (default: the model's own generation settings).")
]
BatchSizeOption = Annotated[
    Optional[int],
    typer.Option("--batch-size", min=1, help="Most spans per model call (default: the engine's own, bounded by the rows decoded at once: ctranslate2 32 at beam 4, 128 greedy; transformers 12 at beam 4, 32 greedy)."),
]
EngineOption = Annotated[
    str,
    typer.Option(
        "--engine", metavar="transformers|ctranslate2|auto",
        help="Translation engine; auto: ctranslate2 when installed, else transformers.",
    ),
]
ComputeTypeOption = Annotated[
    str,
    typer.Option(
        "--compute-type", metavar="TYPE",
        help="Weights and compute type of the ctranslate2 engine (the transformers engine computes in float32): "
        "auto (int8 on CPU, int8_float16 on CUDA), int8, int8_float32, int8_float16, int8_bfloat16, int16, "
        "float16, bfloat16 or float32.",
    ),
]
CacheOption = Annotated[
    Optional[Path],
    typer.Option(
        "--cache", metavar="PATH",
        help="Translation memory database (default: in the models root).",
    ),
]
ThreadsOption = Annotated[
    Optional[int],
    typer.Option("--threads", metavar="N", help="CPU threads for translating in this process (default: every CPU "
                 "this process may use; fewer leaves room for others on a shared machine)."),
]
