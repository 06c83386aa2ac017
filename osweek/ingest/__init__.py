"""Ingest of the public sources into the data package's tables."""
