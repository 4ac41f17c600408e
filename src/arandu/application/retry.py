"""How long to wait before asking a validator again."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Exponential backoff with jitter: `retries` more attempts after the first.

    The jitter keeps many records that failed together (a server restart, a
    burst of 429s) from all coming back at the same instant.
    """

    retries: int = 3
    base_delay: float = 0.5
    max_delay: float = 20.0
    max_retry_after: float = 120.0

    def __post_init__(self) -> None:
        if self.retries < 0 or self.base_delay < 0 or self.max_delay < 0 or self.max_retry_after < 0:
            raise ValueError("retries and delays must not be negative")

    @property
    def attempts(self) -> int:
        return self.retries + 1

    def delay(self, retry: int, jitter: float, retry_after: float | None = None) -> float:
        """Seconds to wait before retry number `retry` (0-based); `jitter` is a uniform draw in [0, 1).

        A server's `Retry-After` is honoured up to `max_retry_after` (a server asking for an hour
        should not park the run), and never shortens the backoff.
        """
        step = min(self.max_delay, self.base_delay * 2.0**retry)
        backoff = step * (0.5 + 0.5 * jitter)
        if retry_after is None:
            return backoff
        return max(backoff, min(retry_after, self.max_retry_after))
