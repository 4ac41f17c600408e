"""judge -> report -> audit, through the installed `arandu` command on a corpus written in a temp dir."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

ARANDU = str(Path(sys.executable).with_name("arandu"))
CLEAN = (
    "a gente morava na beira do rio e quando vinha a cheia tinha que subir tudo pro alto "
    "a casa ficava com água até a janela meu pai pescava de noite e de manhã cedo a minha mãe "
    "vendia o peixe na feira da cidade naquele tempo não tinha estrada era tudo de barco "
)


def _write(folder: Path, name: str, text: str, duration_ms: int) -> None:
    record = {"id": name, "transcription_text": text, "duration_milliseconds": duration_ms, "validation": None}
    (folder / f"{name}_transcription.json").write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([ARANDU, *args], capture_output=True, text=True, check=False, timeout=120)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    for i in range(20):
        _write(folder, f"clean{i:02d}", CLEAN * 2, 45_000)
    for i in range(10):
        _write(folder, f"loop{i:02d}", "obrigada " * 60, 60_000)
    for i in range(5):
        _write(folder, f"short{i:02d}", "sim", 30_000)
    judged = _run("judge-transcription", str(folder))
    assert judged.returncode == 0, judged.stderr
    _write(folder, "zz_late", CLEAN * 2, 45_000)  # written after the judge ran: unjudged
    return folder


def test_report_counts_match_the_corpus(corpus: Path) -> None:
    result = _run("report", str(corpus), "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert (data["records"], data["valid"], data["invalid"], data["unjudged"]) == (36, 20, 15, 1)
    assert data["rejections_by_criterion"] == {"repetition": 10, "loop": 10, "content_length_floor": 5}
    assert data["validators"] == {"none: heuristic stage only": 35}


def test_terminal_summary_is_the_default(corpus: Path) -> None:
    result = _run("report", str(corpus))
    assert result.returncode == 0, result.stderr
    assert "invalid" in result.stdout and "repetition" in result.stdout


def test_csv_parquet_and_html_are_written_and_parse(corpus: Path, tmp_path: Path) -> None:
    assert _run("report", str(corpus), "--format", "csv", "--output", str(tmp_path / "r.csv")).returncode == 0
    with (tmp_path / "r.csv").open(encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    assert len(rows) == 36 and sum(row["is_valid"] == "false" for row in rows) == 15
    assert _run("report", str(corpus), "--format", "html", "--output", str(tmp_path / "r.html")).returncode == 0
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    HTMLParser().feed(page)
    # one chart per heuristic criterion: the seed's five, decoder_confidence, known_hallucination and loop
    assert page.count('class="criterion-chart"') == 8
    assert "http://" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "") and "https://" not in page
    parquet = _run("report", str(corpus), "--format", "parquet", "--output", str(tmp_path / "r.parquet"))
    try:
        import pyarrow.parquet as pq
    except ImportError:
        assert parquet.returncode == 2 and "arandu[parquet]" in parquet.stderr
    else:
        assert parquet.returncode == 0, parquet.stderr
        assert pq.read_table(tmp_path / "r.parquet").num_rows == 36


def test_audit_sample_is_reproducible_and_scores(corpus: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    for sheet in (first, second):
        result = _run("audit", "sample", str(corpus), "--rejected", "0.30", "--admitted", "0.15", "--seed", "42",
                      "--output", str(sheet))  # fmt: skip
        assert result.returncode == 0, result.stderr
    assert first.read_bytes() == second.read_bytes()
    assert _run("audit", "sample", str(corpus), "--output", str(first)).returncode == 2  # would overwrite labels
    with first.open(encoding="utf-8-sig") as stream:
        rows = list(csv.DictReader(stream))
    assert [row["class"] for row in rows] == ["rejected"] * 4 + ["admitted"] * 3  # floor(.3 x 15), floor(.15 x 20)
    for row in rows:
        row["label"] = "tp" if row["class"] == "rejected" else "tn"
    rows[0]["label"] = "fp"
    with first.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    scored = _run("audit", "score", str(first), "--format", "json")
    assert scored.returncode == 0, scored.stderr
    score = json.loads(scored.stdout)
    fp = score["false_positive_rate"]["lenient"]
    assert (fp["errors"], fp["labelled"], fp["population"]) == (1, 4, 15)
    fn = score["false_negative_rate"]["lenient"]
    assert fn["errors"] == 0 and fn["rule_of_three_upper"] == pytest.approx(1.0)
    text = _run("audit", "score", str(first))
    assert "false positives, lenient" in text.stdout and "rule of three" in text.stdout


def test_a_missing_location_is_a_usage_error(tmp_path: Path) -> None:
    assert _run("report", str(tmp_path / "nowhere")).returncode == 2


def _closed_pipe(*args: str) -> subprocess.CompletedProcess[bytes]:
    """Run with standard output a pipe whose reader has already gone, as `arandu ... | head` ends up."""
    process = subprocess.Popen([ARANDU, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()
    stderr = process.stderr.read()
    return subprocess.CompletedProcess(args, process.wait(timeout=120), b"", stderr)


@pytest.mark.parametrize("format", ["text", "json", "html"])
def test_a_closed_pipe_ends_the_report_quietly(corpus: Path, format: str) -> None:
    done = _closed_pipe("report", str(corpus), "--format", format)
    assert done.returncode in (0, 141), done.stderr
    assert b"Traceback" not in done.stderr and b"Error" not in done.stderr


def test_a_closed_pipe_ends_audit_score_quietly(corpus: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "s.csv"
    assert _run("audit", "sample", str(corpus), "--output", str(sheet)).returncode == 0
    done = _closed_pipe("audit", "score", str(sheet))
    assert done.returncode in (0, 141) and b"Traceback" not in done.stderr


def test_terminal_is_still_accepted_and_text_is_the_shared_word(corpus: Path) -> None:
    text = _run("report", str(corpus), "--format", "text")
    assert text.returncode == 0 and text.stdout == _run("report", str(corpus), "--format", "terminal").stdout


def test_a_piped_report_does_not_wrap_long_paths(tmp_path: Path) -> None:
    folder = tmp_path / "long"
    folder.mkdir()
    name = "a_record_whose_name_is_far_longer_than_any_terminal_is_wide_" * 2 + "x"
    _write(folder, name, "obrigada " * 60, 60_000)
    assert _run("judge-transcription", str(folder)).returncode == 0
    report = _run("report", str(folder))
    assert f"{name}_transcription.json" in report.stdout.splitlines()[-4] + "".join(report.stdout.splitlines())
    assert any(line.strip() == f"{name}_transcription.json" for line in report.stdout.splitlines())


def test_audit_sample_takes_counts_and_writes_a_bom(corpus: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "counts.csv"
    result = _run("audit", "sample", str(corpus), "--rejected", "50", "--admitted", "2", "--output", str(sheet))
    assert result.returncode == 0, result.stderr
    data = sheet.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    with sheet.open(encoding="utf-8-sig") as stream:
        rows = list(csv.DictReader(stream))
    assert [row["class"] for row in rows] == ["rejected"] * 15 + ["admitted"] * 2  # a class smaller than 50: whole
    assert all("⟦" in row["excerpt"] for row in rows[:10])  # the loops' evidence, marked
    plain = tmp_path / "plain.csv"
    assert _run("audit", "sample", str(corpus), "--no-bom", "--output", str(plain)).returncode == 0
    assert plain.read_bytes().startswith(b"class,")
    refused = _run("audit", "sample", str(corpus), "--rejected", "1.5", "--output", str(tmp_path / "x.csv"))
    assert refused.returncode == 2 and "whole number" in refused.stderr
    negative = _run("audit", "sample", str(corpus), "--admitted", "-3", "--output", str(tmp_path / "x.csv"))
    assert negative.returncode == 2 and "--admitted -3: a count of records cannot be negative" in negative.stderr
    assert not (tmp_path / "x.csv").exists()


def test_a_sheet_saved_with_semicolons_or_tabs_is_scored(corpus: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "s.csv"
    assert _run("audit", "sample", str(corpus), "--output", str(sheet)).returncode == 0
    with sheet.open(encoding="utf-8-sig") as stream:
        rows = list(csv.DictReader(stream))
    for row in rows:
        row["label"] = "tp" if row["class"] == "rejected" else "tn"
    expected = None
    for delimiter in (",", ";", "\t"):
        saved = tmp_path / f"saved{ord(delimiter)}.csv"
        with saved.open("w", encoding="utf-8-sig", newline="") as stream:  # as a pt-BR spreadsheet saves it
            writer = csv.DictWriter(stream, fieldnames=list(rows[0]), delimiter=delimiter)
            writer.writeheader()
            writer.writerows(rows)
        scored = _run("audit", "score", str(saved), "--format", "json")
        assert scored.returncode == 0, scored.stderr
        expected = expected or scored.stdout
        assert scored.stdout == expected
    broken = tmp_path / "broken.csv"
    broken.write_text("class|label\nrejected|tp\n", encoding="utf-8")
    refused = _run("audit", "score", str(broken))
    assert refused.returncode == 2 and "commas, semicolons or tabs" in refused.stderr


def test_report_and_audit_take_a_pattern_and_name_it_when_nothing_matches(tmp_path: Path) -> None:
    folder = tmp_path / "whisper"
    folder.mkdir()
    for i in range(3):
        (folder / f"talk{i}.json").write_text(json.dumps({"text": CLEAN * 2, "segments": [
            {"text": CLEAN * 2, "start": 0.0, "end": 45.0}]}), encoding="utf-8")  # fmt: skip
    for command in (["report", str(folder)], ["audit", "sample", str(folder), "-o", str(tmp_path / "a.csv")]):
        refused = _run(*command)
        assert refused.returncode == 2 and "3 other JSON files are there: --pattern '*.json'" in refused.stderr
    assert _run("judge-transcription", str(folder), "--pattern", "*.json").returncode == 0
    report = _run("report", str(folder), "--pattern", "*.json", "--format", "json")
    assert report.returncode == 0 and json.loads(report.stdout)["valid"] == 3
    sample = _run(
        "audit", "sample", str(folder), "--pattern", "*.json", "--admitted", "1", "-o", str(tmp_path / "a.csv")
    )
    assert sample.returncode == 0 and "1 of 3 admitted" in sample.stderr


def test_a_bad_setting_is_a_clean_usage_error(corpus: Path, tmp_path: Path) -> None:
    env = {**os.environ, "ARANDU_JUDGE_STORAGE_OPTIONS": "{not json"}
    commands = (
        ["report", str(corpus)],
        ["audit", "sample", str(corpus), "-o", str(tmp_path / "s.csv")],
        ["export", str(corpus), "--to", str(tmp_path / "exported")],
        ["judge-transcription", str(corpus)],
    )
    for command in commands:
        done = subprocess.run([ARANDU, *command], capture_output=True, text=True, env=env, check=False, timeout=120)
        assert done.returncode == 2 and "ARANDU_JUDGE_STORAGE_OPTIONS" in done.stderr
        assert "Traceback" not in done.stderr
