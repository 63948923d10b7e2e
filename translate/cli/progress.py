"""Progress of a batch run: rich bars (files and spans, with ETA) on a terminal; plain log
lines on stderr otherwise (a log file, CI); nothing but warnings with ``--quiet``."""

from __future__ import annotations

import time

from translate.cli.console import literal, stderr, warning

_LOG_SPANS_EVERY_SECONDS = 10.0


class RichBatchProgress:
    def __init__(self, enabled: bool = True):
        self.enabled = enabled
        self.bars = enabled and stderr.is_terminal
        self._progress = None
        self._files_task = self._spans_task = None
        self._files_total = self._files_done = 0
        self._spans_total = self._spans_done = 0
        self._last_span_log = time.monotonic()

    @property
    def files_done(self) -> int:
        return self._files_done

    @property
    def files_total(self) -> int:
        return self._files_total

    def __enter__(self):
        if self.bars:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            self._progress = Progress(
                TextColumn("{task.description:>6}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                console=stderr, transient=True,
            )
            self._progress.__enter__()
        return self

    def __exit__(self, *exc):
        if self._progress is not None:
            self._progress.__exit__(*exc)
        return False

    def start(self, files: int) -> None:
        self._files_total = files
        self._last_span_log = time.monotonic()  # the first spans line comes a period after the run starts
        if self._progress is not None:
            self._files_task = self._progress.add_task("files", total=files)
            self._spans_task = self._progress.add_task("spans", total=0)

    def spans_found(self, count: int) -> None:
        self._spans_total += count
        if self._progress is not None:
            self._progress.update(self._spans_task, total=self._spans_total)

    def spans_done(self, count: int) -> None:
        self._spans_done += count
        if self._progress is not None:
            self._progress.update(self._spans_task, completed=self._spans_done)
        elif (self.enabled and self._spans_done < self._spans_total  # "2 of 2" says nothing the file lines do not
              and time.monotonic() - self._last_span_log >= _LOG_SPANS_EVERY_SECONDS):
            self._last_span_log = time.monotonic()
            self._log(f"spans: {self._spans_done} of {self._spans_total} known so far")

    def file_done(self, outcome) -> None:
        self._files_done += 1
        if self._progress is not None:
            self._progress.update(self._files_task, completed=self._files_done)
        elif self.enabled:
            what = {"translated": "translated", "up to date": "up to date, skipped"}.get(outcome.status, "failed")
            detail = f": {outcome.reason}" if outcome.status == "failed" else ""
            self._log(f"[{self._files_done}/{self._files_total}] {outcome.source}: {what}{detail}")

    def warning(self, message: str) -> None:
        if self._progress is not None:
            warning(message, console=self._progress.console)
        else:
            warning(message)

    def _log(self, line: str) -> None:
        stderr.print(literal(line), soft_wrap=True)
