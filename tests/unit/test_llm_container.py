"""The container wires the LLM stage; a test overrides its validator with the fake."""

from __future__ import annotations

import json
from pathlib import Path

from arandu.entrypoints.container import Container
from tests.fakes import FakeValidator
from tests.integration.corpus import clean_corpus


def test_the_llm_corpus_use_case_with_an_overridden_validator(tmp_path: Path) -> None:
    clean_corpus(tmp_path, 3)
    container = Container()
    container.config.from_dict(
        {
            "language": "pt",
            "location": str(tmp_path),
            "storage_options": {},
            "workers": 1,
            "validator_model": "fake-model",
            "prompts_dir": None,
            "temperature": 0.3,
            "temperature_given": False,
            "max_tokens": 64,
            "concurrency": 2,
            "timeout": 5.0,
            "retries": 0,
            "retry_backoff": 0.0,
        }
    )
    fake = FakeValidator()
    with container.validator.override(fake):
        summary = container.judge_corpus()()
    assert (summary.judged, summary.passed) == (3, 3)
    assert len(fake.history) == 6 and fake.checks == 1
    verdict = json.loads((tmp_path / "rec00000_transcription.json").read_text())["validation"]
    assert verdict["judged_by"]["validator_model"] == "fake-model"
    assert verdict["judged_by"]["validator_provider"] == "fake"
    assert set(verdict["judged_by"]["prompt_versions"]) == {"language_drift", "hallucination_loop"}
    assert verdict["stage_results"]["llm_filter"]["criterion_scores"]["language_drift"]["threshold"] == 0.8
