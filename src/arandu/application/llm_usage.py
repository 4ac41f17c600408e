"""What the LLM stage asked of the server: calls, windows and prompt tokens, for benchmarks and reports."""

from __future__ import annotations

from dataclasses import dataclass

from arandu.application.ports import Completion


@dataclass
class LlmUsage:
    """Counters one stage object adds to as it judges (per process: workers keep their own).

    `prompt_tokens` counts every prompt token the server reported; `cached_tokens` those it
    reused from its prefix cache, so `prompt_tokens - cached_tokens` is what it had to process.
    """

    records: int = 0
    windows: int = 0
    transcript_chars: int = 0
    calls: int = 0
    prompt_tokens: int = 0
    cached_tokens: int = 0
    cut_offs: int = 0

    def add_record(self, windows: int, chars: int) -> None:
        self.records += 1
        self.windows += windows
        self.transcript_chars += chars

    def add_call(self, completion: Completion) -> None:
        self.calls += 1
        self.prompt_tokens += completion.prompt_tokens or 0
        self.cached_tokens += completion.cached_tokens or 0

    @property
    def processed_tokens(self) -> int:
        return self.prompt_tokens - self.cached_tokens
