"""One rich progress bar for a whole batch (terminal presentation, used by the CLI)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

from envreport.batch.run import BatchProgress, ProgressStep, SilentProgress
from envreport.i18n import gettext


def step_label(step: ProgressStep, name: str, lang: str = "en") -> str:
    """The bar's words for a finished task, in ``lang`` (``read x.xlsx``, ``已读取：x.xlsx``).

    Each label is a literal ``gettext`` call: the findings catalogue's extractor finds them
    there (scripts/extract_findings_messages.py)."""
    if step == "read":
        return gettext("read {name}", lang).format(name=name)
    if step == "built":
        return gettext("built {name}", lang).format(name=name)
    if step == "built group":
        return gettext("built group", lang)
    return gettext("skipped", lang)


class _Bar:
    """A bar redrawn on each step, without rich's refresh thread: the batch forks a process
    per task, and a process is never forked while another thread may hold a lock."""

    def __init__(self, progress: Progress, lang: str) -> None:
        self._progress = progress
        self._lang = lang
        self._task: TaskID | None = None

    def start(self, total: int) -> None:
        self._progress.start()
        self._task = self._progress.add_task(gettext("batch", self._lang), total=total)

    def advance(self, step: ProgressStep, name: str = "") -> None:
        if self._task is not None:
            self._progress.update(self._task, advance=1,
                                  description=step_label(step, name, self._lang))
            self._progress.refresh()

    def stop(self) -> None:
        if self._task is not None:
            self._progress.stop()


@contextmanager
def batch_bar(console: Console, enabled: bool, lang: str = "en") -> Iterator[BatchProgress]:
    """A bar on a terminal, its words in ``lang``; silent when disabled or when the output
    is not a terminal."""
    if not enabled or not console.is_terminal:
        yield SilentProgress()
        return
    # markup=False: the description names a workbook file, which may be called "[/bold].xlsx"
    bar = _Bar(Progress(TextColumn("{task.description:<40.40}", markup=False), BarColumn(),
                        MofNCompleteColumn(), TimeElapsedColumn(), console=console,
                        transient=False, auto_refresh=False), lang)
    try:
        yield bar
    finally:
        bar.stop()
