"""The phone's events: their published shape (schema) and their idempotent ingest."""
