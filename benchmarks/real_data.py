"""Measure the heuristic stage on real Whisper output (the shared data set, never copied here).

    python benchmarks/real_data.py /path/to/shared/data/real [--detail] [--group-seconds 60] [--group-words 150]

Prints one table, per data set: failed records rejected, rejected by a criterion that located
the failure, caught (rejected, or a suspect span over the failure), failures located, and the
rejections and suspect spans of good long records (see real_measure.py); then HALAS clip by clip
beside the published figures. --detail adds the older per-criterion tables and the per-record
verdicts. A criterion "hits" a record there when it scores below its threshold, counted with
every criterion evaluated (no gate), so those tables also show what the length gate hides.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from real_long import LONG_WORDS, halas_clips, whisper_long
from real_measure import HEADER as SUMMARY_HEADER
from real_measure import Summary, judge
from returns.result import Success

from arandu.adapters.records.whisper_json import detected_language, parse_any_record
from arandu.domain.criteria import default_heuristic_criteria
from arandu.domain.pipeline import judge_heuristics
from arandu.domain.transcript import Segment, Transcript

csv.field_size_limit(sys.maxsize)


@dataclass
class Tally:
    """Records, rejections and per-criterion hits of one (sub)set."""

    records: int = 0
    rejected: int = 0
    hits: Counter[str] = field(default_factory=Counter)
    reasons: Counter[str] = field(default_factory=Counter)  # criterion that rejected, gate respected

    def add(self, transcript: Transcript, language: str) -> tuple[bool, list[str], list[str]]:
        criteria = default_heuristic_criteria(language)
        verdict = judge_heuristics(criteria, transcript)
        hits = [c.name for c in criteria if not c.evaluate(transcript).passed]
        self.records += 1
        self.rejected += not verdict.passed
        self.hits.update(hits)
        self.reasons.update(verdict.failing_criteria)
        return verdict.passed, verdict.failing_criteria, hits

    def line(self, name: str) -> str:
        share = self.rejected / self.records if self.records else 0.0
        hits = ", ".join(f"{k} {v}" for k, v in self.hits.most_common()) or "-"
        return f"| {name} | {self.records} | {self.rejected} ({share:.1%}) | {hits} |"


HEADER = "| set | records | rejected | criterion hits (ungated) |\n|---|---:|---:|---|"

# --- (a) whisper-timestamped fixtures -------------------------------------------------------------

# Audio language by file name, for the outputs INDEX.md calls wrong-language.
AUDIO_LANGUAGE = {"bonjour": "fr", "radio_short": "fr", "smartphone": "fr", "gloria": "fr", "punctuations": "fr",
                  "gaenswein15": "de", "apollo11": "en", "japanese": "ja", "arabic": "ar"}

# (folder, file stem) -> (what INDEX.md says, criteria any of which is a right reason).
LOOP = {"repetition", "decoder_confidence"}
PATHOLOGICAL = {
    ("medium_auto", "empty"): ("silence filler", {"content_length_floor", "known_hallucination"}),
    ("corner_cases", "issue24_empty"): ("silence filler", LOOP | {"known_hallucination", "segment_quality"}),
    ("corner_cases", "stucked_lm_apollo11"): ("loop", LOOP),
    ("naive", "naive_apollo11"): ("loop", LOOP),
    ("tiny_fr", "gloria"): ("loop", LOOP),
    ("small.en", "arabic"): ("loop", LOOP),
    ("tiny_auto", "radio_short"): ("loop", LOOP),
    ("tiny_auto", "bonjour_vous_allez_bien"): ("wrong script", {"script_match"}),
    ("medium_auto", "radio_short"): ("wrong language", {"script_match"}),
    ("tiny.en", "*"): ("wrong language (Latin)", {"script_match", "decoder_confidence"}),
    ("tiny_fr", "gaenswein15"): ("wrong language (Latin)", {"script_match", "decoder_confidence"}),
    ("corner_cases", "nocond_music"): ("music lyrics", LOOP | {"known_hallucination"}),
}
GOOD = {("medium_fr", "smartphone"), ("medium_auto", "gaenswein15"), ("punctuations_yes", "*"),
        ("punctuations_no", "*")}


def _key(path: Path) -> tuple[str, str]:
    """('corner_cases', 'stucked_lm_apollo11') for .../corner_cases.cpu/stucked_lm_apollo11.mp3.words.json."""
    folder = re.sub(r"\.(cpu|cuda)$", "", path.parent.name)
    return folder, re.sub(r"\.(mp3|mp4|wav)\.words\.json$", "", path.name)


def _lookup(table: dict[tuple[str, str], tuple[str, set[str]]], key: tuple[str, str]) -> tuple[str, set[str]] | None:
    return table.get(key) or table.get((key[0], "*"))


def whisper_timestamped(root: Path) -> None:
    print("\n## (a) whisper-timestamped outputs (openai-whisper JSON)\n")
    files = sorted((root / "whisper-timestamped").rglob("*.json"))
    overall, bad, good = Tally(), Tally(), Tally()
    rows = []
    for path in files:
        parsed = parse_any_record(path.read_bytes())
        if not isinstance(parsed, Success):
            continue
        record = parsed.unwrap()
        key = _key(path)
        own = detected_language(record.document) or "en"
        expectation = _lookup(PATHOLOGICAL, key)
        audio = next((lang for name, lang in AUDIO_LANGUAGE.items() if name in key[1]), own)
        # Wrong-language outputs are judged against the audio's language; all others with their own.
        language = audio if expectation is not None and "wrong" in expectation[0] else own
        passed, reasons, hits = overall.add(record.transcript, language)
        relative = path.relative_to(root / "whisper-timestamped" / "tests" / "expected")
        if expectation is not None:
            label, right = expectation
            bad.add(record.transcript, language)
            ok = (not passed) and bool(set(reasons) & right or set(hits) & right)
            rows.append(f"| {relative} | {language} | {label} | {'rejected' if not passed else 'ADMITTED'} "
                        f"| {', '.join(reasons) or '-'} | {'yes' if ok else 'NO'} |")
        elif key in GOOD or (key[0], "*") in GOOD:
            good.add(record.transcript, language)
            rows.append(f"| {relative} | {language} | good | {'admitted' if passed else 'REJECTED'} "
                        f"| {', '.join(reasons) or '-'} | {'yes' if passed else 'NO'} |")
    print(HEADER)
    print(overall.line("all fixtures"))
    print(bad.line("pathological (INDEX.md)"))
    print(good.line("good (INDEX.md)"))
    print("\n| output | judged as | INDEX.md | verdict | rejected by | right? |\n|---|---|---|---|---|---|")
    print("\n".join(rows))


# --- (b) HALAS, whisper_large_v3, grouped into pseudo-records ---------------------------------------


def _clip_order(audio_id: str) -> tuple[str, int]:
    index, _, recording = audio_id.removesuffix(".wav").partition("_")
    return recording, int(index) if index.isdigit() else 0


def _groups(items: list[tuple[str, float, object]], seconds: float) -> Iterator[list[tuple[str, float, object]]]:
    """Consecutive items until `seconds` are reached; a short tail joins the group before it."""
    groups: list[list[tuple[str, float, object]]] = []
    current: list[tuple[str, float, object]] = []
    total = 0.0
    for item in items:
        current.append(item)
        total += item[1]
        if total >= seconds:
            groups.append(current)
            current, total = [], 0.0
    if current:
        if groups:
            groups[-1].extend(current)
        else:
            groups.append(current)
    yield from groups


def _pseudo_record(clips: Iterable[tuple[str, float, object]]) -> Transcript:
    """Clips one after another, each a segment, so a group reads like one long Whisper output."""
    segments, position = [], 0.0
    for text, duration, _ in clips:
        segments.append(Segment(text=" " + text.strip(), start=position, end=position + duration))
        position += duration
    text = "".join(s.text for s in segments).strip()
    return Transcript.parse(text, position * 1000, segments)


def halas(root: Path, seconds: float) -> None:
    print(f"\n## (b) HALAS whisper_large_v3, consecutive clips of a recording grouped into >= {seconds:g} s\n")
    with open(root / "HALAS" / "HALAS_dataset.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    by_recording: dict[str, list[tuple[int, dict[str, str]]]] = {}
    for row in rows:
        recording, index = _clip_order(row["audio_id"])
        by_recording.setdefault(recording, []).append((index, row))
    names = ("looping", "hallucination only", "clean", "all")
    tallies = {name: Tally() for name in names}
    long_enough = {name: Tally() for name in names}  # groups the length gate lets through
    for recording in sorted(by_recording):
        clips = []
        for _, row in sorted(by_recording[recording], key=lambda pair: pair[0]):
            labels = {label for span in json.loads(row["whisper_large_v3_hallucination_json"] or "[]")
                      for label in span.get("labels", [])}
            clips.append((row["whisper_large_v3_prediction"] or "", float(row["audio_duration"]), labels))
        for group in _groups(clips, seconds):
            labels = set().union(*(c[2] for c in group))  # type: ignore[arg-type]
            kind = ("looping" if any("Looping" in label for label in labels)
                    else "hallucination only" if labels else "clean")
            transcript = _pseudo_record(group)
            tallies[kind].add(transcript, "en")
            tallies["all"].add(transcript, "en")
            if default_heuristic_criteria("en")[0].evaluate(transcript).passed:
                long_enough[kind].add(transcript, "en")
                long_enough["all"].add(transcript, "en")
    print(HEADER)
    for name, tally in tallies.items():
        print(tally.line(f"groups: {name}"))
    for name, tally in long_enough.items():
        print(tally.line(f"groups long enough to judge: {name}"))
    for name in ("looping", "hallucination only"):
        t = tallies[name]
        print(f"\nrecall on {name} groups: {t.rejected}/{t.records}"
              f" = {t.rejected / max(1, t.records):.1%}; rejected by: {dict(t.reasons)}")
    t = tallies["clean"]
    print(f"clean groups rejected: {t.rejected}/{t.records} = {t.rejected / max(1, t.records):.1%};"
          f" rejected by: {dict(t.reasons)}")
    _halas_clips(by_recording)


def _halas_clips(by_recording: dict[str, list[tuple[int, dict[str, str]]]]) -> None:
    """Each clip alone, every criterion but the length gate: what the text of a loop gives away."""
    criteria = default_heuristic_criteria("en")[1:]
    hits: dict[str, Counter[str]] = {"looping": Counter(), "hallucination only": Counter(), "clean": Counter()}
    counts: Counter[str] = Counter()
    for clips in by_recording.values():
        for _, row in clips:
            labels = {label for span in json.loads(row["whisper_large_v3_hallucination_json"] or "[]")
                      for label in span.get("labels", [])}
            kind = ("looping" if any("Looping" in label for label in labels)
                    else "hallucination only" if labels else "clean")
            text = row["whisper_large_v3_prediction"] or ""
            transcript = Transcript.parse(text, float(row["audio_duration"]) * 1000)
            counts[kind] += 1
            failing = [c.name for c in criteria if c.name != "content_density" and not c.evaluate(transcript).passed]
            hits[kind].update(failing)
            hits[kind]["any text criterion"] += bool(failing)
    print("\nsingle clips, length gate and words-per-minute off (clips are seconds long):")
    for kind, counter in hits.items():
        print(f"  {kind}: {counts[kind]} clips; hits: {dict(counter.most_common())}")


# --- (c) ESC-50 non-speech ----------------------------------------------------------------------------


def esc50(root: Path) -> None:
    print("\n## (c) ESC-50 non-speech (Whisper large-v3), 5 s clips\n")
    tally, with_text = Tally(), Tally()
    path = next((root / "whisper-hallucination-research").glob("esc50_results_*.csv"))
    with open(path, newline="", encoding="utf-8-sig") as handle:
        for row in csv.DictReader(handle):
            transcript = Transcript.parse(row["transcription"] or "", 5000.0)
            tally.add(transcript, "en")
            if transcript.stripped:
                with_text.add(transcript, "en")
    print(HEADER)
    print(tally.line("all clips"))
    print(with_text.line("clips with any text"))


# --- (d) Portuguese stt-benchmarks, near-correct transcripts grouped --------------------------------


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def word_error_rate(reference: str, hypothesis: str) -> float:
    ref, hyp = _words(reference), _words(hypothesis)
    if not ref:
        return 0.0 if not hyp else 1.0
    previous = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        current = [i] + [0] * len(hyp)
        for j, h in enumerate(hyp, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (r != h))
        previous = current
    return previous[-1] / len(ref)


def stt_benchmarks(root: Path, words: int) -> None:
    print(f"\n## (d) Portuguese stt-benchmarks (Whisper models), WER <= 10%, grouped into >= {words} words\n")
    tally = Tally()
    kept = total = short = 0
    examples: list[str] = []
    for path in sorted((root / "stt-benchmarks" / "transcripts").rglob("*.json")):
        if "whisper" not in str(path).lower():
            continue
        rows = json.loads(path.read_text(encoding="utf-8"))
        texts = []
        for item in rows.values():
            total += 1
            hypothesis = item.get("transcript") or ""
            if word_error_rate(item.get("ground") or "", hypothesis) <= 0.10:
                texts.append((hypothesis, float(len(_words(hypothesis))), None))
        kept += len(texts)
        for group in _groups(texts, words):
            if sum(n for _, n, _ in group) < words:
                short += 1  # a file with too few near-correct transcripts to make one long record
                continue
            transcript = Transcript.parse(" ".join(t.strip() for t, _, _ in group))
            passed, reasons, _ = tally.add(transcript, "pt")
            if not passed and len(examples) < 5:
                examples.append(f"{path.relative_to(root)}: {reasons}: {transcript.text[:160]!r}")
    print(f"{kept} of {total} transcripts within 10% WER of their reference; "
          f"{short} files too small for one pseudo-record left out\n")
    print(HEADER)
    print(tally.line("pseudo-records"))
    print(f"\nrejected by: {dict(tally.reasons)}")
    for example in examples:
        print(f"- {example}")


# --- the summary: one row per set ------------------------------------------------------------------


def _halas_labels(row: dict[str, str]) -> set[str]:
    return {label for span in json.loads(row["whisper_large_v3_hallucination_json"] or "[]")
            for label in span.get("labels", [])}


def summaries(root: Path, seconds: float, words: int) -> dict[str, Summary]:
    """Every set measured the same way; each record's failure is the whole record unless located."""
    found: dict[str, Summary] = {}
    fixtures = found["whisper-timestamped fixtures"] = Summary()
    for path in sorted((root / "whisper-timestamped").rglob("*.json")):
        parsed = parse_any_record(path.read_bytes())
        if not isinstance(parsed, Success):
            continue
        record, key = parsed.unwrap(), _key(path)
        expectation = _lookup(PATHOLOGICAL, key)
        own = detected_language(record.document) or "en"
        audio = next((lang for name, lang in AUDIO_LANGUAGE.items() if name in key[1]), own)
        language = audio if expectation is not None and "wrong" in expectation[0] else own
        good = key in GOOD or (key[0], "*") in GOOD
        if expectation is None and not good:
            continue
        outcome = judge(record.transcript, language, None if expectation else ())
        long_good = good and record.transcript.word_count >= LONG_WORDS
        fixtures.add(outcome, True if expectation else False if long_good else None)
    found.update(whisper_long(root))
    with open(root / "HALAS" / "HALAS_dataset.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    by_recording: dict[str, list[tuple[int, dict[str, str]]]] = {}
    for row in rows:
        recording, index = _clip_order(row["audio_id"])
        by_recording.setdefault(recording, []).append((index, row))
    groups = found[f"HALAS large-v3, clips grouped into >= {seconds:g} s"] = Summary()
    for recording in sorted(by_recording):
        clips = [(row["whisper_large_v3_prediction"] or "", float(row["audio_duration"]), _halas_labels(row))
                 for _, row in sorted(by_recording[recording], key=lambda pair: pair[0])]
        for group in _groups(clips, seconds):
            failures, position = [], 0.0
            for _, duration, labels in group:
                if labels:
                    failures.append((position, position + duration))
                position += duration
            transcript = _pseudo_record(group)
            long_good = not failures and transcript.word_count >= LONG_WORDS
            groups.add(judge(transcript, "en", failures), bool(failures) or (False if long_good else None))
    esc = found["ESC-50 non-speech, 5 s clips with text"] = Summary()
    path = next((root / "whisper-hallucination-research").glob("esc50_results_*.csv"))
    with open(path, newline="", encoding="utf-8-sig") as handle:
        for row in csv.DictReader(handle):
            transcript = Transcript.parse(row["transcription"] or "", 5000.0)
            if transcript.stripped:
                esc.add(judge(transcript, "en", None), True)
    stt = found[f"stt-benchmarks pt, WER <= 10%, grouped into >= {max(words, LONG_WORDS)} words"] = Summary()
    for path in sorted((root / "stt-benchmarks" / "transcripts").rglob("*.json")):
        if "whisper" not in str(path).lower():
            continue
        texts = [(item.get("transcript") or "", float(len(_words(item.get("transcript") or ""))), None)
                 for item in json.loads(path.read_text(encoding="utf-8")).values()
                 if word_error_rate(item.get("ground") or "", item.get("transcript") or "") <= 0.10]
        for group in _groups(texts, max(words, LONG_WORDS)):
            if sum(n for _, n, _ in group) >= max(words, LONG_WORDS):
                stt.add(judge(Transcript.parse(" ".join(t.strip() for t, _, _ in group)), "pt", ()), False)
    libri = found[f"LibriSpeech test-clean (large-v3), WER <= 10%, grouped into >= {LONG_WORDS} words"] = Summary()
    path = next((root / "whisper-hallucination-research").glob("librispeech_wer_*.csv"))
    with open(path, newline="", encoding="utf-8-sig") as handle:
        rows = sorted(csv.DictReader(handle), key=lambda row: row["utterance_id"])
    heard = [row["hypothesis"] for row in rows if float(row["wer"]) <= 0.10]
    # Utterances in the order of their ids: chapter after chapter.
    for group in _groups([(text, float(len(_words(text))), None) for text in heard], LONG_WORDS):
        if sum(n for _, n, _ in group) >= LONG_WORDS:
            libri.add(judge(Transcript.parse(" ".join(t.strip() for t, _, _ in group)), "en", ()), False)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path, help="the shared data/real folder (with INDEX.md)")
    parser.add_argument("--detail", action="store_true", help="also the per-criterion tables and per-record rows")
    parser.add_argument("--group-seconds", type=float, default=60.0, help="HALAS pseudo-record length")
    parser.add_argument("--group-words", type=int, default=150, help="stt-benchmarks pseudo-record length")
    args = parser.parse_args()
    if not (args.data / "INDEX.md").exists():
        parser.error(f"{args.data}: no INDEX.md; pass the data/real folder")
    print(f"## Heuristic stage on real Whisper output (good long = labelled good, >= {LONG_WORDS} words)\n")
    print(SUMMARY_HEADER)
    for name, summary in summaries(args.data, args.group_seconds, args.group_words).items():
        print(summary.row(name))
    halas_clips(args.data)
    if args.detail:
        whisper_long(args.data, verbose=True)
        whisper_timestamped(args.data)
        halas(args.data, args.group_seconds)
        esc50(args.data)
        stt_benchmarks(args.data, args.group_words)


if __name__ == "__main__":
    main()
