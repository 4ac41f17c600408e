"""The Dask executor on a LocalCluster of two worker processes: every batch once, few in flight."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

pytest.importorskip("distributed")

from arandu.adapters.executors.dask_executor import DaskBatchExecutor

pytestmark = pytest.mark.integration


def worker_pid_and_sum(batch: list[int]) -> tuple[int, int]:
    return os.getpid(), sum(batch)


def test_batches_run_in_worker_processes_with_few_in_flight() -> None:
    pulled = 0
    yielded = 0
    most_in_flight = 0

    def batches() -> Iterator[list[int]]:
        nonlocal pulled, most_in_flight
        for start in range(0, 400, 4):
            pulled += 1
            most_in_flight = max(most_in_flight, pulled - yielded)
            yield list(range(start, start + 4))

    results = []
    for result in DaskBatchExecutor(workers=2).map_unordered(worker_pid_and_sum, batches()):
        yielded += 1
        results.append(result)

    assert sum(total for _, total in results) == sum(range(400))
    assert len(results) == 100
    assert os.getpid() not in {pid for pid, _ in results}
    assert most_in_flight <= 2 * 2 + 1  # two per worker thread, plus the one being handed over


def test_an_unreachable_scheduler_is_a_configuration_error() -> None:
    from arandu.adapters.executors.dask_executor import ExecutorUnavailable

    executor = DaskBatchExecutor(scheduler="tcp://127.0.0.1:9", workers=1, connect_timeout=2)
    with pytest.raises(ExecutorUnavailable, match=r"127\.0\.0\.1:9"):
        list(executor.map_unordered(worker_pid_and_sum, [[1]]))
