"""`arandu --help` lists every command with the description its own docstring gives."""

from __future__ import annotations

import inspect

import pytest

from arandu.entrypoints.cli.app import app, audit
from arandu.entrypoints.cli.audit_sample import audit_sample
from arandu.entrypoints.cli.audit_score import audit_score
from arandu.entrypoints.cli.completion import completion
from arandu.entrypoints.cli.export import export
from arandu.entrypoints.cli.judge_transcription import judge_transcription
from arandu.entrypoints.cli.report import report
from arandu.entrypoints.cli.review import review


def _words(text: str) -> list[str]:
    return text.split()


@pytest.mark.parametrize(
    ("parent", "name", "function"),
    [
        (app, "judge-transcription", judge_transcription),
        (app, "report", report),
        (audit, "sample", audit_sample),
        (audit, "score", audit_score),
        (app, "export", export),
        (app, "completion", completion),
        (app, "review", review),
    ],
)
def test_registered_help_is_the_docstring_description(parent: object, name: str, function: object) -> None:
    docstring = inspect.getdoc(function) or ""
    description = docstring.split("\n\nParameters")[0]
    registered = parent[name].help  # type: ignore[index]
    assert _words(registered) == _words(description)
