"""Language codes the judge knows, and the nearest ones to a code it does not."""

from __future__ import annotations

import difflib

from arandu.domain.scripts import EXPECTED_SCRIPTS, expected_scripts


class UnknownLanguage(ValueError):
    """A language whose script the judge does not know; judging it would switch the script checks off."""


def check_language(language: str, *, flag: str = "language") -> str:
    """`language` when the judge knows its script ('pt', 'pt-BR', 'Japanese'); else UnknownLanguage
    naming the nearest known codes."""
    if expected_scripts(language) is not None:
        return language
    nearest = difflib.get_close_matches(language.lower(), sorted(EXPECTED_SCRIPTS), n=3, cutoff=0.5)
    nearest.sort(key=lambda code: code[0] != language[:1].lower())  # a typo keeps its first letter more often
    hint = f"; did you mean {' or '.join(nearest)}?" if nearest else "; use an ISO 639-1 code such as pt, en or ja"
    raise UnknownLanguage(f"unknown {flag} {language!r}{hint}")
