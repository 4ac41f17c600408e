"""The audio stage with in-memory fakes: off without a recording, a Failure naming the file, scores otherwise;
and the rule that finds a record's recording."""

from __future__ import annotations

import asyncio
import pickle
from pathlib import Path

import numpy as np
from returns.result import Failure, Result, Success

from arandu.adapters.audio.locate import AudioIndex, record_names, record_stem
from arandu.adapters.audio.pyav_source import PyAvAudioFiles
from arandu.application.audio_ports import SAMPLE_RATE, Samples
from arandu.application.audio_stage import AudioStage
from arandu.application.judge_record import JudgeRecord
from arandu.application.ports import LoadedRecord
from arandu.domain.audio import SpeechTimeline
from arandu.domain.criteria import default_heuristic_criteria
from arandu.domain.transcript import Transcript
from arandu.domain.verdict import AUDIO_STAGE, HEURISTIC_STAGE
from tests.builders import clean_portuguese


class FakeAudio:
    """Recordings by location, as a second of silence each; what `decode` was asked for."""

    def __init__(self, recordings: dict[str, float], broken: frozenset[str] = frozenset()) -> None:
        self.recordings = recordings
        self.broken = broken
        self.decoded: list[str] = []

    def find(self, key: str, hint: str | None) -> str | None:
        return hint if hint in self.recordings else None

    def decode(self, location: str) -> Result[Samples, str]:
        self.decoded.append(location)
        if location in self.broken:
            return Failure("cannot decode the recording (invalid data)")
        return Success(np.zeros(int(self.recordings[location] * SAMPLE_RATE), dtype=np.float32))

    def check(self) -> Result[None, str]:
        return Success(None)


class FakeDetector:
    """Hears speech where it is told to, whatever the samples."""

    def __init__(self, *intervals: tuple[float, float]) -> None:
        self.intervals = intervals

    def timeline(self, samples: Samples) -> SpeechTimeline:
        return SpeechTimeline(self.intervals, len(samples) / SAMPLE_RATE)

    def check(self) -> Result[None, str]:
        return Success(None)


def loaded(hint: str | None) -> LoadedRecord:
    text = clean_portuguese()
    half = len(text) // 2
    segments = [{"text": text[:half], "start": 0.0, "end": 12.0}, {"text": text[half:], "start": 12.0, "end": 24.0}]
    return LoadedRecord("talk_transcription.json", Transcript.parse(text, 24_000, segments), False, audio_hint=hint)


def test_a_record_without_a_recording_has_no_audio_stage() -> None:
    audio = FakeAudio({"talk.wav": 24.0})
    stage = AudioStage(audio, FakeDetector((0.0, 24.0)))
    assert asyncio.run(stage(loaded(None))) == Success(None)
    assert audio.decoded == []
    verdict = asyncio.run(JudgeRecord(default_heuristic_criteria(), audio_stage=stage)(loaded(None))).unwrap()
    assert AUDIO_STAGE not in verdict.stage_results


def test_speech_under_every_segment_passes() -> None:
    stage = AudioStage(FakeAudio({"talk.wav": 24.0}), FakeDetector((0.0, 24.0)))
    result = asyncio.run(stage(loaded("talk.wav"))).unwrap()
    assert result is not None and result.passed
    assert list(result.criterion_scores) == ["text_over_silence", "speech_without_text", "speech_rate"]


def test_text_over_silence_rejects_at_the_audio_stage_with_a_span() -> None:
    # Speech only under the first segment: the second half of the text was invented over silence.
    stage = AudioStage(FakeAudio({"talk.wav": 24.0}), FakeDetector((0.0, 12.0)))
    verdict = asyncio.run(JudgeRecord(default_heuristic_criteria(), audio_stage=stage)(loaded("talk.wav"))).unwrap()
    assert verdict.rejected_at == AUDIO_STAGE
    assert verdict.failing_criteria == ["text_over_silence"]
    assert verdict.suspect_spans is not None
    assert [(s.criterion, s.first_segment, s.start) for s in verdict.suspect_spans] == [("text_over_silence", 1, 12.0)]


def test_an_undecodable_recording_is_a_failure_naming_the_file() -> None:
    audio = FakeAudio({"talk.wav": 24.0}, broken=frozenset({"talk.wav"}))
    outcome = asyncio.run(
        JudgeRecord(default_heuristic_criteria(), audio_stage=AudioStage(audio, FakeDetector()))(loaded("talk.wav"))
    )
    assert outcome == Failure("audio stage: talk.wav: cannot decode the recording (invalid data)")


def test_the_stage_pickles_with_its_parts() -> None:
    stage = AudioStage(FakeAudio({"talk.wav": 24.0}), FakeDetector((0.0, 24.0)))
    copy = pickle.loads(pickle.dumps(JudgeRecord(default_heuristic_criteria(), audio_stage=stage)))
    assert asyncio.run(copy(loaded("talk.wav"))).unwrap().passed


def test_record_stems() -> None:
    assert record_stem("corpus/day 1/talk_01_transcription.json") == "talk_01"
    assert record_stem("s3-bucket/raw/talk_01.json") == "talk_01"


INDEX = AudioIndex(
    "/audio",
    ["/audio/a/talk_01.mp3", "/audio/b/talk_01.wav", "/audio/interview.m4a", "/audio/x/entrevista 3.ogg"],
)


def test_the_name_field_wins_over_the_record_stem() -> None:
    assert INDEX.find("/corpus/interview_transcription.json", "x/entrevista 3.ogg") == "/audio/x/entrevista 3.ogg"
    # A bare file name is found in whichever subfolder holds it.
    assert INDEX.find("/corpus/interview_transcription.json", "entrevista 3.ogg") == "/audio/x/entrevista 3.ogg"


def test_without_a_matching_name_the_record_stem_finds_any_extension() -> None:
    assert INDEX.find("/corpus/interview_transcription.json", "gone.wav") == "/audio/interview.m4a"
    # Two recordings with one stem: the first by path, whatever order the store listed them in.
    assert INDEX.find("/corpus/talk_01.json", None) == "/audio/a/talk_01.mp3"
    assert INDEX.find("/corpus/other_transcription.json", None) is None


def test_a_raw_whisper_output_named_after_its_whole_audio_file_name() -> None:
    assert record_names("out/talk_01.wav.words.json") == ["talk_01.wav.words", "talk_01.wav", "talk_01"]
    # whisper.cpp's `talk_01.wav.json` is the wav's, though an mp3 of that stem comes first by path.
    assert INDEX.find("/corpus/talk_01.wav.json", None) == "/audio/b/talk_01.wav"
    # whisper-timestamped's `interview.m4a.words.json`.
    assert INDEX.find("/corpus/interview.m4a.words.json", None) == "/audio/interview.m4a"
    # openai-whisper's `talk_01.json`, and a stem with dots of its own.
    assert INDEX.find("/corpus/talk_01.json", None) == "/audio/a/talk_01.mp3"
    dotted = AudioIndex("/audio", ["/audio/aula 2.v2.flac"])
    assert dotted.find("/corpus/aula 2.v2.json", None) == "/audio/aula 2.v2.flac"


def test_a_name_without_its_extension_or_with_another_finds_the_stem() -> None:
    assert INDEX.find("/corpus/z_transcription.json", "x/entrevista 3") == "/audio/x/entrevista 3.ogg"
    # The video the audio was taken from.
    assert INDEX.find("/corpus/z_transcription.json", "entrevista 3.mp4") == "/audio/x/entrevista 3.ogg"
    assert INDEX.find("/corpus/z_transcription.json", "./x/entrevista 3.ogg") == "/audio/x/entrevista 3.ogg"


def test_an_explicit_path_wins_and_when_gone_its_file_name_is_looked_for(tmp_path: Path) -> None:
    folder, elsewhere = tmp_path / "audio", tmp_path / "elsewhere"
    folder.mkdir()
    elsewhere.mkdir()
    for path in (folder / "talk.wav", folder / "moved.wav", elsewhere / "own.wav"):
        path.write_bytes(b"")
    files = PyAvAudioFiles(str(folder))
    own = str(elsewhere / "own.wav")
    assert files.find(str(tmp_path / "talk_transcription.json"), own) == own
    assert files.find(str(tmp_path / "talk_transcription.json"), "/old/disk/moved.wav") == str(folder / "moved.wav")
    # Without a folder, only an explicit path that is there is heard.
    assert PyAvAudioFiles().find("talk_transcription.json", own) == own
    assert PyAvAudioFiles().find("talk_transcription.json", "/old/disk/moved.wav") is None
    assert PyAvAudioFiles().find("talk_transcription.json", "talk.wav") is None


def test_without_a_folder_only_an_explicit_path_is_heard_and_the_stage_pickles(tmp_path: Path) -> None:
    from arandu.adapters.audio.on_demand import OnDemandAudioStage

    stage = pickle.loads(pickle.dumps(OnDemandAudioStage({"anon": True})))
    assert asyncio.run(stage.check()) == Success(None)
    for hint in (None, "talk.wav", "sub/talk.wav"):
        assert asyncio.run(stage(loaded(hint))) == Success(None)
    # An absolute path is looked for; one that is not there is no recording, not an error.
    assert asyncio.run(stage(loaded(str(tmp_path / "gone.wav")))) == Success(None)
    (tmp_path / "bad.wav").write_bytes(b"RIFF\x00\x00\x00\x00WAVEbroken")
    outcome = asyncio.run(stage(loaded(str(tmp_path / "bad.wav"))))
    assert isinstance(outcome, Failure) and str(tmp_path / "bad.wav") in outcome.failure()


def sparse(hint: str | None) -> LoadedRecord:
    """Twenty minutes of recording with a minute of talk: far below 30 words a minute of the whole file."""
    text = clean_portuguese()
    segments = [{"text": text, "start": 600.0, "end": 640.0}]
    return LoadedRecord("quiet_transcription.json", Transcript.parse(text, 1_200_000, segments), False, audio_hint=hint)


def test_a_quiet_recording_with_a_little_talk_is_judged_on_its_speech_not_on_the_whole_file() -> None:
    stage = AudioStage(FakeAudio({"quiet.wav": 1200.0}), FakeDetector((600.0, 640.0)))
    judge = JudgeRecord(default_heuristic_criteria(), audio_stage=stage)
    without_audio = asyncio.run(judge(sparse(None))).unwrap()
    assert without_audio.rejected_at == HEURISTIC_STAGE and without_audio.failing_criteria == ["content_density"]

    heard = asyncio.run(judge(sparse("quiet.wav"))).unwrap()
    assert heard.passed, heard.failing_criteria
    density = heard.stage_results[HEURISTIC_STAGE].criterion_scores["content_density"]
    assert density.passed and density.score < density.threshold  # its measure kept, set aside
    assert "set_aside_for:speech_rate" in density.issues
    assert heard.stage_results[AUDIO_STAGE].criterion_scores["speech_rate"].passed


def test_only_a_failure_on_words_per_minute_waits_for_the_recording() -> None:
    # The same sparse record, its speech heard over only two seconds: dense for that speech, rejected by audio.
    stage = AudioStage(FakeAudio({"quiet.wav": 1200.0}), FakeDetector((600.0, 602.0), (610.0, 616.0)))
    dense = asyncio.run(JudgeRecord(default_heuristic_criteria(), audio_stage=stage)(sparse("quiet.wav"))).unwrap()
    assert dense.rejected_at == AUDIO_STAGE and "speech_rate" in dense.failing_criteria
    # A record failing on anything else is never decoded.
    audio = FakeAudio({"talk.wav": 24.0})
    looped = LoadedRecord(
        "talk_transcription.json", Transcript.parse("obrigada " * 200, 24_000, None), False, audio_hint="talk.wav"
    )
    verdict = asyncio.run(
        JudgeRecord(default_heuristic_criteria(), audio_stage=AudioStage(audio, FakeDetector()))(looped)
    )
    assert verdict.unwrap().rejected_at == HEURISTIC_STAGE
    assert audio.decoded == []
