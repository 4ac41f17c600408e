"""Keeps credentials out of anything the program prints: store errors pass through `Redactor` first."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from typing import Any

# Environment variables whose values are credentials for the stores fsspec reaches.
SECRET_ENVIRONMENT = (
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
    "GOOGLE_OAUTH_ACCESS_TOKEN",
    "AZURE_STORAGE_KEY",
    "AZURE_STORAGE_CONNECTION_STRING",
)
# A storage option whose name contains one of these holds a credential (s3fs: key, secret, token; ...).
_SECRET_NAME = re.compile(r"key|secret|token|password|credential|session|sas|signature", re.IGNORECASE)
# Shapes a credential takes inside an error text even when we never saw its value.
_SECRET_SHAPES = (
    re.compile(r"\b(?:AKIA|ASIA|AIDA|AROA)[A-Z0-9]{12,}\b"),
    re.compile(r"((?:X-Amz-Signature|X-Amz-Credential|X-Amz-Security-Token|Signature|Credential)=)[^&\s,\"']+"),
    re.compile(r"(://[^/\s:@]+:)[^@\s/]+(@)"),
)
_MASK = "[redacted]"
_SHORTEST_SECRET = 4


class Redactor:
    """Replaces every known secret, and anything shaped like one, with a mask."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        # Longest first, so a secret that contains another is masked whole.
        self._secrets = tuple(sorted({s for s in secrets if len(s) >= _SHORTEST_SECRET}, key=len, reverse=True))

    @classmethod
    def for_options(cls, storage_options: Mapping[str, Any], environ: Mapping[str, str] | None = None) -> Redactor:
        """Secrets from the storage options (any nesting) and the standard credential variables."""
        environ = os.environ if environ is None else environ
        found = [environ[name] for name in SECRET_ENVIRONMENT if environ.get(name)]
        found += _secret_values(storage_options)
        return cls(found)

    def __call__(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, _MASK)
        for shape in _SECRET_SHAPES:
            text = shape.sub(lambda m: "".join(g or "" for g in m.groups()[:1]) + _MASK + _tail(m), text)
        return text


def _tail(match: re.Match[str]) -> str:
    groups = match.groups()
    return groups[1] if len(groups) > 1 and groups[1] else ""


def _secret_values(options: Mapping[str, Any], under_secret: bool = False) -> list[str]:
    found: list[str] = []
    for name, value in options.items():
        secret = under_secret or bool(_SECRET_NAME.search(str(name)))
        if isinstance(value, Mapping):
            found += _secret_values(value, secret)
        elif isinstance(value, str) and secret:
            found.append(value)
    return found
