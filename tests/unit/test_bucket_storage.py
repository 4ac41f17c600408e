"""Locations, paginated listings, version-checked writes and secret redaction of the fsspec store."""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
import uuid
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import fsspec
import pytest
from fsspec.implementations.memory import MemoryFileSystem

from arandu.adapters.storage import listing
from arandu.adapters.storage.fsspec_store import FsspecRecordStore
from arandu.adapters.storage.locations import LocationUnavailable, StorageError, parse_storage_options, protocol_of
from arandu.adapters.storage.redaction import Redactor
from arandu.adapters.storage.versioned import ChangedSinceRead, GcsAccess, S3Access
from arandu.application.errors import UnreadableRecord, WriteFailed
from arandu.domain.criteria import default_heuristic_criteria
from arandu.domain.pipeline import judge_heuristics
from arandu.domain.transcript import Transcript
from arandu.domain.verdict import JudgePipelineResult

TEXT = (
    "hoje nós conversamos sobre a história da cidade e das pessoas que moravam perto do rio quando eu "
    "era criança minha avó contava que os barcos chegavam cedo com peixe farinha e notícias de longe "
    "depois a estrada mudou tudo e muita gente foi embora para trabalhar na capital mas a festa de "
    "junho continuou reunindo famílias inteiras na praça da igreja"
)
SECRET = "very-secret-value-8d1f"


def record(text: str = TEXT) -> bytes:
    return json.dumps({"transcription_text": text, "duration_milliseconds": 30_000}).encode()


def judge() -> Callable[[Transcript], JudgePipelineResult]:
    return partial(judge_heuristics, default_heuristic_criteria("pt"))


# --- locations and options -------------------------------------------------


@pytest.mark.parametrize(
    ("location", "protocol"),
    [
        ("/data/run", "file"),
        ("relative/run", "file"),
        ("file:///data/run", "file"),
        ("s3://bucket/run-01/outputs", "s3"),
        ("gs://bucket/run-01", "gs"),
        ("memory://corpus", "memory"),
    ],
)
def test_the_protocol_of_a_location(location: str, protocol: str) -> None:
    assert protocol_of(location) == protocol


def test_storage_options_are_json_when_they_parse() -> None:
    options = parse_storage_options(
        ["anon=true", "endpoint_url=http://127.0.0.1:9000", 'client_kwargs={"region_name": "eu-west-1"}', "n=3"]
    )
    assert options == {
        "anon": True,
        "endpoint_url": "http://127.0.0.1:9000",
        "client_kwargs": {"region_name": "eu-west-1"},
        "n": 3,
    }


def test_a_storage_option_without_a_key_is_refused_without_echoing_it() -> None:
    with pytest.raises(StorageError) as caught:
        parse_storage_options([SECRET])
    assert SECRET not in str(caught.value)


def test_gs_locations_route_to_gcsfs_with_a_paginated_listing() -> None:
    gcsfs = pytest.importorskip("gcsfs")
    store = FsspecRecordStore("gs://some-bucket/run-01/outputs", storage_options={"token": "anon"})
    assert isinstance(store._fs, gcsfs.GCSFileSystem)
    assert store.root == "some-bucket/run-01/outputs"
    assert listing.pages_for("gs") is listing.gcs_pages
    assert isinstance(store._access, GcsAccess)


def test_s3_locations_route_to_s3fs_with_conditional_writes() -> None:
    s3fs = pytest.importorskip("s3fs")
    store = FsspecRecordStore("s3://some-bucket/run-01/", storage_options={"anon": True})
    assert isinstance(store._fs, s3fs.S3FileSystem)
    assert listing.pages_for("s3") is listing.s3_pages
    assert isinstance(store._access, S3Access)


def test_an_unknown_protocol_is_a_configuration_error() -> None:
    with pytest.raises(StorageError):
        FsspecRecordStore("nosuchproto://bucket/run")


# --- paginated listings ----------------------------------------------------


class FakeS3Listing:
    """Answers ListObjectsV2 two keys per page, recording every request."""

    def __init__(self, keys: list[str]) -> None:
        self.keys = sorted(keys)
        self.requests: list[dict[str, Any]] = []

    def call_s3(self, method: str, **request: Any) -> dict[str, Any]:
        assert method == "list_objects_v2"
        self.requests.append(request)
        below = [k for k in self.keys if k.startswith(request["Prefix"])]
        start = int(request.get("ContinuationToken", 0))
        page = below[start : start + 2]
        more = start + 2 < len(below)
        answer: dict[str, Any] = {"Contents": [{"Key": k} for k in page], "IsTruncated": more}
        if more:
            answer["NextContinuationToken"] = str(start + 2)
        return answer


def test_s3_keys_are_listed_page_by_page_below_the_prefix_only() -> None:
    fake = FakeS3Listing(
        [
            "run/a_transcription.json",
            "run/b/c_transcription.json",
            "run/b/notes.json",
            "run/.hidden_transcription.json",
            "run/z_transcription.json",
            "run-old/x_transcription.json",
        ]
    )
    pages = listing.s3_pages(fake, "bucket/run", page_size=2)
    assert next(pages) == ["bucket/run/.hidden_transcription.json", "bucket/run/a_transcription.json"]
    assert len(fake.requests) == 1  # lazily: the second page is not asked for yet
    keys = list(listing.record_keys(fake, "bucket/run", "s3"))
    assert keys == [
        "bucket/run/a_transcription.json",
        "bucket/run/b/c_transcription.json",
        "bucket/run/z_transcription.json",
    ]
    assert {r["Prefix"] for r in fake.requests} == {"run/"}


class FakeGcsListing:
    def __init__(self, names: list[str]) -> None:
        self.names = names
        self.calls: list[dict[str, Any]] = []

    def call(self, method: str, path: str, bucket: str, *, json_out: bool, **params: Any) -> dict[str, Any]:
        self.calls.append({"method": method, "path": path, "bucket": bucket, **params})
        start = int(params["pageToken"] or 0)
        answer: dict[str, Any] = {"items": [{"name": n} for n in self.names[start : start + 1]]}
        if start + 1 < len(self.names):
            answer["nextPageToken"] = str(start + 1)
        return answer


def test_gcs_keys_are_listed_page_by_page() -> None:
    fake = FakeGcsListing(["run/a_transcription.json", "run/b.txt", "run/c_transcription.json"])
    keys = list(listing.record_keys(fake, "bucket/run", "gs"))
    assert keys == ["bucket/run/a_transcription.json", "bucket/run/c_transcription.json"]
    assert len(fake.calls) == 3
    assert all(c["prefix"] == "run/" and c["bucket"] == "bucket" and c["path"] == "b/{}/o" for c in fake.calls)


def test_a_bucket_root_lists_every_key() -> None:
    assert listing.object_prefix("bucket") == ("bucket", "")
    assert listing.object_prefix("bucket/run/") == ("bucket", "run/")


# --- writes that do not overwrite someone else's change ---------------------


def test_a_local_record_changed_after_reading_is_not_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "a_transcription.json"
    path.write_bytes(record())
    store = FsspecRecordStore(str(tmp_path))
    loaded = store.load(str(path)).unwrap()
    theirs = record(TEXT + " editado")
    path.write_bytes(theirs)
    os.utime(path, ns=(1, 1))  # a different mtime even on filesystems with coarse timestamps

    failure = store.save(loaded, judge()(loaded.transcript)).failure()

    assert isinstance(failure, WriteFailed)
    assert path.read_bytes() == theirs
    assert [p.name for p in tmp_path.iterdir()] == ["a_transcription.json"]  # no temporary file left


def test_a_memory_record_changed_after_reading_is_not_overwritten() -> None:
    root = f"memory://corpus-{uuid.uuid4().hex}"
    fs = fsspec.filesystem("memory")
    fs.pipe_file(f"{root}/a_transcription.json", record())
    store = FsspecRecordStore(root)
    [key] = list(store.keys())
    loaded = store.load(key).unwrap()
    fs.pipe_file(key, record(TEXT + " editado e maior"))

    failure = store.save(loaded, judge()(loaded.transcript)).failure()

    assert isinstance(failure, WriteFailed)
    assert json.loads(fs.cat_file(key))["transcription_text"].endswith("maior")


class FakeGcs:
    """The two GCS JSON API calls GcsAccess makes, answered from a dict of (generation, bytes)."""

    _location = "https://storage.googleapis.com"

    def __init__(self) -> None:
        self.objects: dict[str, tuple[int, bytes]] = {}
        self.uploads: list[dict[str, Any]] = []

    def url(self, path: str) -> str:
        return f"download:{path}"

    def info(self, path: str) -> dict[str, Any]:
        return {"size": len(self.objects[path][1])}

    def split_path(self, path: str) -> tuple[str, str, None]:
        bucket, _, key = path.partition("/")
        return bucket, key, None

    def call(self, method: str, url: str, **params: Any) -> Any:
        if method == "GET":
            generation, data = self.objects[url.removeprefix("download:")]
            return {"X-Goog-Generation": str(generation)}, data
        self.uploads.append({"url": url, **params})
        path = f"{url.split('/b/')[1].split('/')[0]}/{params['name']}"
        generation, _ = self.objects[path]
        if str(generation) != params["ifGenerationMatch"]:
            raise FileExistsError(path)  # what gcsfs raises for 412 Precondition Failed
        self.objects[path] = (generation + 1, params["data"])
        return {}


def test_gcs_writes_are_conditional_on_the_generation_read() -> None:
    gcs = FakeGcs()
    gcs.objects["bucket/run/a_transcription.json"] = (7, b"old")
    access = GcsAccess(gcs)
    data, version = access.read("bucket/run/a_transcription.json")
    assert (data, version) == (b"old", "7")

    access.write("bucket/run/a_transcription.json", b"new", version)
    assert gcs.objects["bucket/run/a_transcription.json"] == (8, b"new")
    assert gcs.uploads[0]["url"].endswith("/upload/storage/v1/b/bucket/o")
    assert gcs.uploads[0]["uploadType"] == "media"

    with pytest.raises(ChangedSinceRead):
        access.write("bucket/run/a_transcription.json", b"stale", version)
    assert gcs.objects["bucket/run/a_transcription.json"] == (8, b"new")


def test_an_unchanged_record_is_saved() -> None:
    root = f"memory://corpus-{uuid.uuid4().hex}"
    fsspec.filesystem("memory").pipe_file(f"{root}/a_transcription.json", record())
    store = FsspecRecordStore(root)
    [key] = list(store.keys())
    loaded = store.load(key).unwrap()
    assert store.save(loaded, judge()(loaded.transcript)).unwrap() is None
    assert store.load(key).unwrap().judged


def test_the_store_pickles_as_its_location_and_options() -> None:
    root = f"memory://corpus-{uuid.uuid4().hex}"
    fsspec.filesystem("memory").pipe_file(f"{root}/a_transcription.json", record())
    store = FsspecRecordStore(root, storage_options={})
    copy = pickle.loads(pickle.dumps(store))
    assert list(copy.keys()) == list(store.keys())


# --- failures of the location, and secrets ---------------------------------


class _TestMemory(MemoryFileSystem):
    @classmethod
    def _strip_protocol(cls, path: str) -> str:
        for protocol in ("arandu-denied://", "arandu-leaky://"):
            path = path.removeprefix(protocol)
        return str(MemoryFileSystem._strip_protocol(path))


class DeniedFileSystem(_TestMemory):
    protocol = "arandu-denied"

    def ls(self, path: str, detail: bool = True, **kwargs: Any) -> Any:
        raise PermissionError(13, f"Access Denied for key {SECRET}")

    def info(self, path: str, **kwargs: Any) -> Any:
        raise PermissionError(13, "Access Denied")


class LeakyFileSystem(_TestMemory):
    """Fails every read with a message carrying a credential, as some client errors do."""

    protocol = "arandu-leaky"

    def cat_file(self, path: str, start: Any = None, end: Any = None, **kwargs: Any) -> bytes:
        raise OSError(5, f"signature mismatch for secret {SECRET} (X-Amz-Credential=AKIAABCDEFGHIJKLMNOP/2026)")


fsspec.register_implementation("arandu-denied", DeniedFileSystem, clobber=True)
fsspec.register_implementation("arandu-leaky", LeakyFileSystem, clobber=True)


def test_a_denied_location_is_a_clear_error() -> None:
    store = FsspecRecordStore("arandu-denied://bucket/run")
    with pytest.raises(LocationUnavailable, match="access denied") as caught:
        store.check()
    assert SECRET not in str(caught.value)


def test_an_empty_location_is_unavailable() -> None:
    with pytest.raises(LocationUnavailable):
        FsspecRecordStore(f"memory://nothing-{uuid.uuid4().hex}").check()


def test_secrets_are_scrubbed_from_record_errors() -> None:
    root = f"corpus-{uuid.uuid4().hex}"
    LeakyFileSystem().pipe_file(f"/{root}/a_transcription.json", record())
    store = FsspecRecordStore(f"arandu-leaky://{root}", storage_options={"secret": SECRET})
    [key] = list(store.keys())
    failure = store.load(key).failure()
    assert isinstance(failure, UnreadableRecord)
    assert SECRET not in failure.reason
    assert "AKIAABCDEFGHIJKLMNOP" not in failure.reason
    assert "[redacted]" in failure.reason


def test_the_redactor_masks_known_values_and_credential_shapes() -> None:
    redact = Redactor.for_options(
        {"key": "AKIAQWERTYUIOPASDFGH", "client_kwargs": {"aws_secret_access_key": "nested-secret-1"}, "anon": "no"},
        environ={"AWS_SECRET_ACCESS_KEY": "env-secret-2", "HOME": "/root"},
    )
    text = (
        "AKIAQWERTYUIOPASDFGH nested-secret-1 env-secret-2 /root "
        "https://b.s3.amazonaws.com/k?X-Amz-Signature=abc123&x=1 https://user:pa55word@host/x"
    )
    masked = redact(text)
    for secret in ("AKIAQWERTYUIOPASDFGH", "nested-secret-1", "env-secret-2", "abc123", "pa55word"):
        assert secret not in masked
    assert "/root" in masked and "X-Amz-Signature=[redacted]&x=1" in masked and "://user:[redacted]@host" in masked


# --- optional dependencies --------------------------------------------------


def _run_cli_without(module: str, *args: str) -> subprocess.CompletedProcess[str]:
    code = (
        "import sys\n"
        f"sys.modules[{module!r}] = None\n"
        "from arandu.entrypoints.cli.app import app\n"
        f"sys.exit(app({list(args)!r}, result_action='return_value'))\n"
    )
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False)


def test_a_missing_s3_extra_says_what_to_install() -> None:
    result = _run_cli_without("s3fs", "judge-transcription", "s3://bucket/run")
    assert result.returncode == 2, result.stderr
    assert "arandu[s3]" in result.stderr


def test_a_missing_dask_extra_says_what_to_install(tmp_path: Path) -> None:
    (tmp_path / "a_transcription.json").write_bytes(record())
    result = _run_cli_without("distributed", "judge-transcription", str(tmp_path), "--executor", "dask")
    assert result.returncode == 2, result.stderr
    assert "arandu[dask]" in result.stderr
    assert b"validation" not in (tmp_path / "a_transcription.json").read_bytes()


def test_the_local_executor_does_not_import_dask(tmp_path: Path) -> None:
    (tmp_path / "a_transcription.json").write_bytes(record())
    code = (
        "import sys\n"
        "from arandu.entrypoints.cli.app import app\n"
        f"status = app(['judge-transcription', {str(tmp_path)!r}, '--workers', '1'], result_action='return_value')\n"
        "print('dask loaded' if 'distributed' in sys.modules or 'dask' in sys.modules else 'dask not loaded')\n"
        "sys.exit(status)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert "dask not loaded" in result.stdout


def test_bad_storage_options_in_the_environment_are_a_usage_error_without_the_value(tmp_path: Path) -> None:
    env = {**os.environ, "ARANDU_JUDGE_STORAGE_OPTIONS": json.dumps([SECRET])}
    arandu = str(Path(sys.executable).with_name("arandu"))
    result = subprocess.run(
        [arandu, "judge-transcription", str(tmp_path)], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 2
    assert "STORAGE_OPTIONS" in result.stderr.upper()
    assert SECRET not in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--scheduler", "tcp://127.0.0.1:8786"], "--scheduler needs --executor dask"),
        (["--executor", "dask", "--dask-workers", "0"], "--dask-workers must be at least 1"),
        # Dask runs the LLM stage too: the validator is checked (here, refused) before any cluster starts.
        (["--executor", "dask", "--validator-model", "m", "--validator-base-url", "http://127.0.0.1:9/v1"], "cannot"),
        (["--storage-option", "no-equals-sign"], "KEY=VALUE"),
    ],
)
def test_executor_and_storage_flags_are_checked_before_anything_runs(
    tmp_path: Path, flags: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from arandu.entrypoints.cli.app import app

    (tmp_path / "a_transcription.json").write_bytes(record())
    status = app(["judge-transcription", str(tmp_path), *flags], result_action="return_value")
    assert status == 2
    assert message in capsys.readouterr().err
    assert b"validation" not in (tmp_path / "a_transcription.json").read_bytes()
