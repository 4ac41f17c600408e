"""loop: a unit of any length, one word to whole sentences, said again and again back to back."""

from __future__ import annotations

from dataclasses import dataclass

from arandu.domain.locate import Locator, as_evidence
from arandu.domain.loops import Loop as Stretch
from arandu.domain.loops import find_loops
from arandu.domain.text import normalized_words
from arandu.domain.transcript import Transcript
from arandu.domain.verdict import CriterionScore, SuspectSpan

_NONE = "No unit repeats back to back."


@dataclass(frozen=True, slots=True)
class Loop:
    """1 minus the share of the record inside loops (of its words, or of its time when that is larger).

    Every loop is a suspect span. A loop of a unit of at least `long_unit_words` words counts from
    `min_long_repeats` repeats: nobody says a sentence three times running. A shorter unit ("não",
    "thank you") counts from `min_short_repeats`, or from `min_slow_repeats` when it is said slower
    than `slow_seconds_per_word` (text over silence) or faster than `fast_seconds_per_word` (cues
    of no length). Identical consecutive segments that slow count too, however few their words
    ("you" every 30 s). The record is rejected when loops cover more than a fifth of it; a loop in
    a small part of a long record is only located.
    """

    long_unit_words: int = 4
    min_long_repeats: int = 3
    min_short_repeats: int = 10
    min_slow_repeats: int = 3
    slow_seconds_per_word: float = 2.5
    fast_seconds_per_word: float = 0.1
    min_loop_words: int = 6
    max_reported: int = 5  # loops named in the rationale
    max_tagged: int = 50  # loops with a tag (unit and repeats), biggest first; every loop has a span
    threshold: float = 0.8
    name: str = "loop"

    def evaluate(self, transcript: Transcript) -> CriterionScore:
        ids = transcript.word_ids.ids
        stretches = find_loops(ids, min(self.min_long_repeats, self.min_slow_repeats), self.min_loop_words)
        runs = self._slow_segment_runs(transcript)
        if not stretches and not runs:
            return CriterionScore.of(1.0, self.threshold, _NONE)
        locator = Locator(transcript)
        kept = []
        for stretch in _merged(stretches):
            located = self._located(transcript, locator, stretch)
            if located is not None:
                kept.append((stretch, located))
        for first, last, stretch in runs:
            if not any(_overlap(span, first, last) for _, span in kept):
                reason = f"'{_unit(transcript.normalized_words, stretch)}' in {last - first + 1} segments in a row"
                kept.append((stretch, locator.segments(first, last, self.name, reason)))
        kept.sort(key=lambda pair: pair[0].start)
        if not kept:
            return CriterionScore.of(1.0, self.threshold, _NONE)
        words = transcript.normalized_words
        covered = _words_inside([s for s, _ in kept]) / max(1, len(ids))
        share = max(covered, _time_share(transcript, [span for _, span in kept]))
        biggest = sorted(kept, key=lambda pair: -pair[0].words)
        tags = [f"loop:{_unit(words, s)}:{s.repeats}" for s, _ in biggest[: self.max_tagged]]
        listed = "; ".join(f"'{_unit(words, s)}' x{s.repeats}" for s, _ in biggest[: self.max_reported])
        rationale = f"{len(kept)} loop(s) cover {share:.0%} of the record: {listed}."
        spans = [span for _, span in kept]
        score = 1.0 - share
        evidence = [as_evidence(span) for span in spans[:10]] if score < self.threshold else None
        return CriterionScore.of(score, self.threshold, rationale, tags, evidence=evidence, spans=spans)

    def _located(self, transcript: Transcript, locator: Locator, stretch: Stretch) -> SuspectSpan | None:
        """The loop's span, or None when it is too short to count (see the class)."""
        char_start, char_end = locator.words(stretch.start, stretch.end)
        reason = f"'{_unit(transcript.normalized_words, stretch)}' said {stretch.repeats} times in a row"
        span = locator.span(char_start, char_end, self.name, reason)
        seconds = _seconds(transcript, span)
        if stretch.period >= self.long_unit_words:
            needed = self.min_long_repeats
        elif seconds >= self.slow_seconds_per_word * stretch.words or (
            _timed(transcript) and seconds <= self.fast_seconds_per_word * stretch.words
        ):
            needed = self.min_slow_repeats
        else:
            needed = self.min_short_repeats
        return span if stretch.repeats >= needed else None

    def _slow_segment_runs(self, transcript: Transcript) -> list[tuple[int, int, Stretch]]:
        """Runs of `min_slow_repeats` or more identical segments (but for case and surrounding space)
        slower than `slow_seconds_per_word`: (first, last, the run as a stretch of words). Too short
        for a word loop, not for a filler."""
        columns = transcript.columns
        if not _has_run(columns.text, self.min_slow_repeats):
            return []  # the common case, settled by string comparisons alone
        found = []
        first, word, previous = 0, 0, None
        starts = []
        for index, text in enumerate(columns.text):
            key = text.strip().casefold()
            starts.append(word)
            if key != previous:
                found.extend(self._slow_run(transcript, first, index - 1, starts))
                first, previous = index, key
            word += len(normalized_words(text))
        found.extend(self._slow_run(transcript, first, len(columns) - 1, starts))
        return found

    def _slow_run(
        self, transcript: Transcript, first: int, last: int, starts: list[int]
    ) -> list[tuple[int, int, Stretch]]:
        columns = transcript.columns
        count = last - first + 1
        if count < self.min_slow_repeats or not columns.text[first].strip():
            return []
        period = len(normalized_words(columns.text[first]))
        seconds = columns.end[last] - columns.start[first]
        if not period or seconds < self.slow_seconds_per_word * period * count:
            return []
        return [(first, last, Stretch(starts[first], starts[first] + period * count, period))]


def _merged(stretches: list[Stretch]) -> list[Stretch]:
    """Loops of the same unit length broken by a word or two (a changed word, a cough) become one."""
    merged: list[Stretch] = []
    for stretch in stretches:
        last = merged[-1] if merged else None
        if last is not None and last.period == stretch.period and stretch.start - last.end <= last.period:
            merged[-1] = Stretch(last.start, max(last.end, stretch.end), last.period)
        elif last is not None and stretch.end <= last.end:
            continue  # inside a longer loop of another unit
        else:
            merged.append(stretch)
    return merged


def _words_inside(stretches: list[Stretch]) -> int:
    """The words inside at least one of `stretches` (by start), each counted once: loops of different
    units that meet may share a word or a unit (the last "ya" of "ya ya ya ..." starts "ya ha ya ha ...")."""
    inside, reach = 0, 0
    for stretch in stretches:
        inside += max(0, stretch.end - max(stretch.start, reach))
        reach = max(reach, stretch.end)
    return inside


def _unit(words: list[str], stretch: Stretch) -> str:
    unit = words[stretch.start : stretch.start + stretch.period]
    return " ".join(unit) if len(unit) <= 8 else " ".join(unit[:8]) + " ..."


def _seconds(transcript: Transcript, span: SuspectSpan) -> float:
    """How long the loop lasts: its segments' time, in proportion to the part of their text it fills
    (a loop of a few words inside one long regrouped segment does not last the whole segment)."""
    if span.first_segment is None or span.last_segment is None or span.start is None or span.end is None:
        return 0.0
    texts = transcript.columns.text[span.first_segment : span.last_segment + 1]
    letters = sum(len(text.strip()) for text in texts)
    filled = (span.char_end or 0) - (span.char_start or 0)
    return max(0.0, span.end - span.start) * (min(1.0, filled / letters) if letters else 1.0)


def _has_run(texts: tuple[str, ...], count: int) -> bool:
    """Whether `count` consecutive texts are the same but for case and surrounding space."""
    run, previous = 0, None
    for text in texts:
        key = text.strip().casefold()
        run = run + 1 if key == previous else 1
        if run >= count and key:
            return True
        previous = key
    return False


def _timed(transcript: Transcript) -> bool:
    """Whether the segments carry real times (not all zero), so a loop's speed means something."""
    columns = transcript.columns
    return bool(len(columns)) and max(columns.end) > 0


def _overlap(span: SuspectSpan, first: int, last: int) -> bool:
    return span.first_segment is not None and span.last_segment is not None and (
        span.first_segment <= last and first <= span.last_segment
    )


def _time_share(transcript: Transcript, spans: list[SuspectSpan]) -> float:
    columns = transcript.columns
    if not len(columns):
        return 0.0
    total = (transcript.duration_ms or 0.0) / 1000 or max(columns.end) - min(columns.start)
    seconds = sum(_seconds(transcript, span) for span in _joined(spans))
    return min(1.0, seconds / total) if total > 0 else 0.0


def _joined(spans: list[SuspectSpan]) -> list[SuspectSpan]:
    """Spans that share characters made one, from the first's start to the later end, so the time two
    loops that meet share is counted once; spans not found in the text are left as they are."""
    placed = sorted((s for s in spans if s.char_start is not None and s.char_end is not None), key=_char_start)
    joined: list[SuspectSpan] = []
    for span in placed:
        last = joined[-1] if joined else None
        if last is None or _char_start(span) >= (last.char_end or 0):
            joined.append(span)
        elif (span.char_end or 0) > (last.char_end or 0):
            update = {"last_segment": span.last_segment, "end": span.end, "char_end": span.char_end}
            joined[-1] = last.model_copy(update=update)
    return joined + [s for s in spans if s.char_start is None or s.char_end is None]


def _char_start(span: SuspectSpan) -> int:
    return span.char_start or 0
