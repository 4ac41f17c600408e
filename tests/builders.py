"""Hand-built texts and records with exactly the properties a test names (word counts, ratios, timings)."""

from __future__ import annotations

from typing import Any

_CONSONANTS = "bcdfglmnprstv"
_VOWELS = "aeiou"
_SYLLABLES = [c + v for c in _CONSONANTS for v in _VOWELS]  # 65 syllables, all Latin letters


def distinct_words(count: int, offset: int = 0) -> list[str]:
    """`count` different lower-case Latin words (two syllables and an 'r'), none of them a real word we use."""
    n = len(_SYLLABLES)
    words = []
    for i in range(offset, offset + count):
        assert i < n * n, "ran out of distinct words"
        words.append(_SYLLABLES[i // n] + _SYLLABLES[i % n] + "r")
    return words


def prose(count: int, offset: int = 0) -> str:
    """A text of `count` different words: no repetition, Latin only."""
    return " ".join(distinct_words(count, offset))


def sized_text(chars: int, words: int) -> str:
    """A text with exactly `chars` characters and `words` white-space separated words."""
    letters = chars - (words - 1)
    assert letters >= words, "each word needs at least one letter"
    base, extra = divmod(letters, words)
    return " ".join("a" * (base + 1 if i < extra else base) for i in range(words))


def clean_portuguese() -> str:
    """Ordinary Portuguese speech: 69 words, no word above 15%, no phrase looping, all Latin."""
    return (
        "A gente morava na beira do rio e quando vinha a cheia tinha que subir tudo pro alto. "
        "Meu pai pescava de noite, e de manhã cedo minha mãe vendia o peixe na feira da cidade. "
        "Naquele tempo não tinha estrada, era tudo de barco; a escola ficava do outro lado da lagoa "
        "e a professora vinha de canoa também. Hoje em dia diminuiu bastante por causa da poluição."
    )


def starts_every(interval: float, count: int, first: float = 0.0) -> list[float]:
    """`count` segment starts `interval` seconds apart (computed by multiplication, as Whisper's would be)."""
    return [first + i * interval for i in range(count)]


IRREGULAR_STARTS = [0.0, 2.4, 5.1, 6.3, 9.8, 11.2, 14.9, 16.0, 19.7, 21.5, 24.2, 27.9]


def segments_at(starts: list[float], texts: list[str] | None = None) -> list[dict[str, Any]]:
    """Segment dicts starting at `starts`, each ending where the next begins (last one +2 s)."""
    texts = texts if texts is not None else [f"trecho {i}" for i in range(len(starts))]
    ends = [*starts[1:], starts[-1] + 2.0] if starts else []
    return [{"text": t, "start": s, "end": e} for t, s, e in zip(texts, starts, ends, strict=True)]


def record(text: str = "", *, duration_ms: int | None = 30_000, **fields: Any) -> dict[str, Any]:
    """A record document with a little metadata of the kind the judge must leave alone."""
    document: dict[str, Any] = {
        "file_id": "abc123",
        "transcription_text": text or clean_portuguese(),
        "duration_milliseconds": duration_ms,
        "segments": segments_at(IRREGULAR_STARTS[:6]),
    }
    document.update(fields)
    return document


# The heuristic stage's criteria: the seed's five in its order, then the detection criteria of issue 5.
HEURISTIC_ORDER = [
    "content_length_floor",
    "script_match",
    "repetition",
    "content_density",
    "segment_quality",
    "decoder_confidence",
    "known_hallucination",
    "loop",
]
