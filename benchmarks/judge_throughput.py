"""Heuristic judge throughput against an I/O floor, and peak memory as the corpus grows.

    python benchmarks/judge_throughput.py [--shared ../shared] [--records 2000] [--rounds 7]

Writes a corpus with the shared `bench/make_corpus.py`, then alternates, on fresh
copies of it: (a) the installed `arandu judge-transcription` (heuristic only) and
(b) the floor: one process that reads, parses, adds a verdict to and serialises every
record with orjson, and writes it back with the same durable sequence as arandu (new
hidden file, attributes and mode, fsync, version check, rename, folder fsync). Prints records/s of both and the
median ratio of wall times (target: judge <= 1.5x the floor). Then prints the
judge's peak resident memory for 2,000 and 20,000 records (target: flat), and for one
large record against its size (the bound per worker that docs/performance.md states).

It times the `arandu` installed beside the Python that runs it. Run it from a plain
install (`pip install .`), as users have arandu: the test extras install werkzeug and
PyYAML, which dependency-injector then imports at every start (about 80 ms a run).
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ARANDU = str(Path(sys.executable).parent / "arandu")

FLOOR = r"""
import os, stat, sys, orjson
root = sys.argv[1]
verdict = {"passed": True, "rejected_at": None, "stage_results": {}}
for entry in sorted(os.scandir(root), key=lambda e: e.name):
    if not entry.name.endswith("_transcription.json"):
        continue
    with open(entry.path, "rb") as handle:
        status = os.fstat(handle.fileno())
        document = orjson.loads(handle.read())
    document["validation"] = verdict
    document["is_valid"] = True
    data = orjson.dumps(document, option=orjson.OPT_INDENT_2)
    # The durable sequence arandu's local writes make: a new hidden file, its attributes and mode, fsync,
    # a version check, the rename, and the folder fsynced.
    temporary = os.path.join(root, f".{entry.name}.{os.getpid()}-{os.urandom(6).hex()}.arandu-tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    with open(descriptor, "wb") as handle:
        handle.write(data)
        handle.flush()
        for name in os.listxattr(entry.path):
            os.setxattr(descriptor, name, os.getxattr(entry.path, name))
        os.fchmod(descriptor, stat.S_IMODE(status.st_mode))
        os.fsync(descriptor)
    now = os.stat(entry.path)
    assert (now.st_mtime_ns, now.st_size, now.st_ino) == (status.st_mtime_ns, status.st_size, status.st_ino)
    os.replace(temporary, entry.path)
    folder = os.open(root, os.O_RDONLY | os.O_DIRECTORY)
    os.fsync(folder)
    os.close(folder)
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
    parser.add_argument("--large-record-mb", type=float, default=16.0)
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
        large_record_memory(scratch, args.large_record_mb)


def large_record_memory(scratch: Path, megabytes: float) -> None:
    """Peak memory of a one-worker run on one small record, then on one large one: the growth per byte."""
    words = ["palavra", "conversa", "memória", "rio", "pesca", "cidade", "casa", "tempo", "história", "gente"]
    sizes = {}
    for label, target in (("small", 0.01), ("large", megabytes)):
        folder = scratch / f"one-{label}"
        folder.mkdir()
        count = int(target * 2**20 / 8)
        text = " ".join(words[i % len(words)] for i in range(count))
        segments = [
            {"start": i * 2.0, "end": i * 2.0 + 1.9, "text": " ".join(words[(i + j) % 10] for j in range(8))}
            for i in range(count // 80)
        ]
        record = {"transcription_text": text, "duration_milliseconds": len(segments) * 2000, "segments": segments}
        path = folder / "big_transcription.json"
        path.write_text(json.dumps(record, ensure_ascii=False))
        size = path.stat().st_size
        kib = peak_kib([ARANDU, "judge-transcription", str(folder), "--workers", "1", "--max-record-mb", "1024"])
        sizes[label] = (size, kib * 1024)
        shutil.rmtree(folder)
    (small_size, small_peak), (large_size, large_peak) = sizes["small"], sizes["large"]
    multiple = (large_peak - small_peak) / (large_size - small_size)
    print(
        f"one record of {large_size / 2**20:.1f} MiB: peak {large_peak / 2**20:.0f} MiB, "
        f"{multiple:.1f}x the record's size above a run on a small one ({small_peak / 2**20:.0f} MiB)"
    )


if __name__ == "__main__":
    main()
