"""Executors: where batches of records are judged."""
