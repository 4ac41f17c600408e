"""Every report format is produced from one corpus and parses back."""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from arandu.adapters.report.record_table import MissingExtra, RecordTable
from arandu.adapters.report.report_html import report_html
from arandu.adapters.report.report_json import relative_to, report_as_dict
from arandu.application.build_report import BuildReport
from tests.unit.verdict_corpus import InMemoryDocuments, judged, unjudged


def _build(table: RecordTable | None = None) -> dict[str, object]:
    source = InMemoryDocuments(
        {
            "d/a_transcription.json": judged({"content_length_floor": 1.0, "script_match": 1.0, "repetition": 0.9}),
            "d/b_transcription.json": judged(
                {"content_length_floor": 1.0, "script_match": 1.0, "repetition": 0.2},
                tags={"repetition": ["<script>alert(1)</script>"]},
                evidence={"repetition": [{"char_start": 10, "char_end": 90}]},
            ),
            "d/c_transcription.json": judged({"content_length_floor": 0.0}),
            "d/u_transcription.json": unjudged(),
        }
    )
    report = BuildReport(source)(listener=None if table is None else table.add)
    return report_as_dict(report, location="d")


class _Checker(HTMLParser):
    """Checks nesting and collects what the test needs to see."""

    VOID = frozenset({"meta", "br", "line", "rect", "link", "img", "input", "hr"})

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.charts: list[str] = []
        self.external: list[str] = []
        self.scripts = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name in ("src", "href"):
            if re.match(r"(?i)\s*(https?:)?//", values.get(name) or ""):
                self.external.append(values[name] or "")
        if tag == "svg" and "criterion-chart" in (values.get("class") or ""):
            self.charts.append(values.get("data-criterion") or "")
        self.scripts += tag == "script"
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        pass

    def handle_endtag(self, tag: str) -> None:
        if tag in self.VOID:
            return
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes <{self.stack[-1] if self.stack else None}>"
        self.stack.pop()


def test_json_loads_with_the_counts() -> None:
    data = json.loads(json.dumps(_build()))
    assert (data["records"], data["valid"], data["invalid"], data["unjudged"]) == (4, 1, 2, 1)
    evidence = data["worst_records"][1]["evidence"]["repetition"]
    assert evidence == [
        {"criterion": "repetition", "kind": "evidence", "char_start": 10, "char_end": 90, "where": "chars 10\u201390"}
    ]


def test_json_holds_the_details_of_every_listed_record_with_paths_relative_to_the_location() -> None:
    data = json.loads(json.dumps(_build()))
    listed = {p for g in data["failure_groups"] for p in g["examples"]}
    listed |= {p for stats in data["criteria"].values() for paths in stats["histogram"]["examples"] for p in paths}
    assert (
        listed
        == set(data["record_details"])
        == {"a_transcription.json", "b_transcription.json", "c_transcription.json"}
    )
    b = data["record_details"]["b_transcription.json"]
    assert b["text"] == [{"offset": 0, "text": "uma frase qualquer"}] and b["text_complete"]
    repetition = next(c for c in b["criteria"] if c["criterion"] == "repetition")
    assert (repetition["score"], repetition["threshold"], repetition["passed"]) == (0.2, 0.5, False)
    assert repetition["rationale"] == "repetition said 0.2" and repetition["evidence"][0]["char_end"] == 90


def test_relative_paths_strip_the_location_in_any_of_its_spellings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert relative_to("corpus")(str(tmp_path / "corpus" / "x" / "a.json")) == "x/a.json"
    (tmp_path / "cwd").mkdir()
    monkeypatch.chdir(tmp_path / "cwd")
    assert relative_to("../corpus")(f"{tmp_path}/cwd/../corpus/x/a.json") == "x/a.json"
    assert relative_to("s3://bucket/pre/")("bucket/pre/a.json") == "a.json"
    assert relative_to("/d/one_transcription.json")("/d/one_transcription.json") == "one_transcription.json"
    assert relative_to("/d")("/elsewhere/a.json") == "/elsewhere/a.json"


def test_html_is_well_formed_self_contained_with_one_chart_per_criterion() -> None:
    page = report_html(_build(), version="test")
    checker = _Checker()
    checker.feed(page)
    checker.close()
    assert checker.stack == []
    assert checker.external == [] and checker.scripts == 0
    assert checker.charts == ["content_length_floor", "script_match", "repetition"]
    assert "<script>alert" not in page and "&lt;script&gt;" in page


def test_csv_has_one_row_per_record_with_each_criterion() -> None:
    with RecordTable() as table:
        _build(table)
        stream = io.StringIO()
        table.write_csv(stream)
    rows = list(csv.DictReader(io.StringIO(stream.getvalue())))
    assert [row["path"] for row in rows] == [f"d/{k}_transcription.json" for k in "abcu"]
    assert list(rows[0]) == [
        "path",
        "is_valid",
        "rejected_at",
        "content_length_floor_score",
        "content_length_floor_passed",
        "script_match_score",
        "script_match_passed",
        "repetition_score",
        "repetition_passed",
    ]
    assert rows[1]["is_valid"] == "false" and rows[1]["repetition_score"] == "0.2"
    assert rows[2]["rejected_at"] == "heuristic_filter" and rows[2]["repetition_score"] == ""
    assert rows[3]["is_valid"] == ""


def test_parquet_reads_back(tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    with RecordTable() as table:
        _build(table)
        table.write_parquet(tmp_path / "r.parquet")
    rows = pq.read_table(tmp_path / "r.parquet").to_pylist()
    assert len(rows) == 4
    assert rows[1]["is_valid"] is False and rows[1]["repetition_score"] == pytest.approx(0.2)
    assert rows[2]["script_match_passed"] is None and rows[3]["is_valid"] is None


def test_parquet_without_pyarrow_names_the_extra(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # what `import pyarrow` sees when it is not installed
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    with RecordTable() as table, pytest.raises(MissingExtra, match=r"arandu\[parquet\]"):
        table.write_parquet(tmp_path / "r.parquet")
