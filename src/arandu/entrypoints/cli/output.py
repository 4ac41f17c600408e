"""What the command shows a person: progress while it runs, error lines, and the summary."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from types import TracebackType
from typing import TYPE_CHECKING, TextIO

from arandu.application.summary import CorpusSummary, Outcome, RecordOutcome

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

_PLAIN_EVERY_SECONDS = 10.0
_REFRESH_SECONDS = 0.1
# Width of the bar's other columns (spinner, label, a short bar, 11111/11111, %, rate, ETA, spaces).
_FIXED_COLUMNS = 56


class ProgressReporter:
    """Listens to record outcomes: a live bar on a terminal, a line every few seconds otherwise.

    Errors are printed as they happen, one line each, naming the record and the reason. With a
    `total` (known before the run), the bar shows it with the rate and the time left. `verbosity`
    -1 shows errors only; 1 adds a line per record.
    """

    def __init__(
        self,
        stream: TextIO | None = None,
        *,
        total: int | None = None,
        verbosity: int = 0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._stream = stream or sys.stderr
        self._total = total
        self._verbosity = verbosity
        self._clock = clock
        self._started = clock()
        self._last_line = self._started
        self._counts = {outcome: 0 for outcome in Outcome}
        self._progress: Progress | None = None
        self._task: TaskID | None = None
        if self._stream.isatty() and verbosity >= 0:
            # Imported here: rich's progress machinery is only worth its start-up cost on a terminal.
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                SpinnerColumn,
                TaskProgressColumn,
                TextColumn,
                TimeRemainingColumn,
            )
            from rich.table import Column

            # On standard error, the stream checked above: standard output may be a file of summaries.
            console = Console(file=self._stream)
            # Rich shrinks every column when a line is too long, total and ETA included: only the
            # counts give way (they are in the summary), so the rest fits an 80-column terminal.
            counts = Column(max_width=max(8, console.width - _FIXED_COLUMNS), no_wrap=True, overflow="ellipsis")
            self._progress = Progress(
                SpinnerColumn(),
                TextColumn("[bold]judging[/]"),
                BarColumn(bar_width=None),
                MofNCompleteColumn(),
                TaskProgressColumn(),
                TextColumn("{task.fields[counts]}", table_column=counts),
                TextColumn("{task.fields[rate]}"),
                TextColumn("ETA"),
                TimeRemainingColumn(),
                console=console,
                get_time=clock,
                transient=True,
                # No refresh thread: worker processes are forked while the bar is live, and
                # forking beside a running thread risks a lock held forever in the child.
                auto_refresh=False,
            )

    @property
    def elapsed(self) -> float:
        return self._clock() - self._started

    def __enter__(self) -> ProgressReporter:
        if self._progress is not None:
            self._progress.start()
            self._task = self._progress.add_task("judge", total=self._total, counts="", rate="")
            self._progress.refresh()  # the total shows at once, not only after the first records
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, trace: TracebackType | None
    ) -> None:
        if self._progress is not None:
            self._progress.stop()

    def __call__(self, outcome: RecordOutcome) -> None:
        self._counts[outcome.outcome] += 1
        if outcome.error is not None:
            self._print(f"error: {outcome.error}")
        elif self._verbosity > 0:
            self._print(f"{outcome.outcome}: {outcome.key}")
        now = self._clock()
        if self._verbosity < 0:
            return
        if self._progress is not None and self._task is not None:
            done = sum(self._counts.values())
            rate = f"{done / self.elapsed:,.0f}/s" if self.elapsed > 0 else ""
            self._progress.update(self._task, advance=1, counts=self._describe(), rate=rate)
            if now - self._last_line >= _REFRESH_SECONDS:
                self._last_line = now
                self._progress.refresh()
            return
        if now - self._last_line >= _PLAIN_EVERY_SECONDS:
            self._last_line = now
            of_total = f" of {self._total:,}" if self._total is not None else ""
            self._print(f"progress: {sum(self._counts.values())}{of_total} records ({self._describe()})")

    def _describe(self) -> str:
        c = self._counts
        parts = [f"{c[Outcome.PASSED]} passed", f"{c[Outcome.FAILED]} failed"]
        if c[Outcome.SKIPPED]:
            parts.append(f"{c[Outcome.SKIPPED]} skipped")
        if c[Outcome.ERROR]:
            parts.append(f"{c[Outcome.ERROR]} errors")
        return ", ".join(parts)

    def _print(self, line: str) -> None:
        if self._progress is not None:
            self._progress.console.print(line, markup=False, highlight=False)
        else:
            print(line, file=self._stream, flush=True)


def print_summary(summary: CorpusSummary, *, elapsed: float, stream: TextIO | None = None) -> None:
    """The end-of-run summary: counts, then rejections per stage and per criterion."""
    out = stream or sys.stdout
    rate = summary.total / elapsed if elapsed > 0 else 0.0
    lines = [
        f"{summary.total} records in {elapsed:.1f} s ({rate:.0f} records/s)",
        f"  judged   {summary.judged:>7}",
        f"  passed   {summary.passed:>7}",
        f"  failed   {summary.failed:>7}",
        f"  skipped  {summary.skipped:>7}",
        f"  errors   {len(summary.errors):>7}",
    ]
    if summary.rejections_by_stage:
        lines.append("rejections by stage:")
        lines += [f"  {name:<24} {n:>7}" for name, n in summary.rejections_by_stage.most_common()]
        lines.append("rejections by criterion:")
        lines += [f"  {name:<24} {n:>7}" for name, n in summary.rejections_by_criterion.most_common()]
    print("\n".join(lines), file=out)
