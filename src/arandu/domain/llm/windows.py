"""Cutting a transcript that does not fit the model's context into overlapping windows that do."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from arandu.domain.evidence import Evidence, segment_char_starts
from arandu.domain.transcript import Transcript

# Characters per token assumed when planning: Portuguese through a small English-centred
# vocabulary runs about 2.7; larger multilingual vocabularies 3.5 to 4. Erring low makes more
# windows, never a prompt the server refuses.
CHARS_PER_TOKEN = 2.5
# Each window repeats this share of the one before, so a loop or a switch of language that
# straddles a cut is seen whole by at least one window.
OVERLAP = 0.15


@dataclass(frozen=True, slots=True)
class Window:
    """A stretch of the transcript text, `text[start:end]`, numbered from 0 out of `count`."""

    index: int
    count: int
    start: int
    end: int

    def label(self) -> str:
        return f"window {self.index + 1} of {self.count} (chars {self.start}-{self.end})"


class PromptTooLong(ValueError):
    """Even an empty transcript would not fit: the context is smaller than the prompt plus the answer."""


def transcript_budget(context_tokens: int, prompt_chars: int, answer_tokens: int, chars_per_token: float) -> int:
    """How many characters of transcript fit beside a prompt of `prompt_chars` and an answer.

    A small margin is kept for the chat template's own tokens (roles, separators).
    """
    margin = 32 + context_tokens // 50
    room = context_tokens - answer_tokens - margin - int(prompt_chars / chars_per_token + 1)
    if room < 64:
        raise PromptTooLong(
            f"the model's context ({context_tokens} tokens) cannot hold the prompt (about "
            f"{int(prompt_chars / chars_per_token)} tokens) and an answer of {answer_tokens} tokens; "
            "use a model with a larger context or lower the answer's token limit"
        )
    return int(room * chars_per_token)


def plan_windows(text: str, budget_chars: int, overlap: float = OVERLAP) -> tuple[Window, ...]:
    """The whole text as one window when it fits, else overlapping windows of at most `budget_chars`.

    Cuts fall on whitespace where there is any in the last fifth of a window, so words stay whole.
    """
    if budget_chars < 1:
        raise ValueError("a window must hold at least one character")
    if len(text) <= budget_chars:
        return (Window(0, 1, 0, len(text)),)
    step_back = int(budget_chars * overlap)
    spans: list[tuple[int, int]] = []
    start = 0
    while True:
        end = min(len(text), start + budget_chars)
        if end < len(text):
            cut = text.rfind(" ", start + budget_chars * 4 // 5, end)
            end = cut if cut > start else end
        spans.append((start, end))
        if end >= len(text):
            break
        following = end - step_back
        if step_back:
            space = text.find(" ", following, end)
            following = space + 1 if space != -1 else following
        start = max(following, start + 1)
    return tuple(Window(i, len(spans), a, b) for i, (a, b) in enumerate(spans))


def window_evidence(transcript: Transcript, windows: Sequence[Window]) -> list[Evidence]:
    """Where each window lies: its char span, and its segments and times when the record has segments."""
    columns = transcript.columns
    starts = segment_char_starts(transcript.text, columns.text) if len(columns) else []
    found: list[Evidence] = []
    for window in windows:
        inside = [
            i
            for i, at in enumerate(starts)
            if at is not None and at < window.end and at + len(columns.text[i].strip()) > window.start
        ]
        if inside:
            first, last = inside[0], inside[-1]
            found.append(
                Evidence(
                    first_segment=first,
                    last_segment=last,
                    start=columns.start[first],
                    end=columns.end[last],
                    char_start=window.start,
                    char_end=window.end,
                )
            )
        else:
            found.append(Evidence(char_start=window.start, char_end=window.end))
    return found
