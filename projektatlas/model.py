"""The canonical domain model shared by every stage of the pipeline.

Stages exchange these plain dataclasses; only `projektatlas.store` knows about tables.

    sources  -> SourceDocument      (bytes made into clean text with a content hash)
    records  -> ProjectRecord       (a project-bank record, each field with its span)
    extract  -> Fact                (a fact found in free text, with span and extractor)
    store    -> rows                (documents, projects, organisations, facts, persons)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

# Programme periods, as written in `show --json`.
PERIOD_2007_2013 = "2007-2013"
PERIOD_2014_2020 = "2014-2020"
PERIOD_2021_2027 = "2021-2027"
PROGRAMME_PERIODS = (PERIOD_2007_2013, PERIOD_2014_2020, PERIOD_2021_2027)

# Document kinds.
KIND_RECORD = "record"
KIND_NEWS = "news"
KIND_REPORT = "report"
KIND_CALL = "call"
KIND_WEB = "web"
KIND_OTHER = "other"
DOCUMENT_KINDS = (KIND_RECORD, KIND_NEWS, KIND_REPORT, KIND_CALL, KIND_WEB, KIND_OTHER)

# Canonical project fields a record parser may fill. Keys of ProjectRecord.fields.
PROJECT_FIELDS = (
    "diarienummer",
    "name",
    "programme_period",
    "fund",
    "programme_cci",
    "programme_area",
    "programme_area_label",
    "specific_objective",
    "intervention_type",
    "owner_name",
    "owner_org_number",
    "region",
    "nuts2",
    "country",
    "postal_code",
    "city",
    "address",
    "start_date",
    "end_date",
    "total_budget_sek",
    "esf_support_sek",
    "union_cofinancing_rate",
    "participants_planned",
    "strategic_importance",
    "child_poverty_theme",
    "project_phase",
    "call_diarienummer",
    "description",
)

# Fields that hold personal data: never indexed, never exported by default, erasable.
PERSONAL_FIELDS = ("contact_name", "contact_email", "contact_phone")


@dataclass(slots=True)
class FieldValue:
    """One field of a record: the value as written, normalised, and where it stood."""

    field: str
    raw: str
    value: Any
    start: int | None = None
    end: int | None = None
    label: str | None = None


@dataclass(slots=True)
class PersonMention:
    """A person named in a document (personal data)."""

    name: str | None = None
    email: str | None = None
    phone: str | None = None
    role: str | None = None
    start: int | None = None
    end: int | None = None


@dataclass(slots=True)
class ProjectRecord:
    """A parsed project-bank record.

    `identity` is the stable key of the project: the diarienummer when there is one,
    otherwise a key derived from title, owner and period (2007–2013 records).
    """

    layout: str
    identity: str
    fields: dict[str, FieldValue] = field(default_factory=dict)
    persons: list[PersonMention] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def get(self, name: str, default: Any = None) -> Any:
        fv = self.fields.get(name)
        return default if fv is None else fv.value


@dataclass(slots=True)
class SourceDocument:
    """A document read from a source, before it is stored."""

    path_or_url: str
    content_hash: str
    text: str
    title: str | None
    media_type: str
    encoding: str | None
    size_bytes: int
    removed_text: str | None = None
    published: date | None = None
    kind: str | None = None


@dataclass(slots=True)
class Fact:
    """A fact found in a document's text, with its provenance.

    `type` is one of FACT_TYPES; `value` is normalised (SEK integer, fraction, ISO date,
    canonical name, ...); `attrs` carries extra structured data (codes, qualifiers such as
    `approximate` or `refers_to`).
    """

    type: str
    text: str
    value: Any
    start: int
    end: int
    confidence: float
    extractor: str
    extractor_version: str
    attrs: dict[str, Any] = field(default_factory=dict)

    @property
    def personal(self) -> bool:
        return self.type in PERSONAL_FACT_TYPES


FACT_TYPES = (
    "organisation",
    "place",
    "money",
    "share",
    "date",
    "period",
    "duration",
    "count",
    "target_group",
    "method",
    "project_ref",
    "person",
    "email",
    "phone",
)
PERSONAL_FACT_TYPES = frozenset({"person", "email", "phone"})
