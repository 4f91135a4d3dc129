"""Benchmarks that print ratios against reference implementations measured in the same run."""

__all__ = ["timing"]
