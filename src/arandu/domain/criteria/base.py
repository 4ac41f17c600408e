"""What every criterion is: a frozen object with knobs and one `evaluate` method."""

from __future__ import annotations

from typing import Protocol

from arandu.domain.transcript import Transcript
from arandu.domain.verdict import CriterionScore


class Criterion(Protocol):
    """Turns a transcript into a score against the criterion's own threshold."""

    @property
    def name(self) -> str: ...

    @property
    def threshold(self) -> float: ...

    def evaluate(self, transcript: Transcript) -> CriterionScore: ...
