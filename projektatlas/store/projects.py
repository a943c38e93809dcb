"""Store a parsed record: its fields as facts, and the canonical project derived from them.

The project row is derived, never edited by hand: for each field the value comes from the
newest source document that states it (a project-bank record beats anything else, since
only records write `record_field` facts).
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.orm import Session

from projektatlas.link.organisations import resolve_organisation
from projektatlas.model import PROJECT_FIELDS, ProjectRecord
from projektatlas.store.schema import (
    Document,
    Fact,
    Organisation,
    Person,
    Project,
    ProjectSource,
    utcnow,
)

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


def record_facts(record: ProjectRecord, document_id: int, extractor: str) -> list[dict]:
    """One `record_field` fact row per field of the record, with its span."""
    return [
        {
            "document_id": document_id,
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
    rows = record_facts(record, document.id, f"records.{record.layout}")
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
    for row in person_rows(record, project.id, document.id):
        session.add(Person(**row))
    session.flush()
    derive_project(session, project)
    return project, created


def person_rows(record: ProjectRecord, project_id: int, document_id: int) -> list[dict]:
    """One `persons` row per contact person of the record."""
    return [
        {
            "name": person.name,
            "email": person.email,
            "phone": person.phone,
            "role": person.role,
            "project_id": project_id,
            "document_id": document_id,
        }
        for person in record.persons
    ]


def store_new_records(
    session: Session, records: list[tuple[ProjectRecord, int]]
) -> list[tuple[int, bool]]:
    """`store_record` for several new documents at once: (record, document id) pairs in input
    order, whose project identities are all different; returns (project id, created) for each.

    The documents must be new (no facts, sources or persons of theirs stored yet). Rows are
    written with a few bulk statements; the projects are derived in input order, which ends
    exactly as storing the documents one by one would (no project has two of them here).
    """
    if not records:
        return []
    identities = [record.identity for record, _ in records]
    if len(set(identities)) != len(identities):
        raise ValueError("store_new_records needs documents of different projects")
    session.flush()
    conn = session.connection()
    fact_rows = [
        row
        for record, doc_id in records
        for row in record_facts(record, doc_id, f"records.{record.layout}")
    ]
    if fact_rows:
        conn.execute(insert(Fact), fact_rows)

    def ids_by_identity() -> dict[str, int]:
        return dict(
            conn.execute(
                select(Project.identity, Project.id).where(Project.identity.in_(identities))
            ).all()
        )

    project_id = ids_by_identity()
    created = [ident for ident in identities if ident not in project_id]
    if created:
        now = utcnow()
        conn.execute(
            insert(Project),
            [{"identity": ident, "created_at": now, "updated_at": now} for ident in created],
        )
        project_id = ids_by_identity()
    conn.execute(
        insert(ProjectSource),
        [{"project_id": project_id[r.identity], "document_id": d} for r, d in records],
    )
    people = [row for r, d in records for row in person_rows(r, project_id[r.identity], d)]
    if people:
        conn.execute(insert(Person), people)
    updates = []
    for record, _ in records:
        pid = project_id[record.identity]
        # A project created here has this record as its only source: nothing to read back.
        rows = _record_rows(record) if record.identity in created else _source_rows(session, pid)
        values, layout = _derived(rows)
        # Owners are resolved in input order, as one by one would; the projects are then
        # updated with one executemany (resolving reads organisations, never projects).
        owner = _owner(session, values)
        updates.append({"pid": pid, **_derived_columns(values, layout, owner)})
    conn.execute(update(Project).where(Project.id == bindparam("pid")), updates)
    ids = set(project_id.values())
    for obj in list(session.identity_map.values()):  # loaded earlier in this session
        if isinstance(obj, Project) and obj.id in ids:
            session.expire(obj)
    new = set(created)
    return [(project_id[r.identity], r.identity in new) for r, _ in records]


def derive_project(session: Session, project: Project) -> None:
    """Recompute the project's fields from the record facts of all its sources."""
    values, layout = _derived(_source_rows(session, project.id))
    owner = _owner(session, values)
    _set_derived(project, values, layout, owner)


def _source_rows(session: Session, project_id: int) -> list:
    """(field, value, layout) of the record facts of all the project's sources, oldest first."""
    return session.execute(
        select(Fact.field, Fact.value, Document.layout)
        .join(Document, Document.id == Fact.document_id)
        .join(ProjectSource, ProjectSource.document_id == Document.id)
        # `type || ''` keeps SQLite (no statistics) from scanning every record fact of the
        # store through ix_facts_type_field: it must start at the project's few sources.
        .where(ProjectSource.project_id == project_id, Fact.type.concat("") == RECORD_FACT)
        .order_by(Document.ingested_at, Document.id, Fact.id)
    ).all()


def _record_rows(record: ProjectRecord) -> list[tuple[str, Any, str]]:
    """The rows `_source_rows` reads back for a project whose one source is this record
    (values through the same JSON round trip as the JSON column)."""
    return [
        (name, json.loads(json.dumps(jsonable(fv.value))), record.layout)
        for name, fv in record.fields.items()
    ]


def _derived(rows: list) -> tuple[dict[str, Any], str | None]:
    """Field values (the newest source that states a field wins) and the newest layout."""
    values: dict[str, Any] = {}
    layout = None
    for field_name, value, doc_layout in rows:
        if value is not None:
            values[field_name] = value
        layout = doc_layout or layout
    return values, layout


def _owner(session: Session, values: dict[str, Any]) -> Organisation | None:
    return resolve_organisation(session, values.get("owner_name"), values.get("owner_org_number"))


def _derived_columns(
    values: dict[str, Any], layout: str | None, owner: Organisation | None
) -> dict[str, Any]:
    """The project's derived columns, by attribute name."""
    columns: dict[str, Any] = {}
    for name in _COPIED:
        value = values.get(name)
        if name in _DATE_FIELDS and isinstance(value, str):
            value = date.fromisoformat(value)
        columns[name] = value
    columns["layout"] = layout
    columns["owner_id"] = owner.id if owner else None
    columns["owner_name_raw"] = values.get("owner_name")
    columns["updated_at"] = utcnow()
    return columns


def _set_derived(
    project: Project, values: dict[str, Any], layout: str | None, owner: Organisation | None
) -> None:
    columns = _derived_columns(values, layout, owner)
    del columns["updated_at"]  # set by the ORM when anything changed
    for name, value in columns.items():
        setattr(project, name, value)
