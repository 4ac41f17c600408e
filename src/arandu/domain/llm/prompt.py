"""Prompt rendering: the transcript goes in once, between delimiters, and is never expanded again."""

from __future__ import annotations

TRANSCRIPT_PLACEHOLDER = "{{transcript}}"
OPEN_DELIMITER = "<<<TRANSCRIPT"
CLOSE_DELIMITER = "TRANSCRIPT>>>"


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
    return f"{before}{OPEN_DELIMITER}\n{transcript_text}\n{CLOSE_DELIMITER}{after}"
