"""The dual-class draw and the scoring of a labelled sheet."""

from __future__ import annotations

import csv
import io
import random
from collections import Counter

import pytest

from arandu.adapters.report.audit_sheet import COLUMNS, SheetWriter, excerpt_around, excerpts, read_sheet
from arandu.application.draw_audit import (
    ADMITTED,
    REJECTED,
    AuditDraw,
    DrawAuditSample,
    SheetRow,
    evidence_focus,
    sample_size,
)
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


def test_a_count_draws_that_many_and_a_small_class_whole() -> None:
    rows, summary = _draw(_corpus(), AuditDraw(5, 100, seed=42))
    assert Counter(row.klass for row in rows) == {REJECTED: 5, ADMITTED: 60}
    assert (summary.rejected_sampled, summary.admitted_sampled) == (5, 60)
    assert sample_size(1, 10) == 1 and sample_size(1.0, 10) == 10  # a whole number counts; a decimal is a share


def test_a_negative_count_is_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        AuditDraw(-1, 5, seed=1)


def test_the_excerpt_is_centred_on_the_failing_criterion_evidence() -> None:
    text = "começo tranquilo " * 40 + "ARTEFATO NO MEIO" + " final calmo" * 40
    start = text.index("ARTEFATO")
    record = judged(
        {"repetition": 0.1}, text=text, evidence={"repetition": [{"char_start": start, "char_end": start + 16}]}
    )
    stream = io.StringIO()
    DrawAuditSample(InMemoryDocuments({"r_transcription.json": record}))(
        AuditDraw(1.0, 1.0, seed=1), SheetWriter(stream, seed=1, excerpt=30)
    )
    row = next(csv.DictReader(io.StringIO(stream.getvalue())))
    assert "⟦ARTEFATO NO MEIO⟧" in row["excerpt"]
    before, after = row["excerpt"].split("⟦ARTEFATO NO MEIO⟧")
    assert before.startswith("… ") and after.endswith(" …")
    assert len(before) < 40 and len(after) < 40
    assert "ARTEFATO" not in row["text_head"] + row["text_tail"]  # head and tail alone would miss it


def test_a_suspect_span_focuses_the_excerpt_when_no_evidence_does() -> None:
    text = "palavra " * 100
    record = judged({"repetition": 0.1}, text=text)
    record["validation"]["suspect_spans"] = [{"char_start": 400, "char_end": 408, "criterion": "x", "reason": "y"}]
    assert evidence_focus(record) == (400, 408)
    assert excerpt_around(text, (400, 408), 8) == "… palavra ⟦palavra⟧ palavra …"


def test_long_evidence_keeps_its_two_ends() -> None:
    text = "a" * 10 + "b" * 100 + "c" * 10
    assert excerpt_around(text, (10, 110), 5) == "… aaaaa ⟦bbbbb … bbbbb⟧ ccccc …"


SHEET = "class{0}path{0}label{0}class_total\nrejected{0}a.json{0}fp{0}40\nadmitted{0}b.json{0}tn{0}60\n"


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_the_delimiter_a_spreadsheet_chose_is_detected(delimiter: str) -> None:
    rows = list(read_sheet(io.StringIO("\ufeff" + SHEET.format(delimiter))))
    assert [(r.klass, r.label, r.class_total) for r in rows] == [("rejected", "fp", 40), ("admitted", "tn", 60)]


def test_a_sheet_with_another_delimiter_names_what_was_expected() -> None:
    with pytest.raises(InvalidSheet, match="commas, semicolons or tabs") as caught:
        list(read_sheet(io.StringIO(SHEET.format("|"))))
    assert "class|path" in str(caught.value)


def test_a_text_holding_a_line_separator_stays_in_its_row() -> None:
    sheet = 'class;label;note\nrejected;tp;"dois\u2028linhas\nmesmo"\nadmitted;fn;\n'
    assert [row.label for row in read_sheet(io.StringIO(sheet))] == ["tp", "fn"]
