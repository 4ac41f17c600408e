"""Where `arandu export` reads records byte for byte and writes them (a folder, a bucket, a manifest)."""
