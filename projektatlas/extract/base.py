"""The contract every fact extractor follows.

An extractor is a small module exposing ``NAME``, ``VERSION`` and
``extract(text, ctx) -> list[Fact]``. Spans are character offsets into ``text``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Protocol

from projektatlas.model import Fact

# Capitalised words that begin sentences, never names (shared by the name-finding extractors).
SENTENCE_WORDS = frozenset(
    ["Den", "Det", "De", "Där", "Här", "Med", "Och", "Men", "Som", "Vid", "För", "Från",
     "Till", "Hos", "Under", "Efter", "Inom"]
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class ExtractContext:
    """What an extractor may know about the document besides its text."""

    doc_date: date | None = None
    title: str | None = None
    kind: str | None = None


class Extractor(Protocol):
    NAME: str
    VERSION: str

    def extract(self, text: str, ctx: ExtractContext) -> list[Fact]: ...
