"""Benchmarks: `./scripts/bench` (or `python -m bench.run`) prints their figures."""
