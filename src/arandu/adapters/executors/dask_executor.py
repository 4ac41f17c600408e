"""Dask executor: batches judged on a Dask cluster, an existing one or a LocalCluster started for the run."""

from __future__ import annotations

import importlib
import importlib.util
import logging
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack, contextmanager
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

# Batches queued per worker thread: enough to keep every worker busy while results travel back.
_IN_FLIGHT_PER_THREAD = 2


class ExecutorUnavailable(Exception):
    """The executor cannot run at all: its library is missing or the cluster cannot be reached."""


class DaskBatchExecutor:
    """Submits batches as Dask tasks, never more than a few per worker thread at a time.

    The batch function (holding the store and the judge) is pickled to the
    workers; each task reads and writes its own records there, so only keys
    and small outcomes travel through the client, and a prefix of a million
    records never becomes a million-task graph. `dask` is imported only when a
    run starts, so the local executor does not need it.
    """

    def __init__(self, scheduler: str | None = None, workers: int = 2, connect_timeout: float = 30.0) -> None:
        if importlib.util.find_spec("distributed") is None:
            raise ExecutorUnavailable("--executor dask needs an optional dependency: pip install 'arandu[dask]'")
        self._scheduler = scheduler
        self._workers = workers
        self._connect_timeout = connect_timeout

    def map_unordered(self, fn: Callable[[T], R], batches: Iterable[T]) -> Iterator[R]:
        with self._client() as client:
            limit = _IN_FLIGHT_PER_THREAD * max(1, sum(client.nthreads().values()))
            finished = _distributed().as_completed()
            in_flight = 0
            for batch in batches:
                if in_flight >= limit:
                    yield next(finished).result()
                    in_flight -= 1
                finished.add(client.submit(fn, batch, pure=False))
                in_flight += 1
            for future in finished:
                yield future.result()

    @contextmanager
    def _client(self) -> Iterator[Any]:
        distributed = _distributed()
        scheduler = self._scheduler or _configured_scheduler()
        with ExitStack() as stack:
            try:
                if scheduler:
                    client = stack.enter_context(distributed.Client(scheduler, timeout=self._connect_timeout))
                else:
                    cluster = stack.enter_context(
                        distributed.LocalCluster(
                            n_workers=self._workers,
                            threads_per_worker=1,
                            processes=True,
                            dashboard_address=None,
                            silence_logs=logging.ERROR,
                        )
                    )
                    client = stack.enter_context(distributed.Client(cluster))
            except (OSError, TimeoutError) as exc:
                where = f"the Dask scheduler at {scheduler}" if scheduler else "a local Dask cluster"
                raise ExecutorUnavailable(f"cannot start or reach {where} ({exc})") from None
            yield client


def _distributed() -> Any:
    # Imported here, not at the top, so that choosing the local executor never loads Dask.
    return importlib.import_module("distributed")


def _configured_scheduler() -> str | None:
    """Dask's own setting (DASK_SCHEDULER_ADDRESS or its config files), used when no --scheduler is given."""
    import dask

    address = dask.config.get("scheduler-address", None)
    return str(address) if address else None
