"""Recordings found under an audio folder (any fsspec location) and decoded by PyAV to 16 kHz mono."""

from __future__ import annotations

import importlib.util
import os
from typing import Any

import numpy as np
import numpy.typing as npt
from returns.result import Failure, Result, Success

from arandu.adapters.audio.locate import AUDIO_EXTENSIONS, AudioIndex, is_explicit
from arandu.application.audio_ports import SAMPLE_RATE, Samples


class PyAvAudioFiles:
    """Finds a record's recording by the documented rule (docs/audio.md) and decodes it with PyAV.

    Without a folder, only records naming their recording by an absolute path or URL are heard.
    The folder is listed once per process, on first use, so a bucket is not asked about each
    candidate name of each record. Picklable: the filesystem and the listing are made again
    where the stage runs.
    """

    def __init__(self, folder: str | None = None, storage_options: dict[str, Any] | None = None) -> None:
        self._folder = folder
        self._options = dict(storage_options or {})
        self._fs: Any = None
        self._root = ""
        self._index: AudioIndex | None = None

    def __getstate__(self) -> dict[str, Any]:
        return {"folder": self._folder, "options": self._options}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["folder"], state["options"])  # type: ignore[misc]

    def check(self) -> Result[None, str]:
        # Without a folder nothing is imported until a record names a recording that is there.
        if importlib.util.find_spec("av") is None:
            return Failure("the audio stage needs its optional dependencies: pip install 'arandu[audio]'")
        if self._folder is None:
            return Success(None)
        try:
            import av  # noqa: F401  (its native libraries load, or the run stops here)

            fs, root = self._filesystem()
            if not fs.isdir(root):
                return Failure(f"the audio folder {self._folder} does not exist or is not a folder")
        except (OSError, ImportError, ValueError) as exc:
            return Failure(f"the audio folder {self._folder} cannot be read: {exc}")
        return Success(None)

    def find(self, key: str, hint: str | None) -> str | None:
        if hint and is_explicit(hint) and self._exists(hint):
            # The record's own path wins, wherever it points, when it is there; when it is gone
            # (the recordings were moved), its file name is looked for in the folder.
            return hint
        if self._folder is None:
            return None
        return self._listing().find(key, hint)

    def _exists(self, hint: str) -> bool:
        if "://" not in hint:
            return os.path.isfile(hint)
        import fsspec

        try:
            fs, path = fsspec.core.url_to_fs(hint, **self._options)
            return bool(fs.isfile(path))
        except (OSError, ValueError, ImportError):
            return False

    def decode(self, location: str) -> Result[Samples, str]:
        import av

        try:
            with self._open(location) as handle, av.open(handle, mode="r") as container:
                if not container.streams.audio:
                    return Failure("the file holds no audio stream")
                stream = container.streams.audio[0]
                resampler = av.AudioResampler(format="flt", layout="mono", rate=SAMPLE_RATE)
                chunks: list[npt.NDArray[Any]] = []
                for frame in container.decode(stream):
                    chunks.extend(out.to_ndarray().reshape(-1) for out in resampler.resample(frame))
                chunks.extend(out.to_ndarray().reshape(-1) for out in resampler.resample(None))
        except (av.FFmpegError, OSError, ValueError) as exc:
            return Failure(f"cannot decode the recording ({exc})")
        if not chunks:
            return Failure("the recording holds no samples")
        return Success(np.concatenate(chunks).astype(np.float32, copy=False))

    def _open(self, location: str) -> Any:
        if "://" in location:
            import fsspec

            fs, path = fsspec.core.url_to_fs(location, **self._options)
            return fs.open(path, "rb")
        if self._folder is None or location.startswith("/"):
            return open(location, "rb")
        return self._filesystem()[0].open(location, "rb")

    def _filesystem(self) -> tuple[Any, str]:
        if self._fs is None:
            import fsspec

            self._fs, root = fsspec.core.url_to_fs(self._folder, **self._options)
            self._root = str(root)
        return self._fs, self._root

    def _listing(self) -> AudioIndex:
        if self._index is None:
            fs, root = self._filesystem()
            paths = [str(p) for p in fs.find(root) if str(p).lower().endswith(AUDIO_EXTENSIONS)]
            self._index = AudioIndex(root, paths)
        return self._index
