"""The transcript being judged: text, duration and Whisper's segments."""

from __future__ import annotations

from functools import cached_property

from pydantic import BaseModel, ConfigDict, field_validator

from arandu.domain.text import count_words, normalized_words


class Segment(BaseModel):
    """One Whisper segment; times are in seconds."""

    model_config = ConfigDict(frozen=True, strict=True, extra="ignore", from_attributes=True)

    text: str = ""
    start: float
    end: float
    avg_logprob: float | None = None
    no_speech_prob: float | None = None
    compression_ratio: float | None = None

    @field_validator("text", mode="before")
    @classmethod
    def _null_text_is_empty(cls, value: object) -> object:
        return "" if value is None else value


class Transcript(BaseModel):
    """What a criterion sees of a record."""

    model_config = ConfigDict(frozen=True, strict=True)

    text: str
    duration_ms: float | None = None
    segments: tuple[Segment, ...] = ()

    @cached_property
    def stripped(self) -> str:
        return self.text.strip()

    @cached_property
    def word_count(self) -> int:
        return count_words(self.text)

    @cached_property
    def normalized_words(self) -> list[str]:
        return normalized_words(self.text)
