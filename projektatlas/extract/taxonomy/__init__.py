"""Taxonomies (target groups, methods) and the pattern matcher the extractors share.

Each JSON file holds ``source``, ``notes`` and ``entries``; every entry has ``id``,
``label_sv``, ``label_en``, ``synonyms`` and ``patterns`` (regular expressions, matched
case-insensitively at word boundaries; a named group ``m`` narrows the span) and may have
``case_sensitive_patterns`` and ``broader``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any


@dataclass(frozen=True, slots=True)
class TaxonomyMatch:
    entry: dict[str, Any]
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Taxonomy:
    name: str
    source: str
    entries: tuple[dict[str, Any], ...]
    patterns: tuple[tuple[int, re.Pattern[str]], ...]

    def by_id(self, entry_id: str) -> dict[str, Any] | None:
        return next((e for e in self.entries if e["id"] == entry_id), None)


def _wrap(pattern: str) -> str:
    """Word boundaries around ``pattern``; each space in it matches one space or line break."""
    spaced = pattern.replace(" ", r"\s")
    return rf"(?<!\w)(?:{spaced})(?!\w)"


@cache
def load(name: str) -> Taxonomy:
    """The taxonomy stored as ``taxonomy/<name>.json`` (e.g. ``"target_groups"``)."""
    raw = json.loads(resources.files(__package__).joinpath(f"{name}.json").read_text("utf-8"))
    entries = tuple(raw["entries"])
    compiled: list[tuple[int, re.Pattern[str]]] = []
    for i, entry in enumerate(entries):
        for p in entry.get("patterns", []):
            compiled.append((i, re.compile(_wrap(p), re.IGNORECASE)))
        for p in entry.get("case_sensitive_patterns", []):
            compiled.append((i, re.compile(_wrap(p))))
    return Taxonomy(name, raw["source"], entries, tuple(compiled))


def find(taxonomy: Taxonomy, text: str) -> list[TaxonomyMatch]:
    """Non-overlapping matches, the longest first (a match inside or across a longer one is dropped)."""
    found: list[TaxonomyMatch] = []
    for i, pattern in taxonomy.patterns:
        for m in pattern.finditer(text):
            if "m" in pattern.groupindex and m.group("m") is not None:
                start, end = m.span("m")
            else:
                start, end = m.span()
            if end > start:
                found.append(TaxonomyMatch(taxonomy.entries[i], start, end))
    kept: list[TaxonomyMatch] = []
    for match in sorted(found, key=lambda x: (-(x.end - x.start), x.start)):
        if any(k.start <= match.start and match.end <= k.end for k in kept):
            continue
        if any(k.start < match.end and match.start < k.end for k in kept):
            continue  # a partial overlap with a longer match: the longer one wins
        kept.append(match)
    return sorted(kept, key=lambda x: (x.start, x.end))
