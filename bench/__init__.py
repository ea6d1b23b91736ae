"""Benchmarks: `./scripts/bench` prints their figures (`python -m bench.extract` for extraction
next to spaCy, `python -m bench.run` for ingest and the API)."""
