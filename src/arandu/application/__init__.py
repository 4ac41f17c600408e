"""Use cases and the ports they need; no adapter library is imported here."""
