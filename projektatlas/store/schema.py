"""The relational schema: one canonical model on SQLite (embedded) and PostgreSQL (server).

Tables are changed only through Alembic migrations (`store/migrations`). Derived search
indexes are not part of this schema: `projektatlas.search` builds and rebuilds them.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, Any: JSON}


class Document(Base):
    """A document as ingested: clean text, kind, and the hash that makes re-ingest idempotent."""

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    path_or_url: Mapped[str] = mapped_column(String(2048), index=True)
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(16), index=True)
    layout: Mapped[str | None] = mapped_column(String(32))
    title: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    removed_text: Mapped[str | None] = mapped_column(Text)
    media_type: Mapped[str] = mapped_column(String(64))
    encoding: Mapped[str | None] = mapped_column(String(32))
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    published: Mapped[date | None] = mapped_column(Date)
    ingested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )

    facts: Mapped[list[Fact]] = relationship(
        back_populates="document", cascade="all, delete-orphan", passive_deletes=True
    )


class Organisation(Base):
    """An organisation; a department is a unit with `parent_id` set to its organisation.

    Without an organisation number, a name key is unique among top-level organisations
    (and among the units of one parent), so concurrent ingests cannot create twins.
    """

    __tablename__ = "organisations"
    __table_args__ = (
        Index(
            "uq_organisations_top_name",
            "name_key",
            unique=True,
            sqlite_where=text("org_number IS NULL AND parent_id IS NULL"),
            postgresql_where=text("org_number IS NULL AND parent_id IS NULL"),
        ),
        Index(
            "uq_organisations_unit_name",
            "parent_id",
            "name_key",
            unique=True,
            sqlite_where=text("parent_id IS NOT NULL"),
            postgresql_where=text("parent_id IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(512))
    name_original: Mapped[str | None] = mapped_column(String(512))
    name_key: Mapped[str] = mapped_column(String(512), index=True)
    org_number: Mapped[str | None] = mapped_column(String(11), unique=True)
    kind: Mapped[str | None] = mapped_column(String(32))
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    aliases: Mapped[list[OrganisationAlias]] = relationship(
        back_populates="organisation", cascade="all, delete-orphan", passive_deletes=True
    )


class OrganisationAlias(Base):
    """Every spelling of an organisation seen in a source."""

    __tablename__ = "organisation_aliases"
    __table_args__ = (UniqueConstraint("organisation_id", "alias"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    alias: Mapped[str] = mapped_column(String(512))
    alias_key: Mapped[str] = mapped_column(String(512), index=True)

    organisation: Mapped[Organisation] = relationship(back_populates="aliases")


class Project(Base):
    """The canonical project, derived from its sources' record fields."""

    __tablename__ = "projects"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    identity: Mapped[str] = mapped_column(String(512), unique=True)
    diarienummer: Mapped[str | None] = mapped_column(String(32), unique=True)
    name: Mapped[str | None] = mapped_column(Text)
    programme_period: Mapped[str | None] = mapped_column(String(16), index=True)
    fund: Mapped[str | None] = mapped_column(String(16))
    programme_cci: Mapped[str | None] = mapped_column(String(32))
    programme_area: Mapped[str | None] = mapped_column(String(8), index=True)
    programme_area_label: Mapped[str | None] = mapped_column(Text)
    specific_objective: Mapped[str | None] = mapped_column(String(16))
    intervention_type: Mapped[str | None] = mapped_column(String(16))
    owner_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="SET NULL"), index=True
    )
    owner_name_raw: Mapped[str | None] = mapped_column(String(512))
    region: Mapped[str | None] = mapped_column(String(64), index=True)
    nuts2: Mapped[str | None] = mapped_column(String(8))
    country: Mapped[str | None] = mapped_column(String(64))
    postal_code: Mapped[str | None] = mapped_column(String(16))
    city: Mapped[str | None] = mapped_column(String(128))
    address: Mapped[str | None] = mapped_column(String(512))
    start_date: Mapped[date | None] = mapped_column(Date, index=True)
    end_date: Mapped[date | None] = mapped_column(Date)
    total_budget_sek: Mapped[int | None] = mapped_column(BigInteger)
    esf_support_sek: Mapped[int | None] = mapped_column(BigInteger)
    union_cofinancing_rate: Mapped[float | None] = mapped_column(Float)
    participants_planned: Mapped[int | None] = mapped_column(Integer)
    strategic_importance: Mapped[bool | None] = mapped_column(Boolean)
    child_poverty_theme: Mapped[bool | None] = mapped_column(Boolean)
    project_phase: Mapped[str | None] = mapped_column(String(64))
    call_diarienummer: Mapped[str | None] = mapped_column(String(32))
    description: Mapped[str | None] = mapped_column(Text)
    layout: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )

    owner: Mapped[Organisation | None] = relationship()
    sources: Mapped[list[ProjectSource]] = relationship(
        back_populates="project", cascade="all, delete-orphan", passive_deletes=True
    )


class ProjectSource(Base):
    """A document that is a source of a project's record fields."""

    __tablename__ = "project_sources"

    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True
    )
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True, index=True
    )

    project: Mapped[Project] = relationship(back_populates="sources")
    document: Mapped[Document] = relationship()


class Fact(Base):
    """A statement found in a document, with the span it came from and who found it.

    Record fields are facts too (`type` = "record_field", `field` = the project field);
    facts of a personal type (person, email, phone) are marked `personal`.
    """

    __tablename__ = "facts"
    __table_args__ = (Index("ix_facts_type_field", "type", "field"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    type: Mapped[str] = mapped_column(String(32))
    field: Mapped[str | None] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    value: Mapped[Any] = mapped_column(JSON)
    start: Mapped[int | None] = mapped_column(Integer)
    end: Mapped[int | None] = mapped_column(Integer)
    confidence: Mapped[float] = mapped_column(Float, default=1.0)
    extractor: Mapped[str] = mapped_column(String(64))
    extractor_version: Mapped[str] = mapped_column(String(16))
    attrs: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    personal: Mapped[bool] = mapped_column(Boolean, default=False)

    document: Mapped[Document] = relationship(back_populates="facts")


class Person(Base):
    """A person (personal data): kept apart, never indexed, erasable with `forget`."""

    __tablename__ = "persons"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str | None] = mapped_column(String(256))
    email: Mapped[str | None] = mapped_column(String(256), index=True)
    phone: Mapped[str | None] = mapped_column(String(64))
    role: Mapped[str | None] = mapped_column(String(64))
    project_id: Mapped[int | None] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    document_id: Mapped[int | None] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )


class Link(Base):
    """A decision that two things belong together, with its score and evidence.

    `status`: linked | candidate | confirmed | rejected. Confirmed and rejected are a
    person's decisions and survive re-ingest and re-linking.
    """

    __tablename__ = "links"
    __table_args__ = (UniqueConstraint("a_type", "a_id", "b_type", "b_id", "relation"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    a_type: Mapped[str] = mapped_column(String(16))
    a_id: Mapped[int] = mapped_column(Integer)
    b_type: Mapped[str] = mapped_column(String(16))
    b_id: Mapped[int] = mapped_column(Integer)
    relation: Mapped[str] = mapped_column(String(32), default="about")
    status: Mapped[str] = mapped_column(String(16), index=True)
    score: Mapped[float | None] = mapped_column(Float)
    method: Mapped[str | None] = mapped_column(String(64))
    evidence: Mapped[Any] = mapped_column(JSON, default=list)
    decided_by: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )


Index("ix_links_a", Link.a_type, Link.a_id)
Index("ix_links_b", Link.b_type, Link.b_id)


class IngestFailure(Base):
    """A source that could not be ingested, and why (kept for `stats` and review)."""

    __tablename__ = "ingest_failures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    path_or_url: Mapped[str] = mapped_column(String(2048), index=True)
    reason: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Erasure(Base):
    """A salted hash of a value erased with `forget`, so re-ingest erases it again."""

    __tablename__ = "erasures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    value_hash: Mapped[str] = mapped_column(String(64), unique=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
