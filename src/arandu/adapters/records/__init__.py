"""Record formats to and from transcripts."""
