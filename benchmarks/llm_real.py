"""The LLM stage on real Portuguese Whisper text, against a real model: calls, tokens, seconds, windows, verdicts.

    python benchmarks/llm_real.py ../shared/data/real [--records 3] [--record-chars 8000]
        [--validator-model NAME --validator-base-url URL [--validator-provider ollama|custom]]

DATA is the folder holding `stt-benchmarks/` (Portuguese Whisper transcripts, grouped here
into long records), `whisper-hallucination-research/librispeech_wer_*.csv` (real English
Whisper output, spliced into a record to make language drift) and
`bag-of-hallucinations/BoH.csv` (formulaic hallucinations, inserted into real text).
Records cycle through clean, drift and formula. Without a base URL the script starts
llama.cpp's server (xllamacpp) with the SmolLM2-135M test model from
`scripts/fetch_test_model.py`: that shows the costs and the windows, not verdict quality,
which needs a far bigger model; give one with --validator-model and --validator-base-url.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from returns.result import Success
from tests.integration.real_llm import ALIAS, LlamaServer

from arandu.adapters.prompts.files import FilePromptRepository
from arandu.adapters.validators import create_validator
from arandu.application.llm_stage import LlmStage
from arandu.domain.llm import LLM_CRITERIA
from arandu.domain.llm.prompt import TRANSCRIPT_PLACEHOLDER
from arandu.domain.transcript import Transcript


def portuguese(data: Path) -> list[str]:
    """Whisper's Portuguese transcripts, file by file in a stable order."""
    texts: list[str] = []
    for path in sorted((data / "stt-benchmarks").rglob("*.json")):
        rows = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(rows, dict):
            texts += [
                str(row["transcript"]).strip()
                for row in rows.values()
                if isinstance(row, dict) and row.get("transcript")
            ]
    return texts


def english(data: Path) -> list[str]:
    (path,) = sorted((data / "whisper-hallucination-research").glob("librispeech_wer_*.csv"))[:1]
    with path.open(encoding="utf-8-sig") as handle:
        return [row["hypothesis"].strip() for row in csv.DictReader(handle) if row["hypothesis"].strip()]


def formulas(data: Path) -> list[str]:
    with (data / "bag-of-hallucinations" / "BoH.csv").open(encoding="utf-8") as handle:
        return [row["prediction"].strip() for row in csv.DictReader(handle)][:20]


def records(data: Path, count: int, chars: int) -> list[tuple[str, str]]:
    """(kind, text): consecutive real transcripts joined to about `chars`, then spoiled by kind."""
    pt, en, boh = portuguese(data), english(data), formulas(data)
    made: list[tuple[str, str]] = []
    cursor = 0
    for index in range(count):
        parts: list[str] = []
        while sum(len(p) + 1 for p in parts) < chars:
            parts.append(pt[cursor % len(pt)])
            cursor += 1
        kind = ("clean", "drift", "formula")[index % 3]
        middle = len(parts) // 2
        if kind == "drift":  # a quarter of the record becomes real English Whisper output
            english_part = " ".join(en[index * 40 : index * 40 + 40])[: chars // 4]
            parts = [*parts[: middle - len(parts) // 8], english_part, *parts[middle + len(parts) // 8 :]]
        elif kind == "formula":  # a stock outro loop in the middle and at the end, as Whisper writes over silence
            loop = ". ".join(boh[(index + k) % len(boh)].capitalize() for k in range(3)) + "."
            parts = [*parts[:middle], loop, loop, loop, *parts[middle:], loop]
        made.append((kind, " ".join(parts)))
    return made


def tokens(root: str, text: str) -> int | None:
    """The server's own token count (llama.cpp's /tokenize), when it has one."""
    body = json.dumps({"content": text}).encode()
    request = urllib.request.Request(f"{root}/tokenize", data=body, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=60) as reply:
            return len(json.loads(reply.read())["tokens"])
    except (OSError, ValueError, KeyError):
        return None


async def judge_all(stage: LlmStage, made: list[tuple[str, str]], root: str, tails: int | None) -> None:
    print("kind     chars  windows calls  prompt_tok  cached  processed  transcript_tok  passes  seconds  verdict")
    for kind, text in made:
        before = (stage.usage.calls, stage.usage.prompt_tokens, stage.usage.cached_tokens, stage.usage.windows)
        started = time.perf_counter()
        outcome = await stage(Transcript(text, len(text.split()) / 130 * 60_000))
        seconds = time.perf_counter() - started
        calls = stage.usage.calls - before[0]
        prompt = stage.usage.prompt_tokens - before[1]
        cached = stage.usage.cached_tokens - before[2]
        windows = stage.usage.windows - before[3]
        own = tokens(root, text)
        # How many times the transcript itself was read: what was processed, less the instructions around it.
        passes = f"{(prompt - cached - (tails or 0) * windows) / own:.2f}" if own and tails is not None else "?"
        if isinstance(outcome, Success):
            verdict = " ".join(f"{name}={s.score:g}" for name, s in outcome.unwrap().criterion_scores.items())
        else:
            verdict = f"no verdict: {outcome.failure()[:120]}"
        print(
            f"{kind:8} {len(text):6} {windows:7} {calls:5} {prompt:11} {cached:7} {prompt - cached:10} "
            f"{own or '?':>15} {passes:>7} {seconds:8.1f}  {verdict}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path, help="the folder holding stt-benchmarks/, bag-of-hallucinations/ ...")
    parser.add_argument("--records", type=int, default=3)
    parser.add_argument("--record-chars", type=int, default=8000)
    parser.add_argument("--validator-model", default=ALIAS)
    parser.add_argument("--validator-base-url", default=None)
    parser.add_argument("--validator-provider", default=None)
    parser.add_argument("--context", type=int, default=4096, help="context per slot of the server started here")
    parser.add_argument("--max-tokens", type=int, default=512)
    parser.add_argument("--concurrency", type=int, default=2)
    args = parser.parse_args()
    made = records(args.data, args.records, args.record_chars)
    server = None
    if args.validator_base_url is None:
        server = LlamaServer(Path(tempfile.mkdtemp()) / "llama.log", context=args.context, slots=args.concurrency)
        base_url = server.openai_url
    else:
        base_url = args.validator_base_url
    try:
        validator = create_validator(args.validator_model, provider=args.validator_provider, base_url=base_url)
        criteria = [FilePromptRepository().criterion(name, "pt") for name in LLM_CRITERIA]
        stage = LlmStage(validator, criteria, max_tokens=args.max_tokens, concurrency=args.concurrency, temperature=0)
        root = base_url.rstrip("/").removesuffix("/v1")
        # Tokens of the instructions after the transcript: the part of each call no cache can share.
        tails_each = [tokens(root, c.template.split(TRANSCRIPT_PLACEHOLDER)[1]) for c in criteria]
        tails = sum(t for t in tails_each if t) if all(tails_each) else None
        context = asyncio.run(stage.context_tokens())
        print(f"model {args.validator_model} at {base_url}, context {context} tokens, max answer {args.max_tokens}")
        asyncio.run(judge_all(stage, made, root, tails))
        usage = stage.usage
        print(
            f"total: {usage.records} records, {usage.windows} windows, {usage.calls} calls, "
            f"{usage.prompt_tokens} prompt tokens of which {usage.cached_tokens} cached, {usage.cut_offs} cut off"
        )
    finally:
        if server is not None:
            server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
