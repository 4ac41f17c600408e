"""The `arandu` command."""
