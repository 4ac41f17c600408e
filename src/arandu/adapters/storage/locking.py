"""One arandu run per local folder at a time, and the removal of what a crashed run left."""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from collections.abc import Iterator

from arandu.adapters.storage.locations import StorageError
from arandu.adapters.storage.versioned import TEMP_NAME

# A live write holds its temporary file for milliseconds; one this old was not left by a live writer.
ABANDONED_AFTER_SECONDS = 3600


class LocationBusy(StorageError):
    """Another arandu run is judging this folder, or a folder that holds it or lies inside it."""


@contextlib.contextmanager
def hold_folder(folder: str, shown_as: str) -> Iterator[None]:
    """An exclusive flock on `folder` and shared ones on every folder above it.

    Two runs on one folder, or on a folder and one inside it, cannot both hold theirs;
    runs on two separate folders can. Nothing is written: the locks are on the folders
    themselves, and the kernel drops them when the process ends, however it ends.
    """
    held: list[int] = []
    try:
        current = os.path.realpath(folder)
        mode = fcntl.LOCK_EX
        while True:
            try:
                descriptor = os.open(current, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
            except OSError:  # a folder above that we may not read: it cannot be locked, nor by another run
                descriptor = -1
            if descriptor >= 0:
                held.append(descriptor)
                try:
                    fcntl.flock(descriptor, mode | fcntl.LOCK_NB)
                except BlockingIOError:
                    raise LocationBusy(
                        f"{shown_as}: another arandu run is judging this folder (or one around or inside it); "
                        "wait for it to finish or stop it, then run again"
                    ) from None
            parent = os.path.dirname(current)
            if parent == current:
                break
            current, mode = parent, fcntl.LOCK_SH
        yield
    finally:
        for descriptor in held:
            os.close(descriptor)


def remove_if_abandoned(path: str) -> None:
    """Remove one of arandu's temporary files if the process that made it is gone (or it is very old)."""
    match = TEMP_NAME.match(os.path.basename(path))
    if match is None:
        return
    with contextlib.suppress(OSError):
        if _running(int(match.group(1))) and time.time() - os.lstat(path).st_mtime < ABANDONED_AFTER_SECONDS:
            return
        os.unlink(path)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
