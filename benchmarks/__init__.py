"""Benchmark scripts and packages (run by hand, not tests); see README.md here."""
