"""Store a parsed record: its fields as facts, and the canonical project derived from them.

The project row is derived, never edited by hand: for each field the value comes from the
newest source document that states it (a project-bank record beats anything else, since
only records write `record_field` facts).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from projektatlas.link.organisations import resolve_organisation
from projektatlas.model import PROJECT_FIELDS, ProjectRecord
from projektatlas.store.schema import Document, Fact, Person, Project, ProjectSource

RECORD_FACT = "record_field"
_DATE_FIELDS = {"start_date", "end_date"}
# Fields copied onto the project row as they are (owner fields are resolved separately).
_COPIED = tuple(f for f in PROJECT_FIELDS if f not in {"owner_name", "owner_org_number"})


def jsonable(value: Any) -> Any:
    """A JSON-safe copy of a normalised value (dates as ISO strings)."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return value


def record_facts(record: ProjectRecord, document: Document, extractor: str) -> list[dict]:
    """One `record_field` fact row per field of the record, with its span."""
    return [
        {
            "document_id": document.id,
            "type": RECORD_FACT,
            "field": name,
            "text": fv.raw,
            "value": jsonable(fv.value),
            "start": fv.start,
            "end": fv.end,
            "confidence": 1.0 if fv.label != "derived" else 0.9,
            "extractor": extractor,
            "extractor_version": "1",
            "attrs": {"label": fv.label, "layout": record.layout},
            "personal": False,
        }
        for name, fv in record.fields.items()
    ]


def store_record(
    session: Session, record: ProjectRecord, document: Document
) -> tuple[Project, bool]:
    """Attach the record to its project (created when new); returns (project, created)."""
    rows = record_facts(record, document, f"records.{record.layout}")
    if rows:
        session.execute(insert(Fact), rows)
    project = session.scalar(select(Project).where(Project.identity == record.identity))
    created = project is None
    if project is None:
        project = Project(identity=record.identity)
        session.add(project)
        session.flush()
    if session.get(ProjectSource, (project.id, document.id)) is None:
        session.add(ProjectSource(project_id=project.id, document_id=document.id))
    session.execute(
        delete(Person).where(Person.document_id == document.id, Person.project_id == project.id)
    )
    for person in record.persons:
        session.add(
            Person(
                name=person.name,
                email=person.email,
                phone=person.phone,
                role=person.role,
                project_id=project.id,
                document_id=document.id,
            )
        )
    session.flush()
    derive_project(session, project)
    return project, created


def derive_project(session: Session, project: Project) -> None:
    """Recompute the project's fields from the record facts of all its sources."""
    rows = session.execute(
        select(Fact.field, Fact.value, Document.layout)
        .join(Document, Document.id == Fact.document_id)
        .join(ProjectSource, ProjectSource.document_id == Document.id)
        .where(ProjectSource.project_id == project.id, Fact.type == RECORD_FACT)
        .order_by(Document.ingested_at, Document.id, Fact.id)
    ).all()
    values: dict[str, Any] = {}
    layout = None
    for field_name, value, doc_layout in rows:
        if value is not None:
            values[field_name] = value
        layout = doc_layout or layout
    for name in _COPIED:
        value = values.get(name)
        if name in _DATE_FIELDS and isinstance(value, str):
            value = date.fromisoformat(value)
        setattr(project, name, value)
    project.layout = layout
    owner = resolve_organisation(session, values.get("owner_name"), values.get("owner_org_number"))
    project.owner_id = owner.id if owner else None
    project.owner_name_raw = values.get("owner_name")
