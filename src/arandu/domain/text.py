"""Word splitting shared by the criteria that count words."""

from __future__ import annotations

import math
import string
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from arandu.domain.scripts import split_unspaced, unspaced_word_adjustment

Ints = npt.NDArray[np.intp]

# ASCII punctuation becomes a space; UTF-8 multi-byte sequences never contain
# ASCII bytes, so this is exact on the encoded text and much faster than a regex.
_ASCII_PUNCTUATION = bytes.maketrans(string.punctuation.encode(), b" " * len(string.punctuation))
# Quotes, guillemets, dashes, ellipsis, inverted marks and bullets that cling to words.
_UNICODE_PUNCTUATION = (
    "\u201c\u201d\u2018\u2019\u00ab\u00bb\u2026\u2014\u2013\u2039\u203a\u00bf\u00a1\u00b7\u2022\u201e\u201a"
)
# Chinese and Japanese full stop, commas, brackets and full-width marks, which would otherwise be words;
# only looked for in text that holds Chinese, Japanese or South-East Asian letters.
_CJK_PUNCTUATION = (
    "\u3002\u3001\uff0c\uff01\uff1f\uff1a\uff1b\uff08\uff09\u300c\u300d\u300e\u300f\u3010\u3011\u300a\u300b\u30fb\uff5e"
)


def _latin1_fold() -> bytes:
    """A table for Latin-1 bytes: each punctuation mark above to a space, each letter to its lower case.

    Every character below U+0100 lower-cases to one character below U+0100, so for text all in
    that range one byte-level pass does what the replacements and `str.lower` do (ten times faster).
    """
    marks = set(string.punctuation) | {mark for mark in _UNICODE_PUNCTUATION if mark < "\u0100"}
    return bytes(ord(" " if chr(c) in marks else chr(c).lower()) for c in range(256))


_LATIN1_FOLD = _latin1_fold()
# The Latin-1 characters str.split() splits on.
_LATIN1_SPACE = np.array([chr(c).isspace() for c in range(256)], dtype=bool)


def count_words(text: str) -> int:
    """Words a reader would count: runs of characters between spaces and punctuation; runs of
    Chinese, Japanese, Thai, Lao, Khmer or Burmese, written without spaces, count as the words they hold."""
    return word_count_of(text, normalized_words(text))


def word_count_of(text: str, words: list[str], encoded: bytes | None = None) -> int:
    """The word count of `text` given its `normalized_words`, estimated for scripts written without spaces."""
    return max(0, math.ceil(len(words) + unspaced_word_adjustment(text, encoded)))


def normalized_words(text: str, encoded: bytes | None = None) -> list[str]:
    """Lower-cased words with punctuation removed, for counting and comparing repeats.

    `encoded` may pass the UTF-8 bytes of `text` when the caller already has them. Each Han
    or kana character is a word of its own, so loops in scripts without spaces are seen too.
    """
    try:
        # Most text (Portuguese, Spanish, English, ...) is all Latin-1, which holds no unspaced script.
        return text.encode("latin-1").translate(_LATIN1_FOLD).decode("latin-1").split()
    except UnicodeEncodeError:
        pass
    marks = _UNICODE_PUNCTUATION
    spaced = split_unspaced(text, encoded)
    if spaced is not text:
        text, encoded, marks = spaced, None, _UNICODE_PUNCTUATION + _CJK_PUNCTUATION
    folded = (encoded or text.encode("utf-8")).translate(_ASCII_PUNCTUATION).decode("utf-8")
    if not folded.isascii():
        for mark in marks:
            if mark in folded:
                folded = folded.replace(mark, " ")
    return folded.lower().split()


def latin1_word_spans(text: str, words: Sequence[str]) -> tuple[Ints, Ints] | None:
    """Where each of `words` starts and ends in `text`, when `text` is all Latin-1 and `words` are its
    `normalized_words` (each is then the text's own characters there, lower-cased); else None."""
    try:
        folded = text.encode("latin-1").translate(_LATIN1_FOLD)
    except UnicodeEncodeError:
        return None
    if folded.decode("latin-1").split() != list(words):
        return None
    spaces = _LATIN1_SPACE[np.frombuffer(folded, dtype=np.uint8)]
    # Runs of non-space bytes, between spaces padded at both ends: starts and ends alternate.
    edges = np.flatnonzero(np.diff(np.concatenate(([True], spaces, [True])).view(np.int8)))
    return edges[::2], edges[1::2]
