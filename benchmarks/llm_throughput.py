"""LLM-stage throughput through the installed `arandu` command against a loopback model with fixed latency.

    python benchmarks/llm_throughput.py [--latency 0.2] [--records 400] [--concurrency 16]

Every record passes the heuristic stage, so each costs two calls. The ideal
rate is concurrency / latency / 2 records per second; the script prints the
measured rate against it, and against one call at a time.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.integration.corpus import clean_corpus
from tests.integration.llm_server import FakeModelServer

ARANDU = str(Path(sys.executable).with_name("arandu"))


def run(folder: Path, server: FakeModelServer, concurrency: int, protocol: str) -> tuple[int, float, int]:
    """(records, seconds, most calls in flight) for one pass over `folder`."""
    server.max_in_flight = 0
    if protocol == "ollama":
        where = ["--validator-provider", "ollama", "--validator-base-url", server.ollama_url]
    else:
        where = ["--validator-base-url", server.openai_url]
    done = subprocess.run(
        [
            ARANDU,
            "judge-transcription",
            str(folder),
            "--validator-model",
            "judge-model",
            *where,
            "--concurrency",
            str(concurrency),
            "--rejudge",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    match = re.search(r"(\d+) records in ([0-9.]+) s", done.stdout)
    if done.returncode != 0 or match is None:
        raise SystemExit(f"run failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return int(match.group(1)), float(match.group(2)), server.max_in_flight


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=float, default=0.2, help="seconds per LLM call")
    parser.add_argument("--records", type=int, default=400)
    parser.add_argument("--serial-records", type=int, default=20, help="records for the one-call-at-a-time run")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--protocol", choices=["openai", "ollama"], default="openai")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp, FakeModelServer(latency=args.latency) as server:
        many, few = Path(tmp) / "many", Path(tmp) / "few"
        clean_corpus(many, args.records)
        clean_corpus(few, args.serial_records)
        n1, s1, _ = run(few, server, 1, args.protocol)
        n, s, in_flight = run(many, server, args.concurrency, args.protocol)

    serial_rate, rate = n1 / s1, n / s
    ideal = args.concurrency / args.latency / 2
    print(f"latency {args.latency * 1000:.0f} ms per call, 2 calls per record, protocol {args.protocol}")
    print(
        f"one at a time:   {n1:>5} records in {s1:6.2f} s = {serial_rate:6.2f} records/s "
        f"(ideal {1 / args.latency / 2:.2f})"
    )
    print(
        f"concurrency {args.concurrency:>3}: {n:>5} records in {s:6.2f} s = {rate:6.2f} records/s "
        f"(ideal {ideal:.2f}); {rate / ideal:.0%} of ideal, {rate / serial_rate:.1f}x one at a time, "
        f"{in_flight} calls in flight at most"
    )


if __name__ == "__main__":
    main()
