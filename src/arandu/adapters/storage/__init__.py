"""Record stores."""
