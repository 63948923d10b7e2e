"""`translate batch`: translate a folder of documents."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from translate.cli.app import app
from translate.cli.options import (
    BatchSizeOption, BeamsOption, CacheOption, ComputeTypeOption, DeviceOption, EngineOption, LanguagesOption,
    ModelOption, ThreadsOption,
)

# The names of translate.formats.FORMAT_NAMES, spelled out so that --help imports no format
# (a test checks they agree).
FORMATS_HELP = "txt,md,srt,html,docx,odt,pptx,epub,vtt,ass,po,xliff"  # all: the default


@app.command()
def batch(
    input_dir: Annotated[Path, typer.Argument(help="Folder of documents to translate (searched recursively).")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder.")] = Path("out"),
    model: ModelOption = None,
    languages: LanguagesOption = None,
    device: DeviceOption = "auto",
    beams: BeamsOption = None,
    batch_size: BatchSizeOption = None,
    engine: EngineOption = "auto",
    compute_type: ComputeTypeOption = "auto",
    threads: ThreadsOption = None,
    formats: Annotated[
        str, typer.Option("--formats", metavar="LIST", show_default=False,
                          help=f"Formats to translate (default: all), comma-separated: {FORMATS_HELP.replace(',', ', ')}.")
    ] = FORMATS_HELP,
    cache: CacheOption = None,
    force: Annotated[bool, typer.Option("--force", help="Redo files whose outputs are up to date.")] = False,
    retranslate: Annotated[
        bool, typer.Option("--retranslate", help="Replace the English translations PO files already have "
                           "(default: keep them).")
    ] = False,
    include_hidden: Annotated[
        bool, typer.Option("--include-hidden", help="Also translate hidden files and folders (.git, .venv, .notes.md).")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Only warnings, errors and the final summary.")] = False,
    no_alignment: Annotated[
        bool, typer.Option("--no-alignment", help="Skip word alignment (saves the attention pass; no word highlighting).")
    ] = False,
    executor: Annotated[
        str, typer.Option("--executor", metavar="in-process|ray",
                          help="Where to run: in this process, or on Ray (pip install 'translate-mixed\\[ray]').")
    ] = "in-process",
    ray_address: Annotated[
        Optional[str], typer.Option("--ray-address", metavar="ADDRESS",
                                    help="With --executor ray: a running Ray cluster (host:port, ray://..., auto); "
                                    "default: start a local one.")
    ] = None,
    ray_actors: Annotated[
        Optional[int], typer.Option("--ray-actors", min=1, help="With --executor ray: translation actors "
                                    "(default: one per --ray-actor-cpus CPUs of the cluster, one per GPU with cuda).")
    ] = None,
    ray_actor_cpus: Annotated[
        int, typer.Option("--ray-actor-cpus", min=1, help="With --executor ray: CPUs (threads) of each actor.")
    ] = 1,
    group_bytes: Annotated[
        Optional[int], typer.Option("--group-bytes", min=1, hidden=True,
                                    help="Bytes of input files per group of documents translated together.")
    ] = None,
) -> None:
    """Translate every supported file under INPUT_DIR to English (see --formats).

    Writes side-by-side HTML, the English document (same format) and JSON to --out, with an
    index.html of the run and a corpus.tmx translation memory. Files whose
    outputs are up to date are skipped; translations already made come from the translation memory.

    Example: [bold]translate batch seeds --out out[/]
    """
    from translate.api import Translator
    from translate.cli.console import error, printable, stdout, warning
    from translate.cli.progress import RichBatchProgress
    from translate.models import AUTO, parse_languages, parse_model_options
    from translate.settings import RaySettings

    ray = RaySettings(address=ray_address, actors=ray_actors, actor_cpus=ray_actor_cpus)
    chosen_models = parse_model_options(model)
    chosen_languages = parse_languages(languages)
    translator = Translator(
        chosen_models, languages=chosen_languages, device=device, beams=beams, batch_size=batch_size, engine=engine,
        compute_type=compute_type, threads=threads, alignment=not no_alignment, cache=cache, on_warning=warning,
    )
    progress = RichBatchProgress(enabled=not quiet)
    try:
        with progress:
            report = translator.translate_folder(input_dir, out, formats=formats, force=force, progress=progress,
                                                 group_bytes=group_bytes, executor=executor, ray=ray,
                                                 retranslate=retranslate, include_hidden=include_hidden)
    except KeyboardInterrupt:
        # Outputs are written atomically (JSON last), so every file counted here is complete.
        done = (f"{progress.files_done} of {progress.files_total} files done" if progress.files_total
                else "no file done yet")
        error(f"interrupted: {done}; run the same command again to resume (finished files are skipped, "
              "translations already made come from the translation memory)")
        raise typer.Exit(130) from None
    finally:
        translator.close()
    for outcome in report.failed:
        error(outcome.error)
    counts = report.span_counts()
    order = ["fr", "es", "en", *sorted(set(counts) - {"fr", "es", "en", "und"}), "und"]
    spans = ", ".join(f"{counts[lang]} {lang}" for lang in order if counts[lang])
    skipped = f"{len(report.up_to_date)} up to date (skipped), " if report.up_to_date else ""
    stdout.print(printable(
        f"{len(report.translated)} of {len(report.outcomes)} files translated ({spans or 'no spans'}), "
        f"{skipped}{len(report.failed)} failed, in {report.seconds:.1f} s -> {report.out_dir}; "
        f"{report.model_translations} texts translated by the model, {report.memory_hits} from the translation memory"),
        soft_wrap=True, markup=False,
    )
    if report.kept_translations:
        stdout.print(f"{report.kept_translations} existing translation{'s' if report.kept_translations != 1 else ''} "
                     "kept in PO files; --retranslate replaces them", soft_wrap=True, markup=False)
    line = run_files_summary(report.run_files)
    if line:
        stdout.print(printable(line), soft_wrap=True, markup=False)
    line = untranslated_summary(report.untranslated_counts(), auto=translator.languages == AUTO)
    if line:
        stdout.print(line, soft_wrap=True, markup=False)
    if report.failed:
        raise typer.Exit(1)


def run_files_summary(run_files) -> str | None:
    """Where the run's index page and corpus are, when one of them moved from its usual name
    (taken by a document's output or a file of the user's), or None."""
    from translate.outdir import RUN_FILES

    shown = {kind: path for kind, path in run_files.items() if kind in RUN_FILES}  # not the run record
    moved = [RUN_FILES[kind][0] for kind, path in shown.items() if path.name != RUN_FILES[kind][0]]
    if not moved:
        return None
    return (f"run files: {', '.join(str(path) for path in shown.values())} "
            f"({' and '.join(moved)} {'is' if len(moved) == 1 else 'are'} taken)")


def untranslated_summary(untranslated, *, auto: bool) -> str | None:
    """The run summary's line on spans kept as they are for want of a model, or None."""
    langs = sorted(lang for lang in untranslated if untranslated[lang])
    if not langs:
        return None
    spans = sum(untranslated[lang] for lang in langs)
    fix = (f"add --model {langs[0]}=PATH_OR_ID (for example Helsinki-NLP/opus-mt-{langs[0]}-en)"
           + (", or a fallback --model '*=Helsinki-NLP/opus-mt-mul-en'" if auto else " or --languages auto"))
    return f"{spans} span{'s' if spans != 1 else ''} in {', '.join(langs)} left untranslated: {fix}"
