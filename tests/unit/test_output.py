"""What a person sees: the summary's counts and rejections, and one error line per bad record."""

from __future__ import annotations

import io
import itertools
import re

import pytest

from arandu.application.errors import UnreadableRecord
from arandu.application.summary import CorpusSummary, Outcome, RecordOutcome
from arandu.entrypoints.cli.output import ProgressReporter, print_summary


def summary() -> CorpusSummary:
    result = CorpusSummary()
    for outcome in [
        RecordOutcome("a", Outcome.PASSED),
        RecordOutcome("b", Outcome.FAILED, "heuristic_filter", ("repetition", "segment_quality")),
        RecordOutcome("c", Outcome.FAILED, "heuristic_filter", ("repetition",)),
        RecordOutcome("d", Outcome.SKIPPED),
        RecordOutcome.failed_with(UnreadableRecord("e_transcription.json", "not valid JSON (oops)")),
    ]:
        result.add(outcome)
    return result


def test_the_summary_counts_each_outcome() -> None:
    counts = summary()
    assert (counts.judged, counts.passed, counts.failed, counts.skipped, len(counts.errors), counts.total) == (
        3,
        1,
        2,
        1,
        1,
        5,
    )
    assert dict(counts.rejections_by_stage) == {"heuristic_filter": 2}
    assert dict(counts.rejections_by_criterion) == {"repetition": 2, "segment_quality": 1}


def test_the_printed_summary_shows_counts_and_rejections() -> None:
    out = io.StringIO()
    print_summary(summary(), elapsed=2.0, stream=out)
    lines = [line.split() for line in out.getvalue().splitlines()]
    assert ["judged", "3"] in lines and ["passed", "1"] in lines and ["failed", "2"] in lines
    assert ["skipped", "1"] in lines and ["errors", "1"] in lines
    assert ["heuristic_filter", "2"] in lines
    assert ["repetition", "2"] in lines and ["segment_quality", "1"] in lines


def test_errors_are_printed_as_they_happen_naming_the_record_and_reason() -> None:
    stream = io.StringIO()
    with ProgressReporter(stream) as progress:
        progress(RecordOutcome("a", Outcome.PASSED))
        progress(RecordOutcome.failed_with(UnreadableRecord("x/e_transcription.json", "not valid JSON (oops)")))
    assert stream.getvalue() == "error: x/e_transcription.json: not valid JSON (oops)\n"


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_an_80_column_terminal_sees_the_total_the_rate_and_the_time_left(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    stream = _Terminal()
    ticks = itertools.count()
    # A clock of its own (a millisecond a reading), so the rate drawn does not depend on this machine's speed.
    with ProgressReporter(stream, total=5000, clock=lambda: next(ticks) / 1000) as progress:
        for i in range(4999):
            progress(RecordOutcome(str(i), Outcome.PASSED if i % 5 else Outcome.FAILED))
        progress(RecordOutcome.failed_with(UnreadableRecord("e_transcription.json", "not valid JSON")))
    frames = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", stream.getvalue()).replace("\r", "\n").splitlines()
    last = [frame for frame in frames if "judging" in frame][-1]  # drawn once more as the bar stops
    assert len(last) <= 80
    assert "5000/5000" in last and re.search(r"\d+/s ETA \d+:\d\d:\d\d", last), last
    assert "3999 passed, 1000" in last, last  # only the counts give way, from their end
