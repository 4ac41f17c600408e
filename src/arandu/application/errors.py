"""Failures that belong to one record or one call; they travel as values, not exceptions."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class RecordError:
    """Something about one record stopped it from being judged or saved; the record is left as it was."""

    key: str
    reason: str

    def __str__(self) -> str:
        return f"{self.key}: {self.reason}"


@dataclass(frozen=True, slots=True)
class UnreadableRecord(RecordError):
    """The record could not be read, decoded or parsed into a transcript."""


@dataclass(frozen=True, slots=True)
class WriteFailed(RecordError):
    """The verdict could not be written back (the old record is intact)."""


@dataclass(frozen=True, slots=True)
class JudgeFailed(RecordError):
    """A stage could not reach a verdict (e.g. the validator never gave a valid answer)."""


@dataclass(frozen=True, slots=True)
class CallFailed:
    """One validator call gave no answer; `retryable` says whether trying again may help."""

    reason: str
    retryable: bool
    # Seconds the server asked us to wait (Retry-After on a 429 or 503), when it said.
    retry_after: float | None = None
    # The server refused the prompt as longer than its context: a fault of the plan, not of the moment.
    too_long: bool = False

    def __str__(self) -> str:
        return self.reason


class ConfigurationError(ValueError):
    """The run cannot start as configured (missing prompt, unknown provider, unreachable validator...)."""
