"""Judge Whisper's own results from Python, without writing a file first.

Run it as it is (it builds the results the tools would return), or replace the
stand-ins with your own calls:

    import whisper;  result = whisper.load_model("small").transcribe("talk.wav")
    from faster_whisper import WhisperModel;  result = WhisperModel("small").transcribe("talk.wav")
    import whisperx;  result = whisperx.load_model("small", "cpu").transcribe(whisperx.load_audio("talk.wav"))
"""

from __future__ import annotations

from typing import NamedTuple

from arandu import TranscriptionJudge

TALK = (
    "a gente morava na beira do rio e quando vinha a cheia tinha que subir tudo pro alto a casa ficava "
    "com água até a janela meu pai pescava de noite e de manhã cedo a minha mãe vendia o peixe na feira "
    "da cidade naquele tempo não tinha estrada era tudo de barco e a escola ficava do outro lado do rio"
)
LOOP = "Obrigada. " * 30


def openai_whisper_result(text: str, seconds: float) -> dict[str, object]:
    """The shape of `whisper.transcribe()`'s result: text, segments with confidence fields, language."""
    return {
        "text": text,
        "segments": [
            {
                "id": 0,
                "seek": 0,
                "start": 0.0,
                "end": seconds,
                "text": text,
                "tokens": [50364],
                "temperature": 0.0,
                "avg_logprob": -0.21,
                "compression_ratio": 1.4,
                "no_speech_prob": 0.01,
            },
        ],
        "language": "pt",
    }


class FasterSegment(NamedTuple):
    """What faster-whisper yields for each segment (the fields arandu reads)."""

    id: int
    start: float
    end: float
    text: str
    avg_logprob: float
    compression_ratio: float
    no_speech_prob: float


class FasterInfo(NamedTuple):
    language: str
    language_probability: float
    duration: float


def main() -> None:
    judge = TranscriptionJudge(language="pt")

    # openai-whisper: the result dict as transcribe() returns it; duration comes from the last segment.
    verdict = judge.evaluate_transcription(openai_whisper_result(TALK, 42.0))
    print("openai-whisper, an interview:", "valid" if verdict.passed else f"rejected at {verdict.rejected_at}")

    looped = judge.evaluate_transcription(openai_whisper_result(LOOP, 30.0))
    failing = [
        name for stage in looped.stage_results.values() for name, c in stage.criterion_scores.items() if not c.passed
    ]
    print("openai-whisper, a loop:", "valid" if looped.passed else f"rejected by {', '.join(failing)}")

    # faster-whisper: the (segments, info) pair; segments may be the lazy generator it returns.
    segments = (
        FasterSegment(i, 10.0 * i, 10.0 * i + 9.5, part, -0.2, 1.3, 0.02) for i, part in enumerate(TALK.split(" e "))
    )
    info = FasterInfo(language="pt", language_probability=0.98, duration=60.0)
    verdict = judge.evaluate_transcription((segments, info))
    print("faster-whisper:", "valid" if verdict.passed else f"rejected at {verdict.rejected_at}")

    # WhisperX: transcribe() gives segments only (text, start, end), no text field.
    whisperx = {"segments": [{"text": TALK, "start": 0.0, "end": 41.0}], "language": "pt"}
    print("whisperx:", "valid" if judge.evaluate_transcription(whisperx).passed else "rejected")

    # The same judge, another language for one call: Portuguese text judged as Japanese fails script_match.
    as_japanese = judge.evaluate_transcription(openai_whisper_result(TALK, 42.0), language="ja")
    print("judged as Japanese:", "valid" if as_japanese.passed else f"rejected at {as_japanese.rejected_at}")

    # The keyword form still works: text, duration in milliseconds, segments.
    verdict = judge.evaluate_transcription(text=TALK, duration_ms=42_000, segments=None)
    print("keyword form:", "valid" if verdict.passed else "rejected")


if __name__ == "__main__":
    main()
