"""Local executor: batches judged in worker processes, so every core is used."""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


_PARENT_POLL_SECONDS = 0.2


def _worker_start(parent: int) -> None:
    """Worker initializer: leave stopping to the parent, and exit as soon as the parent is gone.

    Ctrl-C reaches the whole process group and systemd or Slurm signal every process of
    a job: the parent decides when to stop, and a worker finishes the batch it holds, so
    a signal never leaves a record half-written. A parent killed outright (SIGKILL, the
    OOM killer) cannot shut its pool down, and idle workers would wait on the task queue
    forever. Writes are atomic, so leaving mid-record is as safe as the parent's own death.
    """
    for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(number, signal.SIG_IGN)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(_PARENT_POLL_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="arandu-parent-watch", daemon=True).start()


class ProcessPoolBatchExecutor:
    """At most `2 x workers` batches in flight; results come back as they finish."""

    def __init__(self, workers: int) -> None:
        self._workers = workers

    def map_unordered(self, fn: Callable[[T], R], batches: Iterable[T]) -> Iterator[R]:
        # fork shares the already-imported library with the workers, so they start at once.
        method = "fork" if sys.platform.startswith("linux") else None
        context = multiprocessing.get_context(method)
        pool = ProcessPoolExecutor(
            self._workers, mp_context=context, initializer=_worker_start, initargs=(os.getpid(),)
        )
        # What exists now is shared with the workers and lives as long as they do: frozen, the
        # collector neither scans it in each worker nor copies its pages by writing to it.
        gc.freeze()
        try:
            with pool:
                pending: set[Future[R]] = set()
                for batch in batches:
                    if len(pending) >= 2 * self._workers:
                        done, pending = wait(pending, return_when=FIRST_COMPLETED)
                        yield from (future.result() for future in done)
                    pending.add(pool.submit(fn, batch))
                while pending:
                    done, pending = wait(pending, return_when=FIRST_COMPLETED)
                    yield from (future.result() for future in done)
        finally:
            gc.unfreeze()
