"""Documents → projects: find candidate projects for a document and score the agreement.

Candidates come from blocking keys (a mentioned diarienummer, a project name, an owner and
the years the document speaks of, else its ESF region and years). Blocks are bounded so that
a document's candidates do not grow with the number of projects: a name borne by more than
`_SELECTIVE_NAME_BLOCK` projects is narrowed to the owners the document names (when one of
them bears it), one borne by more than `_MAX_NAME_BLOCK` to those owners or else to the
document's ESF regions and years; an owner's projects are taken within a year of the years
the document speaks of. Each agreeing or conflicting fact adds a weighted evidence item; the
sum decides: ``>= LINKED`` a link, ``>= CANDIDATE`` a candidate to review, below that
nothing. A document's comparison keys (`DocKeys`) are derived once, not per candidate.
"""

from __future__ import annotations

import gc
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from rapidfuzz import fuzz

from projektatlas.link.keys import name_key, org_key, project_name_key, successor_base
from projektatlas.link.profiles import DocumentEvidence, ProjectProfile, region_of

LINKED = 6.5
CANDIDATE = 3.0
METHOD = "rules-v1"
NATIONAL = "ESF Nationellt"
WEIGHTS = {
    "diarienummer": 8.0,
    "other_diarienummer": -2.0,
    "name": 6.0,
    "name_fuzzy": 4.0,
    "name_in_text": 5.0,
    "name_conflict": -3.0,
    "unique_name": 1.0,
    "owner": 3.0,
    "owner_conflict": -2.0,
    "esf_region": 1.5,
    "esf_region_of_owner": 0.5,
    "region_conflict": -3.0,
    "kommun": 1.0,
    "amount": 3.0,
    "amount_approximate": 2.0,
    "amount_conflict": -1.0,
    "start_date": 2.0,
    "start_day_month": 1.5,
    "start_in_period": 1.5,
    "end_date": 1.0,
    "duration": 1.5,
    "participants": 1.5,
    "count": 1.5,
    "cofinancing": 1.0,
    "cofinancing_conflict": -1.0,
}
_MAX_BLOCK = 3000
_MAX_NAME_BLOCK = 50
_SELECTIVE_NAME_BLOCK = 4  # a name shared by more projects is narrowed to the named owners
_SUCCESSOR_AFTER = re.compile(r"^\s*(?:[-–:]\s*)?(?:2\.0|2|3\.0|ii|iii|steg|fas|del)\b")


@dataclass(slots=True)
class ProposedLink:
    """A link the linker proposes (before it meets the stored decisions)."""

    a_type: str
    a_id: int
    b_type: str
    b_id: int
    relation: str
    status: str
    score: float
    evidence: list[dict[str, Any]]
    method: str = METHOD

    @property
    def key(self) -> tuple[str, int, str, int, str]:
        return (self.a_type, self.a_id, self.b_type, self.b_id, self.relation)


def _item(feature: str, document: Any, project: Any, weight: float | None = None) -> dict:
    return {
        "feature": feature,
        "document": document,
        "project": project,
        "weight": WEIGHTS[feature] if weight is None else weight,
    }


class ProjectIndex:
    """Blocking indexes over the projects, for candidate generation."""

    def __init__(self, projects: Iterable[ProjectProfile]) -> None:
        self.projects: dict[int, ProjectProfile] = {}
        self.by_dnr: dict[str, int] = {}
        self.by_name: dict[str, list[int]] = defaultdict(list)
        self.by_owner_key: dict[str, set[int]] = defaultdict(set)
        self.by_owner_number: dict[str, int] = {}
        self.owner_projects: dict[int, dict[int | None, list[int]]] = defaultdict(
            lambda: defaultdict(list)
        )
        self.by_region_year: dict[tuple[str, int | None], list[int]] = defaultdict(list)
        # Large name blocks split by owner and by region (built when first needed), so that
        # narrowing a common name costs the size of the answer, not of the block.
        self._name_parts: dict[str, _NameParts] = {}
        self._owner_keys_added: dict[int, frozenset[str]] = {}
        with gc_paused():
            for p in projects:
                self.add(p)

    def add(self, p: ProjectProfile) -> None:
        self.projects[p.id] = p
        if p.diarienummer:
            self.by_dnr[p.diarienummer] = p.id
        if p.name_key:
            self.by_name[p.name_key].append(p.id)
            self._name_parts.pop(p.name_key, None)
        year = p.start.year if p.start else None
        if p.owner_id is not None:
            # An owner's projects share one key set (a big kommun has hundreds of spellings).
            if self._owner_keys_added.get(p.owner_id) is not p.owner_keys:
                self._owner_keys_added[p.owner_id] = p.owner_keys
                for key in p.owner_keys:
                    self.by_owner_key[key].add(p.owner_id)
            if p.owner_number:
                self.by_owner_number[p.owner_number] = p.owner_id
            self.owner_projects[p.owner_id][year].append(p.id)
        if p.region:
            self.by_region_year[(p.region, year)].append(p.id)

    def _owner_block(self, owner_id: int, years: set[int]) -> Iterable[int]:
        by_year = self.owner_projects.get(owner_id, {})
        if not years:
            if sum(len(v) for v in by_year.values()) <= _MAX_BLOCK:
                for ids in by_year.values():
                    yield from ids
            return
        for y in {y + d for y in years for d in (-1, 0, 1)} | {None}:
            yield from by_year.get(y, ())

    def owners_named(self, doc: DocumentEvidence, keys: DocKeys | None = None) -> set[int]:
        """The project owners a document names (by organisation number or name key)."""
        keys = keys or doc_keys(doc)
        owners = {self.by_owner_number[n] for n in keys.org_numbers if n in self.by_owner_number}
        for key in keys.org_keys:
            owners.update(self.by_owner_key.get(key, ()))
        return owners

    def _parts(self, name_key_: str) -> _NameParts:
        parts = self._name_parts.get(name_key_)
        if parts is None:
            parts = _NameParts(self.by_name.get(name_key_, ()), self.projects)
            self._name_parts[name_key_] = parts
        return parts

    def _narrow(self, name_key_: str, keys: DocKeys, owners: set[int]) -> list[int]:
        """A common name's projects, narrowed to the document's owners, else region and years
        (in the block's order, at most `_MAX_BLOCK`)."""
        parts = self._parts(name_key_)
        if owners:
            return parts.of_owners(owners)
        return parts.in_regions_years(keys.region_set, keys.years_around)[:_MAX_BLOCK]

    def candidates(
        self,
        doc: DocumentEvidence,
        keys: DocKeys | None = None,
        owners: set[int] | None = None,
    ) -> set[int]:
        """Projects worth scoring for this document."""
        keys = keys or doc_keys(doc)
        owners = self.owners_named(doc, keys) if owners is None else owners
        found: set[int] = set()
        for dnr in keys.dnrs:
            pid = self.by_dnr.get(dnr)
            if pid is not None:
                found.add(pid)
        for _, key in keys.names:
            block = self.by_name.get(key, ())
            if len(block) > _MAX_NAME_BLOCK:
                block = self._narrow(key, keys, owners)
            elif len(block) > _SELECTIVE_NAME_BLOCK and owners:
                # A name several owners use: the named owner's projects of that name, if any.
                block = self._parts(key).of_owners(owners) or block
            found.update(block)
        if found and (not owners or any(self.projects[p].owner_id in owners for p in found)):
            return found
        years = keys.years
        for owner_id in owners:
            found.update(self._owner_block(owner_id, years))
        if not found:
            for region in keys.region_set:
                for y in years or {None}:
                    block = self.by_region_year.get((region, y), [])
                    if len(block) <= _MAX_BLOCK:
                        found.update(block)
        return found


class _NameParts:
    """One name block split by owner and by region, each part in the block's order."""

    __slots__ = ("by_owner", "by_region", "rows")

    def __init__(self, block: Iterable[int], projects: dict[int, ProjectProfile]) -> None:
        self.by_owner: dict[int | None, list[int]] = defaultdict(list)
        self.by_region: dict[str | None, list[tuple[int, int, int | None]]] = defaultdict(list)
        self.rows: list[tuple[int, int, int | None]] = []
        for pos, pid in enumerate(block):
            p = projects[pid]
            row = (pos, pid, p.start.year if p.start else None)
            self.by_owner[p.owner_id].append(pid)
            self.by_region[p.region].append(row)
            self.rows.append(row)

    def of_owners(self, owners: set[int]) -> list[int]:
        if len(owners) == 1:
            return list(self.by_owner.get(next(iter(owners)), ()))
        return [pid for o in owners for pid in self.by_owner.get(o, ())]

    def in_regions_years(self, regions: set[str], years: set[int]) -> list[int]:
        if regions:
            rows = [row for r in regions for row in self.by_region.get(r, ())]
            if len(regions) > 1:
                rows.sort()
        else:
            rows = self.rows
        if not years:
            return [pid for _, pid, _ in rows]
        return [pid for _, pid, year in rows if year is None or year in years]


@dataclass(slots=True)
class DocKeys:
    """What scoring compares of a document, derived once per document (not per candidate)."""

    dnrs: dict[str, str]
    dnrs_shown: str
    names: list[tuple[str, str]]  # (text, project name key)
    names_shown: str
    org_numbers: set[str]
    org_keys: set[str]
    orgs: list[tuple[str, str, str]]  # (text, key of the value, key of the text)
    orgs_shown: str
    has_regions: bool
    regions: dict[str, str]  # ESF region -> how the document wrote it
    region_set: set[str]
    regions_shown: str
    kommuner: dict[str, str]
    amounts: list[tuple[str, float, bool, float]]  # (text, SEK, approximate, rounding)
    granted_shown: str | None
    dates: list[tuple[str, str, date | None]]  # (text, value, as a date)
    periods: list[tuple[str, date | None, date | None, str]]  # (text, start, end, start text)
    ends: list[tuple[str, bool, date | None, date | None]]  # (text, is a period, start/day, end)
    durations: list[tuple[str, float, int]]  # month durations: (text, value, whole months)
    counts: list[tuple[str, int, str]]  # (what, value, text)
    shares: list[tuple[Any, float, str]]  # (refers_to, value, text)
    years: set[int]
    years_around: set[int]


def doc_keys(doc: DocumentEvidence) -> DocKeys:
    """A document's comparison keys (see `DocKeys`)."""
    dnrs = {str(m.value): m.text for m in doc.diarienummer}
    regions: dict[str, str] = {}
    rank: dict[str, int] = {}
    for m in doc.regions:
        region = region_of(m)
        if not region:
            continue
        r = 2 if m.attrs.get("derived_from") else 1 if m.attrs.get("level") == "esf_region" else 0
        if region not in regions or r > rank[region]:
            regions[region], rank[region] = m.text, r
    amounts = []
    for m in doc.amounts:
        amount = float(m.value)
        amounts.append((m.text, amount, bool(m.attrs.get("approximate")), _rounding(amount)))
    granted = [m.text for m in doc.amounts if m.attrs.get("refers_to") == "granted"]
    ends: list[tuple[str, bool, date | None, date | None]] = []
    for m in [*doc.dates, *doc.periods]:
        if isinstance(m.value, dict):
            ends.append((m.text, True, _iso(m.value.get("start")), _iso(m.value.get("end"))))
        else:
            ends.append((m.text, False, _iso(m.value), None))
    years = doc.years()
    return DocKeys(
        dnrs=dnrs,
        dnrs_shown=", ".join(dnrs.values()),
        names=[(m.text, project_name_key(str(m.value))) for m in doc.names],
        names_shown="; ".join(m.text for m in doc.names),
        org_numbers=doc.org_numbers,
        org_keys=doc.org_keys,
        orgs=[(m.text, org_key(str(m.value)), org_key(m.text)) for m in doc.organisations],
        orgs_shown="; ".join(m.text for m in doc.organisations),
        has_regions=bool(doc.regions),
        regions=regions,
        region_set={r for m in doc.regions if (r := region_of(m))},
        regions_shown=", ".join(regions.values()),
        kommuner={str(m.value).casefold(): m.text for m in doc.kommuner},
        amounts=amounts,
        granted_shown="; ".join(granted) if granted else None,
        dates=[(m.text, str(m.value), _iso(str(m.value))) for m in doc.dates],
        periods=[
            (
                m.text,
                _iso(m.value.get("start")),
                _iso(m.value.get("end")),
                str(m.value.get("start", ""))[:4],
            )
            for m in doc.periods
        ],
        ends=ends,
        durations=[
            (m.text, float(m.value), int(m.value))
            for m in doc.durations
            if m.attrs.get("unit", "month") == "month"
        ],
        counts=[(str(m.attrs.get("what") or ""), int(m.value), m.text) for m in doc.counts],
        shares=[(m.attrs.get("refers_to"), float(m.value), m.text) for m in doc.shares],
        years=years,
        years_around={y + d for y in years for d in (-1, 0, 1)},
    )


def _close(a: float, b: float, rel: float, absolute: float = 0.0) -> bool:
    return abs(a - b) <= max(abs(b) * rel, absolute)


def _name_in_text(text_key: str, name_key_: str) -> bool:
    """The project name occurs in the text as words, not followed by a successor marker."""
    if len(name_key_) < 8:
        return False
    start = 0
    while (i := text_key.find(name_key_, start)) >= 0:
        end = i + len(name_key_)
        before_ok = i == 0 or not text_key[i - 1].isalnum()
        after_ok = end == len(text_key) or not text_key[end].isalnum()
        if before_ok and after_ok and not _SUCCESSOR_AFTER.match(text_key[end:]):
            return True
        start = i + 1
    return False


def _name_features(doc: DocumentEvidence, k: DocKeys, p: ProjectProfile) -> list[dict]:
    if not p.name_key:
        return []
    best: dict | None = None
    for text, key in k.names:
        if not key:
            continue
        if key == p.name_key:
            return [_item("name", text, p.name)]
        if (
            best is None
            and len(key) >= 8
            and fuzz.ratio(key, p.name_key, score_cutoff=92) >= 92
            and not _successor_pair(key, p.name_key)
        ):
            best = _item("name_fuzzy", text, p.name)
    if best is None and doc.text_key and _name_in_text(doc.text_key, p.name_key):
        longer = any(p.name_key in key and key != p.name_key for _, key in k.names)
        if not longer:
            best = _item("name_in_text", p.name, p.name)
    if best is None and k.names:
        best = _item("name_conflict", k.names_shown, p.name)
    return [best] if best else []


def _successor_pair(a: str, b: str) -> bool:
    return successor_base(a) == b or successor_base(b) == a


def _owner_features(k: DocKeys, p: ProjectProfile) -> list[dict]:
    if p.owner_number and p.owner_number in k.org_numbers:
        return [_item("owner", p.owner_number, p.owner_name)]
    for text, value_key, text_key in k.orgs:
        if value_key in p.owner_keys or text_key in p.owner_keys:
            return [_item("owner", text, p.owner_name)]
    return []


@lru_cache(maxsize=4096)
def _region_shown(written: str, region: str) -> str:
    """How the document wrote a region, with the region's name when it differs."""
    return written if name_key(written) == name_key(region) else f"{written} ({region})"


def _region_features(k: DocKeys, p: ProjectProfile, owner_matched: bool = False) -> list[dict]:
    if not p.region or not k.has_regions:
        return []
    written = k.regions.get(p.region)
    if written is not None:
        shown = _region_shown(written, p.region)
        items = [_item("esf_region_of_owner" if owner_matched else "esf_region", shown, p.region)]
        if p.city and (kommun := k.kommuner.get(p.city.casefold())) is not None:
            items.append(_item("kommun", kommun, p.city))
        return items
    if p.region == NATIONAL:
        return []
    return [_item("region_conflict", k.regions_shown, p.region)]


def _amount_features(k: DocKeys, p: ProjectProfile) -> list[dict]:
    targets = [(v, label) for v, label in ((p.esf_support, "ESF-stöd"), (p.total_budget, "budget"))]
    targets = [(v, label) for v, label in targets if v]
    if not targets:
        return []
    for text, amount, approx, rounding in k.amounts:
        for value, label in targets:
            if _close(amount, value, 0.005, 1000):
                return [_item("amount", text, f"{value:,} kr ({label})".replace(",", " "))]
            if approx and abs(amount - value) <= rounding:
                return [
                    _item("amount_approximate", text, f"{value:,} kr ({label})".replace(",", " "))
                ]
    if k.granted_shown is not None:
        value, label = targets[0]
        return [
            _item("amount_conflict", k.granted_shown, f"{value:,} kr ({label})".replace(",", " "))
        ]
    return []


def _rounding(amount: float) -> float:
    """How far a rounded amount may lie from the exact one ("15 mnkr" ±0.6 M, "5,7" ±60 k)."""
    unit = 1.0
    while unit < amount and amount % (unit * 10) == 0:
        unit *= 10
    return unit * 0.6


def _iso(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _date_features(k: DocKeys, p: ProjectProfile) -> list[dict]:
    items: list[dict] = []
    if p.start is not None:
        best: dict | None = None
        start_iso = p.start.isoformat()
        for text, value, d in k.dates:
            if d == p.start:
                best = _item("start_date", text, start_iso)
                break
            if value.startswith("XXXX-") and value[5:10] == start_iso[5:10]:
                shown = text
                year = str(p.start.year)
                for period_text, _, _, period_year in k.periods:
                    if period_year == year:
                        shown = f"{text} ({period_text})"
                        break
                best = best or _item("start_day_month", shown, start_iso)
        if best is None:
            for text, s, e, _ in k.periods:
                if s and e and (e - s).days <= 370 and s <= p.start <= e:
                    best = _item("start_in_period", text, start_iso)
                    break
        if best:
            items.append(best)
    if p.end is not None:
        for text, is_period, s, e in k.ends:
            if is_period:
                hit = bool(s and e and (e - s).days <= 40 and s <= p.end <= e)
            else:
                hit = s == p.end
            if hit:
                items.append(_item("end_date", text, p.end.isoformat()))
                break
    if k.durations:
        months = p.months
        if months:
            for text, value, whole in k.durations:
                if abs(value - months) <= 1:
                    shown = f"{p.start.isoformat()}–{p.end.isoformat()} ({months} mån)"
                    items.append(_item("duration", f"{text} ({whole} mån)", shown))
                    break
    return items


def _count_features(k: DocKeys, p: ProjectProfile) -> list[dict]:
    items: list[dict] = []
    seen: set[str] = set()
    for what, value, text in k.counts:
        if what in seen:
            continue
        if what.startswith("deltagar") and p.participants and value == p.participants:
            items.append(_item("participants", text, f"{p.participants} deltagare"))
            seen.add(what)
        elif what and what in p.counts and p.counts[what] == value:
            items.append({**_item("count", text, f"{p.counts[what]} {what}"), "what": what})
            seen.add(what)
    return items


def _share_features(k: DocKeys, p: ProjectProfile) -> list[dict]:
    if p.rate is None or not k.shares:
        return []
    rate_text = f"unionens medfinansieringsgrad {round(p.rate * 100)} %"
    conflict = None
    for refers, value, text in k.shares:
        if refers == "cofinancing":
            if abs(value - (1 - p.rate)) <= 0.011:
                return [_item("cofinancing", f"{text} egen medfinansiering", rate_text)]
            conflict = conflict or _item(
                "cofinancing_conflict", f"{text} egen medfinansiering", rate_text
            )
        elif refers == "eu_share":
            if abs(value - p.rate) <= 0.011:
                return [_item("cofinancing", f"{text} från EU", rate_text)]
            conflict = conflict or _item("cofinancing_conflict", f"{text} från EU", rate_text)
    return [conflict] if conflict else []


def score(
    doc: DocumentEvidence,
    p: ProjectProfile,
    name_count: int = 0,
    doc_owners: set[int] | None = None,
    keys: DocKeys | None = None,
) -> tuple[float, list[dict]]:
    """The agreement of a document with a project: total weight and evidence items
    (`name_count`: how many projects bear the project's name, 1 makes a name match stronger;
    `doc_owners`: the project owners the document names, another owner counts against;
    `keys`: the document's `doc_keys`, when the caller has them already)."""
    k = keys or doc_keys(doc)
    items: list[dict] = []
    names = _name_features(doc, k, p)
    if p.diarienummer and p.diarienummer in k.dnrs:
        items.append(_item("diarienummer", k.dnrs[p.diarienummer], p.diarienummer))
    elif k.dnrs and p.diarienummer and not (names and names[0]["weight"] > 0):
        items.append(_item("other_diarienummer", k.dnrs_shown, p.diarienummer))
    if names and names[0]["feature"] == "name" and name_count == 1:
        names.append(_item("unique_name", names[0]["document"], "det enda projektet med namnet"))
    items += names
    owner = _owner_features(k, p)
    if not owner and doc_owners and p.owner_id is not None and p.owner_id not in doc_owners:
        owner = [_item("owner_conflict", k.orgs_shown, p.owner_name)]
    items += owner
    items += _region_features(k, p, owner_matched=bool(owner))
    items += _amount_features(k, p)
    items += _date_features(k, p)
    items += _count_features(k, p)
    items += _share_features(k, p)
    return round(sum(i["weight"] for i in items), 3), items


def link_document(doc: DocumentEvidence, index: ProjectIndex) -> list[ProposedLink]:
    """The links (and candidates) of one document to the projects it speaks of."""
    scored = []
    keys = doc_keys(doc)
    doc_owners = index.owners_named(doc, keys)
    for pid in sorted(index.candidates(doc, keys, doc_owners)):
        p = index.projects[pid]
        total, items = score(doc, p, len(index.by_name.get(p.name_key, ())), doc_owners, keys)
        if total >= CANDIDATE:
            scored.append((pid, total, items))
    # Per identifying mention (a diarienummer, a name) only the best-scoring projects are
    # linked: a name shared by several projects is decided by owner, region, amounts, dates.
    best_for: dict[str, float] = {}
    ident_of: dict[int, set[str]] = {}
    for pid, total, items in scored:
        idents = {str(i["document"]) for i in items if i["feature"] in _IDENTIFYING}
        ident_of[pid] = idents
        for ident in idents:
            best_for[ident] = max(best_for.get(ident, total), total)
    out: list[ProposedLink] = []
    for pid, total, items in scored:
        idents = ident_of[pid]
        if best_for:
            linked = bool(idents) and all(total >= best_for[i] - 1.0 for i in idents)
        else:
            linked = True
        linked = linked and total >= LINKED
        status = "linked" if linked else "candidate"
        out.append(ProposedLink("document", doc.id, "project", pid, "about", status, total, items))
    return out


_IDENTIFYING = {"diarienummer", "name", "name_fuzzy", "name_in_text"}


def link_documents(docs: Iterable[DocumentEvidence], index: ProjectIndex) -> Iterator[ProposedLink]:
    """`link_document` for many documents, in their order, streamed (a million documents'
    links with their evidence would take gigabytes at once). Consume it in one go: the cyclic
    garbage collector is paused until it is exhausted or closed."""
    with gc_paused():
        for doc in docs:
            yield from link_document(doc, index)


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for a batch that makes many objects and no cycles.

    With a million profiles in memory every full collection scans them all; linking makes
    only acyclic data (dicts, lists, links), which reference counting frees as before.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
