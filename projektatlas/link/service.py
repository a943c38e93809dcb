"""Links as the CLI, the JSON API and the web pages show them, and a person's decisions.

Identifier syntax (`resolve`):

- ``org:ID`` — an organisation by internal id;
- ``doc:ID`` or ``doc:PATH`` — a document by internal id or by the path/URL it came from;
- ``project:ID`` — a project by internal id;
- anything else — a project by diarienummer, identity or id, else a document by path/URL.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from projektatlas.link.organisations import merge_into
from projektatlas.normalize import as_id
from projektatlas.service import NotFound, find_document, find_project
from projektatlas.store.schema import Document, Link, Organisation, Project, ProjectSource

DECISIONS = ("confirmed", "rejected")


@dataclass(frozen=True, slots=True)
class Entity:
    """One side of a link."""

    type: str  # project | document | organisation
    id: int


def resolve(session: Session, ident: str) -> Entity:
    """The project, document or organisation an identifier names (see the module doc)."""
    ident = ident.strip()
    prefix, _, rest = ident.partition(":")
    if prefix == "org" and rest:
        if as_id(rest) is not None and session.get(Organisation, as_id(rest)) is not None:
            return Entity("organisation", as_id(rest))
        raise NotFound(f"no organisation with id {rest!r}")
    if prefix == "doc" and rest:
        return Entity("document", find_document(session, rest).id)
    if prefix == "project" and rest:
        return Entity("project", find_project(session, rest).id)
    try:
        return Entity("project", find_project(session, ident).id)
    except NotFound:
        pass
    doc = session.scalar(
        select(Document.id).where(Document.path_or_url == ident).order_by(Document.id.desc())
    )
    if doc is None:
        raise NotFound(f"no project, document or organisation {ident!r}")
    return Entity("document", doc)


def describe(session: Session, entity: Entity) -> dict[str, Any]:
    """Type, id and the keys a person recognises the thing by."""
    data: dict[str, Any] = {
        "type": entity.type,
        "id": entity.id,
        "diarienummer": None,
        "name": None,
        "path_or_url": None,
    }
    if entity.type == "project":
        p = session.get(Project, entity.id)
        data.update(
            diarienummer=p.diarienummer if p else None,
            name=p.name if p else None,
            identity=p.identity if p else None,
        )
    elif entity.type == "document":
        d = session.get(Document, entity.id)
        data.update(
            path_or_url=d.path_or_url if d else None,
            title=d.title if d else None,
            kind=d.kind if d else None,
        )
    else:
        o = session.get(Organisation, entity.id)
        data.update(
            name=o.name if o else None,
            org_number=o.org_number if o else None,
            kind=o.kind if o else None,
        )
    return data


def _link_json(session: Session, row: Link, subject: Entity) -> dict[str, Any]:
    outgoing = (row.a_type, row.a_id) == (subject.type, subject.id)
    other = Entity(row.b_type, row.b_id) if outgoing else Entity(row.a_type, row.a_id)
    return {
        **describe(session, other),
        "relation": row.relation,
        "direction": "outgoing" if outgoing else "incoming",
        "status": row.status,
        "score": row.score,
        "method": row.method,
        "decided_by": row.decided_by,
        "evidence": list(row.evidence or []),
    }


def _derived(session: Session, subject: Entity) -> list[dict[str, Any]]:
    """Links that follow from the records themselves: owner, units, source documents."""
    out: list[dict[str, Any]] = []

    def add(other: Entity, relation: str, direction: str, evidence: list[dict]) -> None:
        out.append(
            {
                **describe(session, other),
                "relation": relation,
                "direction": direction,
                "status": "linked",
                "score": None,
                "method": "record",
                "decided_by": None,
                "evidence": evidence,
            }
        )

    if subject.type == "project":
        p = session.get(Project, subject.id)
        if p and p.owner_id:
            ev = [{"feature": "owner", "document": p.owner_name_raw, "project": p.owner.name}]
            add(Entity("organisation", p.owner_id), "owner", "outgoing", ev)
        for doc_id in session.scalars(
            select(ProjectSource.document_id).where(ProjectSource.project_id == subject.id)
        ):
            add(Entity("document", doc_id), "source", "incoming", [])
    elif subject.type == "organisation":
        org = session.get(Organisation, subject.id)
        if org and org.parent_id:
            add(Entity("organisation", org.parent_id), "unit_of", "outgoing", [])
        for unit_id in session.scalars(
            select(Organisation.id).where(Organisation.parent_id == subject.id)
        ):
            add(Entity("organisation", unit_id), "unit_of", "incoming", [])
        for pid, raw in session.execute(
            select(Project.id, Project.owner_name_raw).where(Project.owner_id == subject.id)
        ):
            ev = [{"feature": "owner", "document": raw, "project": org.name if org else None}]
            add(Entity("project", pid), "owner", "incoming", ev)
    else:
        for pid in session.scalars(
            select(ProjectSource.project_id).where(ProjectSource.document_id == subject.id)
        ):
            add(Entity("project", pid), "source", "outgoing", [])
    return out


def _rows(session: Session, a: Entity, b: Entity | None = None) -> list[Link]:
    side_a = and_(Link.a_type == a.type, Link.a_id == a.id)
    side_b = and_(Link.b_type == a.type, Link.b_id == a.id)
    if b is None:
        cond = or_(side_a, side_b)
    else:
        cond = or_(
            and_(side_a, Link.b_type == b.type, Link.b_id == b.id),
            and_(side_b, Link.a_type == b.type, Link.a_id == b.id),
        )
    return list(session.scalars(select(Link).where(cond).order_by(Link.id)).all())


_STATUS_ORDER = {"confirmed": 0, "linked": 1, "candidate": 2, "rejected": 3}


def links_json(session: Session, ident: str) -> dict[str, Any]:
    """The stable `links --json` shape: the subject and each of its links, best first."""
    subject = resolve(session, ident)
    links = [_link_json(session, row, subject) for row in _rows(session, subject)]
    links.sort(key=lambda x: (_STATUS_ORDER.get(x["status"], 9), -(x["score"] or 0)))
    return {"subject": describe(session, subject), "links": links + _derived(session, subject)}


def _default_relation(a: Entity, b: Entity) -> str:
    return "about" if {a.type, b.type} == {"document", "project"} else "same_as"


def _ordered(a: Entity, b: Entity) -> tuple[Entity, Entity]:
    if {a.type, b.type} == {"document", "project"}:
        return (a, b) if a.type == "document" else (b, a)
    return (a, b) if (a.type, a.id) <= (b.type, b.id) else (b, a)


def set_decision(
    session: Session,
    a: str,
    b: str,
    status: str,
    decided_by: str | None = None,
    relation: str | None = None,
) -> list[dict[str, Any]]:
    """Store a person's `confirmed`/`rejected` for the pair A–B (every relation they have,
    or only `relation`); creates the link when there is none. Returns the links as seen from A.

    Confirming two organisations as one merges them (the second into the first).
    """
    if status not in DECISIONS:
        raise ValueError(f"status must be one of {DECISIONS}, not {status!r}")
    ea, eb = resolve(session, a), resolve(session, b)
    if ea == eb:
        raise ValueError("a link needs two different things")
    who = decided_by or os.environ.get("USER") or "unknown"
    rows = [r for r in _rows(session, ea, eb) if relation is None or r.relation == relation]
    if not rows:
        first, second = _ordered(ea, eb)
        row = Link(
            a_type=first.type,
            a_id=first.id,
            b_type=second.type,
            b_id=second.id,
            relation=relation or _default_relation(ea, eb),
            status=status,
            score=None,
            method="manual",
            evidence=[],
        )
        session.add(row)
        rows = [row]
    for row in rows:
        row.status = status
        row.decided_by = who
    session.flush()
    result = [_link_json(session, row, ea) for row in rows]
    if status == "confirmed" and ea.type == eb.type == "organisation":
        keep, drop = session.get(Organisation, ea.id), session.get(Organisation, eb.id)
        if keep.org_number and drop.org_number and keep.org_number != drop.org_number:
            raise ValueError("two organisations with different organisation numbers")
        merge_into(session, drop, keep)
    return result
