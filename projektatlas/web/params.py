"""Request parameters shared by the API and the pages: the store session and search filters."""

from __future__ import annotations

from collections.abc import Iterator
from enum import StrEnum
from typing import Annotated, Any

from fastapi import HTTPException, Query, Request
from sqlalchemy.orm import Session

from projektatlas.normalize import as_id
from projektatlas.search.facets import FACETS
from projektatlas.store.db import session_scope

MAX_LIMIT = 100
MAX_QUERY = 500
MAX_OFFSET = 100_000
MAX_EXPORT = 10_000
MAX_FILTER_VALUES = 50
FACET_NAMES = FACETS  # one list: the search index defines the facets


class Sort(StrEnum):
    relevance = "relevance"
    newest = "newest"
    oldest = "oldest"
    budget = "budget"


MAX_IDENT = 512
MAX_INT_ID = 2**31 - 1


def check_ident(ident: str) -> str:
    """Refuse identifiers no store row can have (NUL, too long, ids beyond INTEGER) with 404,
    before they reach a database driver that would fail on them."""
    if (
        not ident.strip()
        or "\x00" in ident
        or len(ident) > MAX_IDENT
        or (ident.strip().isdecimal() and as_id(ident) is None)
    ):
        raise HTTPException(404, "no such item")
    return ident


def get_session(request: Request) -> Iterator[Session]:
    with session_scope(request.app.state.engine) as session:
        yield session


FacetValues = Annotated[
    list[str] | None, Query(max_length=MAX_FILTER_VALUES, description="facet value (repeatable)")
]


def search_filters(
    kind: FacetValues = None,
    programme_period: FacetValues = None,
    esf_region: FacetValues = None,
    lan: FacetValues = None,
    programme_area: FacetValues = None,
    specific_objective: FacetValues = None,
    owner_kind: FacetValues = None,
    target_group: FacetValues = None,
    start_year: FacetValues = None,
    budget_band: FacetValues = None,
) -> dict[str, list[str]]:
    """Facet filters as query parameters (values of one facet OR-ed, facets AND-ed)."""
    given = locals()
    out: dict[str, list[str]] = {}
    for name in FACET_NAMES:
        values = [v.replace("\x00", "")[:200] for v in (given[name] or []) if v and v.strip()]
        if values:
            out[name] = list(dict.fromkeys(values))
    return out


Q = Annotated[str, Query(max_length=MAX_QUERY, description="search words (may be empty)")]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="page size (≤ 100)")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET)]


def search_params(
    q: str, filters: dict[str, list[str]], limit: int, offset: int, sort: Sort
) -> dict[str, Any]:
    return {
        "q": q.replace("\x00", " ").strip(),
        "filters": filters or None,
        "limit": limit,
        "offset": offset,
        "sort": sort.value,
    }
