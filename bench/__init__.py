"""Benchmarks, printed and never asserted: `python -m bench` (or `make bench`) runs them all.

Each module bench/<name>.py exposes `main() -> None`.
"""
