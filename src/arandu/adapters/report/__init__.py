"""Report and audit-sheet formats: JSON, CSV, Parquet, a self-contained HTML page."""
