"""judge -> report -> audit, through the installed `arandu` command on a corpus written in a temp dir."""

from __future__ import annotations

import csv
import json
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
    assert data["rejections_by_criterion"] == {"repetition": 10, "content_length_floor": 5}
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
    # one chart per heuristic criterion: the seed's five, decoder_confidence and known_hallucination
    assert page.count('class="criterion-chart"') == 7
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
    with first.open(encoding="utf-8") as stream:
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
