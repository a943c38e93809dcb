"""Errors raised while reading sources."""

from __future__ import annotations


class SourceError(Exception):
    """A source cannot be made into a document; the message is the reason shown to users."""
