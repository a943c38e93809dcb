"""The two ways a text can fail to become a ProjectRecord."""

from __future__ import annotations


class NotARecord(Exception):
    """The text is not a project-bank record (a news item, a web page, a report...)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class RecordParseError(Exception):
    """The text is recognisably a project-bank record but broken (truncated, inconsistent)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
