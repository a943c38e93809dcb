"""Helpers for the synthetic ESF document generator (`bench/generate.py`)."""
