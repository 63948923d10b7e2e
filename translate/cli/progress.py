"""Progress display for long runs: rich bars on a terminal, nothing otherwise."""

from __future__ import annotations

from translate.cli.console import stderr


class RichBatchProgress:
    def __init__(self, enabled: bool = True):
        self.enabled = enabled and stderr.is_terminal
        self._progress = None
        self._task = None

    def __enter__(self):
        if self.enabled:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            self._progress = Progress(
                TextColumn("{task.description:>12}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                console=stderr, transient=True,
            )
            self._progress.__enter__()
        return self

    def __exit__(self, *exc):
        if self._progress is not None:
            self._progress.__exit__(*exc)
        return False

    def stage(self, name: str, total: int) -> None:
        if self._progress is not None:
            self._task = self._progress.add_task(name, total=total)

    def advance(self, done: int) -> None:
        if self._progress is not None and self._task is not None:
            self._progress.update(self._task, completed=done)

    def file_failed(self, outcome) -> None:
        pass  # failures are listed once, at the end
