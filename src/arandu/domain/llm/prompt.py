"""Prompt rendering: the transcript goes in once, between delimiters, and is never expanded again."""

from __future__ import annotations

import re

TRANSCRIPT_PLACEHOLDER = "{{transcript}}"
OPEN_DELIMITER = "<<<TRANSCRIPT"
CLOSE_DELIMITER = "TRANSCRIPT>>>"
# Either delimiter in any case, with any spacing before the word: what a model could take for one.
_MARKER = re.compile(r"<<<\s*TRANSCRIPT|TRANSCRIPT\s*>>>", re.IGNORECASE)


def check_template(template: str) -> None:
    """A template must name the transcript's place exactly once; anything else is a broken prompt file."""
    found = template.count(TRANSCRIPT_PLACEHOLDER)
    if found != 1:
        raise ValueError(f"a prompt template must contain {TRANSCRIPT_PLACEHOLDER} exactly once (found {found})")


def render_prompt(template: str, transcript_text: str) -> str:
    """The prompt for one transcript.

    The template is split around its single placeholder and the pieces are
    joined with the transcript between delimiters. Nothing is substituted
    inside the transcript itself, so text such as `$text`, `{text}` or
    `{{transcript}}` reaches the model exactly as spoken.
    """
    check_template(template)
    before, after = template.split(TRANSCRIPT_PLACEHOLDER)
    return f"{before}{OPEN_DELIMITER}\n{neutralise_markers(transcript_text)}\n{CLOSE_DELIMITER}{after}"


def neutralise_markers(text: str) -> str:
    """The transcript with any copy of a delimiter broken, so it cannot end its own data block early.

    A spoken "TRANSCRIPT>>>" is vanishingly rare; when it happens it reaches the model as
    "TRANSCRIPT> > >", which reads the same to a judge and closes nothing.
    """
    return _MARKER.sub(lambda m: m.group(0).replace("<<<", "< < <").replace(">>>", "> > >"), text)
