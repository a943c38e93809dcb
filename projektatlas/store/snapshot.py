"""A content snapshot of a store in natural keys (no internal ids, no timestamps).

Two stores with equal snapshots hold the same documents, projects, organisations, facts,
persons and links — used to prove that an interrupted ingest, once re-run, ends exactly like
one that was never interrupted, and that concurrent ingests end consistent.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import Engine, select

from projektatlas.store.db import session_scope
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

_SKIP_PROJECT = {"id", "owner_id", "created_at", "updated_at"}


def snapshot(engine: Engine) -> dict[str, Any]:
    """Everything stored, keyed by content: comparable across databases and runs."""
    with session_scope(engine) as s:
        docs = {d.id: d for d in s.scalars(select(Document)).all()}
        orgs = {o.id: o for o in s.scalars(select(Organisation)).all()}
        projects = {p.id: p for p in s.scalars(select(Project)).all()}
        doc_key = {i: d.content_hash for i, d in docs.items()}
        org_key = {
            i: (o.name_key, o.org_number, o.parent_id and orgs[o.parent_id].name_key)
            for i, o in orgs.items()
        }
        return {
            "documents": sorted(
                (d.content_hash, d.path_or_url, d.kind, d.layout, d.title, d.text)
                for d in docs.values()
            ),
            "projects": sorted(
                (
                    p.identity,
                    tuple(
                        (c.key, str(getattr(p, c.key)))
                        for c in Project.__table__.columns
                        if c.key not in _SKIP_PROJECT
                    ),
                    org_key.get(p.owner_id),
                )
                for p in projects.values()
            ),
            "project_sources": sorted(
                (projects[ps.project_id].identity, doc_key[ps.document_id])
                for ps in s.scalars(select(ProjectSource)).all()
            ),
            "organisations": sorted(
                (k[0], k[1] or "", k[2] or "", orgs[i].name, orgs[i].kind or "")
                for i, k in org_key.items()
            ),
            "aliases": sorted(
                (org_key[a.organisation_id][0], a.alias)
                for a in s.scalars(select(OrganisationAlias)).all()
            ),
            "facts": sorted(
                Counter(
                    (
                        doc_key[f.document_id],
                        f.type,
                        f.field or "",
                        f.text,
                        f.start,
                        f.end,
                        repr(f.value),
                        f.extractor,
                        f.personal,
                    )
                    for f in s.scalars(select(Fact)).all()
                ).items()
            ),
            "persons": sorted(
                (
                    p.name or "",
                    p.email or "",
                    p.phone or "",
                    projects[p.project_id].identity if p.project_id else "",
                )
                for p in s.scalars(select(Person)).all()
            ),
            "links": sorted(
                (
                    _side(ln.a_type, ln.a_id, doc_key, projects, org_key),
                    _side(ln.b_type, ln.b_id, doc_key, projects, org_key),
                    ln.relation,
                    ln.status,
                    round(ln.score or 0, 6),
                )
                for ln in s.scalars(select(Link)).all()
            ),
        }


def _side(kind: str, ident: int, doc_key, projects, org_key) -> str:
    if kind == "document":
        return f"document:{doc_key.get(ident)}"
    if kind == "project":
        p = projects.get(ident)
        return f"project:{p.identity if p else ident}"
    if kind == "organisation":
        return f"organisation:{org_key.get(ident)}"
    return f"{kind}:{ident}"
