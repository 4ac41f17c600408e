"""The command leaves without the interpreter's teardown, so what it printed must be flushed first."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


def leave_with(status: str) -> subprocess.CompletedProcess[str]:
    code = (
        "import sys\n"
        "from arandu.entrypoints.cli.app import _leave\n"
        "print('summary line', end='')\n"  # buffered: a pipe is not a terminal
        "print('error line', end='', file=sys.stderr)\n"
        f"_leave({status})\n"
    )
    # Buffered, as output to a pipe normally is: unbuffered output would hide a missing flush.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env=env)


@pytest.mark.parametrize(("status", "expected"), [("0", 0), ("None", 0), ("1", 1), ("2", 2)])
def test_buffered_output_is_flushed_and_the_status_kept(status: str, expected: int) -> None:
    done = leave_with(status)
    assert (done.returncode, done.stdout, done.stderr) == (expected, "summary line", "error line")


def test_a_message_as_status_is_printed_and_exits_one() -> None:
    done = leave_with("'stopped: bad input'")
    assert done.returncode == 1
    assert done.stderr == "error linestopped: bad input\n"
