"""Local executor: batches judged in worker processes, so every core is used."""

from __future__ import annotations

import multiprocessing
import sys
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


class ProcessPoolBatchExecutor:
    """At most `2 x workers` batches in flight; results come back as they finish."""

    def __init__(self, workers: int) -> None:
        self._workers = workers

    def map_unordered(self, fn: Callable[[T], R], batches: Iterable[T]) -> Iterator[R]:
        # fork shares the already-imported library with the workers, so they start at once.
        method = "fork" if sys.platform.startswith("linux") else None
        context = multiprocessing.get_context(method)
        with ProcessPoolExecutor(self._workers, mp_context=context) as pool:
            pending: set[Future[R]] = set()
            for batch in batches:
                if len(pending) >= 2 * self._workers:
                    done, pending = wait(pending, return_when=FIRST_COMPLETED)
                    yield from (future.result() for future in done)
                pending.add(pool.submit(fn, batch))
            while pending:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                yield from (future.result() for future in done)
