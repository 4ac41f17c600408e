"""The rule that names a record's recording: its explicit path, its `name`, else its own file name's stem."""

from __future__ import annotations

import posixpath

# What PyAV's bundled FFmpeg decodes and users' recordings come as.
AUDIO_EXTENSIONS = (".wav", ".flac", ".mp3", ".m4a", ".aac", ".mp4", ".ogg", ".opus", ".oga", ".webm")
_RECORD_SUFFIXES = ("_transcription.json", ".json")


def is_explicit(hint: str) -> bool:
    """An absolute path or a URL: the record names its recording wherever it is."""
    return hint.startswith("/") or "://" in hint


def record_stem(key: str) -> str:
    """`talk_01` for `.../talk_01_transcription.json` (a batch-transcribe record) or `.../talk_01.json`."""
    name = posixpath.basename(key.replace("\\", "/"))
    for suffix in _RECORD_SUFFIXES:
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def record_names(key: str) -> list[str]:
    """The names a record's recording may go by, longest first: whisper.cpp writes `talk.wav.json` and
    whisper-timestamped `talk.wav.words.json` beside `talk.wav`, so each dotted part is dropped in turn."""
    names = [record_stem(key)]
    while "." in names[-1].lstrip("."):
        names.append(names[-1].rsplit(".", 1)[0])
    return names


class AudioIndex:
    """The recordings under one folder, by relative path, by file name and by stem."""

    def __init__(self, root: str, paths: list[str]) -> None:
        self._by_relative: dict[str, str] = {}
        self._by_name: dict[str, str] = {}
        self._by_stem: dict[str, str] = {}
        prefix = root.rstrip("/") + "/"
        # Sorted, so that which of two same-named files wins does not depend on the listing order.
        for path in sorted(paths):
            relative = path[len(prefix) :] if path.startswith(prefix) else posixpath.basename(path)
            name = posixpath.basename(path)
            self._by_relative.setdefault(relative, path)
            self._by_name.setdefault(name, path)
            stem, extension = posixpath.splitext(name)
            if extension.lower() in AUDIO_EXTENSIONS:
                self._by_stem.setdefault(stem, path)

    def __len__(self) -> int:
        return len(self._by_relative)

    def find(self, key: str, hint: str | None) -> str | None:
        """The recording named by `hint` (a path relative to the folder, a file name, else a stem), else the
        one the record's own file name names (docs/audio.md)."""
        if hint:
            named = hint.replace("\\", "/")
            while named.startswith("./"):
                named = named[2:]
            base = posixpath.basename(named)
            stem = posixpath.splitext(base)[0]
            found = self._by_relative.get(named) or self._by_name.get(base) or self._by_stem.get(stem)
            if found is not None:
                return found
        for name in record_names(key):
            if (found := self._by_name.get(name) or self._by_stem.get(name)) is not None:
                return found
        return None
