"""Writing systems: which script a letter belongs to, which scripts a language is written in."""

from __future__ import annotations

import re
import string
import unicodedata
from collections import Counter
from functools import lru_cache

# Unicode character names start with the script for every script Whisper emits;
# the first matching prefix wins, so "CJK" must come before nothing it could shadow.
_NAME_PREFIXES: tuple[tuple[str, str], ...] = (
    ("LATIN", "latin"),
    ("CYRILLIC", "cyrillic"),
    ("GREEK", "greek"),
    ("ARABIC", "arabic"),
    ("HEBREW", "hebrew"),
    ("DEVANAGARI", "devanagari"),
    ("BENGALI", "bengali"),
    ("GURMUKHI", "gurmukhi"),
    ("GUJARATI", "gujarati"),
    ("ORIYA", "oriya"),
    ("TAMIL", "tamil"),
    ("TELUGU", "telugu"),
    ("KANNADA", "kannada"),
    ("MALAYALAM", "malayalam"),
    ("SINHALA", "sinhala"),
    ("THAI", "thai"),
    ("LAO", "lao"),
    ("KHMER", "khmer"),
    ("MYANMAR", "myanmar"),
    ("TIBETAN", "tibetan"),
    ("GEORGIAN", "georgian"),
    ("ARMENIAN", "armenian"),
    ("ETHIOPIC", "ethiopic"),
    ("CJK", "han"),
    ("HIRAGANA", "kana"),
    ("KATAKANA", "kana"),
    ("HANGUL", "hangul"),
)

# Scripts grouped as "CJK" in tags when the expected language uses none of them (the seed's tag).
CJK_SCRIPTS = frozenset({"han", "kana", "hangul"})

_LATIN = frozenset({"latin"})
_CYRILLIC = frozenset({"cyrillic"})
_ARABIC = frozenset({"arabic"})
_DEVANAGARI = frozenset({"devanagari"})

_LATIN_CODES = (
    "af az br bs ca cs cy da de en es et eu fi fo fr ga gl haw ht hr hu id is it jw la lb ln lt lv mg mi ms mt "
    "nl nn no nb oc pl pt ro sk sl sn so sq su sv sw tk tl tr uz vi yo ha"
)

EXPECTED_SCRIPTS: dict[str, frozenset[str]] = {
    **dict.fromkeys(_LATIN_CODES.split(), _LATIN),
    **{code: _CYRILLIC for code in ("ru", "uk", "be", "bg", "mk", "kk", "ky", "tg", "mn", "tt", "ba")},
    "sr": frozenset({"cyrillic", "latin"}),
    "el": frozenset({"greek"}),
    **{code: _ARABIC for code in ("ar", "fa", "ur", "ps", "sd", "ug")},
    **{code: frozenset({"hebrew"}) for code in ("he", "iw", "yi")},
    **{code: _DEVANAGARI for code in ("hi", "mr", "ne", "sa")},
    "bn": frozenset({"bengali"}),
    "as": frozenset({"bengali"}),
    "pa": frozenset({"gurmukhi"}),
    "gu": frozenset({"gujarati"}),
    "or": frozenset({"oriya"}),
    "ta": frozenset({"tamil"}),
    "te": frozenset({"telugu"}),
    "kn": frozenset({"kannada"}),
    "ml": frozenset({"malayalam"}),
    "si": frozenset({"sinhala"}),
    "th": frozenset({"thai"}),
    "lo": frozenset({"lao"}),
    "km": frozenset({"khmer"}),
    "my": frozenset({"myanmar"}),
    "bo": frozenset({"tibetan"}),
    "ka": frozenset({"georgian"}),
    "hy": frozenset({"armenian"}),
    "am": frozenset({"ethiopic"}),
    "zh": frozenset({"han"}),
    "yue": frozenset({"han"}),
    "ja": frozenset({"han", "kana"}),
    "ko": frozenset({"hangul", "han"}),
}

# Scripts written without spaces between words, and about how many letters make a word in each,
# so that a Chinese or Thai transcript is not mistaken for a handful of words.
_UNSPACED = re.compile(
    r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff]+"
)
_ASCII_LETTERS = string.ascii_letters.encode()
# Script=Latin in Unicode though their names do not say so; Portuguese writes them daily (1º, 2ª).
_LATIN_WITHOUT_THE_NAME = frozenset("\u00aa\u00ba")
_BELOW_THREE_BYTE_LEAD = bytes(range(0xE0))
_ASCII = bytes(range(0x80))
_HAN_KANA = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# The katakana middle dot lies in the kana block but is a mark: no word of its own, no letter of one.
_KANA_MARK = "\u30fb"
LETTERS_PER_WORD_HAN_KANA = 1.5
LETTERS_PER_WORD_SOUTHEAST_ASIAN = 4.0


# Whisper writes the language's English name when it was given one (`--language Japanese`).
_NAMES = {
    "afrikaans": "af",
    "arabic": "ar",
    "armenian": "hy",
    "bengali": "bn",
    "bulgarian": "bg",
    "catalan": "ca",
    "chinese": "zh",
    "mandarin": "zh",
    "cantonese": "yue",
    "croatian": "hr",
    "czech": "cs",
    "danish": "da",
    "dutch": "nl",
    "english": "en",
    "finnish": "fi",
    "french": "fr",
    "georgian": "ka",
    "german": "de",
    "greek": "el",
    "hebrew": "he",
    "hindi": "hi",
    "hungarian": "hu",
    "indonesian": "id",
    "italian": "it",
    "japanese": "ja",
    "korean": "ko",
    "malay": "ms",
    "norwegian": "no",
    "persian": "fa",
    "polish": "pl",
    "portuguese": "pt",
    "romanian": "ro",
    "russian": "ru",
    "serbian": "sr",
    "slovak": "sk",
    "spanish": "es",
    "swedish": "sv",
    "tamil": "ta",
    "thai": "th",
    "turkish": "tr",
    "ukrainian": "uk",
    "urdu": "ur",
    "vietnamese": "vi",
}


def base_language(language: str) -> str:
    """'pt-BR' and 'pt_PT' are judged as 'pt'; 'Japanese' as 'ja'."""
    code = language.replace("_", "-").split("-")[0].lower()
    return _NAMES.get(code, code)


def expected_scripts(language: str) -> frozenset[str] | None:
    """The scripts `language` is written in, or None when no expectation is known."""
    return EXPECTED_SCRIPTS.get(base_language(language))


@lru_cache(maxsize=8192)
def script_of(char: str) -> str | None:
    """The script of a letter ('latin', 'cyrillic', 'han', ...), 'other', or None for a non-letter."""
    if not char.isalpha():
        return None
    if char.isascii():
        return "latin"
    name = unicodedata.name(char, "")
    for prefix, script in _NAME_PREFIXES:
        if name.startswith(prefix):
            return script
    if "LATIN" in name or char in _LATIN_WITHOUT_THE_NAME:  # e.g. FULLWIDTH LATIN; 1º, 2ª
        return "latin"
    return "other"


def has_unspaced(text: str, encoded: bytes | None = None) -> bool:
    """Whether `text` holds letters of a script written without spaces between words."""
    if text.isascii():
        return False
    # Every such letter is at U+0E00 or above, so three or four bytes long in UTF-8, led by a byte
    # >= 0xE0: text without such a byte (most Latin, Cyrillic, Greek, Arabic text) is settled by one
    # C-level pass, far faster than the regular expression.
    if not (encoded or text.encode("utf-8")).translate(None, _BELOW_THREE_BYTE_LEAD):
        return False
    return _UNSPACED.search(text) is not None


def unspaced_word_adjustment(text: str, encoded: bytes | None = None) -> float:
    """What to add to the token count of `text` (each Han or kana character a token, each other
    unspaced run one token) to get the words those runs hold, estimated from their length."""
    if not has_unspaced(text, encoded):
        return 0.0
    han_kana = letters = runs = 0
    for run in _UNSPACED.findall(text):
        if _HAN_KANA.match(run):
            han_kana += len(run) - run.count(_KANA_MARK)
        else:
            letters += len(run)
            runs += 1
    # Whole counts divided once: a sum of thirds and quarters run by run could come out a hair above
    # a whole number of words, which the caller's rounding up would then make one more.
    return han_kana / LETTERS_PER_WORD_HAN_KANA - han_kana + letters / LETTERS_PER_WORD_SOUTHEAST_ASIAN - runs


def split_unspaced(text: str, encoded: bytes | None = None) -> str:
    """Put spaces around each Han or kana character and each South-East Asian run, so words can be split.

    Returns `text` itself when it holds no such letters.
    """
    if not has_unspaced(text, encoded):
        return text

    def spaced(match: re.Match[str]) -> str:
        run = match.group(0)
        return f" {' '.join(run)} " if _HAN_KANA.match(run) else f" {run} "

    return _UNSPACED.sub(spaced, text)


@lru_cache(maxsize=1)
def _latin1_tables() -> tuple[bytes, tuple[tuple[bytes, str], ...]]:
    """For text all below U+0100: the bytes that are not Latin letters (deleted to count those),
    and each other letter there with its script (only the micro sign, a letter whose name names
    no script, which `script_of` reads as 'other')."""
    scripts = [script_of(chr(c)) for c in range(256)]
    not_latin = bytes(c for c, script in enumerate(scripts) if script != "latin")
    others = tuple((bytes([c]), script) for c, script in enumerate(scripts) if script is not None and script != "latin")
    return not_latin, others


def count_letters_by_script(text: str, encoded: bytes | None = None) -> Counter[str]:
    """Letters of `text` counted per script; `encoded` may pass its UTF-8 bytes."""
    try:
        # Most text (Portuguese, Spanish, English, ...) is all Latin-1: one byte a character, so
        # one C-level pass counts its Latin letters, well ahead of the general path.
        latin1 = text.encode("latin-1")
    except UnicodeEncodeError:
        pass
    else:
        not_latin, others = _latin1_tables()
        latin1_counts = Counter(latin=len(latin1.translate(None, not_latin)))
        for byte, other in others:
            if n := latin1.count(byte):
                latin1_counts[other] += n
        return latin1_counts
    encoded = encoded or text.encode("utf-8")
    # Bytes of multi-byte characters are all >= 0x80, so deleting ASCII letters counts exactly them.
    counts: Counter[str] = Counter(latin=len(encoded) - len(encoded.translate(None, _ASCII_LETTERS)))
    # Text here is never all ASCII (that is Latin-1). Deleting the ASCII bytes leaves whole
    # multi-byte sequences: the text's other characters.
    for char, n in Counter(encoded.translate(None, _ASCII).decode("utf-8")).items():
        script = script_of(char)
        if script is not None:
            counts[script] += n
    return counts
