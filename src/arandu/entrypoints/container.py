"""The composition root: the only module that knows how adapters are wired into use cases."""

from __future__ import annotations

from dependency_injector import containers, providers

from arandu import __version__
from arandu.adapters.executors.process_pool import ProcessPoolBatchExecutor
from arandu.adapters.storage.fsspec_store import FsspecRecordStore
from arandu.application.build_report import BuildReport
from arandu.application.draw_audit import DrawAuditSample
from arandu.application.judge_corpus import InlineExecutor, JudgeCorpus
from arandu.application.judge_record import JudgeRecord
from arandu.domain.criteria import default_heuristic_criteria
from arandu.domain.verdict import JudgedBy


def _executor(workers: int) -> InlineExecutor | ProcessPoolBatchExecutor:
    return ProcessPoolBatchExecutor(workers) if workers > 1 else InlineExecutor()


class Container(containers.DeclarativeContainer):
    """Configured from `JudgeSettings` plus the command's own flags."""

    config = providers.Configuration()

    criteria = providers.Callable(default_heuristic_criteria, language=config.language)
    judged_by = providers.Factory(JudgedBy, arandu_version=__version__, language=config.language)
    judge_record = providers.Factory(JudgeRecord, criteria=criteria, judged_by=judged_by)

    record_store = providers.Singleton(
        FsspecRecordStore,
        location=config.location,
        storage_options=config.storage_options,
        pattern=config.pattern,
    )
    executor = providers.Factory(_executor, workers=config.workers)
    judge_corpus = providers.Factory(JudgeCorpus, store=record_store, judge=judge_record, executor=executor)

    # Report and audit read verdicts back through the same store (its listing works on buckets too).
    build_report = providers.Factory(BuildReport, source=record_store, worst=config.worst)
    draw_audit_sample = providers.Factory(DrawAuditSample, source=record_store)
