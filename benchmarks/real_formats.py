"""Readers for the transcript formats of the whisper-long data set, each into a Transcript.

openai-whisper JSON, SRT, VTT, TSV (milliseconds), whisper.cpp console text, Hugo Markdown with
SRT cues in backquotes, and two repositories' own JSON schemas. Only what the judge reads is kept:
text, start, end and Whisper's decoder fields when the format has them.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

from arandu.domain.transcript import Segment, Transcript

# Hours are optional: openai-whisper writes VTT cue times as mm:ss.mmm until the first hour.
_TIME = r"(?:(\d+):)?(\d\d):(\d\d)[,.](\d{3})"
_CUE = re.compile(_TIME + r"\s*-->\s*" + _TIME)
_CPP = re.compile(r"^\[(\d+):(\d\d):(\d\d)\.(\d{3}) --> (\d+):(\d\d):(\d\d)\.(\d{3})\]\s*(.*)$")


def _seconds(h: str | None, m: str, s: str, ms: str) -> float:
    return int(h or 0) * 3600 + int(m) * 60 + int(s) + int(ms) / 1000


def _transcript(segments: list[Segment], duration_s: float | None = None) -> Transcript:
    text = "".join(s.text if s.text.startswith(" ") else " " + s.text for s in segments).strip()
    end = duration_s if duration_s is not None else (segments[-1].end if segments else None)
    return Transcript.parse(text, None if end is None else end * 1000, segments)


def _cues(lines: list[str], unescape: bool = False) -> list[Segment]:
    """SRT/VTT-like cues: a time line, then text lines up to a blank line (cue numbers dropped)."""
    segments: list[Segment] = []
    current: tuple[float, float] | None = None
    texts: list[str] = []

    def flush() -> None:
        if current is not None:
            text = " ".join(texts).strip()
            segments.append(
                Segment(text=" " + (text.replace("\\!", "!") if unescape else text), start=current[0], end=current[1])
            )

    for raw in lines:
        line = raw.strip().strip("`") if unescape else raw.strip()
        found = _CUE.search(line)
        if found:
            flush()
            g = found.groups()
            current, texts = (_seconds(*g[:4]), _seconds(*g[4:])), []
        elif not line:
            flush()
            current, texts = None, []
        elif current is not None and not (not texts and line.isdigit()):
            texts.append(line)
    flush()
    return segments


def read(path: Path) -> Transcript | None:
    """The transcript in `path`, or None for a file that is not a transcript (README, MANIFEST, ...)."""
    name = path.name
    if name in ("README.md", "MANIFEST.csv"):
        return None
    raw = path.read_text(encoding="utf-8")
    if name.endswith(".json"):
        return _json(json.loads(raw))
    if name.endswith(".srt") or name.endswith(".vtt"):
        return _transcript(_cues(raw.splitlines()))
    if name.endswith(".md"):
        start = raw.find("## AI transkribering")
        return _transcript(_cues(raw[start:].splitlines(), unescape=True)) if start >= 0 else None
    if name.endswith(".tsv"):
        rows = csv.DictReader(io.StringIO(raw), delimiter="\t")
        return _transcript(
            [Segment(" " + (r["text"] or ""), int(r["start"]) / 1000, int(r["end"]) / 1000) for r in rows]
        )
    if name.endswith(".txt"):
        segments = []
        for line in raw.splitlines():
            found = _CPP.match(line)
            if found:
                g = found.groups()
                segments.append(Segment(" " + g[8].strip(), _seconds(*g[:4]), _seconds(*g[4:8])))
        return _transcript(segments)
    return None


def _json(document: dict[str, Any]) -> Transcript:
    if "lines" in document:  # sksat/solar-line: cues re-exported in milliseconds
        return _transcript(
            [Segment(" " + line["text"], line["startMs"] / 1000, line["endMs"] / 1000) for line in document["lines"]]
        )
    segments = document["segments"]
    if segments and "startSeconds" in segments[0]:  # LevyDeSales: long regrouped segments
        return _transcript(
            [Segment(" " + s["text"], s["startSeconds"], s["endSeconds"]) for s in segments],
            document.get("durationSeconds"),
        )
    return _transcript(
        [
            Segment.parse(
                {k: s.get(k) for k in ("text", "start", "end", "avg_logprob", "no_speech_prob", "compression_ratio")}
            )
            for s in segments
        ]
    )
