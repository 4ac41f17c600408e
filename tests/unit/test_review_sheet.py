"""The sheet under review: each label written back at once, atomically, in the sheet's own dialect."""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import pytest

from arandu.adapters.review.records import RecordFinder
from arandu.adapters.review.sheet_file import ReviewSheet
from arandu.application.score_audit import InvalidSheet

HEADER = ["class", "path", "evidence", "label", "class_total"]


def _sheet(tmp_path: Path, delimiter: str = ",", newline: str = "\n", bom: bool = False) -> Path:
    rows = [HEADER, ["rejected", "a.json", "chars 0\u20135; ok", "", "10"], ["admitted", "b.json", "", "", "20"]]
    stream = io.StringIO()
    csv.writer(stream, delimiter=delimiter, lineterminator=newline).writerows(rows)
    text = stream.getvalue()
    path = tmp_path / "sheet.csv"
    path.write_bytes(("\ufeff" if bom else "").encode() + text.encode("utf-8"))
    path.chmod(0o640)
    return path


def test_a_label_is_written_at_once_keeping_delimiter_line_ends_bom_and_mode(tmp_path: Path) -> None:
    path = _sheet(tmp_path, delimiter=";", newline="\r\n", bom=True)
    sheet = ReviewSheet(path)
    sheet.set_label(0, "TP")
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfclass;path;evidence;label;class_total;note\r\n")
    assert b'rejected;a.json;"chars 0\xe2\x80\x935; ok";tp;10;\r\n' in data
    assert (path.stat().st_mode & 0o777) == 0o640
    assert sorted(os.listdir(tmp_path)) == ["sheet.csv"]
    assert ReviewSheet(path).rows[0].label == "tp"


def test_a_label_foreign_to_the_row_class_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    path = _sheet(tmp_path)
    before = path.read_bytes()
    with pytest.raises(InvalidSheet, match="use tn, fn, borderline"):
        ReviewSheet(path).set_label(1, "tp")
    assert path.read_bytes() == before


def test_an_edit_made_elsewhere_meanwhile_is_kept(tmp_path: Path) -> None:
    path = _sheet(tmp_path)
    sheet = ReviewSheet(path)
    other = ReviewSheet(path)
    other.set_label(1, "fn")  # another window, or a spreadsheet saving the file
    sheet.set_label(0, "fp")
    assert [row.label for row in ReviewSheet(path).rows] == ["fp", "fn"]


def test_scores_count_the_labels_given_so_far(tmp_path: Path) -> None:
    sheet = ReviewSheet(_sheet(tmp_path))
    sheet.set_label(0, "fp")
    score = sheet.score()
    assert score.false_positive_lenient is not None and score.false_positive_lenient.errors == 1
    assert score.false_positive_lenient.population == 10 and score.unlabelled["admitted"] == 1


def test_record_paths_resolve_beside_the_sheet_under_a_location_or_in_a_bucket(tmp_path: Path) -> None:
    sheet = tmp_path / "s.csv"
    assert RecordFinder(sheet, location=None, audio_dir=None).address("x/a.json") == str(tmp_path / "x/a.json")
    assert RecordFinder(sheet, location="/data", audio_dir=None).address("x/a.json") == "/data/x/a.json"
    bucket = RecordFinder(sheet, location="s3://b/pre", audio_dir=None)
    assert bucket.address("b/pre/x/a.json") == "s3://b/pre/x/a.json"
    assert bucket.address("x/a.json") == "s3://b/pre/x/a.json"


def test_audio_is_found_by_field_then_by_name_under_the_audio_folder(tmp_path: Path) -> None:
    (tmp_path / "audio" / "deep").mkdir(parents=True)
    (tmp_path / "audio" / "deep" / "ep01.mp3").write_bytes(b"x")
    (tmp_path / "audio" / "named.wav").write_bytes(b"x")
    (tmp_path / "beside.ogg").write_bytes(b"x")
    finder = RecordFinder(tmp_path / "s.csv", location=None, audio_dir=tmp_path / "audio")
    record = str(tmp_path / "ep01_transcription.json")
    assert finder.audio(record, None) == tmp_path / "audio" / "deep" / "ep01.mp3"
    assert finder.audio(record, "beside.ogg") == tmp_path / "beside.ogg"
    assert finder.audio(record, "somewhere/named.wav") == tmp_path / "audio" / "named.wav"
    assert RecordFinder(tmp_path / "s.csv", location=None, audio_dir=None).audio(record, None) is None
