"""The dual-class draw and the scoring of a labelled sheet."""

from __future__ import annotations

import csv
import io
import random
from collections import Counter

import pytest

from arandu.adapters.report.audit_sheet import COLUMNS, SheetWriter, excerpts, read_sheet
from arandu.application.draw_audit import ADMITTED, REJECTED, AuditDraw, DrawAuditSample, SheetRow, sample_size
from arandu.application.score_audit import InvalidSheet, LabelledRow, score_audit
from tests.unit.verdict_corpus import InMemoryDocuments, judged, unjudged


def _corpus(rejected: int = 40, admitted: int = 60) -> InMemoryDocuments:
    documents: dict[str, object] = {}
    for i in range(rejected):
        documents[f"r/{i:03d}_transcription.json"] = judged({"repetition": 0.1}, text=f"rejeitado {i} " * 80)
    for i in range(admitted):
        documents[f"a/{i:03d}_transcription.json"] = judged({"repetition": 0.9}, text=f"admitido {i}")
    documents["u_transcription.json"] = unjudged()
    documents["x_transcription.json"] = "broken"
    return InMemoryDocuments(documents)  # type: ignore[arg-type]


def _draw(source: InMemoryDocuments, draw: AuditDraw) -> tuple[list[SheetRow], object]:
    rows: list[SheetRow] = []
    summary = DrawAuditSample(source)(draw, rows.append)
    return rows, summary


def test_sizes_are_the_floor_of_share_times_class_size() -> None:
    rows, summary = _draw(_corpus(), AuditDraw(0.30, 0.15, seed=42))
    counts = Counter(row.klass for row in rows)
    assert counts == {REJECTED: 12, ADMITTED: 9}  # floor(0.30 x 40), floor(0.15 x 60)
    assert (summary.rejected_total, summary.admitted_total, summary.unjudged, summary.unreadable) == (40, 60, 1, 1)
    assert sample_size(0.3, 10) == 3 and sample_size(0.15, 20) == 3 and sample_size(0.29, 100) == 29


def test_the_draw_is_one_seeded_generator_over_sorted_paths_rejected_first() -> None:
    rows, _ = _draw(_corpus(), AuditDraw(0.30, 0.15, seed=42))
    generator = random.Random(42)
    rejected = sorted(generator.sample(sorted(f"r/{i:03d}_transcription.json" for i in range(40)), 12))
    admitted = sorted(generator.sample(sorted(f"a/{i:03d}_transcription.json" for i in range(60)), 9))
    assert [row.record.key for row in rows] == rejected + admitted


def test_same_inputs_give_the_same_sheet_and_another_seed_another_one() -> None:
    def sheet(seed: int) -> str:
        stream = io.StringIO()
        DrawAuditSample(_corpus())(AuditDraw(0.30, 0.15, seed=seed), SheetWriter(stream, seed=seed))
        return stream.getvalue()

    assert sheet(42) == sheet(42)
    assert sheet(42) != sheet(7)


def test_shares_outside_zero_one_are_refused() -> None:
    with pytest.raises(ValueError):
        AuditDraw(1.5, 0.1, seed=1)


def test_the_sheet_carries_what_a_reviewer_needs() -> None:
    stream = io.StringIO()
    DrawAuditSample(_corpus())(AuditDraw(0.30, 0.15, seed=42), SheetWriter(stream, seed=42, excerpt=50))
    stream.seek(0)
    rows = list(csv.DictReader(stream))
    assert tuple(rows[0]) == COLUMNS
    first = rows[0]
    assert first["class"] == REJECTED and first["stage"] == "heuristic_filter"
    assert first["failing_criteria"] == "repetition 0.10 < 0.50"
    assert first["rationales"] == "repetition: repetition said 0.1"
    assert first["text_head"].startswith("rejeitado") and first["text_tail"].startswith("… ")
    assert first["label"] == "" and first["class_total"] == "40" and first["class_sampled"] == "12"
    assert rows[-1]["class"] == ADMITTED and rows[-1]["failing_criteria"] == ""


def test_excerpts_keep_a_short_text_whole() -> None:
    assert excerpts("  uma   frase  ", 10) == ("uma frase", "")


def _rows(
    rejected: dict[str, int], admitted: dict[str, int], totals: tuple[int, int] = (1000, 9000)
) -> list[LabelledRow]:
    rows = []
    for klass, labels, total in ((REJECTED, rejected, totals[0]), (ADMITTED, admitted, totals[1])):
        for label, n in labels.items():
            rows += [LabelledRow(len(rows) + 2, klass, label, total) for _ in range(n)]
    return rows


def test_score_reads_borderline_leniently_and_conservatively() -> None:
    score = score_audit(_rows({"tp": 37, "fp": 5, "borderline": 1, "": 2}, {"tn": 30, "fn": 1}))
    lenient, conservative = score.false_positive_lenient, score.false_positive_conservative
    assert lenient is not None and conservative is not None
    assert (lenient.errors, lenient.labelled) == (5, 43)
    assert (round(100 * lenient.low, 1), round(100 * lenient.high, 1)) == (3.9, 25.1)
    assert (conservative.errors, conservative.labelled) == (6, 43)
    assert score.unlabelled == {REJECTED: 2, ADMITTED: 0}
    fn = score.false_negative_lenient
    assert fn is not None and (round(100 * fn.low, 1), round(100 * fn.high, 1)) == (0.1, 16.7)
    assert fn.rule_of_three is None
    projected = fn.projected()
    assert projected is not None and projected[0] == pytest.approx(9000 / 31)


def test_zero_errors_give_the_rule_of_three_beside_the_exact_bound() -> None:
    score = score_audit(_rows({"tp": 43}, {"tn": 10}))
    estimate = score.false_positive_lenient
    assert estimate is not None and estimate.errors == 0
    assert round(100 * estimate.high, 1) == 8.2
    assert estimate.rule_of_three is not None and round(100 * estimate.rule_of_three, 1) == 7.0


def test_an_unknown_label_names_its_line() -> None:
    with pytest.raises(InvalidSheet, match="line 3"):
        score_audit([LabelledRow(2, REJECTED, "tp", None), LabelledRow(3, ADMITTED, "fp", None)])


def test_a_sheet_round_trips_through_csv() -> None:
    stream = io.StringIO()
    DrawAuditSample(_corpus())(AuditDraw(0.30, 0.15, seed=42), SheetWriter(stream, seed=42))
    table = list(csv.DictReader(io.StringIO(stream.getvalue())))
    table[0]["label"] = "fp"
    edited = io.StringIO()
    writer = csv.DictWriter(edited, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows(table)
    rows = list(read_sheet(io.StringIO(edited.getvalue())))
    assert len(rows) == 21 and rows[0].label == "fp" and rows[0].class_total == 40
    score = score_audit(rows)
    assert score.false_positive_lenient is not None and score.false_positive_lenient.labelled == 1
