"""Judging a corpus in a loopback S3 server (moto), locally and on Dask, with the client's peak memory.

    python benchmarks/bucket_throughput.py [--shared ../shared] [--sizes 2000 20000] [--workers 2]

Needs `arandu[test,s3,dask]`. Writes a corpus with the shared `bench/make_corpus.py`,
uploads it into a moto S3 server started in this process on 127.0.0.1, and runs
the installed `arandu judge-transcription s3://...` with only the standard AWS_*
variables, once with the local executor (`--workers N`) and once with
`--executor dask` (a LocalCluster of N worker processes), each with --rejudge so
every record is read and written. Prints records/s and the peak resident memory
of the client process (VmHWM from /proc, sampled while it runs; workers are
separate processes and not counted). Flat client memory from 2,000 to 20,000
records is the target.
"""

from __future__ import annotations

import argparse
import logging
import os
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import boto3
from moto.server import ThreadedMotoServer

ARANDU = str(Path(sys.executable).parent / "arandu")
BUCKET = "arandu-bench"

# The I/O floor: list, GET and conditional PUT every record with boto3 in N threads, no judging.
FLOOR = r"""
import sys, boto3
from concurrent.futures import ThreadPoolExecutor
bucket, prefix, threads = sys.argv[1], sys.argv[2], int(sys.argv[3])
s3 = boto3.client("s3")
def touch(key):
    got = s3.get_object(Bucket=bucket, Key=key)
    body = got["Body"].read()
    s3.put_object(Bucket=bucket, Key=key, Body=body, IfMatch=got["ETag"])
pages = s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix + "/")
with ThreadPoolExecutor(threads) as pool:
    for page in pages:  # a page at a time: Executor.map would take every key at once
        list(pool.map(touch, [item["Key"] for item in page.get("Contents", ())]))
"""


def make_corpus(shared: Path, out: Path, records: int) -> None:
    script = shared / "bench" / "make_corpus.py"
    subprocess.run(
        [sys.executable, str(script), str(out), "--records", str(records), "--seed", "7"],
        check=True,
        stdout=subprocess.DEVNULL,
    )


def upload(s3: object, folder: Path, prefix: str) -> int:
    files = sorted(folder.iterdir())

    def put(path: Path) -> None:
        s3.put_object(Bucket=BUCKET, Key=f"{prefix}/{path.name}", Body=path.read_bytes())  # type: ignore[attr-defined]

    with ThreadPoolExecutor(16) as pool:
        list(pool.map(put, files))
    return len(files)


def peak_kib_of(pid: int, running: threading.Event, peak: list[int]) -> None:
    # VmHWM only grows, so the last reading before the process exits is its peak (to within one interval).
    while running.is_set():
        try:
            with open(f"/proc/{pid}/status") as status:
                for line in status:
                    if line.startswith("VmHWM:"):
                        peak[0] = max(peak[0], int(line.split()[1]))
        except OSError:
            return
        time.sleep(0.05)


def measure(command: list[str], env: dict[str, str]) -> tuple[float, int, str]:
    started = time.perf_counter()
    process = subprocess.Popen(
        command,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    running, peak = threading.Event(), [0]
    running.set()
    sampler = threading.Thread(target=peak_kib_of, args=(process.pid, running, peak), daemon=True)
    sampler.start()
    out, err = process.communicate()
    elapsed = time.perf_counter() - started
    running.clear()
    sampler.join()
    if process.returncode != 0:
        raise SystemExit(f"{command[0]} failed ({process.returncode}):\n{err[-2000:]}")
    return elapsed, peak[0], (out.splitlines() or [""])[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[2] / "shared")
    parser.add_argument("--sizes", type=int, nargs="*", default=[2000, 20000])
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "ARANDU_", "DASK_"))}
    env |= {
        "AWS_ACCESS_KEY_ID": "bench",
        "AWS_SECRET_ACCESS_KEY": "bench",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ENDPOINT_URL": f"http://{host}:{port}",
    }
    s3 = boto3.client(
        "s3",
        endpoint_url=env["AWS_ENDPOINT_URL"],
        aws_access_key_id="bench",
        aws_secret_access_key="bench",
        region_name="us-east-1",
    )
    s3.create_bucket(Bucket=BUCKET)
    executors = {
        f"local ({args.workers} processes)": ["--workers", str(args.workers)],
        f"dask ({args.workers} workers)": ["--executor", "dask", "--dask-workers", str(args.workers)],
    }
    try:
        with tempfile.TemporaryDirectory(prefix="arandu-bucket-bench-") as tmp:
            for size in args.sizes:
                corpus = Path(tmp) / f"corpus-{size}"
                make_corpus(args.shared, corpus, size)
                started = time.perf_counter()
                count = upload(s3, corpus, f"run-{size}")
                print(f"{count} records uploaded to the loopback S3 server in {time.perf_counter() - started:.1f} s")
                floor = [sys.executable, "-c", FLOOR, BUCKET, f"run-{size}", str(args.workers)]
                runs = {
                    f"floor: boto3, {args.workers} threads": floor,
                    **{
                        label: [ARANDU, "judge-transcription", f"s3://{BUCKET}/run-{size}", "--rejudge", *extra]
                        for label, extra in executors.items()
                    },
                }
                for label, command in runs.items():
                    elapsed, kib, first_line = measure(command, env)
                    print(
                        f"  {label:<24} {size:>6} records  {elapsed:6.1f} s  {size / elapsed:6.0f} records/s  "
                        f"client peak {kib / 1024:6.1f} MiB   {first_line}"
                    )
    finally:
        server.stop()


if __name__ == "__main__":
    main()
