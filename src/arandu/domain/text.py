"""Word splitting shared by the criteria that count words."""

from __future__ import annotations

import re

# A word is a run of letters/digits, keeping inner apostrophes and hyphens
# ("d'água", "guarda-chuva") so they count once, as a reader would count them.
_WORD = re.compile(r"\w+(?:['’\-]\w+)*")


def count_words(text: str) -> int:
    """Words as separated by white space: what a reader would count."""
    return len(text.split())


def normalized_words(text: str) -> list[str]:
    """Lower-cased words without punctuation, for comparing repeats."""
    return _WORD.findall(text.lower())
