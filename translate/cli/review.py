"""`translate review`: judge and correct a batch's translations in the browser; `export` and `apply` them."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from typer.core import TyperGroup

from translate.cli.app import app
from translate.cli.options import CacheOption

_LOOPBACK = ("127.0.0.1", "localhost", "::1")


class _ServeByDefault(TyperGroup):
    """`translate review OUT_DIR` is `translate review serve OUT_DIR`."""

    def parse_args(self, ctx, args):
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = ["serve", *args]
        return super().parse_args(ctx, args)


review_app = typer.Typer(cls=_ServeByDefault, no_args_is_help=True, add_completion=False,
                         help="Review a batch's translations in the browser: verdicts, categories, comments and "
                              "edits (`translate review OUT_DIR`); `export` them; `apply` the edits to every output.")
app.add_typer(review_app, name="review")

OutDir = typer.Argument(..., metavar="OUT_DIR", help="Output folder of `translate batch`.")


@review_app.command("serve")
def serve(
    out_dir: Path = OutDir,
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on; anything but this machine exposes "
                                                         "the review to the network (the token still guards it)."),
    port: int = typer.Option(0, "--port", min=0, max=65535, help="Port (default: a free one)."),
    open_browser: bool = typer.Option(False, "--open", help="Open the review in the default browser."),
    sample: int = typer.Option(20, "--sample", min=0, metavar="N", help="Size of the spot-check sample shown first "
                                                                         "(as `translate spot-check --sample`)."),
    seed: int = typer.Option(0, "--seed", metavar="S", help="Seed of that sample (as `translate spot-check --seed`)."),
) -> None:
    """Start the review web app for OUT_DIR and print its address (with its access token); Ctrl+C stops it."""
    from translate.cli.console import literal, stderr, warning
    from translate.review.server import serve as run_server

    if host not in _LOOPBACK:
        warning(f"--host {host}: the review is reachable from other machines; anyone with the link can change it")
    stderr.print(literal(f"building the review queue of {out_dir} ..."), soft_wrap=True)

    def ready(url: str) -> None:
        typer.echo(f"review of {out_dir} at {url}")
        typer.echo(f"answers are saved in {out_dir / 'review.sqlite3'}; Ctrl+C stops the server")

    run_server(out_dir, host=host, port=port, sample=sample, seed=seed, open_browser=open_browser,
               on_ready=ready, on_warning=warning)


@review_app.command("export")
def export(
    out_dir: Path = OutDir,
    output_format: str = typer.Option("csv", "--format", metavar="csv|json", help="csv or json."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", metavar="FILE", help="Write to FILE (default: stdout)."),
) -> None:
    """Every saved judgement (verdict, category, comment, edit, reviewer, time), oldest first."""
    from translate.errors import UsageError
    from translate.review.export import export_text

    if output_format not in ("csv", "json"):
        raise UsageError(f"--format {output_format}: choose csv or json")
    text = export_text(out_dir, output_format)
    if output is None:
        typer.echo(text, nl=False)
    else:
        from translate.fsutil import write_atomic

        write_atomic(output, text)


@review_app.command("apply")
def apply(
    out_dir: Path = OutDir,
    input_dir: Optional[Path] = typer.Option(
        None, "--input", metavar="IN_DIR",
        help="Input folder of the batch (the edited documents are rewritten from their inputs); default: the one "
             "the batch recorded in OUT_DIR/.translate-run."),
    cache: CacheOption = None,
) -> None:
    """Apply the reviewers' edits: human translation-memory entries, and the edited documents rewritten in
    every output format. The model is not used."""
    from translate.api import apply_reviews
    from translate.cli.console import literal, stderr, warning

    report = apply_reviews(out_dir, input_dir, cache=cache, on_warning=warning)
    rewritten = len(report.documents)
    stderr.print(literal(f"{report.edits} edited span(s); {report.spans_changed} span(s) changed in {rewritten} "
                         f"document(s)"), soft_wrap=True)
    for source in report.documents:
        stderr.print(literal(f"rewrote {source}", "dim"), soft_wrap=True)
