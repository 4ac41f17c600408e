"""The heuristic criteria, in the order the heuristic stage runs them."""

from __future__ import annotations

from arandu.domain.criteria.base import Criterion
from arandu.domain.criteria.content_density import ContentDensity
from arandu.domain.criteria.content_length_floor import ContentLengthFloor
from arandu.domain.criteria.decoder_confidence import DecoderConfidence
from arandu.domain.criteria.known_hallucination import KnownHallucination
from arandu.domain.criteria.loop import Loop
from arandu.domain.criteria.repetition import Repetition
from arandu.domain.criteria.script_match import ScriptMatch
from arandu.domain.criteria.segment_quality import SegmentQuality

__all__ = [
    "ContentDensity",
    "ContentLengthFloor",
    "Criterion",
    "DecoderConfidence",
    "KnownHallucination",
    "Loop",
    "Repetition",
    "ScriptMatch",
    "SegmentQuality",
    "default_heuristic_criteria",
]


def default_heuristic_criteria(language: str = "pt") -> tuple[Criterion, ...]:
    """The seed's heuristic stage with its default knobs, then arandu's own; the first one gates the rest."""
    return (
        ContentLengthFloor(),
        ScriptMatch(language=language),
        Repetition(),
        ContentDensity(),
        SegmentQuality(),
        DecoderConfidence(),
        KnownHallucination(),
        Loop(),
    )
