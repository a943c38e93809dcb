"""Shared helpers of the web tests: a store with seeds, the sample corpus and hostile fixtures,
and a small stand-in for the search service (same contract) used while it is not installed."""

from __future__ import annotations

import sys
import types
from pathlib import Path
from typing import Any

from sqlalchemy import select

from projektatlas.store.schema import Document, Project
from tests.conftest import ROOT, SEEDS

CORPUS = ROOT / "examples" / "corpus"
XSS_TEXT = (
    "Nyhet om ett försök i Växjö\n\n"
    "Samordningsförbundet i Kronoberg prövar en ny modell för arbetsträning. "
    "<script>window.__xss = 1; alert(1)</script> Här står också <img src=x onerror=alert(2)> "
    "och text med å, ä och ö som ska synas som vanlig text.\n"
)


def write_fixtures(folder: Path) -> list[str]:
    """Our own documents: a news item carrying script and markup in its text."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "nyhet_vaxjo_skript.txt"
    path.write_text(XSS_TEXT, encoding="utf-8")
    return [str(path)]


def ingest_all(engine, tmp: Path) -> None:
    from projektatlas.ingest import ingest

    targets = [str(SEEDS)] + ([str(CORPUS)] if CORPUS.is_dir() else []) + write_fixtures(tmp)
    summary = ingest(engine, targets)
    assert summary.new > 0


def xss_document_id(session) -> int:
    return session.scalar(select(Document.id).where(Document.path_or_url.like("%skript.txt")))


def _hit(p: Project) -> dict[str, Any]:
    return {
        "type": "project",
        "id": p.id,
        "diarienummer": p.diarienummer,
        "title": p.name or "",
        "score": 1.0,
        "snippet": p.name or "",
        "snippet_segments": [[p.name or "", False]],
        "reason": ["stand-in"],
        "kind": "record",
        "owner": p.owner.name if p.owner else None,
        "region": p.region,
        "start_date": p.start_date.isoformat() if p.start_date else None,
        "esf_support_sek": p.esf_support_sek,
    }


FAKE_FACETS = ("programme_period", "esf_region")
ATTR = {"programme_period": "programme_period", "esf_region": "region"}


def fake_search(session, q="", filters=None, limit=20, offset=0, sort="relevance", semantic=True):
    """Projects whose name, owner or description contain every query word (case-folded)."""
    words = q.casefold().split()
    filters = filters or {}
    matching = []
    for p in session.scalars(select(Project).order_by(Project.id)).all():
        text = " ".join(
            filter(None, [p.name, p.description, p.owner.name if p.owner else None, p.region])
        ).casefold()
        if all(w in text for w in words):
            matching.append(p)
    facets = {}
    for name in FAKE_FACETS:
        counts: dict[str, int] = {}
        for p in matching:
            value = getattr(p, ATTR[name])
            if value:
                counts[value] = counts.get(value, 0) + 1
        facets[name] = [{"value": v, "count": n} for v, n in sorted(counts.items())]
    for name, values in filters.items():
        matching = [p for p in matching if getattr(p, ATTR.get(name, name), None) in values]
    if sort == "newest":
        matching.sort(key=lambda p: p.start_date.isoformat() if p.start_date else "", reverse=True)
    hits = [_hit(p) for p in matching]
    if hits and words:
        first = hits[0]
        first["snippet_segments"] = [["<b>före</b> ", False], [q, True], [" efter", False]]
    return {
        "query": q,
        "total": len(hits),
        "limit": limit,
        "offset": offset,
        "sort": sort,
        "hits": hits[offset : offset + limit],
        "facets": facets,
        "filters": filters,
    }


def fake_similar(session, project_id=None, text=None, k=10):
    rows = session.scalars(select(Project).where(Project.id != (project_id or 0)).limit(k)).all()
    return {"hits": [_hit(p) for p in rows]}


def install_fake_search(monkeypatch) -> types.ModuleType:
    module = types.ModuleType("projektatlas.search.service")
    module.search = fake_search
    module.similar = fake_similar
    module.FACETS = FAKE_FACETS
    monkeypatch.setitem(sys.modules, "projektatlas.search.service", module)
    return module
