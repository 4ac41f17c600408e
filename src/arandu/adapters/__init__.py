"""Adapters: storage, record formats, prompts and validators, named for their technology."""
