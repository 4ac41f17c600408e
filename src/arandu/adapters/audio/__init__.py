"""Audio adapters: recordings found and decoded with PyAV, speech detected with Silero VAD."""
