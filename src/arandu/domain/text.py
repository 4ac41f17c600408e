"""Word splitting shared by the criteria that count words."""

from __future__ import annotations

import string

# ASCII punctuation becomes a space; UTF-8 multi-byte sequences never contain
# ASCII bytes, so this is exact on the encoded text and much faster than a regex.
_ASCII_PUNCTUATION = bytes.maketrans(string.punctuation.encode(), b" " * len(string.punctuation))
# Quotes, guillemets, dashes, ellipsis, inverted marks and bullets that cling to words.
_UNICODE_PUNCTUATION = (
    "\u201c\u201d\u2018\u2019\u00ab\u00bb\u2026\u2014\u2013\u2039\u203a\u00bf\u00a1\u00b7\u2022\u201e\u201a"
)


def count_words(text: str) -> int:
    """Words a reader would count: runs of characters between spaces and punctuation."""
    return len(normalized_words(text))


def normalized_words(text: str, encoded: bytes | None = None) -> list[str]:
    """Lower-cased words with punctuation removed, for counting and comparing repeats.

    `encoded` may pass the UTF-8 bytes of `text` when the caller already has them.
    """
    folded = (encoded or text.encode("utf-8")).translate(_ASCII_PUNCTUATION).decode("utf-8")
    if not folded.isascii():
        for mark in _UNICODE_PUNCTUATION:
            if mark in folded:
                folded = folded.replace(mark, " ")
    return folded.lower().split()
