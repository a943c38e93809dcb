"""The JSON API under /api. Every response comes from the same functions as the pages."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Header, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel
from sqlalchemy.orm import Session

from projektatlas.service import (
    NotFound,
    find_document,
    find_project,
    project_json,
)
from projektatlas.web import export, queries
from projektatlas.web.params import (
    MAX_EXPORT,
    MAX_QUERY,
    Limit,
    Offset,
    Q,
    Sort,
    check_ident,
    get_session,
    search_filters,
    search_params,
)
from projektatlas.web.queries import ServiceMissing
from projektatlas.web.security import configured_token, token_valid


class ErrorMessage(BaseModel):
    detail: str


_ERRORS = {
    400: "bad request",
    403: "not allowed (operator token)",
    404: "not found",
    422: "invalid parameter",
    503: "search index or linking not installed",
}
router = APIRouter(
    tags=["api"],
    responses={
        code: {"model": ErrorMessage, "description": text} for code, text in _ERRORS.items()
    },
)
SessionDep = Annotated[Session, Depends(get_session)]
Filters = Annotated[dict[str, list[str]], Depends(search_filters)]


def _not_found(exc: NotFound) -> HTTPException:
    return HTTPException(404, str(exc))


def _missing(exc: ServiceMissing) -> HTTPException:
    return HTTPException(503, str(exc))


@router.get("/docs", include_in_schema=False, response_class=HTMLResponse)
def api_docs(request: Request):
    """A local, script-free rendering of the OpenAPI description (no CDN)."""
    from projektatlas.web.app import render

    schema = request.app.openapi()
    endpoints = []
    for path, methods in schema.get("paths", {}).items():
        for method, op in methods.items():
            endpoints.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": op.get("summary") or "",
                    "description": op.get("description") or "",
                    "params": [p["name"] for p in op.get("parameters", [])],
                }
            )
    return render(request, "api_docs.html", {"endpoints": endpoints})


@router.get("/projects", summary="List projects, newest start first (paged)")
def projects(session: SessionDep, limit: Limit = 20, offset: Offset = 0) -> dict[str, Any]:
    return queries.projects_page(session, limit, offset)


@router.get("/projects/{ident:path}", summary="One project: the `show --json` shape")
def project(ident: str, session: SessionDep) -> dict[str, Any]:
    """`ident`: diarienummer (URL-encode the slash: `2020%2F00701`), identity or id."""
    try:
        return project_json(session, find_project(session, check_ident(ident)))
    except NotFound as exc:
        raise _not_found(exc) from exc


@router.get("/documents/{ident:path}", summary="One document without personal data")
def document(ident: str, session: SessionDep) -> dict[str, Any]:
    """Clean text (personal data masked) and its non-personal facts with spans."""
    try:
        return queries.public_document_json(session, find_document(session, check_ident(ident)))
    except NotFound as exc:
        raise _not_found(exc) from exc


@router.get("/organisations/{ident}", summary="An organisation, its projects and partners")
def organisation(ident: str, session: SessionDep) -> dict[str, Any]:
    try:
        return queries.organisation_json(
            session, queries.find_organisation(session, check_ident(ident))
        )
    except NotFound as exc:
        raise _not_found(exc) from exc


@router.get("/search", summary="Search projects and documents (the `search --json` shape)")
def search(
    session: SessionDep,
    filters: Filters,
    q: Q = "",
    limit: Limit = 20,
    offset: Offset = 0,
    sort: Sort = Sort.relevance,
) -> dict[str, Any]:
    try:
        return queries.run_search(session, **search_params(q, filters, limit, offset, sort))
    except ServiceMissing as exc:
        raise _missing(exc) from exc


@router.get("/similar", summary="Projects similar to a project or to a text")
def similar(
    session: SessionDep,
    project: Annotated[str | None, Query(max_length=64)] = None,
    text: Annotated[str | None, Query(max_length=MAX_QUERY)] = None,
    k: Annotated[int, Query(ge=1, le=50)] = 10,
) -> dict[str, Any]:
    if not project and not (text and text.strip()):
        raise HTTPException(400, "give project=ID or text=…")
    try:
        project_id = find_project(session, check_ident(project)).id if project else None
        return queries.run_similar(session, project_id=project_id, text=text or None, k=k)
    except NotFound as exc:
        raise _not_found(exc) from exc
    except ServiceMissing as exc:
        raise _missing(exc) from exc


@router.get("/analytics", summary="Support, budgets, participants by region, län, period…")
def analytics(session: SessionDep) -> dict[str, Any]:
    return queries.analytics_json(session)


@router.get("/stats", summary="Key figures of the store")
def store_stats(session: SessionDep) -> dict[str, Any]:
    return queries.cached_stats(session)


@router.get(
    "/export",
    summary="Export a search result as CSV, JSON or Parquet",
    responses={200: {"content": {"text/csv": {}, "application/vnd.apache.parquet": {}}}},
)
def export_result(
    session: SessionDep,
    filters: Filters,
    q: Q = "",
    sort: Sort = Sort.relevance,
    format: Annotated[str, Query(pattern="^(csv|json|parquet)$")] = "csv",
    limit: Annotated[int, Query(ge=1, le=MAX_EXPORT, description="rows (≤ 10 000)")] = MAX_EXPORT,
    include_personal: Annotated[bool, Query(description="needs the operator token")] = False,
    authorization: Annotated[str | None, Header()] = None,
) -> Response:
    """CSV is UTF-8 with a BOM and `;` between fields, so Excel shows å/ä/ö."""
    if include_personal and not token_valid(authorization):
        raise HTTPException(403, "personal data needs the operator's token")
    try:
        result = queries.run_search(session, **search_params(q, filters, limit, 0, sort))
    except ServiceMissing as exc:
        raise _missing(exc) from exc
    rows = export.hit_rows(result["hits"][:limit])
    columns = export.COLUMNS
    if include_personal:
        rows = export.add_personal(session, rows)
        columns = (*columns, *export.PERSONAL_COLUMNS)
    meta = {"query": result["query"], "filters": result["filters"], "total": result["total"]}
    if format == "csv":
        body = export.to_csv(rows, columns)
    elif format == "json":
        body = export.to_json(rows, meta)
    else:
        body = export.to_parquet(rows, columns)
    headers = {
        "Content-Disposition": f'attachment; filename="projektatlas-export.{format}"',
        "X-Total-Count": str(result["total"]),
        "Cache-Control": "no-store",
    }
    return Response(body, media_type=export.MEDIA_TYPES[format], headers=headers)


@router.get("/links/{ident:path}", summary="Links of a project to documents and projects")
def links(ident: str, session: SessionDep) -> dict[str, Any]:
    try:
        return queries.links_for(session, check_ident(ident))
    except NotFound as exc:
        raise _not_found(exc) from exc


@router.post("/links/{decision}", summary="Confirm or reject a link (operator token)")
def decide_link(
    decision: str,
    session: SessionDep,
    a: Annotated[str, Body(max_length=256)],
    b: Annotated[str, Body(max_length=256)],
    authorization: Annotated[str | None, Header()] = None,
) -> dict[str, Any]:
    """`decision`: confirm | reject; body `{"a": …, "b": …}`; header `Authorization: Bearer …`."""
    if configured_token() is None:
        raise HTTPException(403, "writes are disabled: no operator token is configured")
    if not token_valid(authorization):
        raise HTTPException(403, "a valid operator token is required")
    status = {"confirm": "confirmed", "reject": "rejected"}.get(decision)
    if status is None:
        raise HTTPException(404, "decision must be confirm or reject")
    try:
        from projektatlas.link.service import set_decision
    except ModuleNotFoundError as exc:
        raise HTTPException(503, "linking is not installed") from exc
    try:
        result = set_decision(session, a, b, status, decided_by="web-operator")
    except (NotFound, LookupError, ValueError) as exc:
        raise HTTPException(404 if isinstance(exc, LookupError) else 400, str(exc)) from exc
    return (
        result if isinstance(result, dict) else {"a": a, "b": b, "status": status, "links": result}
    )
