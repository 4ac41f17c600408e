"""Credentials out of every validator error: API keys, URL userinfo and bearer tokens, even when echoed back."""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit, urlunsplit

from arandu.adapters.storage.redaction import Redactor

# Shapes of LLM API credentials inside a text, whoever put them there.
_TOKEN_SHAPES = (
    re.compile(r"(?i)((?:bearer|basic)\s+)[A-Za-z0-9._~+/=-]{6,}"),
    re.compile(r"(?i)((?:api[_-]?key|authorization|x-api-key|token)[\"']?\s*[:=]\s*[\"']?)[^\s\"',}&]{4,}"),
    re.compile(r"\b(sk-)[A-Za-z0-9_-]{8,}"),
)
_MASK = "[redacted]"


class Scrubber:
    """Masks a validator's own secrets (API key, the password in its base URL) and anything shaped like one."""

    def __init__(self, *, api_key: str | None = None, base_url: str | None = None) -> None:
        secrets = [api_key or ""]
        if base_url:
            try:
                parts = urlsplit(base_url)
            except ValueError:
                parts = None
            if parts is not None:
                secrets += [parts.password or "", unquote(parts.password or "")]
        self._redact = Redactor([s for s in secrets if s and s != "not-needed"])

    def __call__(self, text: str) -> str:
        text = self._redact(text)
        for shape in _TOKEN_SHAPES:
            text = shape.sub(lambda m: m.group(1) + _MASK, text)
        return text


def display_url(url: str) -> str:
    """The URL without its userinfo, for messages: `http://user:pw@host/v1` reads `http://host/v1`."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = parts.port
    except ValueError:
        return Scrubber(base_url=url)(url)
    if not parts.username and not parts.password:
        return url
    netloc = f"[{host}]" if ":" in host else host
    if port is not None:
        netloc += f":{port}"
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
