"""Documents → projects: find candidate projects for a document and score the agreement.

Candidates come from blocking keys (a mentioned diarienummer, a project name, an owner and
the years the document speaks of, else its ESF region and years). Each agreeing or
conflicting fact adds a weighted evidence item; the sum decides: ``>= LINKED`` a link,
``>= CANDIDATE`` a candidate to review, below that nothing.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
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
        for p in projects:
            self.add(p)

    def add(self, p: ProjectProfile) -> None:
        self.projects[p.id] = p
        if p.diarienummer:
            self.by_dnr[p.diarienummer] = p.id
        if p.name_key:
            self.by_name[p.name_key].append(p.id)
        year = p.start.year if p.start else None
        if p.owner_id is not None:
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

    def owners_named(self, doc: DocumentEvidence) -> set[int]:
        """The project owners a document names (by organisation number or name key)."""
        owners = {self.by_owner_number[n] for n in doc.org_numbers if n in self.by_owner_number}
        for key in doc.org_keys:
            owners.update(self.by_owner_key.get(key, ()))
        return owners

    def _narrow(self, block: Iterable[int], doc: DocumentEvidence, owners: set[int]) -> list[int]:
        """A common name's projects, narrowed to the document's owners, else region and years."""
        if owners:
            return [pid for pid in block if self.projects[pid].owner_id in owners]
        regions = {r for m in doc.regions if (r := region_of(m))}
        years = {y + d for y in doc.years() for d in (-1, 0, 1)}
        return [
            pid
            for pid in block
            if (not regions or self.projects[pid].region in regions)
            and (not years or (s := self.projects[pid].start) is None or s.year in years)
        ][:_MAX_BLOCK]

    def candidates(self, doc: DocumentEvidence) -> set[int]:
        """Projects worth scoring for this document."""
        found: set[int] = set()
        for m in doc.diarienummer:
            pid = self.by_dnr.get(str(m.value))
            if pid is not None:
                found.add(pid)
        owners = self.owners_named(doc)
        for m in doc.names:
            block = self.by_name.get(project_name_key(str(m.value)), ())
            if len(block) > _MAX_NAME_BLOCK:
                block = self._narrow(block, doc, owners)
            found.update(block)
        if found and (not owners or any(self.projects[p].owner_id in owners for p in found)):
            return found
        years = doc.years()
        for owner_id in owners:
            found.update(self._owner_block(owner_id, years))
        if not found:
            regions = {r for m in doc.regions if (r := region_of(m))}
            for region in regions:
                for y in years or {None}:
                    block = self.by_region_year.get((region, y), [])
                    if len(block) <= _MAX_BLOCK:
                        found.update(block)
        return found


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


def _name_features(doc: DocumentEvidence, p: ProjectProfile) -> list[dict]:
    best: dict | None = None
    for m in doc.names:
        key = project_name_key(str(m.value))
        if not key or not p.name_key:
            continue
        if key == p.name_key:
            return [_item("name", m.text, p.name)]
        if best is None and len(key) >= 8:
            ratio = fuzz.ratio(key, p.name_key)
            if ratio >= 92 and not _successor_pair(key, p.name_key):
                best = _item("name_fuzzy", m.text, p.name)
    if best is None and doc.text_key and _name_in_text(doc.text_key, p.name_key):
        longer = any(
            p.name_key in k and k != p.name_key
            for k in (project_name_key(str(m.value)) for m in doc.names)
        )
        if not longer:
            best = _item("name_in_text", p.name, p.name)
    if best is None and doc.names and p.name_key:
        best = _item("name_conflict", "; ".join(m.text for m in doc.names), p.name)
    return [best] if best else []


def _successor_pair(a: str, b: str) -> bool:
    return successor_base(a) == b or successor_base(b) == a


def _owner_features(doc: DocumentEvidence, p: ProjectProfile) -> list[dict]:
    if p.owner_number and p.owner_number in doc.org_numbers:
        return [_item("owner", p.owner_number, p.owner_name)]
    for m in doc.organisations:
        if org_key(str(m.value)) in p.owner_keys or org_key(m.text) in p.owner_keys:
            return [_item("owner", m.text, p.owner_name)]
    return []


def _region_features(
    doc: DocumentEvidence, p: ProjectProfile, owner_matched: bool = False
) -> list[dict]:
    if not p.region or not doc.regions:
        return []
    regions: dict[str, str] = {}
    rank: dict[str, int] = {}
    for m in doc.regions:
        region = region_of(m)
        if not region:
            continue
        r = 2 if m.attrs.get("derived_from") else 1 if m.attrs.get("level") == "esf_region" else 0
        if region not in regions or r > rank[region]:
            regions[region], rank[region] = m.text, r
    if p.region in regions:
        written = regions[p.region]
        shown = written if name_key(written) == name_key(p.region) else f"{written} ({p.region})"
        items = [_item("esf_region_of_owner" if owner_matched else "esf_region", shown, p.region)]
        kommuner = {str(m.value).casefold(): m.text for m in doc.kommuner}
        if p.city and p.city.casefold() in kommuner:
            items.append(_item("kommun", kommuner[p.city.casefold()], p.city))
        return items
    if p.region == NATIONAL:
        return []
    return [_item("region_conflict", ", ".join(regions.values()), p.region)]


def _amount_features(doc: DocumentEvidence, p: ProjectProfile) -> list[dict]:
    targets = [(v, label) for v, label in ((p.esf_support, "ESF-stöd"), (p.total_budget, "budget"))]
    targets = [(v, label) for v, label in targets if v]
    if not targets:
        return []
    granted = False
    for m in doc.amounts:
        amount = float(m.value)
        approx = bool(m.attrs.get("approximate"))
        for value, label in targets:
            if _close(amount, value, 0.005, 1000):
                return [_item("amount", m.text, f"{value:,} kr ({label})".replace(",", " "))]
            if approx and abs(amount - value) <= _rounding(amount):
                return [
                    _item("amount_approximate", m.text, f"{value:,} kr ({label})".replace(",", " "))
                ]
        granted = granted or m.attrs.get("refers_to") == "granted"
    if granted:
        shown = "; ".join(m.text for m in doc.amounts if m.attrs.get("refers_to") == "granted")
        value, label = targets[0]
        return [_item("amount_conflict", shown, f"{value:,} kr ({label})".replace(",", " "))]
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


def _date_features(doc: DocumentEvidence, p: ProjectProfile) -> list[dict]:
    items: list[dict] = []
    if p.start is not None:
        best: dict | None = None
        for m in doc.dates:
            value = str(m.value)
            d = _iso(value)
            if d == p.start:
                best = _item("start_date", m.text, p.start.isoformat())
                break
            if value.startswith("XXXX-") and value[5:10] == p.start.isoformat()[5:10]:
                shown = m.text
                for period in doc.periods:
                    if str(period.value.get("start", ""))[:4] == str(p.start.year):
                        shown = f"{m.text} ({period.text})"
                        break
                best = best or _item("start_day_month", shown, p.start.isoformat())
        if best is None:
            for m in doc.periods:
                s, e = _iso(m.value.get("start")), _iso(m.value.get("end"))
                if s and e and (e - s).days <= 370 and s <= p.start <= e:
                    best = _item("start_in_period", m.text, p.start.isoformat())
                    break
        if best:
            items.append(best)
    if p.end is not None:
        for m in [*doc.dates, *doc.periods]:
            if isinstance(m.value, dict):
                s, e = _iso(m.value.get("start")), _iso(m.value.get("end"))
                hit = bool(s and e and (e - s).days <= 40 and s <= p.end <= e)
            else:
                hit = _iso(m.value) == p.end
            if hit:
                items.append(_item("end_date", m.text, p.end.isoformat()))
                break
    months = p.months
    if months:
        for m in doc.durations:
            if m.attrs.get("unit", "month") == "month" and abs(float(m.value) - months) <= 1:
                shown = f"{p.start.isoformat()}–{p.end.isoformat()} ({months} mån)"
                items.append(_item("duration", f"{m.text} ({int(m.value)} mån)", shown))
                break
    return items


def _count_features(doc: DocumentEvidence, p: ProjectProfile) -> list[dict]:
    items: list[dict] = []
    seen: set[str] = set()
    for m in doc.counts:
        what = str(m.attrs.get("what") or "")
        value = int(m.value)
        if what in seen:
            continue
        if what.startswith("deltagar") and p.participants and value == p.participants:
            items.append(_item("participants", m.text, f"{p.participants} deltagare"))
            seen.add(what)
        elif what and what in p.counts and p.counts[what] == value:
            items.append({**_item("count", m.text, f"{p.counts[what]} {what}"), "what": what})
            seen.add(what)
    return items


def _share_features(doc: DocumentEvidence, p: ProjectProfile) -> list[dict]:
    if p.rate is None:
        return []
    rate_text = f"unionens medfinansieringsgrad {round(p.rate * 100)} %"
    conflict = None
    for m in doc.shares:
        refers = m.attrs.get("refers_to")
        value = float(m.value)
        if refers == "cofinancing":
            if abs(value - (1 - p.rate)) <= 0.011:
                return [_item("cofinancing", f"{m.text} egen medfinansiering", rate_text)]
            conflict = conflict or _item(
                "cofinancing_conflict", f"{m.text} egen medfinansiering", rate_text
            )
        elif refers == "eu_share":
            if abs(value - p.rate) <= 0.011:
                return [_item("cofinancing", f"{m.text} från EU", rate_text)]
            conflict = conflict or _item("cofinancing_conflict", f"{m.text} från EU", rate_text)
    return [conflict] if conflict else []


def score(
    doc: DocumentEvidence,
    p: ProjectProfile,
    name_count: int = 0,
    doc_owners: set[int] | None = None,
) -> tuple[float, list[dict]]:
    """The agreement of a document with a project: total weight and evidence items
    (`name_count`: how many projects bear the project's name, 1 makes a name match stronger;
    `doc_owners`: the project owners the document names, another owner counts against)."""
    items: list[dict] = []
    dnrs = {str(m.value): m.text for m in doc.diarienummer}
    names = _name_features(doc, p)
    if p.diarienummer and p.diarienummer in dnrs:
        items.append(_item("diarienummer", dnrs[p.diarienummer], p.diarienummer))
    elif dnrs and p.diarienummer and not (names and names[0]["weight"] > 0):
        items.append(_item("other_diarienummer", ", ".join(dnrs.values()), p.diarienummer))
    if names and names[0]["feature"] == "name" and name_count == 1:
        names.append(_item("unique_name", names[0]["document"], "det enda projektet med namnet"))
    items += names
    owner = _owner_features(doc, p)
    if not owner and doc_owners and p.owner_id is not None and p.owner_id not in doc_owners:
        written = "; ".join(m.text for m in doc.organisations)
        owner = [_item("owner_conflict", written, p.owner_name)]
    items += owner
    items += _region_features(doc, p, owner_matched=bool(owner))
    items += _amount_features(doc, p)
    items += _date_features(doc, p)
    items += _count_features(doc, p)
    items += _share_features(doc, p)
    return round(sum(i["weight"] for i in items), 3), items


def link_document(doc: DocumentEvidence, index: ProjectIndex) -> list[ProposedLink]:
    """The links (and candidates) of one document to the projects it speaks of."""
    scored = []
    doc_owners = index.owners_named(doc)
    for pid in sorted(index.candidates(doc)):
        p = index.projects[pid]
        total, items = score(doc, p, len(index.by_name.get(p.name_key, ())), doc_owners)
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
