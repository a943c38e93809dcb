"""What the linker compares: a project's profile and a document's evidence, as plain data.

Both are built from the store (`projektatlas.link.run`) or from a generated corpus
(`bench/link_bench.py`), so the scoring in `projektatlas.link.documents` is the same in both.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from projektatlas.link.keys import name_key, org_key, project_name_key
from projektatlas.normalize import normalise_org_number

FORSTUDIE = "förstudie"


@dataclass(slots=True)
class ProjectProfile:
    """The fields of a project that linking compares."""

    id: int
    diarienummer: str | None = None
    name: str | None = None
    owner_id: int | None = None
    owner_name: str | None = None
    owner_keys: frozenset[str] = frozenset()
    owner_number: str | None = None
    region: str | None = None
    city: str | None = None
    start: date | None = None
    end: date | None = None
    esf_support: int | None = None
    total_budget: int | None = None
    rate: float | None = None
    participants: int | None = None
    phase: str | None = None
    period: str | None = None
    counts: dict[str, int] = field(default_factory=dict)
    name_key: str = ""

    def __post_init__(self) -> None:
        self.name_key = project_name_key(self.name)

    @property
    def is_forstudie(self) -> bool:
        return bool(self.phase) and FORSTUDIE in self.phase.casefold()

    @property
    def months(self) -> int | None:
        if self.start is None or self.end is None:
            return None
        return round(((self.end - self.start).days + 1) / 30.44)


@dataclass(slots=True)
class Mention:
    """One fact of a document, reduced to what scoring needs."""

    text: str
    value: Any
    attrs: dict[str, Any]


@dataclass(slots=True)
class DocumentEvidence:
    """The facts of one document (news item, web page, report) that can point to a project."""

    id: int
    path_or_url: str | None = None
    text_key: str = ""
    published: date | None = None
    diarienummer: list[Mention] = field(default_factory=list)
    names: list[Mention] = field(default_factory=list)
    organisations: list[Mention] = field(default_factory=list)
    regions: list[Mention] = field(default_factory=list)
    kommuner: list[Mention] = field(default_factory=list)
    amounts: list[Mention] = field(default_factory=list)
    shares: list[Mention] = field(default_factory=list)
    dates: list[Mention] = field(default_factory=list)
    periods: list[Mention] = field(default_factory=list)
    durations: list[Mention] = field(default_factory=list)
    counts: list[Mention] = field(default_factory=list)

    @property
    def org_keys(self) -> set[str]:
        keys = set()
        for m in self.organisations:
            keys.add(org_key(str(m.value)))
            keys.add(org_key(m.text))
        return keys

    @property
    def org_numbers(self) -> set[str]:
        return {
            n
            for m in self.organisations
            if (n := normalise_org_number(str(m.attrs.get("org_number") or "")))
        }

    def years(self) -> set[int]:
        """Years the document's dates and periods speak of (for blocking)."""
        years: set[int] = set()
        for m in self.dates:
            value = str(m.value)
            if value[:4].isdigit():
                years.add(int(value[:4]))
        for m in self.periods:
            if isinstance(m.value, dict):
                for key in ("start", "end"):
                    v = str(m.value.get(key) or "")
                    if v[:4].isdigit():
                        years.add(int(v[:4]))
        return years


def evidence_from_facts(
    doc_id: int,
    facts: Iterable[tuple[str, str, Any, dict[str, Any] | None]],
    text: str = "",
    path_or_url: str | None = None,
    published: date | None = None,
) -> DocumentEvidence:
    """A document's evidence from its facts as (type, text, value, attrs) tuples."""
    ev = DocumentEvidence(doc_id, path_or_url, name_key(text) if text else "", published)
    for ftype, ftext, value, attrs in facts:
        attrs = attrs or {}
        m = Mention(ftext, value, attrs)
        if ftype == "project_ref":
            (ev.diarienummer if attrs.get("kind") == "diarienummer" else ev.names).append(m)
        elif ftype == "organisation":
            if attrs.get("kind") not in ("programme", "authority", "council"):
                ev.organisations.append(m)
        elif ftype == "place":
            level = attrs.get("level")
            if level == "esf_region" or attrs.get("esf_region"):
                ev.regions.append(m)
            if level in ("kommun", "locality"):
                ev.kommuner.append(m)
        elif ftype == "money" and isinstance(value, int | float):
            ev.amounts.append(m)
        elif ftype == "share" and isinstance(value, int | float):
            ev.shares.append(m)
        elif ftype == "date":
            ev.dates.append(m)
        elif ftype == "period" and isinstance(value, dict):
            ev.periods.append(m)
        elif ftype == "duration" and isinstance(value, int | float):
            ev.durations.append(m)
        elif ftype == "count" and isinstance(value, int | float):
            ev.counts.append(m)
    return ev


def region_of(m: Mention) -> str | None:
    """The ESF region a place mention lies in."""
    if m.attrs.get("level") == "esf_region":
        return str(m.value)
    region = m.attrs.get("esf_region")
    return str(region) if region else None
