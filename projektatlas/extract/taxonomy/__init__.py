"""Taxonomies (target groups, methods) and the pattern matcher the extractors share.

Each JSON file holds ``source``, ``notes`` and ``entries``; every entry has ``id``,
``label_sv``, ``label_en``, ``synonyms`` and ``patterns`` (regular expressions, matched
case-insensitively at word boundaries; a named group ``m`` narrows the span) and may have
``case_sensitive_patterns`` and ``broader``.
"""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from projektatlas.extract.prefilter import Needs, view, with_lookahead
from projektatlas.model import Fact


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
    # One literal pre-check per pattern (same order), so absent patterns are never run.
    needs: tuple[Needs, ...] = ()
    # The distinct literals of ``needs``: (case-folded, case-sensitive).
    literals: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())

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
            compiled.append((i, with_lookahead(re.compile(_wrap(p), re.IGNORECASE))))
        for p in entry.get("case_sensitive_patterns", []):
            compiled.append((i, with_lookahead(re.compile(_wrap(p)))))
    needs = tuple(Needs.of(pattern) for _, pattern in compiled)
    return Taxonomy(name, raw["source"], entries, tuple(compiled), needs, _literals(needs))


def _literals(needs: tuple[Needs, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Every distinct pre-check literal: (case-folded ones, case-sensitive ones)."""
    folded = {a for n in needs if n.folded for a in n.alternatives}
    exact = {a for n in needs if not n.folded for a in n.alternatives}
    return tuple(sorted(folded)), tuple(sorted(exact))


def _runnable(taxonomy: Taxonomy, text: str) -> list[tuple[int, re.Pattern[str]]]:
    """The patterns whose pre-check literals occur in ``text`` (each literal tested once)."""
    if not taxonomy.needs:
        return list(taxonomy.patterns)
    tv = view(text)
    folded, exact = taxonomy.literals
    present = {a for a in exact if a in text}
    if tv.folded is not None:
        present.update(a for a in folded if a in tv.folded)
    out = []
    for (i, pattern), need in zip(taxonomy.patterns, taxonomy.needs, strict=True):
        if (
            not need.alternatives
            or (need.folded and tv.folded is None)
            or not present.isdisjoint(need.alternatives)
        ):
            out.append((i, pattern))
    return out


def find(taxonomy: Taxonomy, text: str) -> list[TaxonomyMatch]:
    """Non-overlapping matches, the longest first (a match inside or across a longer one is dropped)."""
    found: list[TaxonomyMatch] = []
    for i, pattern in _runnable(taxonomy, text):
        has_m = "m" in pattern.groupindex
        for m in pattern.finditer(text):
            if has_m and m.group("m") is not None:
                start, end = m.span("m")
            else:
                start, end = m.span()
            if end > start:
                found.append(TaxonomyMatch(taxonomy.entries[i], start, end))
    # Longest first; a match inside or partly over a kept (longer) one is dropped. Kept
    # matches are disjoint, so sorted by start their ends are sorted too, and only the kept
    # match starting last before this one's end can overlap it (a bisect, not a scan).
    starts: list[int] = []
    kept: list[TaxonomyMatch] = []
    for match in sorted(found, key=lambda x: (-(x.end - x.start), x.start)):
        i = bisect.bisect_left(starts, match.end)
        if i > 0 and kept[i - 1].end > match.start:
            continue
        starts.insert(i, match.start)
        kept.insert(i, match)
    return kept


def taxonomy_facts(
    name: str, fact_type: str, text: str, extractor: str, version: str
) -> list[Fact]:
    """One ``Fact`` per match of taxonomy ``name`` in ``text``, value = the entry's id."""
    return [
        Fact(
            type=fact_type,
            text=text[m.start : m.end],
            value=m.entry["id"],
            start=m.start,
            end=m.end,
            confidence=0.85,
            extractor=extractor,
            extractor_version=version,
            attrs={"label_sv": m.entry["label_sv"], "label_en": m.entry["label_en"]},
        )
        for m in find(load(name), text)
    ]
