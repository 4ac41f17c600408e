"""Pure domain: transcripts, verdicts, criteria and the pipeline rules. No I/O."""
