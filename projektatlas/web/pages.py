"""Server-rendered pages. Each answers ``?format=json`` with the very dict it renders."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session

from projektatlas.service import NotFound
from projektatlas.web import views
from projektatlas.web.app import render, request_lang
from projektatlas.web.i18n import translator
from projektatlas.web.params import (
    FACET_NAMES,
    Limit,
    Offset,
    Q,
    Sort,
    check_ident,
    get_session,
    search_filters,
    search_params,
)

router = APIRouter(include_in_schema=False)
SessionDep = Annotated[Session, Depends(get_session)]
Format = Annotated[str | None, Query(pattern="^(html|json)$")]


def _page(request: Request, fmt: str | None, template: str, data: dict[str, Any]):
    if fmt == "json":
        return JSONResponse(data)
    return render(request, template, data)


def _found(func, session, ident):
    check_ident(ident)
    try:
        return func(session, ident)
    except NotFound as exc:
        raise HTTPException(404, str(exc)) from exc


@router.get("/")
def start(request: Request, session: SessionDep, format: Format = None):
    return _page(request, format, "start.html", views.start_data(session))


@router.get("/search")
def search(
    request: Request,
    session: SessionDep,
    filters: Annotated[dict[str, list[str]], Depends(search_filters)],
    q: Q = "",
    limit: Limit = 20,
    offset: Offset = 0,
    sort: Sort = Sort.relevance,
    format: Format = None,
):
    params = search_params(q, filters, limit, offset, sort)
    data = views.search_data(session, params)
    if format == "json":
        return JSONResponse(data)
    base = [("q", params["q"]), ("sort", params["sort"]), ("limit", str(limit))]
    base += [(name, v) for name in FACET_NAMES for v in filters.get(name, [])]
    lang = request.query_params.get("lang")
    if lang:
        base.append(("lang", lang))
    result = data.get("result") or {}
    total = result.get("total", 0)
    nav = {
        "prev": f"/search?{urlencode([*base, ('offset', max(0, offset - limit))])}"
        if offset > 0
        else None,
        "next": f"/search?{urlencode([*base, ('offset', offset + limit)])}"
        if offset + limit < total
        else None,
        "page": offset // limit + 1,
        "pages": max(1, -(-total // limit)),
        "export": urlencode([(k, v) for k, v in base if k not in ("limit", "lang")]),
        "filters": filters,
        "sort": params["sort"],
        "q": params["q"],
        "limit": limit,
    }
    return render(request, "search.html", {**data, "nav": nav, "facet_names": FACET_NAMES})


@router.get("/projects/{ident:path}")
def project(request: Request, ident: str, session: SessionDep, format: Format = None):
    return _page(request, format, "project.html", _found(views.project_data, session, ident))


@router.get("/organisations/{ident}")
def organisation(request: Request, ident: str, session: SessionDep, format: Format = None):
    data = _found(views.organisation_data, session, ident)
    return _page(request, format, "organisation.html", data)


@router.get("/analytics")
def analytics(request: Request, session: SessionDep, format: Format = None):
    t = translator(request_lang(request))
    return _page(request, format, "analytics.html", views.analytics_data(session, t))


@router.get("/documents/{ident:path}")
def document(request: Request, ident: str, session: SessionDep, format: Format = None):
    return _page(request, format, "document.html", _found(views.document_data, session, ident))
