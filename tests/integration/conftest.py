"""Helpers for running the installed `arandu` command on corpora written by the tests."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ARANDU = Path(sys.executable).parent / "arandu"


def clean_environment() -> dict[str, str]:
    """The caller's environment without arandu settings, so a developer's shell cannot change results."""
    return {k: v for k, v in os.environ.items() if not k.startswith("ARANDU_") and k != "OPENAI_API_KEY"}


@dataclass(frozen=True)
class Run:
    status: int
    stdout: str
    stderr: str

    def count(self, label: str) -> int:
        """A number from the summary, e.g. count('judged')."""
        for line in self.stdout.splitlines():
            parts = line.split()
            if len(parts) == 2 and parts[0] == label:
                return int(parts[1])
        raise AssertionError(f"no {label!r} line in:\n{self.stdout}")

    def error_lines(self) -> list[str]:
        return [line for line in self.stderr.splitlines() if line.startswith("error:")]


def arandu(*args: str, cwd: Path, env: dict[str, str] | None = None, timeout: float = 120) -> Run:
    assert ARANDU.exists(), f"the arandu command is not installed next to {sys.executable}"
    done = subprocess.run(
        [str(ARANDU), *args],
        cwd=cwd,  # a scratch folder, so no .env of the developer's is read
        env={**clean_environment(), **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    return Run(done.returncode, done.stdout, done.stderr)


def write_json(path: Path, document: Any) -> bytes:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8") + b"\n"
    path.write_bytes(data)
    return data


def snapshot(folder: Path) -> dict[str, tuple[bytes, int, int]]:
    """Every file under `folder`: bytes, modification time in ns and inode."""
    return {
        p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns, p.stat().st_ino)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def scratch(tmp_path: Path) -> Path:
    """A working directory for the command, apart from the corpus."""
    folder = tmp_path / "cwd"
    folder.mkdir()
    return folder


@pytest.fixture
def corpus_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    return folder


RunCommand = Callable[..., Run]
