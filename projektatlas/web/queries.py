"""Read queries the web views need beyond `projektatlas.service`: paging, organisations,
analytics, public documents (personal data masked), links and similar projects.

Each function returns a JSON-ready dict; the HTML page and its JSON twin use the same one.
Search, similarity and links come from their own services, imported lazily: where a
service is not installed the result says so (``available: False``) instead of failing.
"""

from __future__ import annotations

import importlib
import re
from collections import Counter, defaultdict
from typing import Any

from sqlalchemy import case, extract, func, or_, select
from sqlalchemy.orm import Session

from projektatlas.normalize import as_id
from projektatlas.service import NotFound, document_json, find_project, stats
from projektatlas.store.schema import (
    Document,
    Fact,
    Link,
    Organisation,
    OrganisationAlias,
    Person,
    Project,
    ProjectSource,
)
from projektatlas.web.cache import cached
from projektatlas.web.geo import lan_names, lan_of, lan_region, region_names

MASK = "█"
_EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE_RE = re.compile(r"(?<!\d)(?:\+46|0)\s?\d{1,3}(?:[\s-]?\d{2,3}){2,4}(?!\d)")


FUNDER_ORG_NUMBERS = {"202100-5224"}  # Svenska ESF-rådet: the funder, not a partner


def partner_key(name: str, attrs: dict[str, Any] | None) -> str | None:
    """A key that folds definite forms ("Arbetsförmedlingen" = "Arbetsförmedling"); None for
    names that are no partner (programmes, the managing authority)."""
    attrs = attrs or {}
    if attrs.get("kind") == "programme" or attrs.get("org_number") in FUNDER_ORG_NUMBERS:
        return None
    if attrs.get("org_number"):
        return attrs["org_number"]
    words = []
    for word in re.sub(r"[^\w\s]", " ", name.casefold()).split():
        if len(word) > 6 and word.endswith("en"):
            word = word[:-2]
        elif len(word) > 6 and word.endswith("an"):
            word = word[:-1]
        words.append(word)
    return " ".join(sorted(words))


def project_row(p: Project) -> dict[str, Any]:
    """The list shape of `service.list_projects`."""
    return {
        "id": p.id,
        "diarienummer": p.diarienummer,
        "name": p.name,
        "owner": p.owner.name if p.owner else None,
        "owner_id": p.owner_id,
        "region": p.region,
        "programme_period": p.programme_period,
        "start_date": p.start_date.isoformat() if p.start_date else None,
        "esf_support_sek": p.esf_support_sek,
    }


def projects_page(session: Session, limit: int = 20, offset: int = 0) -> dict[str, Any]:
    """Projects, newest start first, one page."""
    total = session.scalar(select(func.count(Project.id))) or 0
    stmt = (
        select(Project)
        .order_by(Project.start_date.desc().nulls_last(), Project.id)
        .limit(limit)
        .offset(offset)
    )
    items = [project_row(p) for p in session.scalars(stmt).all()]
    return {"total": total, "limit": limit, "offset": offset, "items": items}


# --- organisations -----------------------------------------------------------------------


def find_organisation(session: Session, ident: str) -> Organisation:
    ident = ident.strip()
    org = session.get(Organisation, as_id(ident)) if as_id(ident) is not None else None
    if org is None:
        org = session.scalar(select(Organisation).where(Organisation.org_number == ident))
    if org is None:
        raise NotFound(f"no organisation with id or organisation number {ident!r}")
    return org


def _org_brief(org: Organisation | None) -> dict[str, Any] | None:
    if org is None:
        return None
    return {"id": org.id, "name": org.name, "org_number": org.org_number, "kind": org.kind}


def organisation_json(session: Session, org: Organisation) -> dict[str, Any]:
    """An organisation with its projects over time, totals, partners and places."""
    units = session.scalars(
        select(Organisation).where(Organisation.parent_id == org.id).order_by(Organisation.name)
    ).all()
    owner_ids = [org.id, *(u.id for u in units)]
    projects = session.scalars(
        select(Project)
        .where(Project.owner_id.in_(owner_ids))
        .order_by(Project.start_date.nulls_last(), Project.id)
    ).all()
    aliases = sorted(
        session.scalars(
            select(OrganisationAlias.alias).where(OrganisationAlias.organisation_id == org.id)
        ).all()
    )
    by_year: dict[str, dict[str, int]] = defaultdict(lambda: {"projects": 0, "esf_support_sek": 0})
    for p in projects:
        year = str(p.start_date.year) if p.start_date else "okänt"
        by_year[year]["projects"] += 1
        by_year[year]["esf_support_sek"] += p.esf_support_sek or 0
    project_ids = [p.id for p in projects]
    doc_ids = _project_document_ids(session, project_ids)
    own_keys = {org.name.casefold(), *(a.casefold() for a in aliases)}
    partners: Counter[str] = Counter()
    partner_names: dict[str, str] = {}
    places: Counter[str] = Counter()
    if doc_ids:
        rows = session.execute(
            select(Fact.type, Fact.text, Fact.attrs, Fact.value).where(
                Fact.document_id.in_(doc_ids),
                Fact.type.in_(("organisation", "place")),
                Fact.personal.is_(False),
            )
        ).all()
        for ftype, text, attrs, value in rows:
            name = " ".join(text.split())
            if ftype == "organisation":
                key = partner_key(name, attrs)
                if key is None or name.casefold() in own_keys:
                    continue
                partner_names.setdefault(key, name)
                partners[key] += 1
            else:
                label = value if isinstance(value, str) and value else name
                places[label] += 1
    for p in projects:
        if p.city:
            places[p.city.title()] += 1
    return {
        "id": org.id,
        "name": org.name,
        "name_original": org.name_original,
        "org_number": org.org_number,
        "kind": org.kind,
        "parent": _org_brief(session.get(Organisation, org.parent_id) if org.parent_id else None),
        "aliases": aliases,
        "units": [_org_brief(u) for u in units],
        "projects": [project_row(p) for p in projects],
        "projects_by_year": [{"year": y, **v} for y, v in sorted(by_year.items())],
        "total_esf_support_sek": _known_sum(p.esf_support_sek for p in projects),
        "total_budget_sek": _known_sum(p.total_budget_sek for p in projects),
        "partners": [
            {"name": partner_names[k], "mentions": c} for k, c in partners.most_common(30)
        ],
        "places": [{"name": n, "mentions": c} for n, c in places.most_common(30)],
    }


def _known_sum(values) -> int | None:
    """The sum of the known values; None when no value is known."""
    known = [v for v in values if v is not None]
    return sum(known) if known else None


def _project_document_ids(session: Session, project_ids: list[int]) -> list[int]:
    if not project_ids:
        return []
    ids = set(
        session.scalars(
            select(ProjectSource.document_id).where(ProjectSource.project_id.in_(project_ids))
        ).all()
    )
    for row in _link_rows(session, project_ids):
        if row["type"] == "document":
            ids.add(row["id"])
    return sorted(ids)


# --- links ---------------------------------------------------------------------------------


def _link_rows(session: Session, project_ids: list[int]) -> list[dict[str, Any]]:
    """Links of these projects to other things (not rejected), from the links table."""
    links = session.scalars(
        select(Link).where(
            Link.status != "rejected",
            or_(
                (Link.a_type == "project") & Link.a_id.in_(project_ids),
                (Link.b_type == "project") & Link.b_id.in_(project_ids),
            ),
        )
    ).all()
    out = []
    for link in links:
        if link.a_type == "project" and link.a_id in project_ids:
            other_type, other_id = link.b_type, link.b_id
        else:
            other_type, other_id = link.a_type, link.a_id
        out.append(
            {
                "link_id": link.id,
                "type": other_type,
                "id": other_id,
                "relation": link.relation,
                "status": link.status,
                "score": link.score,
                "method": link.method,
            }
        )
    return out


def links_for(session: Session, ident: str) -> dict[str, Any]:
    """The link service's `links_json`, or the stored links of the project when it is absent."""
    try:
        links_json = importlib.import_module("projektatlas.link.service").links_json
    except ModuleNotFoundError as exc:
        if exc.name not in ("projektatlas.link", "projektatlas.link.service"):
            raise
        links_json = None
    if links_json is not None:
        return links_json(session, ident)
    project = find_project(session, ident)
    rows = _link_rows(session, [project.id])
    for row in rows:
        if row["type"] == "document":
            doc = session.get(Document, row["id"])
            row["title"] = doc.title if doc else None
            row["kind"] = doc.kind if doc else None
        elif row["type"] == "project":
            other = session.get(Project, row["id"])
            row["title"] = other.name if other else None
            row["diarienummer"] = other.diarienummer if other else None
    return {"project_id": project.id, "links": rows, "service": False}


def linked_items(links: dict[str, Any]) -> tuple[list[dict], list[dict]]:
    """Split a links result into (documents, projects), whatever key names the service used."""
    rows = [
        r
        for r in links.get("links") or links.get("items") or []
        if r.get("status") != "rejected" and r.get("relation") != "source"
    ]
    docs = [r for r in rows if r.get("type") == "document"]
    projects = [r for r in rows if r.get("type") == "project"]
    return docs, projects


# --- search and similar ---------------------------------------------------------------------


class ServiceMissing(RuntimeError):
    """A lazily imported service (search index, linking) is not installed yet."""


def search_service():
    try:
        return importlib.import_module("projektatlas.search.service")
    except ModuleNotFoundError as exc:
        if exc.name not in ("projektatlas.search", "projektatlas.search.service"):
            raise
        raise ServiceMissing("sökindex saknas") from exc


def run_search(session: Session, **kwargs: Any) -> dict[str, Any]:
    return search_service().search(session, **kwargs)


def run_similar(session: Session, **kwargs: Any) -> dict[str, Any]:
    return search_service().similar(session, **kwargs)


def owner_projects(session: Session, project: Project, limit: int = 20) -> list[dict[str, Any]]:
    if project.owner_id is None:
        return []
    rows = session.scalars(
        select(Project)
        .where(Project.owner_id == project.owner_id, Project.id != project.id)
        .order_by(Project.start_date.desc().nulls_last(), Project.id)
        .limit(limit)
    ).all()
    return [project_row(p) for p in rows]


def project_partners(session: Session, project: Project, doc_ids: list[int]) -> list[str]:
    """Organisations named in the project's documents (the owner and programmes left out)."""
    if not doc_ids:
        return []
    own = {(project.owner.name if project.owner else "").casefold()}
    seen: dict[str, str] = {}
    for text, attrs in session.execute(
        select(Fact.text, Fact.attrs).where(
            Fact.document_id.in_(doc_ids), Fact.type == "organisation", Fact.personal.is_(False)
        )
    ).all():
        name = " ".join(text.split())
        key = partner_key(name, attrs)
        if key is None or name.casefold() in own:
            continue
        seen.setdefault(key, name)
    return sorted(seen.values(), key=str.casefold)


# --- documents -----------------------------------------------------------------------------


def mask_personal(text: str | None, values: list[str]) -> str | None:
    """Replace every occurrence of the personal values, e-mails and phone numbers with a mask
    of the same length (so character offsets of the other facts stay valid)."""
    if not text:
        return text
    for value in sorted({v for v in values if v and v.strip()}, key=len, reverse=True):
        text = text.replace(value, MASK * len(value))
    text = _EMAIL_RE.sub(lambda m: MASK * len(m.group()), text)
    return _PHONE_RE.sub(lambda m: MASK * len(m.group()), text)


def public_document_json(
    session: Session, doc: Document, *, include_personal: bool = False
) -> dict[str, Any]:
    """`document_json` without personal facts, and with personal data masked in the text."""
    data = document_json(session, doc, include_personal=include_personal)
    if include_personal:
        return data
    personal = list(
        session.scalars(
            select(Fact.text).where(Fact.document_id == doc.id, Fact.personal.is_(True))
        ).all()
    )
    people = session.execute(
        select(Person.name, Person.email, Person.phone).where(
            or_(Person.document_id == doc.id, Person.project_id.in_(data["projects"] or [-1]))
        )
    ).all()
    personal += [v for row in people for v in row if v]
    data["text"] = mask_personal(data["text"], list(personal))
    data["removed_text"] = mask_personal(data["removed_text"], list(personal))
    return data


def text_segments(text: str, facts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The text cut into plain and fact-highlighted pieces (overlapping facts: first wins)."""
    spans = sorted(
        (
            f
            for f in facts
            if isinstance(f.get("start"), int)
            and isinstance(f.get("end"), int)
            and 0 <= f["start"] < f["end"] <= len(text)
        ),
        key=lambda f: (f["start"], -f["end"]),
    )
    out: list[dict[str, Any]] = []
    pos = 0
    for fact in spans:
        if fact["start"] < pos:
            continue
        if fact["start"] > pos:
            out.append({"text": text[pos : fact["start"]], "fact": None})
        out.append({"text": text[fact["start"] : fact["end"]], "fact": fact})
        pos = fact["end"]
    if pos < len(text):
        out.append({"text": text[pos:], "fact": None})
    return out


def masked_segments(text: str) -> list[tuple[str, bool]]:
    """Plain text split into (piece, is_mask) so the page can show a label for masks."""
    return [(m.group(), m.group()[0] == MASK) for m in re.finditer(f"{MASK}+|[^{MASK}]+", text)]


# --- analytics -----------------------------------------------------------------------------

DIMENSIONS = ("esf_region", "lan", "programme_period", "programme_area", "start_year")
MEASURES = ("projects", "esf_support_sek", "total_budget_sek", "participants_planned")


def _rows(values: dict[Any, dict[str, int]], order: list[str] | None = None) -> list[dict]:
    keys = list(values)
    if order is not None:
        known = [k for k in order if k in values]
        keys = known + sorted((k for k in keys if k not in order), key=lambda k: str(k))
    else:
        keys = sorted(keys, key=lambda k: (k is None, str(k)))
    return [{"key": None if k is None else str(k), **values[k]} for k in keys]


def analytics_json(session: Session) -> dict[str, Any]:
    """ESF support, budgets, planned participants and project counts by each dimension.

    One scan of the projects; cached while the store is unchanged (`web.cache`).
    """
    return cached(session, "analytics", lambda: _analytics(session))


def _sums(session: Session, *keys) -> list[tuple]:
    """(key..., projects, support, budget, participants) grouped by ``keys``."""
    stmt = select(
        *keys,
        func.count(Project.id),
        func.coalesce(func.sum(Project.esf_support_sek), 0),
        func.coalesce(func.sum(Project.total_budget_sek), 0),
        func.coalesce(func.sum(Project.participants_planned), 0),
    ).group_by(*keys)
    return session.execute(stmt).all()


def _add(slots: dict[Any, dict[str, int]], key: Any, values) -> None:
    slot = slots.get(key)
    if slot is None:
        slot = slots[key] = dict.fromkeys(MEASURES, 0)
    for measure, value in zip(MEASURES, values, strict=True):
        slot[measure] += int(value)


def _analytics(session: Session) -> dict[str, Any]:
    # One GROUP BY per dimension (measured faster on SQLite than one wide grouping).
    by: dict[str, dict[Any, dict[str, int]]] = {d: {} for d in DIMENSIONS}
    for dim, column in (
        ("esf_region", Project.region),
        ("programme_period", Project.programme_period),
        ("programme_area", Project.programme_area),
        ("start_year", extract("year", Project.start_date)),
    ):
        for key, *values in _sums(session, column):
            if dim == "start_year" and key is not None:
                key = int(key)
            _add(by[dim], key, values)
    # län: from the city, else (city unknown) from a place word in the owner's name
    owner_key = case((Project.city.is_(None), Project.owner_id), else_=None)
    groups = _sums(session, Project.city, owner_key)
    needed = {owner_id for _, owner_id, *_ in groups if owner_id is not None}
    owners: dict[int, str] = {}
    if needed:
        owners = dict(
            session.execute(
                select(Organisation.id, Organisation.name).where(Organisation.id.in_(needed))
            ).all()
        )
    for city, owner_id, *values in groups:
        _add(by["lan"], lan_of(city, owners.get(owner_id)), values)
    names = lan_names()
    lan_rows = _rows(by["lan"], order=sorted(names))
    for row in lan_rows:
        row["name"] = names.get(row["key"] or "", None)
        row["esf_region"] = lan_region().get(row["key"] or "")
    return {
        "measures": list(MEASURES),
        "by": {
            "esf_region": _rows(by["esf_region"], order=[*region_names(), "ESF Nationellt"]),
            "lan": lan_rows,
            "programme_period": _rows(by["programme_period"]),
            "programme_area": _rows(by["programme_area"]),
            "start_year": _rows(by["start_year"]),
        },
        "note": "län: from the beneficiary's city, else a place in the owner's name",
    }


def cached_stats(session: Session) -> dict[str, Any]:
    """`service.stats`, cached while the store is unchanged."""
    return cached(session, "stats", lambda: stats(session))
