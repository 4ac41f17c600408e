"""whisper-long against our own labels, and HALAS clip by clip against its human labels.

Labels (benchmarks/labels/whisper_long.csv): one row per failure of a failed record (its time
range), one row per good or ambiguous record. Ambiguous records count as records only. The
rules were tuned on TUNED sources; the other sources are reported apart as held out.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import real_formats
from real_measure import HEADER, Outcome, Range, Summary, judge

from arandu.domain.transcript import Transcript

csv.field_size_limit(sys.maxsize)

LABELS = Path(__file__).parent / "labels" / "whisper_long.csv"
TUNED = frozenset(
    {
        "LevyDeSales__trueoutspeak-transcricoes",
        "sakerhetspodcasten__www-hugo",
        "lawwu__berean_transcripts",
        "dmkishi__roaming-holiday-podcast-transcriptions",
    }
)
# A good record this long can hold a local failure; shorter ones are counted as records only.
LONG_WORDS = 1000
_LANGUAGE = {"pt-BR": "pt", "en audio -> sv text": "sv", "sv/en": "sv"}


def read_labels(path: Path = LABELS) -> dict[str, tuple[str, list[Range]]]:
    """Path -> (label, failure ranges)."""
    labels: dict[str, tuple[str, list[Range]]] = {}
    with open(path, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            label, ranges = labels.setdefault(row["path"], (row["label"], []))
            if label == "failed":
                ranges.append((float(row["start_s"]), float(row["end_s"])))
    return labels


def whisper_long(root: Path, verbose: bool = False) -> dict[str, Summary]:
    folder = root / "whisper-long"
    labels = read_labels()
    parts = {"whisper-long (tuned sources)": Summary(), "whisper-long (held-out sources)": Summary()}
    rows = []
    with open(folder / "MANIFEST.csv", newline="", encoding="utf-8") as handle:
        manifest = list(csv.DictReader(handle))
    unknown = set(labels) - {entry["path"] for entry in manifest}
    if unknown:
        raise SystemExit(f"labels name files that are not in MANIFEST.csv: {sorted(unknown)}")
    for entry in manifest:
        if entry["path"] not in labels:
            continue  # the official captions kept as a reference are not Whisper output
        label, failures = labels[entry["path"]]
        transcript = real_formats.read(folder / entry["path"])
        if transcript is None:
            continue
        language = _LANGUAGE.get(entry["language"], entry["language"])
        outcome = judge(transcript, language, failures)
        source = entry["path"].split("/")[0]
        part = parts["whisper-long (tuned sources)" if source in TUNED else "whisper-long (held-out sources)"]
        long_good = label == "good" and transcript.word_count >= LONG_WORDS
        part.add(outcome, True if label == "failed" else False if long_good else None)
        rows.append(_line(entry["path"], label, outcome))
    if verbose:
        print("\n| record | label | verdict | rejected by | spans | failures located |\n|---|---|---|---|---:|---:|")
        print("\n".join(rows))
    return parts


def _line(path: str, label: str, o: Outcome) -> str:
    verdict = "admitted" if o.passed else "rejected"
    located = f"{o.located}/{o.failures}" if label == "failed" else "-"
    return f"| {path[-60:]} | {label} | {verdict} | {', '.join(o.failing) or '-'} | {o.spans} | {located} |"


def halas_clips(root: Path) -> None:
    """Each whisper_large_v3 clip of the test split alone, length floor off, flagged when rejected."""
    with open(root / "HALAS" / "HALAS_dataset.csv", newline="", encoding="utf-8") as handle:
        rows = [row for row in csv.DictReader(handle) if row["split"] == "test"]
    tp = fp = fn = tn = 0
    by: dict[str, int] = {}
    for row in rows:
        positive = "Hallucination or looping" in row["whisper_large_v3_label"]
        transcript = Transcript.parse(row["whisper_large_v3_prediction"] or "", float(row["audio_duration"]) * 1000)
        outcome = judge(transcript, "en", None, gate=False)
        # An empty output is rejected (nothing to keep) but invents nothing: not a hallucination flag.
        flagged = not outcome.passed and bool(transcript.stripped)
        tp, fp = tp + (flagged and positive), fp + (flagged and not positive)
        fn, tn = fn + (not flagged and positive), tn + (not flagged and not positive)
        for name in outcome.failing:
            by[name] = by.get(name, 0) + 1
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    positives = tp + fn
    every = 2 * positives / (len(rows) + positives)
    print(f"\n## HALAS test split, whisper_large_v3, clip by clip ({len(rows)} clips, {positives} hallucinated)\n")
    print("Each clip judged alone with every heuristic criterion but the length floor; flagged = rejected")
    print("(an empty output, rejected with nothing to keep, invents nothing and is not flagged).\n")
    print("| method | precision | recall | F1 |\n|---|---:|---:|---:|")
    print(f"| arandu heuristic stage | {precision:.1%} | {recall:.1%} | {f1:.1%} |")
    print(f"| flagging every clip (computed here) | {positives / len(rows):.1%} | 100.0% | {every:.1%} |")
    for name, figure in PUBLISHED:
        print(f"| {name} (published) | | | {figure} |")
    print(f"\ntrue positives {tp}, false positives {fp}, false negatives {fn}; flagged by: {by}")


PUBLISHED = (
    ("best detection method", "53.1%"),
    ("text-feature XGBoost", "62.8%"),
    ("reference-free LLM", "32.8%"),
    ("flagging every clip", "26.9%"),
)


def print_parts(parts: dict[str, Summary]) -> None:
    print(HEADER)
    for name, summary in parts.items():
        print(summary.row(name))
