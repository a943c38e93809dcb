"""Run the linker over the store: merge organisations, link documents and projects.

`link_all(engine)` is called after every ingest batch and by `projektatlas relink`. It is
idempotent (a second run changes nothing) and brings the stored links in line with what the
rules propose now: new links are added, changed ones updated, ones no longer proposed
removed — except a person's decisions (`confirmed`, `rejected`), which are never touched.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator

from sqlalchemy import Engine, delete, select
from sqlalchemy import text as sql
from sqlalchemy.orm import Session

from projektatlas.link.documents import ProjectIndex, ProposedLink, gc_paused, link_documents
from projektatlas.link.organisations import merge_organisations
from projektatlas.link.profiles import DocumentEvidence, ProjectProfile, evidence_from_facts
from projektatlas.link.projects import project_links
from projektatlas.model import KIND_RECORD
from projektatlas.store.db import session_scope
from projektatlas.store.schema import (
    Document,
    Fact,
    Link,
    Organisation,
    OrganisationAlias,
    Project,
    ProjectSource,
)

DECIDED = ("confirmed", "rejected")
AUTOMATIC = ("linked", "candidate")
RELATIONS = ("about", "same_as", "forstudie_genomforande", "successor")
_DOC_FACT_TYPES = (
    "project_ref",
    "organisation",
    "place",
    "money",
    "share",
    "date",
    "period",
    "duration",
    "count",
)


def load_projects(session: Session) -> list[ProjectProfile]:
    """Every project's profile, with its owner's keys and the counts its sources state."""
    owner_keys: dict[int, set[str]] = defaultdict(set)
    owners: dict[int, tuple[str, str | None]] = {}
    for org_id, name, key, number in session.execute(
        select(Organisation.id, Organisation.name, Organisation.name_key, Organisation.org_number)
    ).all():
        owner_keys[org_id].add(key)
        owners[org_id] = (name, number)
    for org_id, key in session.execute(
        select(OrganisationAlias.organisation_id, OrganisationAlias.alias_key)
    ).all():
        owner_keys[org_id].add(key)
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for project_id, value, attrs in session.execute(
        select(ProjectSource.project_id, Fact.value, Fact.attrs)
        .join(Fact, Fact.document_id == ProjectSource.document_id)
        .where(Fact.type == "count")
    ).all():
        what = (attrs or {}).get("what")
        if what and isinstance(value, int | float):
            counts[project_id].setdefault(str(what), int(value))
    profiles = []
    frozen_keys = {org_id: frozenset(keys) for org_id, keys in owner_keys.items()}
    rows = session.scalars(select(Project)).all()
    with gc_paused():  # a million small acyclic profiles
        profiles.extend(_profile(p, owners, frozen_keys, counts) for p in rows)
    return profiles


def _profile(
    p: Project,
    owners: dict[int, tuple[str, str | None]],
    frozen_keys: dict[int, frozenset[str]],
    counts: dict[int, dict[str, int]],
) -> ProjectProfile:
    """One project's profile (see `load_projects`)."""
    owner = owners.get(p.owner_id) if p.owner_id is not None else None
    return ProjectProfile(
        id=p.id,
        diarienummer=p.diarienummer,
        name=p.name,
        owner_id=p.owner_id,
        owner_name=owner[0] if owner else p.owner_name_raw,
        owner_keys=frozen_keys.get(p.owner_id or -1, frozenset()),
        owner_number=owner[1] if owner else None,
        region=p.region,
        city=p.city,
        start=p.start_date,
        end=p.end_date,
        esf_support=p.esf_support_sek,
        total_budget=p.total_budget_sek,
        rate=p.union_cofinancing_rate,
        participants=p.participants_planned,
        phase=p.project_phase,
        period=p.programme_period,
        counts=counts.get(p.id, {}),
    )


def load_documents(session: Session) -> list[DocumentEvidence]:
    """The evidence of every document that is not a project record."""
    docs = session.execute(
        select(Document.id, Document.path_or_url, Document.text, Document.published).where(
            Document.kind != KIND_RECORD
        )
    ).all()
    facts: dict[int, list[tuple]] = defaultdict(list)
    for doc_id, ftype, text, value, attrs in session.execute(
        select(Fact.document_id, Fact.type, Fact.text, Fact.value, Fact.attrs)
        .join(Document, Document.id == Fact.document_id)
        .where(
            Document.kind != KIND_RECORD,
            Fact.type.in_(_DOC_FACT_TYPES),
            Fact.personal.is_(False),
        )
        .order_by(Fact.document_id, Fact.start, Fact.id)
    ).all():
        facts[doc_id].append((ftype, text, value, attrs))
    with gc_paused():
        return [
            evidence_from_facts(doc_id, facts.get(doc_id, []), text or "", path, published)
            for doc_id, path, text, published in docs
        ]


def propose(
    projects: list[ProjectProfile], documents: Iterable[DocumentEvidence]
) -> Iterator[ProposedLink]:
    """Every link the rules propose for these projects and documents (streamed)."""
    index = ProjectIndex(projects)
    yield from project_links(projects)
    yield from link_documents(documents, index)


def sync_links(session: Session, proposed: Iterable[ProposedLink]) -> int:
    """Make the stored automatic links equal to `proposed`; returns the rows changed."""
    existing = {
        (r.a_type, r.a_id, r.b_type, r.b_id, r.relation): r
        for r in session.scalars(select(Link).where(Link.relation.in_(RELATIONS))).all()
    }
    decided_pairs = {
        frozenset(((r.a_type, r.a_id), (r.b_type, r.b_id)))
        for r in existing.values()
        if r.status in DECIDED
    }
    wanted: set[tuple] = set()
    changed = 0
    for link in proposed:
        wanted.add(link.key)
        row = existing.get(link.key)
        pair = frozenset(((link.a_type, link.a_id), (link.b_type, link.b_id)))
        if row is None:
            if pair in decided_pairs:
                continue
            session.add(
                Link(
                    a_type=link.a_type,
                    a_id=link.a_id,
                    b_type=link.b_type,
                    b_id=link.b_id,
                    relation=link.relation,
                    status=link.status,
                    score=link.score,
                    method=link.method,
                    evidence=link.evidence,
                )
            )
            changed += 1
        elif row.status not in DECIDED and (
            row.status != link.status
            or row.score != link.score
            or row.method != link.method
            or row.evidence != link.evidence
        ):
            row.status, row.score = link.status, link.score
            row.method, row.evidence = link.method, link.evidence
            changed += 1
    for key, row in existing.items():
        if key not in wanted and row.status in AUTOMATIC:
            session.delete(row)
            changed += 1
    session.flush()
    return changed


def _drop_orphans(session: Session) -> int:
    """Automatic links whose document or project no longer exists."""
    removed = 0
    for side in ("a", "b"):
        id_col, type_col = getattr(Link, f"{side}_id"), getattr(Link, f"{side}_type")
        for kind, table in (("document", Document), ("project", Project)):
            result = session.execute(
                delete(Link)
                .where(
                    type_col == kind,
                    Link.status.in_(AUTOMATIC),
                    id_col.not_in(select(table.id)),
                )
                .execution_options(synchronize_session=False)
            )
            removed += result.rowcount or 0
    return removed


LINK_LOCK = 74202  # PostgreSQL advisory lock: one relink at a time


def relink(session: Session) -> int:
    """Merge organisations and bring every automatic link up to date; rows changed.

    On PostgreSQL two ingests finishing at once would both see a link missing and both
    insert it (one then fails on the unique constraint): the transaction first takes an
    advisory lock, so the second waits and, reading after the first committed, writes only
    what is still different. SQLite serialises writers itself."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(sql("SELECT pg_advisory_xact_lock(:k)"), {"k": LINK_LOCK})
    changed = merge_organisations(session)
    session.flush()
    changed += _drop_orphans(session)
    proposed = propose(load_projects(session), load_documents(session))
    return changed + sync_links(session, proposed)


def link_all(engine: Engine) -> int:
    """The post-ingest linking stage (incremental: only differences are written)."""
    with session_scope(engine) as session:
        return relink(session)
