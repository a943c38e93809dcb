"""The FastAPI application: JSON API under /api, server-rendered Swedish/English pages.

    create_app(engine=None, db_url=None) -> FastAPI

Security headers on every response, Jinja2 autoescaping everywhere, JSON errors
``{"detail": "…"}`` under /api (an HTML error page elsewhere).
"""

from __future__ import annotations

import json
import logging
import threading
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy import Engine
from starlette.exceptions import HTTPException as StarletteHTTPException

from projektatlas import __version__
from projektatlas.store.db import open_store
from projektatlas.web.i18n import format_number, pick_language, translator
from projektatlas.web.labels import facet_label

log = logging.getLogger(__name__)
HERE = Path(__file__).resolve().parent
LANG_COOKIE = "lang"


def make_templates() -> Environment:
    env = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(["html", "svg", "xml"], default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env


def short_value(value: Any, limit: int = 80) -> str:
    """A fact value as short plain text for tables."""
    if value is None:
        return "–"
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def request_lang(request: Request) -> str:
    return pick_language(request.query_params.get("lang"), request.cookies.get(LANG_COOKIE))


def render(request: Request, template: str, data: dict[str, Any], status_code: int = 200):
    """The page as HTML, with language, translator and the JSON-twin URL in its context."""
    lang = request_lang(request)
    env: Environment = request.app.state.templates
    json_url = request.url.include_query_params(format="json")
    other = "en" if lang == "sv" else "sv"
    t = translator(lang)
    html = env.get_template(template).render(
        request=request,
        lang=lang,
        t=t,
        num=lambda v: format_number(v, lang),
        short=short_value,
        facet_label=lambda facet, value: facet_label(facet, value, lang, t),
        data=data,
        json_url=f"{json_url.path}?{json_url.query}",
        lang_url=f"{request.url.path}?{request.url.include_query_params(lang=other).query}",
        other_lang=other,
        version=__version__,
    )
    response = HTMLResponse(html, status_code=status_code)
    if request.query_params.get("lang") in ("sv", "en"):
        response.set_cookie(LANG_COOKIE, lang, max_age=31536000, samesite="lax", httponly=True)
    return response


def _message(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err.get("loc", ()) if p not in ("query", "path", "body"))
        parts.append(f"{where}: {err.get('msg')}" if where else str(err.get("msg")))
    return "; ".join(parts) or "invalid request"


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api") or request.query_params.get("format") == "json"


def _error(request: Request, status: int, detail: str):
    if _wants_json(request):
        return JSONResponse({"detail": detail}, status_code=status)
    return render(request, "error.html", {"status": status, "detail": detail}, status)


def prewarm(engine: Engine) -> threading.Thread:
    """Compute the cached aggregates and load the search snapshot in the background.

    The first request of each kind would otherwise pay for them (seconds at 100 000
    documents), and every request that arrives meanwhile waits behind it.
    """

    def run() -> None:
        from projektatlas.store.db import session_scope
        from projektatlas.web.queries import analytics_json, cached_stats

        try:
            with session_scope(engine) as session:
                cached_stats(session)
                analytics_json(session)
        except Exception:  # a warm cache is an optimisation only
            log.warning("could not prewarm the aggregate cache", exc_info=True)
        try:
            from projektatlas.search.service import search

            with session_scope(engine) as session:
                search(session, "projekt", limit=1)
        except Exception:  # no index yet, or no search extras: pages say so themselves
            log.info("search not prewarmed", exc_info=True)

    thread = threading.Thread(target=run, name="projektatlas-prewarm", daemon=True)
    thread.start()
    return thread


def create_app(engine: Engine | None = None, db_url: str | None = None) -> FastAPI:
    """The app on ``engine`` (or on the store at ``db_url`` / $PROJEKTATLAS_DB)."""
    from projektatlas.web.api import router as api_router
    from projektatlas.web.pages import router as page_router
    from projektatlas.web.security import SecurityHeaders

    app = FastAPI(
        title="Projektatlas",
        version=__version__,
        description="Swedish ESF/ESF+ projects, documents, organisations and search.",
        openapi_url="/api/openapi.json",
        docs_url=None,
        redoc_url=None,
    )
    app.state.engine = engine if engine is not None else open_store(db_url)
    app.state.templates = make_templates()
    app.add_middleware(SecurityHeaders)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
        response = _error(request, exc.status_code, detail)
        for key, value in (exc.headers or {}).items():
            response.headers[key] = value
        return response

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError):
        return _error(request, 422, _message(exc))

    @app.exception_handler(Exception)
    async def server_error(request: Request, exc: Exception):
        log.exception("unhandled error on %s", request.url.path)
        return JSONResponse({"detail": "internal server error"}, status_code=500)

    app.include_router(api_router, prefix="/api")
    app.include_router(page_router)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    return app


def create_served_app() -> FastAPI:
    """Factory for each worker process of ``serve --workers N`` (store from $PROJEKTATLAS_DB)."""
    app = create_app()
    prewarm(app.state.engine)
    return app
