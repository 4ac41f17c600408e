"""The composition root: the only module that knows how adapters are wired into use cases."""

from __future__ import annotations

from dependency_injector import containers, providers

from arandu import __version__
from arandu.adapters.storage.fsspec_store import FsspecRecordStore
from arandu.application.judge_corpus import JudgeCorpus
from arandu.application.judge_record import JudgeRecord
from arandu.domain.criteria import default_heuristic_criteria
from arandu.domain.verdict import JudgedBy


class Container(containers.DeclarativeContainer):
    """Configured from `JudgeSettings` plus the command's own flags."""

    config = providers.Configuration()

    criteria = providers.Callable(default_heuristic_criteria, language=config.language)
    judged_by = providers.Factory(JudgedBy, arandu_version=__version__, language=config.language)
    judge_record = providers.Factory(JudgeRecord, criteria=criteria, judged_by=judged_by)

    record_store = providers.Factory(
        FsspecRecordStore, location=config.location, storage_options=config.storage_options
    )
    judge_corpus = providers.Factory(JudgeCorpus, store=record_store, judge=judge_record)
