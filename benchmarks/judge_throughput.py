"""Heuristic judge throughput against an I/O floor, and peak memory as the corpus grows.

    python benchmarks/judge_throughput.py [--shared ../shared] [--records 2000] [--rounds 7]

Writes a corpus with the shared `bench/make_corpus.py`, then alternates, on fresh
copies of it: (a) the installed `arandu judge-transcription` (heuristic only) and
(b) the floor: one process that reads, parses, adds a verdict to, serialises and
atomically replaces every record with orjson. Prints records/s of both and the
median ratio of wall times (target: judge <= 1.5x the floor). Then prints the
judge's peak resident memory for 2,000 and 20,000 records (target: flat).

It times the `arandu` installed beside the Python that runs it. Run it from a plain
install (`pip install .`), as users have arandu: the test extras install werkzeug and
PyYAML, which dependency-injector then imports at every start (about 80 ms a run).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ARANDU = str(Path(sys.executable).parent / "arandu")

FLOOR = r"""
import os, sys, uuid, orjson
root = sys.argv[1]
verdict = {"passed": True, "rejected_at": None, "stage_results": {}}
for entry in sorted(os.scandir(root), key=lambda e: e.name):
    if not entry.name.endswith("_transcription.json"):
        continue
    with open(entry.path, "rb") as handle:
        document = orjson.loads(handle.read())
    document["validation"] = verdict
    document["is_valid"] = True
    data = orjson.dumps(document, option=orjson.OPT_INDENT_2)
    temporary = os.path.join(root, f".{entry.name}.{uuid.uuid4().hex[:12]}.tmp")
    with open(temporary, "xb") as handle:
        handle.write(data)
    os.replace(temporary, entry.path)
"""

# Runs a command and prints the peak RSS (KiB) of it and every process it waited for.
PEAK = r"""
import resource, subprocess, sys
subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def make_corpus(shared: Path, out: Path, records: int) -> None:
    script = shared / "bench" / "make_corpus.py"
    subprocess.run([sys.executable, str(script), str(out), "--records", str(records), "--seed", "7"], check=True)


def timed(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    elapsed = time.perf_counter() - started
    # Flush what the run wrote (untimed), so its write-back does not land in the next run's time.
    subprocess.run(["sync"], check=False)
    return elapsed


def fresh_copy(source: Path, scratch: Path) -> Path:
    target = scratch / "work"
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(source, target)
    subprocess.run(["sync"], check=False)
    return target


def peak_kib(command: list[str]) -> int:
    out = subprocess.run([sys.executable, "-c", PEAK, *command], check=True, capture_output=True, text=True)
    return int(out.stdout.strip())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[2] / "shared")
    parser.add_argument("--records", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--memory-records", type=int, nargs="*", default=[2000, 20000])
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="arandu-bench-") as tmp:
        scratch = Path(tmp)
        corpus = scratch / "corpus"
        make_corpus(args.shared, corpus, args.records)
        judge_times: list[float] = []
        floor_times: list[float] = []
        runs = (
            (judge_times, lambda work: [ARANDU, "judge-transcription", str(work)]),
            (floor_times, lambda work: [sys.executable, "-c", FLOOR, str(work)]),
        )
        for round_ in range(args.rounds):
            # Each round swaps which goes first, so a drift in the disk's speed favours neither.
            for times, command in runs if round_ % 2 == 0 else runs[::-1]:
                work = fresh_copy(corpus, scratch)
                times.append(timed(command(work)))
        ratios = [j / f for j, f in zip(judge_times, floor_times, strict=True)]
        n = args.records
        print(f"records: {n}, rounds: {args.rounds}")
        for label, times in (("judge", judge_times), ("floor", floor_times)):
            median = statistics.median(times)
            print(f"{label}  median {median:.2f} s  {n / median:8.0f} records/s")
        for label, times in (("judge", judge_times), ("floor", floor_times)):
            print(f"{label} s per round: {', '.join(f'{t:.2f}' for t in times)}")
        print(f"ratio judge/floor per round: {', '.join(f'{r:.2f}' for r in ratios)}")
        print(f"median ratio: {statistics.median(ratios):.2f}  (target <= 1.5)")

        for size in args.memory_records:
            corpus = scratch / f"corpus-{size}"
            make_corpus(args.shared, corpus, size)
            kib = peak_kib([ARANDU, "judge-transcription", str(corpus)])
            print(f"peak memory, {size:>6} records: {kib / 1024:7.1f} MiB")
            shutil.rmtree(corpus)


if __name__ == "__main__":
    main()
