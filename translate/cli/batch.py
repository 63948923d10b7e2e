"""`translate batch`: translate a folder of documents."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from translate.cli import app
from translate.cli.options import BatchSizeOption, BeamsOption, ComputeTypeOption, DeviceOption, EngineOption, ModelOption


@app.command()
def batch(
    input_dir: Annotated[Path, typer.Argument(help="Folder of documents to translate (searched recursively).")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder.")] = Path("out"),
    model: ModelOption = None,
    device: DeviceOption = "auto",
    beams: BeamsOption = None,
    batch_size: BatchSizeOption = None,
    engine: EngineOption = "auto",
    compute_type: ComputeTypeOption = "auto",
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Only errors and the final summary.")] = False,
) -> None:
    """Translate every .txt file under INPUT_DIR and write side-by-side HTML, English text and JSON to --out.

    Example: [bold]translate batch seeds --out out[/]
    """
    from translate.batch import BatchOptions, run_batch
    from translate.cli.console import error, stdout
    from translate.cli.progress import RichBatchProgress
    from translate.engines import EngineSettings, check_engine_settings
    from translate.models import parse_model_options

    options = BatchOptions(
        input_dir=input_dir,
        out_dir=out,
        models=parse_model_options(model),
        engine=EngineSettings(
            engine=engine, device=device, beams=beams, max_batch_size=batch_size, compute_type=compute_type
        ),
    )
    check_engine_settings(options.engine)
    with RichBatchProgress(enabled=not quiet) as progress:
        report = run_batch(options, progress)
    for outcome in report.failed:
        error(outcome.error)
    counts = report.span_counts()
    spans = ", ".join(f"{counts[lang]} {lang}" for lang in ("fr", "es", "en", "und") if counts[lang])
    stdout.print(
        f"{len(report.succeeded)} of {len(report.outcomes)} files translated"
        f" ({spans or 'no spans'}), {len(report.failed)} failed, in {report.seconds:.1f} s -> {report.out_dir}",
        soft_wrap=True, markup=False,
    )
    if report.failed:
        raise typer.Exit(1)
