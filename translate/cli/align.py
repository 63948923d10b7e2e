"""`translate align`: align documents with their existing translations, sentence by sentence."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from translate.cli.app import app
from translate.cli.options import BatchSizeOption, BeamsOption, ComputeTypeOption, DeviceOption, EngineOption, ModelOption


@app.command()
def align(
    source: Annotated[Path, typer.Argument(help="Source document, or a folder of them.")],
    translation: Annotated[Path, typer.Argument(help="Its translation, or a folder of translations (paired by name).")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder.")] = Path("out"),
    similarity: Annotated[
        str, typer.Option("--similarity", metavar="encoder|mt|length",
                          help="encoder: bundled multilingual sentence encoder; mt: MarianMT + chrF (English "
                               "translations); length: Gale-Church, no model.")
    ] = "encoder",
    source_lang: Annotated[
        Optional[str], typer.Option("--source-lang", metavar="LANG", help="Source language code for TMX/JSON "
                                    "(default: each group's language as the segmenter finds it).")
    ] = None,
    target_lang: Annotated[
        str, typer.Option("--target-lang", metavar="LANG", help="Language code of the translation, for TMX/JSON.")
    ] = "en",
    model: ModelOption = None,
    device: DeviceOption = "auto",
    beams: BeamsOption = None,
    batch_size: BatchSizeOption = None,
    engine: EngineOption = "auto",
    compute_type: ComputeTypeOption = "auto",
) -> None:
    """Align SOURCE with its human TRANSLATION: NAME.html (side by side), NAME.json and NAME.tmx in --out.

    Two folders are paired by relative path, ignoring the format suffix and one language tag:
    a/b.md pairs with a/b.en.txt. Every input format of batch is read on both sides.

    Example: [bold]translate align book.fr.txt book.en.txt --out aligned[/]
    """
    from translate.cli.console import printable, stdout, warning
    from translate.errors import UsageError
    from translate.outdir import OutputLock, check_output_folder, output_folder
    from translate.sentalign.aligner import SIMILARITIES
    from translate.sentalign.run import AlignSettings

    if similarity not in SIMILARITIES:
        raise UsageError(f"--similarity {similarity}: choose one of {', '.join(SIMILARITIES)}")
    for path in (source, translation):
        if not path.exists():
            raise UsageError(f"{path}: no such file or folder")
    if source.is_dir() != translation.is_dir():
        raise UsageError(f"{source}, {translation}: give two files or two folders")
    check_output_folder(out, [source, translation])
    settings = AlignSettings(similarity=similarity, source_lang=source_lang, target_lang=target_lang)
    session = None
    if similarity == "mt":
        from translate.engines import EngineSettings, check_engine_settings
        from translate.models import models_root, parse_model_options, plan_models
        from translate.sentalign.mt import machine_translator
        from translate.session import Session

        engine_settings = EngineSettings(engine=engine, device=device, beams=beams, max_batch_size=batch_size,
                                         compute_type=compute_type)
        check_engine_settings(engine_settings)
        root = models_root()
        session = Session.open(plan_models(None, parse_model_options(model), root), engine_settings, models_root=root,
                               on_warning=warning, resolve_all=False)  # only the languages found
        settings.translate_sources = machine_translator(session)
    try:
        # The lock of every command: never two runs writing into one folder. The folder is removed
        # again if the run stops before writing anything (a model missing once a document needs it).
        with output_folder(out), OutputLock(out):
            failed, jobs = _align_all(source, translation, out, settings)
    finally:
        if session is not None:
            session.close()
    stdout.print(printable(f"{len(jobs) - failed} of {len(jobs)} pairs aligned -> {out}"), markup=False, highlight=False,
                 soft_wrap=True)
    if failed or not jobs:
        raise typer.Exit(1)


def _align_all(source: Path, translation: Path, out: Path, settings) -> tuple[int, list]:
    """Align each pair (two files, or the paired files of two folders); the failures and the pairs."""
    from translate.cli.console import error, printable, stdout, warning
    from translate.sentalign.run import align_and_write, pair_folders

    if source.is_dir():
        pairs, problems = pair_folders(source, translation, out)
        for problem in problems:
            warning(problem)
        jobs = [(source / s, translation / t, s, t) for s, t in pairs]
    else:
        jobs = [(source, translation, source.name, translation.name)]
    failed = 0
    for src_path, tgt_path, src_name, tgt_name in jobs:
        outcome = align_and_write(out, src_path, tgt_path, src_name, tgt_name, settings)
        if outcome.error:
            error(outcome.error)
            failed += 1
            continue
        stdout.print(printable(f"{src_name} <-> {tgt_name}: {outcome.groups} groups, {outcome.one_sided} one-sided, "
                               f"{outcome.review} to review -> {outcome.paths['html']}"), soft_wrap=True, markup=False,
                     highlight=False)
    return failed, jobs
