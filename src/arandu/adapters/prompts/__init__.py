"""Prompt files and their configs for the LLM criteria."""
