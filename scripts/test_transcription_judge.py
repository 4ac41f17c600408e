"""Smoke-test the judge on real records: print scores and failing criteria, write nothing into the records.

    python scripts/test_transcription_judge.py --input-dir results/x/transcription/outputs --files 5
    python scripts/test_transcription_judge.py --validator-model qwen3:14b --input-dir ... --files 5
    python scripts/test_transcription_judge.py --validator-model qwen3:14b --file path/to/<id>_transcription.json

Records are read, never written; `--output` saves the full verdicts to a separate JSON file.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path
from typing import Any

from returns.result import Failure, Success
from rich.console import Console
from rich.table import Table

from arandu.adapters.records.arandu_json import parse_record
from arandu.application.errors import ConfigurationError
from arandu.entrypoints.facade import JudgeFailedError, TranscriptionJudge, build_validator_client


def pick_files(args: argparse.Namespace) -> list[Path]:
    if args.file:
        return [Path(args.file)]
    files = sorted(Path(args.input_dir).rglob("*_transcription.json"))
    return files[: args.files] if args.files else files


async def judge_all(judge: TranscriptionJudge, files: list[Path]) -> list[tuple[Path, Any]]:
    async def one(path: Path) -> tuple[Path, Any]:
        match parse_record(path.read_bytes()):
            case Failure(reason):
                return path, f"unreadable: {reason}"
            case Success(parsed):
                t = parsed.transcript
        try:
            return path, await judge.evaluate_transcription_async(t.text, t.duration_ms, t.segments)
        except JudgeFailedError as exc:
            return path, f"not judged: {exc}"

    return list(await asyncio.gather(*(one(path) for path in files)))


def table(results: list[tuple[Path, Any]]) -> Table:
    out = Table(title="arandu judge smoke test")
    for column in ("record", "passed", "rejected at", "scores", "failing"):
        out.add_column(column)
    for path, verdict in results:
        if isinstance(verdict, str):
            out.add_row(path.name, "error", "", verdict, "")
            continue
        scores = "\n".join(
            f"{name}={score.score:.2f}"
            for stage in verdict.stage_results.values()
            for name, score in stage.criterion_scores.items()
        )
        passed = "[green]yes[/]" if verdict.passed else "[red]no[/]"
        out.add_row(path.name, passed, verdict.rejected_at or "", scores, ", ".join(verdict.failing_criteria))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--input-dir", help="folder searched for *_transcription.json records")
    source.add_argument("--file", help="a single record")
    parser.add_argument("--files", type=int, default=5, help="how many records from --input-dir (0 = all)")
    parser.add_argument("--language", default="pt")
    parser.add_argument("--validator-model")
    parser.add_argument("--validator-provider")
    parser.add_argument("--validator-base-url")
    parser.add_argument("--output", help="write the verdicts as JSON to this file")
    args = parser.parse_args()

    validator = None
    if args.validator_model:
        try:
            validator = build_validator_client(args.validator_model, args.validator_provider, args.validator_base_url)
        except ConfigurationError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        if isinstance(reachable := asyncio.run(validator.check()), Failure):
            print(f"error: {reachable.failure()}", file=sys.stderr)
            return 2
    files = pick_files(args)
    if not files:
        print("error: no *_transcription.json records found", file=sys.stderr)
        return 2
    judge = TranscriptionJudge(language=args.language, validator_client=validator)
    results = asyncio.run(judge_all(judge, files))
    console = Console()
    if not console.is_terminal:
        console = Console(width=140)  # a log file has no width; do not squeeze the table into 80 columns
    console.print(table(results))
    if args.output:
        report = {
            str(path): verdict if isinstance(verdict, str) else verdict.model_dump(mode="json")
            for path, verdict in results
        }
        Path(args.output).write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    return 1 if any(isinstance(verdict, str) for _, verdict in results) else 0


if __name__ == "__main__":
    sys.exit(main())
