"""The HTML report in a real headless Chromium: records open with their spans marked, bins list their
records, labels never overlap, and nothing is fetched."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from arandu.adapters.report.record_view import colour
from arandu.adapters.report.svg_chart import FAIL
from tests.builders import clean_portuguese, prose, segments_at, starts_every
from tests.integration.browser import boxes_overlap, needs_chromium, open_page, pixels_of, rgb_of
from tests.integration.conftest import arandu, write_json

# Long, ordinary and never repeated: a text said several times over is a loop.
CLEAN = f"{clean_portuguese()} {prose(140)}"

pytestmark = [pytest.mark.integration, needs_chromium]
LOOP = prose(40) + " " + "obrigada " * 60


def _write_corpus(folder: Path) -> None:
    for i in range(20):
        write_json(folder / f"clean{i:02d}_transcription.json",
                   {"transcription_text": CLEAN, "duration_milliseconds": 60_000})  # fmt: skip
    for i in range(12):
        write_json(folder / "loops" / f"loop{i:02d}_transcription.json",
                   {"transcription_text": LOOP, "duration_milliseconds": 60_000})  # fmt: skip
    metronome = segments_at(starts_every(1.0, 12, first=5.0), [prose(8, 10 * k) for k in range(12)])
    text = "".join(segment["text"] for segment in metronome).strip()
    write_json(folder / "metronome_transcription.json",
               {"transcription_text": text, "duration_milliseconds": 60_000, "segments": metronome})  # fmt: skip


@pytest.fixture
def page(tmp_path: Path) -> Iterator[Any]:
    with open_page(tmp_path) as tab:
        yield tab


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    root = tmp_path_factory.mktemp("report")
    corpus, cwd = root / "corpus", root / "cwd"
    cwd.mkdir()
    _write_corpus(corpus)
    judged = arandu("judge-transcription", str(corpus), cwd=cwd)
    assert judged.status == 0, judged.stderr
    # The contract of validation.suspect_spans, written into one judged record as the judge writes it.
    looped = corpus / "loops" / "loop00_transcription.json"
    document = json.loads(looped.read_text(encoding="utf-8"))
    start = LOOP.index("obrigada")
    document["validation"]["suspect_spans"] = [
        {"char_start": start, "char_end": len(LOOP.rstrip()), "criterion": "repetition", "reason": "word loop"}
    ]
    write_json(looped, document)
    page_path = root / "report.html"
    # The location as a user types it, relative to the working directory.
    done = arandu("report", "../corpus", "--format", "html", "--output", str(page_path), cwd=cwd)
    assert done.status == 0, done.stderr
    data = json.loads(arandu("report", "../corpus", "--format", "json", cwd=cwd).stdout)
    return page_path, data


def test_a_worst_record_opens_with_its_text_and_every_span_marked(page: Any, report: Any, tmp_path: Path) -> None:
    path, _ = report
    page.goto(path.as_uri())
    page.screenshot(path=str(tmp_path / "report.png"), full_page=True)
    links = page.locator("#worst a.path")
    assert links.count() >= 2
    texts = [links.nth(i).inner_text() for i in range(links.count())]
    assert "loops/loop00_transcription.json" in texts and not any(str(path.parent) in t for t in texts)
    page.locator("#worst a.path", has_text="loops/loop00_transcription.json").click()
    record = page.locator("section.record:target")
    assert record.is_visible()
    assert record.locator("h2").inner_text() == "loops/loop00_transcription.json"
    # A link to the file itself (the report's location was given relative to the working directory).
    assert record.locator("a.file").get_attribute("href") == (path.parent / "corpus" / "loops" /
                                                               "loop00_transcription.json").as_uri()  # fmt: skip
    marks = record.locator('mark[data-criteria~="repetition"]')
    assert marks.count() >= 1 and "obrigada" in marks.first.inner_text()
    assert record.locator("mark.suspect").count() >= 1  # the suspect span, marked as such
    labels = record.locator(".text .lbl").all_inner_texts()
    assert "repetition" in labels and "suspect: repetition" in labels
    assert record.locator('tr[data-criterion="repetition"]').inner_text().count("0.50") == 1  # its threshold
    shot = record.locator(".text").screenshot(path=str(tmp_path / "record.png"))
    # The screenshot itself shows the highlight: a good share of the text box is in repetition's colour.
    marked = pixels_of(page, shot, rgb_of(colour("repetition")))
    box = record.locator(".text").bounding_box()
    assert marked > 0.1 * box["width"] * box["height"]
    record.locator("a.close").click()
    assert not record.is_visible()
    assert all(url.startswith("file://") for url in page.requests), page.requests


def test_segment_spans_mark_their_rows_with_their_times(page: Any, report: Any) -> None:
    path, data = report
    assert data["record_details"]["metronome_transcription.json"]["segments"][0]["start"] == 5.0
    page.goto(path.as_uri())
    page.locator("a.path", has_text="metronome_transcription.json").first.click()
    record = page.locator("section.record:target")
    rows = record.locator("tr.hit[data-segment]")
    assert rows.count() >= 5
    assert "segment_quality" in rows.first.inner_text() and "0:05.00" in record.inner_text()


def test_a_histogram_bar_lists_the_records_of_its_bin(page: Any, report: Any) -> None:
    path, _ = report
    page.goto(path.as_uri())
    chart = page.locator('svg.criterion-chart[data-criterion="repetition"]')
    chart.locator("a.bin-link:has(rect.fail)").first.click()
    listing = page.locator(".bin:target")
    assert listing.is_visible()
    assert "loops/loop0" in listing.inner_text()
    listing.locator("a.path").first.click()
    assert page.locator("section.record:target mark").count() >= 1


def test_chart_labels_never_overlap(page: Any, report: Any) -> None:
    path, _ = report
    page.goto(path.as_uri())
    for chart in page.locator("svg.criterion-chart").all():
        counts = [box for box in (t.bounding_box() for t in chart.locator("text.count").all()) if box]
        threshold = chart.locator("text.threshold-label").bounding_box()
        for i, box in enumerate(counts):
            assert threshold is None or not boxes_overlap(box, threshold)
            assert not any(boxes_overlap(box, other) for other in counts[i + 1 :])


def test_json_carries_structured_evidence(report: Any) -> None:
    _, data = report
    loop = data["record_details"]["loops/loop00_transcription.json"]
    repetition = next(c for c in loop["criteria"] if c["criterion"] == "repetition")
    span = repetition["evidence"][0]
    assert LOOP[span["char_start"] : span["char_end"]].startswith("obrigada")
    assert loop["suspect_spans"][0]["reason"] == "word loop"
    # The loops are grouped once, under their deepest failure (the loop criterion or repetition).
    assert [g["records"] for g in data["failure_groups"] if g["criterion"] in ("loop", "repetition")] == [12]


def test_a_lone_failing_record_beside_many_passing_ones_shows_as_a_bar(page: Any, report: Any, tmp_path: Path) -> None:
    path, data = report
    counts = data["criteria"]["segment_quality"]["histogram"]["counts"]
    assert sum(counts[:12]) == 1 and counts[-1] == 32  # one metronome against 32 passing records
    page.goto(path.as_uri())
    chart = page.locator('svg.criterion-chart[data-criterion="segment_quality"]')
    assert chart.get_attribute("data-scale") == "log"
    shot = chart.screenshot(path=str(tmp_path / "segment_quality.png"))
    bar = chart.locator("rect.hbar.fail").bounding_box()
    assert bar["height"] >= 20  # on a linear axis it would be 1/32 of the plot: under 5 px
    assert pixels_of(page, shot, rgb_of(FAIL)) >= 0.8 * bar["width"] * bar["height"]
