"""A request to stop a run early, seen by the corpus loop and by batches judged in this process."""

from __future__ import annotations

import threading
from typing import Any


class StopRequest:
    """Set from a signal handler; the run then takes no new record and finishes those in progress.

    A batch judged in another process gets a fresh, unset request: that process ignores the
    signals and finishes its batch, so only the records it already holds are judged there.
    """

    def __init__(self) -> None:
        self._event = threading.Event()
        self.reason: str | None = None

    def set(self, reason: str) -> None:
        self.reason = self.reason or reason
        self._event.set()

    def is_set(self) -> bool:
        return self._event.is_set()

    def __reduce__(self) -> tuple[Any, ...]:
        return (StopRequest, ())
