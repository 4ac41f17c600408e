"""arandu: judge Whisper transcriptions before anyone builds on them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

# Kept in a module rather than read from the installed metadata: importlib.metadata alone
# costs tens of milliseconds at every start of the command.
from arandu._version import __version__

if TYPE_CHECKING:
    from arandu.domain.verdict import CriterionScore, JudgePipelineResult, StageResult
    from arandu.entrypoints.facade import TranscriptionJudge, build_validator_client

__all__ = [
    "CriterionScore",
    "JudgePipelineResult",
    "StageResult",
    "TranscriptionJudge",
    "__version__",
    "build_validator_client",
]

_LAZY = {
    "TranscriptionJudge": "arandu.entrypoints.facade",
    "build_validator_client": "arandu.entrypoints.facade",
    "CriterionScore": "arandu.domain.verdict",
    "JudgePipelineResult": "arandu.domain.verdict",
    "StageResult": "arandu.domain.verdict",
}


def __getattr__(name: str) -> Any:
    # Imported lazily so that `arandu --help` does not pay for the whole library.
    module_name = _LAZY.get(name)
    if module_name is None:
        raise AttributeError(f"module 'arandu' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module_name), name)
