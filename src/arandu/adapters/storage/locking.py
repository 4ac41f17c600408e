"""One arandu run per local folder at a time, and the removal of what a crashed run left."""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator

from arandu.adapters.storage.locations import StorageError
from arandu.adapters.storage.versioned import TEMP_NAME


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


def remove_if_abandoned(path: str, run: str) -> None:
    """Remove one of arandu's temporary files unless this run made it or a live writer holds it.

    Called only while the location's lock is held, so no other run is writing below it; a
    writer keeps an flock on its temporary file until the rename, and the kernel drops that
    flock when the writer dies. No process id is trusted: ids are reused.
    """
    match = TEMP_NAME.match(os.path.basename(path))
    if match is None or match.group(1) == run:
        return
    with contextlib.suppress(OSError):
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)  # BlockingIOError: a writer is alive
            os.unlink(path)
        finally:
            os.close(descriptor)
