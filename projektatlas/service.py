"""Read-side service functions shared by the CLI, the JSON API and the web pages.

Each returns plain JSON-ready dicts whose shapes are documented in docs/json.md; the CLI's
`--json`, the API and the HTML pages all show the same data.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from projektatlas.normalize import as_id
from projektatlas.store.projects import RECORD_FACT
from projektatlas.store.schema import (
    Document,
    Fact,
    IngestFailure,
    Organisation,
    Person,
    Project,
    ProjectSource,
)

PROJECT_KEYS = (
    "id",
    "diarienummer",
    "name",
    "programme_period",
    "fund",
    "programme_area",
    "specific_objective",
    "intervention_type",
    "owner",
    "region",
    "nuts2",
    "start_date",
    "end_date",
    "total_budget_sek",
    "esf_support_sek",
    "union_cofinancing_rate",
    "participants_planned",
    "description",
    "sources",
)


class NotFound(LookupError):
    """No such project, document or organisation."""


def find_project(session: Session, ident: str) -> Project:
    """A project by diarienummer, identity or internal id."""
    ident = ident.strip()
    project = session.scalar(
        select(Project).where(or_(Project.diarienummer == ident, Project.identity == ident))
    )
    if project is None and as_id(ident) is not None:
        project = session.get(Project, as_id(ident))
    if project is None:
        raise NotFound(f"no project with diarienummer or id {ident!r}")
    return project


def owner_json(org: Organisation | None) -> dict[str, Any] | None:
    if org is None:
        return None
    return {
        "id": org.id,
        "name": org.name,
        "name_original": org.name_original,
        "org_number": org.org_number,
        "kind": org.kind,
    }


def project_json(session: Session, project: Project, *, provenance: bool = True) -> dict[str, Any]:
    """The stable `show --json` shape (docs/json.md): every key always present."""
    sources = session.execute(
        select(Document.id, Document.path_or_url, Document.kind)
        .join(ProjectSource, ProjectSource.document_id == Document.id)
        .where(ProjectSource.project_id == project.id)
        .order_by(Document.id)
    ).all()
    data: dict[str, Any] = {
        "id": project.id,
        "identity": project.identity,
        "diarienummer": project.diarienummer,
        "name": project.name,
        "programme_period": project.programme_period,
        "fund": project.fund,
        "programme_cci": project.programme_cci,
        "programme_area": project.programme_area,
        "programme_area_label": project.programme_area_label,
        "specific_objective": project.specific_objective,
        "intervention_type": project.intervention_type,
        "owner": owner_json(project.owner),
        "owner_name_as_written": project.owner_name_raw,
        "region": project.region,
        "nuts2": project.nuts2,
        "country": project.country,
        "postal_code": project.postal_code,
        "city": project.city,
        "start_date": project.start_date.isoformat() if project.start_date else None,
        "end_date": project.end_date.isoformat() if project.end_date else None,
        "total_budget_sek": project.total_budget_sek,
        "esf_support_sek": project.esf_support_sek,
        "union_cofinancing_rate": project.union_cofinancing_rate,
        "participants_planned": project.participants_planned,
        "strategic_importance": project.strategic_importance,
        "child_poverty_theme": project.child_poverty_theme,
        "project_phase": project.project_phase,
        "call_diarienummer": project.call_diarienummer,
        "description": project.description,
        "sources": [
            {"document_id": d_id, "path_or_url": path, "kind": kind} for d_id, path, kind in sources
        ],
    }
    if provenance:
        data["provenance"] = field_provenance(session, project)
    return data


def field_provenance(session: Session, project: Project) -> dict[str, dict[str, Any]]:
    """For each field: the document, label and text it was taken from (newest wins)."""
    rows = session.execute(
        select(
            Fact.field,
            Fact.text,
            Fact.start,
            Fact.end,
            Fact.attrs,
            Document.id,
            Document.path_or_url,
        )
        .join(Document, Document.id == Fact.document_id)
        .join(ProjectSource, ProjectSource.document_id == Document.id)
        .where(ProjectSource.project_id == project.id, Fact.type == RECORD_FACT)
        .order_by(Document.ingested_at, Document.id, Fact.id)
    ).all()
    out: dict[str, dict[str, Any]] = {}
    for field_name, text, start, end, attrs, doc_id, path in rows:
        out[field_name] = {
            "document_id": doc_id,
            "path_or_url": path,
            "label": (attrs or {}).get("label"),
            "text": text if field_name != "description" else None,
            "start": start,
            "end": end,
        }
    return out


def list_projects(session: Session, limit: int | None = None) -> list[dict[str, Any]]:
    stmt = select(Project).order_by(Project.start_date.desc().nulls_last(), Project.id)
    if limit:
        stmt = stmt.limit(limit)
    return [
        {
            "id": p.id,
            "diarienummer": p.diarienummer,
            "name": p.name,
            "owner": p.owner.name if p.owner else None,
            "region": p.region,
            "programme_period": p.programme_period,
            "start_date": p.start_date.isoformat() if p.start_date else None,
            "esf_support_sek": p.esf_support_sek,
        }
        for p in session.scalars(stmt).all()
    ]


def find_document(session: Session, ident: str) -> Document:
    """A document by internal id or by the path/URL it was ingested from."""
    ident = ident.strip()
    doc = None
    if as_id(ident) is not None:
        doc = session.get(Document, as_id(ident))
    if doc is None:
        doc = session.scalar(
            select(Document).where(Document.path_or_url == ident).order_by(Document.id.desc())
        )
    if doc is None:
        raise NotFound(f"no document with id or path {ident!r}")
    return doc


def fact_json(fact: Fact) -> dict[str, Any]:
    data = {
        "type": fact.type,
        "field": fact.field,
        "text": fact.text,
        "value": fact.value,
        "start": fact.start,
        "end": fact.end,
        "confidence": fact.confidence,
        "extractor": f"{fact.extractor}@{fact.extractor_version}",
        "personal": fact.personal,
    }
    data.update({k: v for k, v in (fact.attrs or {}).items() if k not in data})
    return data


def document_json(
    session: Session, doc: Document, *, include_personal: bool = False
) -> dict[str, Any]:
    """A document with its clean text and facts (personal facts only when asked for)."""
    stmt = select(Fact).where(Fact.document_id == doc.id).order_by(Fact.start, Fact.id)
    if not include_personal:
        stmt = stmt.where(Fact.personal.is_(False))
    facts = session.scalars(stmt).all()
    project_ids = session.scalars(
        select(ProjectSource.project_id).where(ProjectSource.document_id == doc.id)
    ).all()
    return {
        "id": doc.id,
        "title": doc.title,
        "kind": doc.kind,
        "layout": doc.layout,
        "path_or_url": doc.path_or_url,
        "content_hash": doc.content_hash,
        "media_type": doc.media_type,
        "encoding": doc.encoding,
        "published": doc.published.isoformat() if doc.published else None,
        "ingested_at": doc.ingested_at.isoformat() if doc.ingested_at else None,
        "text": doc.text,
        "removed_text": doc.removed_text,
        "projects": list(project_ids),
        "facts": [fact_json(f) for f in facts],
    }


def fact_summary(session: Session, fact_type: str | None = None) -> dict[str, Any]:
    """Counts of facts per type, and for one type the most frequent values."""
    stmt = select(Fact.type, func.count()).group_by(Fact.type).order_by(Fact.type)
    by_type = {t: n for t, n in session.execute(stmt).all()}
    result: dict[str, Any] = {"by_type": by_type}
    if fact_type:
        values: Counter[str] = Counter()
        for value, text in session.execute(
            select(Fact.value, Fact.text).where(Fact.type == fact_type)
        ).all():
            values[str(value if value is not None else text)] += 1
        result["type"] = fact_type
        result["top_values"] = values.most_common(50)
    return result


def stats(session: Session) -> dict[str, Any]:
    """Key figures of the store."""
    docs = dict(session.execute(select(Document.kind, func.count()).group_by(Document.kind)).all())
    periods = dict(
        session.execute(
            select(Project.programme_period, func.count()).group_by(Project.programme_period)
        ).all()
    )
    return {
        "documents": sum(docs.values()),
        "documents_by_kind": docs,
        "projects": sum(periods.values()),
        "projects_by_period": {str(k): v for k, v in periods.items()},
        "organisations": session.scalar(
            select(func.count(Organisation.id)).where(Organisation.parent_id.is_(None))
        ),
        "facts": session.scalar(select(func.count(Fact.id))),
        "persons": session.scalar(select(func.count(Person.id))),
        "esf_support_sek": session.scalar(select(func.sum(Project.esf_support_sek))) or 0,
        "ingest_failures": session.scalar(select(func.count(IngestFailure.id))),
    }
