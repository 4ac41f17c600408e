"""Settings are read once at the edge; a bad value is a ConfigurationError naming the variable."""

from __future__ import annotations

from pathlib import Path

import pytest

from arandu.entrypoints.settings import ConfigurationError, load_settings


@pytest.fixture(autouse=True)
def isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)  # no developer .env
    for name in (
        "ARANDU_JUDGE_LANGUAGE",
        "ARANDU_JUDGE_MAX_TOKENS",
        "ARANDU_JUDGE_STORAGE_OPTIONS",
        "ARANDU_JUDGE_MAX_RECORD_MB",
    ):
        monkeypatch.delenv(name, raising=False)


def test_defaults_environment_and_dot_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert load_settings().language == "pt"
    (tmp_path / ".env").write_text("ARANDU_JUDGE_LANGUAGE=fr\n")
    assert load_settings().language == "fr"
    monkeypatch.setenv("ARANDU_JUDGE_LANGUAGE", "en")
    assert load_settings().language == "en"  # the environment wins over .env
    monkeypatch.setenv("ARANDU_JUDGE_STORAGE_OPTIONS", '{"anon": "true"}')
    assert load_settings().storage_options == {"anon": "true"}
    assert load_settings().max_record_mb == 64
    monkeypatch.setenv("ARANDU_JUDGE_MAX_RECORD_MB", "0.5")
    assert load_settings().max_record_mb == 0.5


@pytest.mark.parametrize(
    ("name", "value"), [("ARANDU_JUDGE_MAX_TOKENS", "lots"), ("ARANDU_JUDGE_STORAGE_OPTIONS", "{not json")]
)
def test_a_bad_value_names_its_variable(monkeypatch: pytest.MonkeyPatch, name: str, value: str) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigurationError, match=name):
        load_settings()
