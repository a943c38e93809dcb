"""The data behind each page. A page renders exactly this dict; its JSON twin returns it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from projektatlas import model
from projektatlas.service import (
    find_document,
    find_project,
    project_json,
)
from projektatlas.store.schema import Document
from projektatlas.web import queries
from projektatlas.web.charts import bar_chart, choropleth, region_values_by_lan
from projektatlas.web.queries import ServiceMissing

SEARCH_MISSING = "sökindex saknas"

# Fields of the project page, in the model's order: the owner is shown as its organisation
# (with a link) followed by the name as written; the street address and the description
# (shown in full below the table) are left out of the table.
_PAGE_OWNER = {"owner_name": ("owner", "owner_name_as_written"), "owner_org_number": ()}
PROJECT_FIELDS = tuple(
    key
    for field in model.PROJECT_FIELDS
    if field not in {"address", "description"}
    for key in _PAGE_OWNER.get(field, (field,))
)
# Provenance keys that differ from the project key.
PROVENANCE_KEYS = {
    "owner": ("owner_org_number", "owner", "owner_name"),
    "owner_name_as_written": ("owner_name",),
}


def start_data(session: Session) -> dict[str, Any]:
    return {
        "stats": queries.cached_stats(session),
        "newest": queries.projects_page(session, 10, 0)["items"],
    }


def search_data(session: Session, params: dict[str, Any]) -> dict[str, Any]:
    """The search service's result (unchanged), or a browsable project list without it."""
    try:
        result = queries.run_search(session, **params)
    except ServiceMissing:
        return {
            "available": False,
            "message": SEARCH_MISSING,
            "query": params.get("q", ""),
            "projects": queries.projects_page(session, params["limit"], params["offset"]),
        }
    return {"available": True, "result": result}


def _provenance_for(field: str, provenance: dict[str, Any]) -> dict[str, Any] | None:
    for key in PROVENANCE_KEYS.get(field, (field,)):
        if key in provenance:
            return provenance[key]
    return None


def project_data(session: Session, ident: str) -> dict[str, Any]:
    project = find_project(session, ident)
    data = project_json(session, project)
    provenance = data.get("provenance", {})
    fields = [
        {"key": key, "value": data[key], "source": _provenance_for(key, provenance)}
        for key in PROJECT_FIELDS
    ]
    links = queries.links_for(session, str(project.id))
    linked_docs, linked_projects = queries.linked_items(links)
    source_ids = [s["document_id"] for s in data["sources"]]
    doc_ids = sorted({*source_ids, *(d["id"] for d in linked_docs)})
    titles = {
        d_id: (title, kind)
        for d_id, title, kind in session.execute(
            select(Document.id, Document.title, Document.kind).where(Document.id.in_(doc_ids))
        ).all()
    }
    for row in linked_docs:
        title, kind = titles.get(row["id"], (None, None))
        row.setdefault("title", title)
        row.setdefault("kind", kind)
    source_documents = [
        {**src, "title": titles.get(src["document_id"], (None, None))[0]} for src in data["sources"]
    ]
    try:
        similar = queries.run_similar(session, project_id=project.id, k=6)
        similar_hits = [h for h in similar.get("hits", []) if h.get("id") != project.id][:5]
        similar_available = True
    except ServiceMissing:
        similar_hits, similar_available = [], False
    return {
        "project": data,
        "fields": fields,
        "source_documents": source_documents,
        "linked_documents": linked_docs,
        "linked_projects": linked_projects,
        "owner_projects": queries.owner_projects(session, project),
        "partners": queries.project_partners(session, project, doc_ids),
        "similar": similar_hits,
        "similar_available": similar_available,
    }


def organisation_data(session: Session, ident: str) -> dict[str, Any]:
    org = queries.find_organisation(session, ident)
    data = queries.organisation_json(session, org)
    chart = bar_chart(data["projects_by_year"], "projects", lambda r: r["year"])
    return {"organisation": data, "chart": chart}


def analytics_data(session: Session, t) -> dict[str, Any]:
    data = queries.analytics_json(session)
    charts: dict[str, dict[str, Any]] = {}
    for dim, rows in data["by"].items():

        def label(row: dict[str, Any], dim: str = dim) -> str:
            if row["key"] is None:
                return t("analytics.unknown")
            return row.get("name") or row["key"] if dim == "lan" else row["key"]

        charts[dim] = {m: bar_chart(rows, m, label) for m in data["measures"]}
    by_lan = {r["key"]: r["esf_support_sek"] for r in data["by"]["lan"] if r["key"]}
    by_region = {r["key"]: r["esf_support_sek"] for r in data["by"]["esf_region"] if r["key"]}
    return {
        "analytics": data,
        "charts": charts,
        "map_lan": choropleth(by_lan),
        "map_region": choropleth(region_values_by_lan(by_region)),
    }


def document_data(session: Session, ident: str) -> dict[str, Any]:
    doc = find_document(session, ident)
    data = queries.public_document_json(session, doc)
    segments = queries.text_segments(data["text"] or "", data["facts"])
    for seg in segments:
        seg["pieces"] = queries.masked_segments(seg["text"])
    return {"document": data, "segments": segments}
