"""`arandu export` through the installed command: valid records, records cut of suspect spans, a manifest."""

from __future__ import annotations

import json
import logging
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.integration.conftest import arandu, snapshot, write_json

pytestmark = pytest.mark.integration
moto_server = pytest.importorskip("moto.server")
boto3 = pytest.importorskip("boto3")

CLEAN = (
    "a gente morava na beira do rio e quando vinha a cheia tinha que subir tudo pro alto "
    "a casa ficava com água até a janela meu pai pescava de noite e de manhã cedo a minha mãe "
    "vendia o peixe na feira da cidade naquele tempo não tinha estrada era tudo de barco "
)
LOOP = "obrigada " * 40


def _span_verdict(passed: bool, spans: list[dict[str, Any]]) -> dict[str, Any]:
    score = {"score": 0.9 if passed else 0.2, "threshold": 0.5, "passed": passed, "rationale": "", "issues": []}
    return {
        "passed": passed,
        "rejected_at": None if passed else "heuristic_filter",
        "stage_results": {"heuristic_filter": {"passed": passed, "criterion_scores": {"repetition": score}}},
        "suspect_spans": spans,
    }


@pytest.fixture
def judged(tmp_path: Path, scratch: Path) -> Path:
    """Judged by the command: 2 valid records in two folders, 1 loop, 1 too short; then 1 unjudged and 1 cut."""
    folder = tmp_path / "corpus"
    write_json(folder / "a" / "clean_transcription.json", {"id": 1, "transcription_text": CLEAN * 2,
               "duration_milliseconds": 45_000, "audio_path": "audio/clean.wav"})  # fmt: skip
    write_json(folder / "b" / "deep" / "other_transcription.json",
               {"transcription_text": CLEAN * 2, "duration_milliseconds": 44_000})  # fmt: skip
    write_json(folder / "a" / "loop_transcription.json", {"transcription_text": LOOP, "duration_milliseconds": 30_000})
    write_json(folder / "short_transcription.json", {"transcription_text": "sim", "duration_milliseconds": 30_000})
    assert arandu("judge-transcription", str(folder), cwd=scratch).status == 0
    write_json(folder / "late_transcription.json", {"transcription_text": CLEAN})
    text = CLEAN + LOOP
    segments = [{"text": CLEAN, "start": 0.0, "end": 20.0}, {"text": LOOP, "start": 20.0, "end": 40.0}]
    span = {"first_segment": 1, "last_segment": 1, "start": 20.0, "end": 40.0, "char_start": len(CLEAN),
            "char_end": len(text), "criterion": "repetition", "reason": "one word 40 times"}  # fmt: skip
    verdict = _span_verdict(False, [span])
    write_json(folder / "cut_transcription.json", {"transcription_text": text, "segments": segments,
               "duration_milliseconds": 40_000, "validation": verdict, "is_valid": False})  # fmt: skip
    return folder


def test_valid_records_are_copied_byte_for_byte_at_their_relative_paths(judged: Path, tmp_path: Path,
                                                                        scratch: Path) -> None:  # fmt: skip
    before = snapshot(judged)
    out = tmp_path / "valid"
    result = arandu("export", str(judged), "--to", str(out), cwd=scratch)
    assert result.status == 0, result.stderr
    assert sorted(snapshot(out)) == ["a/clean_transcription.json", "b/deep/other_transcription.json"]
    for name, (data, _, _) in snapshot(out).items():
        assert data == before[name][0]
    assert snapshot(judged) == before  # the source is not touched, not even its times
    assert "exported 2 records" in result.stderr and "1 unjudged" in result.stderr
    again = arandu("export", str(judged), "--to", str(out), cwd=scratch)
    assert again.status == 2 and "--force" in again.stderr
    assert arandu("export", str(judged), "--to", str(out), "--force", cwd=scratch).status == 0


def test_cut_suspects_writes_each_record_without_its_spans(judged: Path, tmp_path: Path, scratch: Path) -> None:
    before = snapshot(judged)
    out = tmp_path / "cut"
    result = arandu("export", str(judged), "--to", str(out), "--mode", "cut-suspects", cwd=scratch)
    assert result.status == 0, result.stderr
    assert snapshot(judged) == before
    cut = json.loads((out / "cut_transcription.json").read_text(encoding="utf-8"))
    assert cut["transcription_text"] == CLEAN.strip()
    assert cut["segments"] == [{"text": CLEAN, "start": 0.0, "end": 20.0}]
    note = cut["arandu_export"]
    assert note["removed_segments"] == [1] and note["removed_characters"] == len(LOOP)
    assert note["removed_spans"][0]["text"] == LOOP and note["removed_spans"][0]["start"] == 20.0
    assert (out / "a" / "clean_transcription.json").read_bytes() == (
        judged / "a" / "clean_transcription.json"
    ).read_bytes()
    assert not (out / "short_transcription.json").exists()  # rejected with nothing located: nothing to keep


def test_a_manifest_for_a_training_pipeline(judged: Path, tmp_path: Path, scratch: Path) -> None:
    before = snapshot(judged)
    manifest = tmp_path / "out" / "train.jsonl"
    result = arandu("export", str(judged), "--to", str(manifest), "--mode", "manifest", cwd=scratch)
    assert result.status == 0, result.stderr
    assert snapshot(judged) == before
    lines = [json.loads(line) for line in manifest.read_text(encoding="utf-8").splitlines()]
    by_path = {line["path"]: line for line in lines}
    assert len(lines) == 6
    clean = by_path["a/clean_transcription.json"]
    assert clean == {"audio_filepath": "audio/clean.wav", "text": (CLEAN * 2).strip(), "duration": 45.0,
                     "path": "a/clean_transcription.json", "is_valid": True, "rejected_by": []}  # fmt: skip
    assert by_path["a/loop_transcription.json"]["rejected_by"] == ["loop", "repetition"]
    assert by_path["late_transcription.json"]["is_valid"] is None
    assert [p.name for p in manifest.parent.iterdir()] == ["train.jsonl"]  # no temporary file left


def test_export_refuses_what_would_touch_the_source_or_find_nothing(judged: Path, scratch: Path) -> None:
    inside = arandu("export", str(judged), "--to", str(judged / "exported"), cwd=scratch)
    assert inside.status == 2 and "inside" in inside.stderr
    nothing = arandu("export", str(judged), "--to", str(judged.parent / "x"), "--pattern", "*.txt", cwd=scratch)
    assert nothing.status == 2 and "--pattern '*_transcription.json' finds them" in nothing.stderr


def test_raw_whisper_outputs_are_found_with_the_pattern_the_hint_names(tmp_path: Path, scratch: Path) -> None:
    folder = tmp_path / "whisper"
    segments = [{"id": i, "text": " " + CLEAN, "start": 20.0 * i, "end": 20.0 * i + 19} for i in range(2)]
    for name in ("one", "two"):
        write_json(folder / f"{name}.json", {"text": CLEAN * 2, "segments": segments, "language": "pt"})
    plain = arandu("report", str(folder), cwd=scratch)
    assert plain.status == 2 and "--pattern '*.json' finds them" in plain.stderr
    assert arandu("judge-transcription", str(folder), "--pattern", "*.json", cwd=scratch).status == 0
    manifest = tmp_path / "m.jsonl"
    exported = arandu("export", str(folder), "--pattern", "*.json", "--mode", "manifest", "--to", str(manifest),
                      cwd=scratch)  # fmt: skip
    assert exported.status == 0, exported.stderr
    lines = [json.loads(line) for line in manifest.read_text(encoding="utf-8").splitlines()]
    assert [(line["path"], line["duration"], line["is_valid"]) for line in lines] == [
        ("one.json", 39.0, True),
        ("two.json", 39.0, True),
    ]


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


def test_export_between_buckets_and_folders(endpoint: str, judged: Path, tmp_path: Path, scratch: Path) -> None:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "ARANDU_"))},
        "AWS_ACCESS_KEY_ID": "AKIAEXPORTTEST",
        "AWS_SECRET_ACCESS_KEY": "export-secret",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ENDPOINT_URL": endpoint,
    }
    s3 = boto3.client("s3", endpoint_url=endpoint, aws_access_key_id="AKIAEXPORTTEST",
                      aws_secret_access_key="export-secret", region_name="us-east-1")  # fmt: skip
    bucket = f"export-{uuid.uuid4().hex[:10]}"
    s3.create_bucket(Bucket=bucket)
    for name, (data, _, _) in snapshot(judged).items():
        s3.put_object(Bucket=bucket, Key=f"judged/{name}", Body=data)
    source = _objects(s3, bucket, "judged/")
    out = tmp_path / "from-bucket"
    down = arandu("export", f"s3://{bucket}/judged", "--to", str(out), cwd=scratch, env=env)
    assert down.status == 0, down.stderr
    assert sorted(snapshot(out)) == ["a/clean_transcription.json", "b/deep/other_transcription.json"]
    up = arandu("export", str(judged), "--to", f"s3://{bucket}/valid", cwd=scratch, env=env)
    assert up.status == 0, up.stderr
    keys = sorted(item["Key"] for item in s3.list_objects_v2(Bucket=bucket, Prefix="valid/")["Contents"])
    assert keys == ["valid/a/clean_transcription.json", "valid/b/deep/other_transcription.json"]
    body = s3.get_object(Bucket=bucket, Key="valid/a/clean_transcription.json")["Body"].read()
    assert body == (judged / "a" / "clean_transcription.json").read_bytes()
    manifest = arandu("export", f"s3://{bucket}/judged", "--mode", "manifest", "--to", f"s3://{bucket}/m.jsonl",
                      cwd=scratch, env=env)  # fmt: skip
    assert manifest.status == 0, manifest.stderr
    lines = s3.get_object(Bucket=bucket, Key="m.jsonl")["Body"].read().decode().splitlines()
    assert len(lines) == 6
    cut = arandu("export", f"s3://{bucket}/judged", "--mode", "cut-suspects", "--to", f"s3://{bucket}/cut",
                 cwd=scratch, env=env)  # fmt: skip
    assert cut.status == 0, cut.stderr
    record = json.loads(s3.get_object(Bucket=bucket, Key="cut/cut_transcription.json")["Body"].read())
    assert record["transcription_text"] == CLEAN.strip() and record["arandu_export"]["removed_segments"] == [1]
    inside = arandu("export", f"s3://{bucket}/judged", "--to", f"s3://{bucket}/judged/x", cwd=scratch, env=env)
    assert inside.status == 2
    assert _objects(s3, bucket, "judged/") == source  # every export read the bucket and wrote nothing there


def _objects(s3: Any, bucket: str, prefix: str) -> dict[str, tuple[str, Any, bytes]]:
    listing = s3.list_objects_v2(Bucket=bucket, Prefix=prefix)["Contents"]
    return {o["Key"]: (o["ETag"], o["LastModified"], s3.get_object(Bucket=bucket, Key=o["Key"])["Body"].read())
            for o in listing}  # fmt: skip
