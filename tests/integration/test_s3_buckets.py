"""The installed `arandu` against a loopback S3 server (moto), with only standard AWS variables."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("s3fs")
moto_server = pytest.importorskip("moto.server")
boto3 = pytest.importorskip("boto3")

pytestmark = pytest.mark.integration

ACCESS_KEY = "AKIAARANDUTESTKEY001"
SECRET_KEY = "arandu-test-secret-Zq81wLmP0vXk"
ARANDU = str(Path(sys.executable).with_name("arandu"))
EXECUTORS = [
    pytest.param([], id="local"),
    pytest.param(["--executor", "dask", "--dask-workers", "2"], id="dask"),
]

GOOD_TEXT = (
    "hoje nós conversamos sobre a história da cidade e das pessoas que moravam perto do rio quando eu "
    "era criança minha avó contava que os barcos chegavam cedo com peixe farinha e notícias de longe "
    "depois a estrada mudou tudo e muita gente foi embora para trabalhar na capital mas a festa de "
    "junho continuou reunindo famílias inteiras na praça da igreja"
)


def record(text: str, **extra: Any) -> bytes:
    return json.dumps(
        {"id": extra.pop("id", "x"), "transcription_text": text, "duration_milliseconds": 30_000, **extra},
        ensure_ascii=False,
        indent=2,
    ).encode()


CORPUS = {
    "run-01/outputs/a/good_transcription.json": record(GOOD_TEXT, id="good"),
    "run-01/outputs/a/looped_transcription.json": record("Obrigada. " * 30, id="looped"),
    "run-01/outputs/b/short_transcription.json": record("tchau", id="short"),
    "run-01/outputs/b/broken_transcription.json": b'{"transcription_text": "unterminated',
    "run-01/outputs/b/wrong_type_transcription.json": b'{"transcription_text": 42}',
    "run-01/outputs/notes.json": b'{"not": "a record"}',
    "run-01/outputs-old/c_transcription.json": record(GOOD_TEXT, id="beside the prefix"),
    "run-02/d_transcription.json": record(GOOD_TEXT, id="other run"),
}
JUDGED = ["a/good", "a/looped", "b/short"]
BAD = ["b/broken", "b/wrong_type"]


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def aws_env(endpoint: str) -> dict[str, str]:
    keep = {name: value for name, value in os.environ.items() if not name.startswith(("AWS_", "ARANDU_", "DASK_"))}
    return {
        **keep,
        "AWS_ACCESS_KEY_ID": ACCESS_KEY,
        "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ENDPOINT_URL": endpoint,
    }


@pytest.fixture
def s3(aws_env: dict[str, str]) -> Any:
    return boto3.client(
        "s3",
        endpoint_url=aws_env["AWS_ENDPOINT_URL"],
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        region_name="us-east-1",
    )


@pytest.fixture
def bucket(s3: Any) -> str:
    name = f"corpus-{uuid.uuid4().hex[:12]}"
    s3.create_bucket(Bucket=name)
    # Versioning gives every write a new version id, so a test can tell whether an object was rewritten.
    s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})
    for key, body in CORPUS.items():
        s3.put_object(Bucket=name, Key=key, Body=body)
    return name


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [ARANDU, "judge-transcription", *args], env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert SECRET_KEY not in result.stdout + result.stderr
    assert ACCESS_KEY not in result.stdout + result.stderr
    return result


def objects(s3: Any, bucket: str) -> dict[str, tuple[str, bytes]]:
    listing = s3.list_objects_v2(Bucket=bucket)["Contents"]
    found = {}
    for item in listing:
        response = s3.get_object(Bucket=bucket, Key=item["Key"])
        found[item["Key"]] = (response["VersionId"], response["Body"].read())
    return found


def key_of(name: str) -> str:
    return f"run-01/outputs/{name}_transcription.json"


@pytest.mark.parametrize("executor", EXECUTORS)
def test_a_bucket_is_judged_like_a_folder(aws_env: dict[str, str], s3: Any, bucket: str, executor: list[str]) -> None:
    first = run(aws_env, f"s3://{bucket}/run-01/outputs", *executor)
    assert first.returncode == 1, first.stderr
    after_first = objects(s3, bucket)
    for name in JUDGED:
        document = json.loads(after_first[key_of(name)][1])
        assert document["is_valid"] is (name == "a/good")
        assert document["validation"]["passed"] is (name == "a/good")
    for name in BAD:
        assert after_first[key_of(name)][1] == CORPUS[key_of(name)]
        assert f"{bucket}/{key_of(name)}" in first.stderr
    for key in ("run-01/outputs/notes.json", "run-01/outputs-old/c_transcription.json", "run-02/d_transcription.json"):
        assert after_first[key][1] == CORPUS[key]
    assert "judged         3" in first.stdout and "errors         2" in first.stdout

    resumed = run(aws_env, f"s3://{bucket}/run-01/outputs", *executor)
    assert resumed.returncode == 1
    assert "skipped        3" in resumed.stdout
    assert objects(s3, bucket) == after_first  # same versions: nothing rewritten

    rejudged = run(aws_env, f"s3://{bucket}/run-01/outputs", "--rejudge", *executor)
    assert rejudged.returncode == 1
    assert "judged         3" in rejudged.stdout
    after_rejudge = objects(s3, bucket)
    for name in JUDGED:
        assert after_rejudge[key_of(name)][0] != after_first[key_of(name)][0]
        assert json.loads(after_rejudge[key_of(name)][1]) == json.loads(after_first[key_of(name)][1])


def test_local_and_dask_give_identical_verdicts(aws_env: dict[str, str], s3: Any, bucket: str) -> None:
    local = run(aws_env, f"s3://{bucket}/run-01/outputs", "--workers", "1")
    verdicts_local = {k: v[1] for k, v in objects(s3, bucket).items()}
    on_dask = run(aws_env, f"s3://{bucket}/run-01/outputs", "--rejudge", "--executor", "dask")
    verdicts_dask = {k: v[1] for k, v in objects(s3, bucket).items()}
    assert verdicts_dask == verdicts_local
    assert local.stdout.splitlines()[1:] == on_dask.stdout.splitlines()[1:]  # all but the timing line


@pytest.mark.parametrize("executor", EXECUTORS)
def test_a_missing_bucket_stops_the_run(aws_env: dict[str, str], executor: list[str]) -> None:
    result = run(aws_env, "s3://no-such-bucket-here/run-01", *executor)
    assert result.returncode == 2
    assert "no such bucket" in result.stderr


def test_an_empty_prefix_stops_the_run(aws_env: dict[str, str], bucket: str) -> None:
    result = run(aws_env, f"s3://{bucket}/run-99")
    assert result.returncode == 2


def test_a_single_record_in_a_bucket(aws_env: dict[str, str], s3: Any, bucket: str) -> None:
    result = run(aws_env, f"s3://{bucket}/{key_of('a/good')}")
    assert result.returncode == 0, result.stderr
    assert "judged         1" in result.stdout
    assert json.loads(s3.get_object(Bucket=bucket, Key=key_of("a/good"))["Body"].read())["is_valid"] is True


def test_storage_options_on_the_command_line(aws_env: dict[str, str], s3: Any, bucket: str) -> None:
    env = {
        k: v for k, v in aws_env.items() if k not in ("AWS_ENDPOINT_URL", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")
    }
    result = run(
        env,
        f"s3://{bucket}/run-01/outputs/a",
        "--storage-option",
        f"endpoint_url={aws_env['AWS_ENDPOINT_URL']}",
        "--storage-option",
        f"key={ACCESS_KEY}",
        "--storage-option",
        f"secret={SECRET_KEY}",
        "--storage-option",
        "use_ssl=false",
    )
    assert result.returncode == 0, result.stderr
    assert "judged         2" in result.stdout


def test_settings_storage_options_from_the_environment(aws_env: dict[str, str], bucket: str) -> None:
    env = {k: v for k, v in aws_env.items() if k != "AWS_ENDPOINT_URL"}
    env["ARANDU_JUDGE_STORAGE_OPTIONS"] = json.dumps({"endpoint_url": aws_env["AWS_ENDPOINT_URL"], "use_ssl": False})
    result = run(env, f"s3://{bucket}/run-01/outputs/a")
    assert result.returncode == 0, result.stderr


def test_wrong_credentials_are_an_error_without_the_secret(aws_env: dict[str, str], bucket: str) -> None:
    # moto accepts any key unless told otherwise, so a refused endpoint stands in for a refused request.
    env = {**aws_env, "AWS_ENDPOINT_URL": "http://127.0.0.1:9"}
    options = ["--storage-option", f"key={ACCESS_KEY}", "--storage-option", f"secret={SECRET_KEY}"]
    result = run(env, f"s3://{bucket}/run-01/outputs", *options)
    assert result.returncode == 2
    assert "cannot be listed (Could not connect" in result.stderr


def test_a_record_changed_behind_our_back_is_not_overwritten(
    aws_env: dict[str, str], s3: Any, bucket: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from arandu.adapters.storage.fsspec_store import FsspecRecordStore
    from arandu.application.errors import WriteFailed
    from arandu.domain.criteria import default_heuristic_criteria
    from arandu.domain.pipeline import judge_heuristics

    for name, value in aws_env.items():
        if name.startswith("AWS_"):
            monkeypatch.setenv(name, value)
    store = FsspecRecordStore(f"s3://{bucket}/run-01/outputs", storage_options={"skip_instance_cache": True})
    key = f"{bucket}/{key_of('a/good')}"
    loaded = store.load(key).unwrap()
    theirs = record(GOOD_TEXT, id="edited by someone else")
    s3.put_object(Bucket=bucket, Key=key_of("a/good"), Body=theirs)

    verdict = judge_heuristics(default_heuristic_criteria("pt"), loaded.transcript)
    failure = store.save(loaded, verdict).failure()

    assert isinstance(failure, WriteFailed)
    assert "left for the next run" in failure.reason
    assert s3.get_object(Bucket=bucket, Key=key_of("a/good"))["Body"].read() == theirs
    # Read again, the new version saves.
    assert store.save(store.load(key).unwrap(), verdict).unwrap() is None
