"""The record behind a sheet row, and its audio file, found by documented rules."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from arandu.adapters.report.record_view import record_html
from arandu.adapters.report.report_json import detail_as_dict
from arandu.adapters.storage.locations import open_location, protocol_of
from arandu.application.record_detail import REVIEW_LIMITS, record_detail
from arandu.application.stored_verdict import MalformedVerdict, interpret

AUDIO_EXTENSIONS = (".wav", ".mp3", ".flac", ".m4a", ".ogg", ".opus", ".webm", ".aac")
_SUFFIX = "_transcription"


class RecordFinder:
    """Reads the record a row names and finds its audio.

    A row's `path` is read as it is when it is absolute or a URL, else under `location`
    (else beside the sheet). A bucket key (`bucket/prefix/x.json`) takes the location's protocol.
    Audio: the record's `audio_path` field, else its `name` field, read as a path (absolute, or
    beside the record, or under `audio_dir`); else, under `audio_dir`, a file named like the
    record without `_transcription.json` (e.g. `ep01.wav` for `ep01_transcription.json`).
    """

    def __init__(
        self,
        sheet: Path,
        *,
        location: str | None,
        audio_dir: Path | None,
        storage_options: Mapping[str, Any] | None = None,
    ) -> None:
        self._sheet_folder = sheet.resolve().parent
        self._location = location
        self._audio_dir = audio_dir
        self._storage_options = dict(storage_options or {})
        self._by_stem: dict[str, Path] | None = None

    def address(self, path: str) -> str:
        if "://" in path:
            return path
        location = self._location
        if location is None:
            return str(Path(path) if os.path.isabs(path) else self._sheet_folder / path)
        protocol = protocol_of(location)
        if protocol == "file":
            return path if os.path.isabs(path) else os.path.join(location.removeprefix("file://"), path)
        bare = location.split("://", 1)[-1].rstrip("/")
        return f"{protocol}://{path}" if path.startswith(bare + "/") else f"{location.rstrip('/')}/{path}"

    def document(self, path: str) -> Mapping[str, Any]:
        """The record's JSON object; raises OSError or ValueError when it cannot be read."""
        fs, root = open_location(self.address(path), self._storage_options)
        with fs.open(root, "rb") as stream:
            document = json.loads(stream.read())
        if not isinstance(document, dict):
            raise ValueError("the record is not a JSON object")
        return document

    def view(self, path: str) -> dict[str, Any]:
        """The record as the page shows it: its HTML, the times of its spans, its audio file."""
        try:
            record = interpret(path, self.document(path))
        except (OSError, ValueError, MalformedVerdict) as exc:
            return {"found": False, "reason": f"{self.address(path)}: {exc}"}
        detail = record_detail(record, REVIEW_LIMITS)
        data = detail_as_dict(detail, path)
        starts = [s["start"] for c in data["criteria"] if not c["passed"] for s in c["evidence"] if "start" in s]
        starts += [s["start"] for s in data["suspect_spans"] if "start" in s]
        audio = self.audio(path, detail.audio_hint)
        return {
            "found": True,
            "html": record_html(data),
            "evidence_start": starts[0] if starts else None,
            "audio": None if audio is None else str(audio),
        }

    def audio(self, path: str, hint: str | None) -> Path | None:
        folder = Path(self.address(path)).parent if "://" not in self.address(path) else None
        if hint:
            candidates = [Path(hint)] if os.path.isabs(hint) else []
            if folder is not None and not os.path.isabs(hint):
                candidates.append(folder / hint)
            if self._audio_dir is not None:
                candidates += [self._audio_dir / hint, self._audio_dir / Path(hint).name]
            for candidate in candidates:
                if candidate.is_file():
                    return candidate
        if self._audio_dir is None:
            return None
        stem = Path(path).name.removesuffix(".json")
        stem = stem.removesuffix(_SUFFIX) if stem.endswith(_SUFFIX) else stem
        return self._audio_index().get(stem)

    def _audio_index(self) -> dict[str, Path]:
        if self._by_stem is None:
            assert self._audio_dir is not None
            self._by_stem = {}
            for file in sorted(self._audio_dir.rglob("*")):
                if file.suffix.lower() in AUDIO_EXTENSIONS and file.is_file():
                    self._by_stem.setdefault(file.stem, file)
        return self._by_stem
