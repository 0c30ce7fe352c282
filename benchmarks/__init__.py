"""Benchmarks, run by ``make bench``: each reports ratios against a baseline of the same run."""
