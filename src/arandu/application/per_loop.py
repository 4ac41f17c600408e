"""Objects that belong to the asyncio event loop they were made in."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class PerLoop(Generic[T]):
    """One object per running event loop, made on first use in that loop.

    Async HTTP clients and semaphores are bound to the loop they were first used in;
    each batch of a corpus runs in an `asyncio.run` of its own, so a new loop gets a new one.
    Pickled (to a worker process or a cluster), it keeps only its maker, which must pickle too.
    """

    def __init__(self, make: Callable[[], T]) -> None:
        self._make = make
        self._held: tuple[asyncio.AbstractEventLoop, T] | None = None

    def get(self) -> T:
        loop = asyncio.get_running_loop()
        if self._held is None or self._held[0] is not loop:
            self._held = (loop, self._make())
        return self._held[1]

    def __getstate__(self) -> dict[str, object]:
        # What was made for a loop stays with that loop: a copy in another process makes its own.
        return {"_make": self._make, "_held": None}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
