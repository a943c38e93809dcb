"""Project ↔ project: the same project in two sources, förstudie → genomförande, successors.

Projects are compared only within one owner (the owner is resolved first, so case,
departments and abbreviations no longer matter). Two projects with different diarienummer
are never `same_as`. Relations:

- ``same_as`` (a = lower id): same or nearly the same name, no diarienummer, start dates
  equal or one missing, no conflicting amount or region;
- ``forstudie_genomforande`` (a = the förstudie): same name, the förstudie first;
- ``successor`` (a = the predecessor): "X 2.0", "X II", "X – steg 2", "X fortsättning".
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from rapidfuzz import fuzz, process

from projektatlas.link.documents import ProposedLink, gc_paused
from projektatlas.link.keys import successor_base
from projektatlas.link.profiles import ProjectProfile

METHOD = "rules-v1"
SAME_LINKED = 6.0
SAME_CANDIDATE = 4.0
_MAX_FUZZY_GROUP = 3000
_MAX_GAP_DAYS = 730  # a genomförande starts within two years of its förstudie's end


def _ev(feature: str, a: object, b: object, weight: float) -> dict:
    return {"feature": feature, "a": a, "b": b, "weight": weight}


def _same_as(a: ProjectProfile, b: ProjectProfile, exact: bool) -> ProposedLink | None:
    if a.diarienummer or b.diarienummer:
        return None
    items = [
        _ev("name", a.name, b.name, 4.0 if exact else 3.0),
        _ev("owner", a.owner_name, b.owner_name, 2.0),
    ]
    if a.start and b.start:
        if a.start != b.start:
            return None
        items.append(_ev("start_date", a.start.isoformat(), b.start.isoformat(), 2.0))
    if a.end and b.end:
        same_end = a.end == b.end
        items.append(
            _ev("end_date", a.end.isoformat(), b.end.isoformat(), 1.0 if same_end else -2.0)
        )
    if a.esf_support and b.esf_support:
        same = abs(a.esf_support - b.esf_support) <= 0.01 * max(a.esf_support, b.esf_support)
        items.append(_ev("esf_support", a.esf_support, b.esf_support, 1.0 if same else -2.0))
    if a.region and b.region:
        items.append(_ev("region", a.region, b.region, 0.5 if a.region == b.region else -3.0))
    total = sum(i["weight"] for i in items)
    if total < SAME_CANDIDATE:
        return None
    first, second = (a, b) if a.id < b.id else (b, a)
    status = "linked" if total >= SAME_LINKED else "candidate"
    return ProposedLink(
        "project", first.id, "project", second.id, "same_as", status, total, items, METHOD
    )


def _phase_pair(a: ProjectProfile, b: ProjectProfile) -> ProposedLink | None:
    """förstudie → genomförande for two projects of one name and owner, or None."""
    if a.phase and b.phase and a.is_forstudie != b.is_forstudie:
        pre, main = (a, b) if a.is_forstudie else (b, a)
        if pre.start and main.start and pre.start > main.start:
            return None
        if pre.end and main.start and not -92 <= (main.start - pre.end).days <= _MAX_GAP_DAYS:
            return None
        status, total = "linked", 8.0
    elif a.start and b.start and a.start != b.start and not (a.phase and b.phase):
        pre, main = (a, b) if a.start < b.start else (b, a)
        if (pre.phase and not pre.is_forstudie) or (pre.months or 99) > 12:
            return None
        if pre.end and not -92 <= (main.start - pre.end).days <= _MAX_GAP_DAYS:
            return None
        # One stated phase (the short first one a förstudie, or the second a genomförande)
        # makes it a link; with no phase stated it is a candidate.
        stated = pre.is_forstudie or bool(main.phase and not main.is_forstudie)
        status, total = ("linked", 7.0) if stated else ("candidate", 4.0)
    else:
        return None
    items = [
        _ev("name", pre.name, main.name, 4.0),
        _ev("owner", pre.owner_name, main.owner_name, 2.0),
        _ev("phase", pre.phase or "kort projekt", main.phase, total - 6.0),
    ]
    if pre.start and main.start:
        items.append(_ev("order", pre.start.isoformat(), main.start.isoformat(), 0.0))
    return ProposedLink(
        "project", pre.id, "project", main.id, "forstudie_genomforande", status, total, items
    )


def _pair(a: ProjectProfile, b: ProjectProfile, exact: bool) -> ProposedLink | None:
    phase = _phase_pair(a, b)
    if phase is not None:
        return phase
    if a.phase and b.phase and a.is_forstudie != b.is_forstudie:
        return None
    return _same_as(a, b, exact)


def _successor(pre: ProjectProfile, post: ProjectProfile) -> ProposedLink | None:
    if pre.start and post.start and pre.start >= post.start:
        return None
    items = [
        _ev("name", pre.name, post.name, 4.0),
        _ev("owner", pre.owner_name, post.owner_name, 2.0),
    ]
    return ProposedLink(
        "project", pre.id, "project", post.id, "successor", "linked", 6.0, items, METHOD
    )


def _owner_links(group: list[ProjectProfile]) -> Iterable[ProposedLink]:
    by_key: dict[str, list[ProjectProfile]] = defaultdict(list)
    for p in group:
        if p.name_key:
            by_key[p.name_key].append(p)
    for same in by_key.values():
        for i, a in enumerate(same[:50]):
            for b in same[i + 1 : 50]:
                if (link := _pair(a, b, exact=True)) is not None:
                    yield link
    for p in group:
        base = successor_base(p.name_key)
        # The nearest earlier project of the base name is the predecessor.
        earlier = [q for q in by_key.get(base or "", ()) if _successor(q, p) is not None]
        if earlier:
            pre = max(earlier, key=lambda q: (_ended_before(q, p), q.start or date.min, q.id))
            yield _successor(pre, p)
    loose = [p for p in group if p.name_key and not p.diarienummer]
    keys = sorted({p.name_key for p in loose})
    if 1 < len(keys) <= _MAX_FUZZY_GROUP:
        matrix = process.cdist(keys, keys, scorer=fuzz.ratio, score_cutoff=90, workers=1)
        rows, cols = matrix.nonzero()
        for i, j in zip(rows.tolist(), cols.tolist(), strict=True):
            if i >= j or _is_successor_pair(keys[i], keys[j]):
                continue
            for a in by_key[keys[i]]:
                for b in by_key[keys[j]]:
                    if a.diarienummer or b.diarienummer:
                        continue
                    if (link := _pair(a, b, exact=False)) is not None:
                        yield link


def _ended_before(pre: ProjectProfile, post: ProjectProfile) -> bool:
    return bool(pre.end and post.start and pre.end <= post.start)


def _is_successor_pair(a: str, b: str) -> bool:
    return successor_base(a) == b or successor_base(b) == a or _digits(a) != _digits(b)


def _digits(key: str) -> str:
    return "".join(c for c in key if c.isdigit())


def project_links(projects: Iterable[ProjectProfile]) -> list[ProposedLink]:
    """Every project ↔ project link the rules propose."""
    with gc_paused():
        return _project_links(projects)


def _project_links(projects: Iterable[ProjectProfile]) -> list[ProposedLink]:
    by_owner: dict[int, list[ProjectProfile]] = defaultdict(list)
    for p in projects:
        if p.owner_id is not None:
            by_owner[p.owner_id].append(p)
    out: dict[tuple, ProposedLink] = {}
    for group in by_owner.values():
        if len(group) < 2:
            continue
        for link in _owner_links(group):
            out.setdefault(link.key, link)
    return _one_to_one(list(out.values()), {p.id: p for g in by_owner.values() for p in g})


def _one_to_one(
    links: list[ProposedLink], projects: dict[int, ProjectProfile]
) -> list[ProposedLink]:
    """A förstudie leads to one genomförande (the nearest after it), and vice versa."""
    phase = [x for x in links if x.relation == "forstudie_genomforande"]
    rest = [x for x in links if x.relation != "forstudie_genomforande"]

    def gap(x: ProposedLink) -> int:
        pre, main = projects[x.a_id], projects[x.b_id]
        if pre.start and main.start:
            return (main.start - pre.start).days
        return 10**6

    used_a: set[int] = set()
    used_b: set[int] = set()
    for x in sorted(phase, key=lambda x: (x.status != "linked", gap(x), x.a_id, x.b_id)):
        if x.a_id in used_a or x.b_id in used_b:
            continue
        used_a.add(x.a_id)
        used_b.add(x.b_id)
        rest.append(x)
    return rest
