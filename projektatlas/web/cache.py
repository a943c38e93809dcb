"""A small cache for whole-store aggregates (key figures, analytics).

An entry is valid while the store's signature is unchanged — the highest ids of documents,
facts, projects, organisations and links, each an O(log n) index lookup — and at most
``TTL`` seconds. Ingest and re-ingest always add rows (facts are rewritten), so a change to
the store shows at once; the TTL is a backstop for edits that add no row.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from projektatlas.store.schema import Document, Fact, Link, Organisation, Project

TTL = 300.0
_lock = threading.Lock()
_entries: dict[tuple[str, str], tuple[tuple, float, Any]] = {}


def signature(session: Session) -> tuple:
    return tuple(
        session.scalar(select(func.max(model.id)))
        for model in (Document, Fact, Project, Organisation, Link)
    )


def cached(session: Session, name: str, compute: Callable[[], Any]) -> Any:
    """``compute()``'s result, reused while the store is unchanged (per database URL)."""
    key = (str(session.get_bind().url), name)
    sig = signature(session)
    now = time.monotonic()
    with _lock:
        hit = _entries.get(key)
    if hit is not None and hit[0] == sig and now - hit[1] < TTL:
        return hit[2]
    value = compute()
    with _lock:
        _entries[key] = (sig, now, value)
    return value


def clear() -> None:
    with _lock:
        _entries.clear()
