"""`arandu review` of a sheet drawn from a bucket: its rows are read there, with the judge's storage options."""

from __future__ import annotations

import csv
import http.client
import io
import json
import logging
import os
import queue
import subprocess
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.integration.conftest import ARANDU, arandu

pytest.importorskip("s3fs")
moto_server = pytest.importorskip("moto.server")
boto3 = pytest.importorskip("boto3")

pytestmark = pytest.mark.integration

TEXT = (
    "a gente morava na beira do rio e quando vinha a cheia tinha que subir tudo pro alto a casa ficava com água "
    "até a janela meu pai pescava de noite e de manhã cedo a minha mãe vendia o peixe na feira da cidade"
)


@pytest.fixture
def endpoint() -> Iterator[str]:
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


def test_a_sheet_drawn_from_a_bucket_shows_its_records(endpoint: str, tmp_path: Path) -> None:
    # The endpoint only in the storage options: the review must pass them on to reach the bucket.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "ARANDU_"))}
    env |= {"AWS_ACCESS_KEY_ID": "AKIAREVIEWTEST", "AWS_SECRET_ACCESS_KEY": "review-secret",
            "AWS_DEFAULT_REGION": "us-east-1"}  # fmt: skip
    env["ARANDU_JUDGE_STORAGE_OPTIONS"] = json.dumps({"endpoint_url": endpoint})
    s3 = boto3.client("s3", endpoint_url=endpoint, aws_access_key_id="AKIAREVIEWTEST",
                      aws_secret_access_key="review-secret", region_name="us-east-1")  # fmt: skip
    bucket = f"review-{uuid.uuid4().hex[:10]}"
    s3.create_bucket(Bucket=bucket)
    for name, text in (("clean", TEXT * 2), ("loop", TEXT + " obrigada" * 60)):
        body = json.dumps({"transcription_text": text, "duration_milliseconds": 60_000}).encode()
        s3.put_object(Bucket=bucket, Key=f"run/{name}_transcription.json", Body=body)
    location = f"s3://{bucket}/run"
    assert arandu("judge-transcription", location, cwd=tmp_path, env=env).status == 0
    sheet = tmp_path / "audit.csv"
    drawn = arandu("audit", "sample", location, "--rejected", "1", "--admitted", "1", "-o", str(sheet),
                   cwd=tmp_path, env=env)  # fmt: skip
    assert drawn.status == 0, drawn.stderr
    rows = list(csv.DictReader(io.StringIO(sheet.read_text(encoding="utf-8-sig"))))
    process = subprocess.Popen([str(ARANDU), "review", str(sheet), "--location", location, "--no-browser"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)  # fmt: skip
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: lines.put(process.stdout.readline()), daemon=True).start()  # type: ignore[union-attr]
    try:
        host, port = lines.get(timeout=60).rsplit("http://", 1)[1].strip().rstrip("/").split(":")
        for index, row in enumerate(rows):
            connection = http.client.HTTPConnection(host, int(port), timeout=30)
            connection.request("GET", f"/api/record/{index}")
            view = json.loads(connection.getresponse().read())
            connection.close()
            assert view["found"] is True, view
            assert ("obrigada" in view["html"]) == (row["class"] == "rejected")
    finally:
        process.terminate()
        process.wait(timeout=30)
