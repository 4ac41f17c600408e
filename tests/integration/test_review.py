"""`arandu review` end to end: a judged corpus, a drawn sheet, the page driven in a real headless Chromium
by keys and clicks, then the sheet on disk checked against `arandu audit score`."""

from __future__ import annotations

import csv
import http.client
import io
import json
import queue
import subprocess
import sys
import threading
import time
import wave
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.builders import clean_portuguese, prose, segments_at, starts_every
from tests.integration.browser import needs_chromium, open_page
from tests.integration.conftest import ARANDU, arandu, clean_environment, write_json

# Long, ordinary and never repeated: a text said several times over is a loop.
CLEAN = f"{clean_portuguese()} {prose(140)}"

pytestmark = [pytest.mark.integration, needs_chromium]


@pytest.fixture
def page(tmp_path: Path) -> Iterator[Any]:
    with open_page(tmp_path) as tab:
        yield tab


def _wav(path: Path, seconds: int) -> None:
    with wave.open(str(path), "wb") as audio:
        audio.setnchannels(1)
        audio.setsampwidth(1)
        audio.setframerate(8000)
        audio.writeframes(b"\x80" * 8000 * seconds)


@pytest.fixture
def sheet(tmp_path: Path) -> tuple[Path, Path]:
    corpus, cwd, audio = tmp_path / "corpus", tmp_path / "cwd", tmp_path / "audio"
    cwd.mkdir()
    audio.mkdir()
    for i in range(4):
        write_json(corpus / f"clean{i}_transcription.json",
                   {"transcription_text": CLEAN, "duration_milliseconds": 60_000})  # fmt: skip
        write_json(corpus / f"loop{i}_transcription.json",
                   {"transcription_text": prose(40) + " obrigada" * 60, "duration_milliseconds": 60_000})  # fmt: skip
    metronome = segments_at(starts_every(1.0, 12, first=5.0), [prose(8, 10 * k) for k in range(12)])
    write_json(corpus / "metronome_transcription.json",
               {"transcription_text": "".join(s["text"] for s in metronome).strip(),
                "duration_milliseconds": 30_000, "segments": metronome})  # fmt: skip
    _wav(audio / "metronome.wav", 30)  # found by name under --audio-dir
    assert arandu("judge-transcription", str(corpus), cwd=cwd).status == 0
    sheet = tmp_path / "sheets" / "audit.csv"
    sheet.parent.mkdir()
    drawn = arandu("audit", "sample", str(corpus), "--rejected", "5", "--admitted", "4", "-o", str(sheet), cwd=cwd)
    assert drawn.status == 0, drawn.stderr
    return sheet, audio


@pytest.fixture
def server(sheet: tuple[Path, Path]) -> Iterator[str]:
    path, audio = sheet
    with _serving([str(path), "--audio-dir", str(audio)], clean_environment()) as url:
        yield url


@contextmanager
def _serving(arguments: list[str], env: dict[str, str]) -> Iterator[str]:
    """`arandu review ARGUMENTS --no-browser` running; yields the address it prints."""
    command = [str(ARANDU), "review", *arguments, "--no-browser"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    lines: queue.Queue[str] = queue.Queue()
    assert process.stdout is not None
    threading.Thread(target=lambda: lines.put(process.stdout.readline()), daemon=True).start()  # type: ignore[union-attr]
    try:
        first = lines.get(timeout=60)
        assert " at http://127.0.0.1:" in first, process.stderr.read() if process.stderr else first
        yield first.rsplit(" at ", 1)[1].strip()
    finally:
        process.terminate()
        process.wait(timeout=30)


def _rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def _wait_progress(page: Any, labelled: int) -> None:
    page.wait_for_function(f"document.querySelector('#progress-text').textContent.startsWith('{labelled} of')")


def test_labels_given_by_keys_and_clicks_are_in_the_sheet_and_scored_as_audit_score_does(
    page: Any, server: str, sheet: tuple[Path, Path], tmp_path: Path
) -> None:
    path, _ = sheet
    before = path.read_bytes()
    original = _rows(path)
    assert [r["class"] for r in original] == ["rejected"] * 5 + ["admitted"] * 4
    page.goto(server)
    page.wait_for_selector("#record .criteria")
    assert page.locator("#record-path").inner_text() == original[0]["path"]
    assert page.locator("#record mark").count() >= 1  # the evidence, marked
    page.screenshot(path=str(tmp_path / "review.png"))

    page.keyboard.press("t")  # row 0: the rejection is right
    _wait_progress(page, 1)
    assert _rows(path)[0]["label"] == "tp"
    assert page.locator("#record-path").inner_text() == original[1]["path"]  # moved on to the next unlabelled row
    page.locator('#label-buttons button[data-label="fp"]').click()  # row 1, by a click
    _wait_progress(page, 2)
    page.keyboard.press("k")  # back to row 1, relabelled borderline
    page.wait_for_function(f"document.querySelector('#record-path').textContent === {json.dumps(original[1]['path'])}")
    page.keyboard.press("b")
    page.wait_for_function("document.querySelector('#status').textContent.includes('borderline')")
    assert [r["label"] for r in _rows(path)][:2] == ["tp", "borderline"]

    metronome = next(r for r in original if r["path"].endswith("metronome_transcription.json"))
    index = original.index(metronome)
    page.locator(f'#rows li[data-index="{index}"]').click()
    page.wait_for_selector("#player")
    assert page.locator("#player").get_attribute("src") == f"/audio/{index}"
    page.keyboard.press(" ")  # plays from the evidence: the metronomic run starts at 5 s
    page.wait_for_function(
        "(() => { const p = document.querySelector('#player'); return p.readyState >= 1 && p.currentTime >= 4.9; })()"
    )

    for expected in range(2, 9):
        last = page.locator("#record-path").inner_text() == original[8]["path"]
        page.keyboard.press("f" if last else "t")  # the last admitted row should have been rejected
        _wait_progress(page, expected + 1)
    labels = [r["label"] for r in _rows(path)]
    assert labels == ["tp", "borderline", "tp", "tp", "tp", "tn", "tn", "tn", "fn"]

    scored = arandu("audit", "score", str(path), "--format", "json", cwd=tmp_path)
    assert scored.status == 0, scored.stderr
    figures = json.loads(scored.stdout)
    fp = figures["false_positive_rate"]["conservative"]
    fn = figures["false_negative_rate"]["lenient"]
    assert (fp["errors"], fp["labelled"], fn["errors"], fn["labelled"]) == (1, 5, 1, 4)
    assert "1/5 = 20.0%" in page.locator("#fp-rate").inner_text()
    assert "1/4 = 25.0%" in page.locator("#fn-rate").inner_text()

    after = _rows(path)
    for old, new in zip(original, after, strict=True):
        assert {k: v for k, v in old.items() if k != "label"} == {k: v for k, v in new.items() if k != "label"}
    assert path.read_bytes().startswith(b"\xef\xbb\xbf") == before.startswith(b"\xef\xbb\xbf")
    assert sorted(p.name for p in path.parent.iterdir()) == ["audit.csv"]  # no temporary file left behind
    assert all(url.startswith(server) for url in page.requests), page.requests


def test_the_server_answers_only_to_its_own_address_and_json_posts(server: str) -> None:
    host, port = server.removeprefix("http://").rstrip("/").split(":")
    assert host == "127.0.0.1"

    def request(method: str, target: str, headers: dict[str, str], body: bytes = b"") -> int:
        connection = http.client.HTTPConnection(host, int(port), timeout=30)
        try:
            connection.request(method, target, body=body, headers=headers)
            return connection.getresponse().status
        finally:
            connection.close()

    assert request("GET", "/", {}) == 200
    assert request("GET", "/", {"Host": f"evil.example:{port}"}) == 403  # a rebinding page
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    assert request("POST", "/api/label/0", form, b"label=tp") == 400  # what another site could send unasked
    assert request("GET", "/audio/0", {}) == 404  # only audio a record view named is served


def test_without_no_browser_the_page_opens_in_the_users_browser(sheet: tuple[Path, Path], tmp_path: Path) -> None:
    opened = tmp_path / "opened.txt"
    fake = tmp_path / "fake_browser.py"
    fake.write_text(f"import sys, pathlib\npathlib.Path({str(opened)!r}).write_text(sys.argv[1])\n", encoding="utf-8")
    env = {**clean_environment(), "BROWSER": f"{sys.executable} {fake} %s"}  # what webbrowser honours
    process = subprocess.Popen([str(ARANDU), "review", str(sheet[0])],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)  # fmt: skip
    try:
        assert process.stdout is not None
        url = process.stdout.readline().rsplit(" at ", 1)[1].strip()
        for _ in range(600):  # the browser is started in the background: wait for it (a guard, not a measure)
            if opened.exists() and opened.read_text(encoding="utf-8"):
                break
            time.sleep(0.1)
        process.terminate()
        process.wait(timeout=30)
    finally:
        process.kill()
    assert opened.read_text(encoding="utf-8") == url


def test_a_sheet_that_cannot_be_read_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "bad.csv").write_text("name,score\nx,1\n", encoding="utf-8")
    for target, reason in (("missing.csv", "No such file"), ("bad.csv", "`class` and `label`")):
        done = subprocess.run([str(ARANDU), "review", str(tmp_path / target),
                               "--no-browser"], capture_output=True, text=True, timeout=60, check=False)  # fmt: skip
        assert done.returncode == 2 and reason in done.stderr, done.stderr


def _get(server: str, target: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    host, port = server.removeprefix("http://").rstrip("/").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    try:
        connection.request("GET", target, headers=headers or {})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def test_a_missing_record_is_shown_from_the_sheet_and_audio_is_served_by_ranges(
    server: str, sheet: tuple[Path, Path]
) -> None:
    rows = _rows(sheet[0])
    Path(rows[0]["path"]).unlink()  # moved away since the sheet was drawn
    status, _, body = _get(server, "/api/record/0")
    view = json.loads(body)
    assert status == 200 and view["found"] is False and rows[0]["path"] in view["reason"]
    assert view["sheet"]["failing_criteria"] == rows[0]["failing_criteria"]
    index = next(i for i, r in enumerate(rows) if r["path"].endswith("metronome_transcription.json"))
    view = json.loads(_get(server, f"/api/record/{index}")[2])
    assert view["audio_url"] == f"/audio/{index}" and view["evidence_start"] == 5.0
    status, headers, body = _get(server, view["audio_url"], {"Range": "bytes=100-199"})
    size = (sheet[1] / "metronome.wav").stat().st_size
    assert status == 206 and headers["Content-Range"] == f"bytes 100-199/{size}" and len(body) == 100
    assert body == (sheet[1] / "metronome.wav").read_bytes()[100:200]


def test_the_audio_folder_and_storage_options_come_from_the_settings_too(sheet: tuple[Path, Path]) -> None:
    path, audio = sheet
    rows = _rows(path)
    index = next(i for i, r in enumerate(rows) if r["path"].endswith("metronome_transcription.json"))
    env = {**clean_environment(), "ARANDU_JUDGE_AUDIO_DIR": str(audio)}
    with _serving([str(path)], env) as url:
        assert json.loads(_get(url, f"/api/record/{index}")[2])["audio_url"] == f"/audio/{index}"
    bad = {**clean_environment(), "ARANDU_JUDGE_STORAGE_OPTIONS": "{not json"}
    done = subprocess.run([str(ARANDU), "review", str(path), "--no-browser"], capture_output=True, text=True,
                          env=bad, timeout=60, check=False)  # fmt: skip
    assert done.returncode == 2 and "ARANDU_JUDGE_STORAGE_OPTIONS" in done.stderr
