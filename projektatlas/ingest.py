"""The ingest pipeline: sources → clean text → record parsing / fact extraction → store.

Documents are written in batches (up to BATCH_SIZE documents or BATCH_SECONDS of input), one
transaction per batch: a crash leaves every earlier batch complete and nothing of the batch
being written, and a re-run stores that batch again. A batch that fails is rolled back and
stored again one document per transaction, so one bad document costs only itself. Storing
a batch ends exactly as storing its documents one by one would. Re-ingesting unchanged
content is recognised by its content hash and changes nothing.
"""

from __future__ import annotations

import ctypes
import io
import itertools
import multiprocessing
import os
import random
import signal
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

from sqlalchemy import Engine, delete, func, insert, select
from sqlalchemy.exc import IntegrityError, OperationalError

from projektatlas.extract import ExtractContext, extract_facts
from projektatlas.extract.clean import clean_text
from projektatlas.model import KIND_RECORD, SourceDocument
from projektatlas.records import NotARecord, RecordParseError, parse_record
from projektatlas.sources.kinds import classify, title_of
from projektatlas.sources.readers import SourceFailure, discover, iter_sources
from projektatlas.store import personal
from projektatlas.store.db import session_scope
from projektatlas.store.projects import derive_project, jsonable, store_new_records, store_record
from projektatlas.store.schema import (
    Document,
    Erasure,
    Fact,
    IngestFailure,
    Project,
    ProjectSource,
    utcnow,
)

NEW, UNCHANGED, UPDATED = "new", "unchanged", "updated"


class IngestError(Exception):
    """A document was read but cannot be stored; the message is the reason."""


@dataclass
class IngestSummary:
    """What an ingest run did, for the CLI summary and for tests."""

    new: int = 0
    unchanged: int = 0
    updated: int = 0
    failed: list[SourceFailure] = field(default_factory=list)
    projects_created: int = 0
    projects_updated: int = 0
    kinds: Counter[str] = field(default_factory=Counter)
    post: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.failed

    def as_dict(self) -> dict:
        return {
            "documents": {
                "new": self.new,
                "unchanged": self.unchanged,
                "updated": self.updated,
                "failed": len(self.failed),
            },
            "projects": {"created": self.projects_created, "updated": self.projects_updated},
            "kinds": dict(self.kinds),
            "failures": [{"path_or_url": f.path_or_url, "reason": f.reason} for f in self.failed],
        }


@dataclass
class DocumentOutcome:
    status: str
    document_id: int
    kind: str
    project_id: int | None = None
    project_created: bool = False


def ingest(
    engine: Engine,
    targets: Iterable[str],
    *,
    stdin: io.BufferedReader | None = None,
    on_item: Callable[[str], None] | None = None,
    on_total: Callable[[int], None] | None = None,
    workers: int | None = None,
) -> IngestSummary:
    """Ingest every document the targets name; failures are collected, never raised.

    Cleaning, parsing and extraction run in `workers` processes (default: one per core for
    larger batches, $PROJEKTATLAS_WORKERS to choose); documents are stored in input order by
    this process, a batch of them per transaction (see `store_all`).
    """
    summary = IngestSummary()
    items = list(discover(targets, stdin))
    if on_total is not None:
        on_total(len(items))
    if workers is None:
        default = os.cpu_count() or 1 if len(items) >= PARALLEL_FROM else 1
        workers = int(os.environ.get("PROJEKTATLAS_WORKERS", default))
    known = _KnownHashes(engine)
    store_all(engine, summary, _prepared(iter_sources(items), workers, known), on_item)
    summary.post = post_ingest(engine)
    return summary


def store_all(
    engine: Engine,
    summary: IngestSummary,
    prepared: Iterable[tuple[SourceDocument | SourceFailure, Prepared | IngestError | None]],
    on_item: Callable[[str], None] | None = None,
) -> None:
    """Store prepared documents in batches, in input order, counting into `summary`."""
    batch = _Batch()

    def flush() -> None:
        for (source, _), outcome in zip(
            batch.entries, store_batch(engine, batch.entries), strict=True
        ):
            if isinstance(outcome, IngestError):
                _fail(engine, summary, source.path_or_url, str(outcome))
            else:
                _count(summary, outcome)
            if on_item is not None:
                on_item(source.path_or_url)
        batch.clear()

    for item, result in prepared:
        if isinstance(item, SourceFailure) or isinstance(result, IngestError):
            reason = item.reason if isinstance(item, SourceFailure) else str(result)
            _fail(engine, summary, item.path_or_url, reason)
            if on_item is not None:
                on_item(item.path_or_url)
            continue
        if not batch.accepts(item, result):
            flush()
        batch.add(item, result)
        if batch.full():
            flush()
    flush()


PARALLEL_FROM = 40
WINDOW = 64
BATCH_SIZE = 50  # documents per store transaction
BATCH_SECONDS = 0.5  # ... or less when the input arrives slowly


class _Batch:
    """Documents waiting to be stored together. A batch never holds two documents with the
    same content hash, path or project identity, so storing it at once is the same as
    storing its documents one by one."""

    def __init__(self) -> None:
        self.clear()

    def clear(self) -> None:
        self.entries: list[tuple[SourceDocument, Prepared | None]] = []
        self.keys: set[tuple[str, str]] = set()
        self.started = 0.0

    def _keys(self, source: SourceDocument, prepared: Prepared | None) -> set[tuple[str, str]]:
        keys = {("hash", source.content_hash)}
        if not source.path_or_url.startswith("<"):
            keys.add(("path", source.path_or_url))
        record = prepared.record if prepared is not None else None
        if record is not None:
            keys.add(("project", record.identity))
        return keys

    def accepts(self, source: SourceDocument, prepared: Prepared | None) -> bool:
        return self.keys.isdisjoint(self._keys(source, prepared))

    def add(self, source: SourceDocument, prepared: Prepared | None) -> None:
        if not self.entries:
            self.started = time.monotonic()
        self.entries.append((source, prepared))
        self.keys |= self._keys(source, prepared)

    def full(self) -> bool:
        return len(self.entries) >= BATCH_SIZE or time.monotonic() - self.started >= BATCH_SECONDS


class _KnownHashes:
    """Content hashes already stored: an unchanged document is not cleaned or parsed again."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def __contains__(self, content_hash: str) -> bool:
        return bool(self.among([content_hash]))

    def among(self, hashes: list[str]) -> set[str]:
        """Those of `hashes` that are stored (one query)."""
        if not hashes:
            return set()
        with self.engine.connect() as conn:
            return set(
                conn.scalars(
                    select(Document.content_hash).where(Document.content_hash.in_(hashes))
                ).all()
            )


def _die_with_parent() -> None:
    """Worker start-up: be killed when the ingest process dies (even by SIGKILL), so no
    orphan outlives it."""
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except OSError:  # not Linux: workers still end when the pool's pipe closes
        pass
    if os.getppid() == 1:  # the parent died before prctl took effect
        os._exit(1)


def _worker_pid(_: int) -> int:
    return os.getpid()


def _safe_prepare(source: SourceDocument) -> Prepared | IngestError:
    try:
        return prepare(source)
    except IngestError as exc:
        return exc


def _prepared(
    items: Iterable[SourceDocument | SourceFailure], workers: int, known: _KnownHashes
) -> Iterator[tuple[SourceDocument | SourceFailure, Prepared | IngestError | None]]:
    """Each item with its prepared form (None for failures and unchanged documents), in order."""
    if workers <= 1:
        for item, is_known in _with_known(items, known):
            yield item, (None if is_known else _safe_prepare(item))
        return
    # fork: workers start warm (gazetteers and dictionaries already loaded). The caller keeps
    # no threads running during ingest (the CLI's progress bar refreshes without one).
    ctx = multiprocessing.get_context("fork")
    # No database connection may cross the fork: a worker holding a copy of the parent's
    # socket would keep a killed parent's transaction (and its locks) open on the server.
    known.engine.dispose()
    with ProcessPoolExecutor(workers, mp_context=ctx, initializer=_die_with_parent) as pool:
        list(pool.map(_worker_pid, range(workers)))  # start every worker now, before any query
        pending: deque = deque()
        for item, is_known in _with_known(items, known):
            pending.append((item, None if is_known else pool.submit(_safe_prepare, item)))
            while len(pending) > WINDOW:
                yield _resolve(pending.popleft())
        while pending:
            yield _resolve(pending.popleft())


def _with_known(
    items: Iterable[SourceDocument | SourceFailure], known: _KnownHashes, chunk: int = WINDOW
) -> Iterator[tuple[SourceDocument | SourceFailure, bool]]:
    """Each item, and whether it needs no preparing (a failure, or content already stored);
    stored hashes are looked up for `chunk` items at a time."""
    iterator = iter(items)
    while part := list(itertools.islice(iterator, chunk)):
        stored = known.among([i.content_hash for i in part if not isinstance(i, SourceFailure)])
        for item in part:
            yield item, isinstance(item, SourceFailure) or item.content_hash in stored


def _resolve(entry):
    item, future = entry
    return item, (future.result() if future is not None else None)


def _count(summary: IngestSummary, outcome: DocumentOutcome) -> None:
    if outcome.status == NEW:
        summary.new += 1
    elif outcome.status == UPDATED:
        summary.updated += 1
    else:
        summary.unchanged += 1
    if outcome.status != UNCHANGED:
        summary.kinds[outcome.kind] += 1
        if outcome.project_id is not None:
            if outcome.project_created:
                summary.projects_created += 1
            else:
                summary.projects_updated += 1


def _fail(engine: Engine, summary: IngestSummary, path_or_url: str, reason: str) -> None:
    summary.failed.append(SourceFailure(path_or_url, reason))
    with session_scope(engine) as session:
        session.add(IngestFailure(path_or_url=path_or_url, reason=reason))


def ingest_document(engine: Engine, source: SourceDocument) -> DocumentOutcome:
    """Prepare and store one document (raises IngestError when it cannot be stored)."""
    return store_prepared(engine, source, prepare(source))


def store_prepared(
    engine: Engine, source: SourceDocument, prepared: Prepared | None, attempts: int = 6
) -> DocumentOutcome:
    """Store one document in its own transaction (retried when a concurrent writer races).

    `prepared` is None when the content hash was already known: nothing is recomputed.
    """
    for attempt in range(attempts):
        try:
            with session_scope(engine) as session:
                outcome = _unchanged(session, source)
                if outcome is not None:
                    return outcome
                if prepared is None:  # stored a moment ago, then removed: prepare after all
                    prepared = prepare(source)
                return _store(session, source, prepared)
        except (IntegrityError, OperationalError):
            # Another writer stored the same document, project or organisation first (or held
            # the lock): the next attempt sees its rows and joins them.
            if attempt == attempts - 1:
                raise
            time.sleep(0.05 * (attempt + 1) + random.random() * 0.05)
    raise AssertionError("unreachable")


def store_batch(
    engine: Engine,
    entries: list[tuple[SourceDocument, Prepared | None]],
    attempts: int = 3,
) -> list[DocumentOutcome | IngestError]:
    """Store several documents in one transaction; the outcome of each, in order.

    The entries must not share a content hash, path or project identity (see `_Batch`). A
    batch that races a concurrent writer is retried; one that still fails (a bad document,
    say) is stored again one document per transaction, and a document that cannot be
    stored on its own is reported as an IngestError while the others are kept.
    """
    if not entries:
        return []
    for attempt in range(attempts):
        try:
            with session_scope(engine) as session:
                return _store_entries(session, entries)
        except (IntegrityError, OperationalError):
            if attempt == attempts - 1:
                break
            time.sleep(0.05 * (attempt + 1) + random.random() * 0.05)
        except Exception:  # noqa: BLE001 - one document's fault: find it one by one
            break
    return [_store_one(engine, source, prepared) for source, prepared in entries]


def _store_one(
    engine: Engine, source: SourceDocument, prepared: Prepared | None
) -> DocumentOutcome | IngestError:
    try:
        return store_prepared(engine, source, prepared)
    except IngestError as exc:
        return exc
    except OperationalError:  # the database itself is unavailable: stop, do not guess
        raise
    except Exception as exc:  # noqa: BLE001 - reported as this document's failure
        return IngestError(f"cannot store: {type(exc).__name__}: {str(exc)[:300]}")


def _store_entries(
    session, entries: list[tuple[SourceDocument, Prepared | None]]
) -> list[DocumentOutcome]:
    """The batch, in one session: unchanged documents are looked up and new ones written
    with a few statements for all; changed ones (and the rare document that must be
    prepared again) are stored one at a time in their place."""
    hashes = [source.content_hash for source, _ in entries]
    existing = {
        h: (doc_id, kind)
        for doc_id, h, kind in session.execute(
            select(Document.id, Document.content_hash, Document.kind).where(
                Document.content_hash.in_(hashes)
            )
        ).all()
    }
    project_of: dict[int, int] = {}
    if existing:
        project_of = dict(
            session.execute(
                select(ProjectSource.document_id, ProjectSource.project_id).where(
                    ProjectSource.document_id.in_([d for d, _ in existing.values()])
                )
            ).all()
        )
    paths = [
        source.path_or_url
        for source, _ in entries
        if source.content_hash not in existing and not source.path_or_url.startswith("<")
    ]
    previous = set()
    if paths:
        previous = set(
            session.scalars(select(Document.path_or_url).where(Document.path_or_url.in_(paths)))
        )
    outcomes: list[DocumentOutcome | None] = [None] * len(entries)
    run: list[int] = []
    for i, (source, prepared) in enumerate(entries):
        if source.content_hash in existing:
            doc_id, kind = existing[source.content_hash]
            outcomes[i] = DocumentOutcome(UNCHANGED, doc_id, kind, project_of.get(doc_id))
        elif prepared is None or source.path_or_url in previous:
            _store_new(session, entries, run, outcomes)
            run = []
            if prepared is None:  # stored a moment ago, then removed: prepare after all
                prepared = prepare(source)
            outcomes[i] = _store(session, source, prepared)
        else:
            run.append(i)
    _store_new(session, entries, run, outcomes)
    return outcomes  # type: ignore[return-value]


def _store_new(
    session,
    entries: list[tuple[SourceDocument, Prepared | None]],
    run: list[int],
    outcomes: list[DocumentOutcome | None],
) -> None:
    """Write the new documents `run` (indices into entries) with bulk inserts."""
    if not run:
        return
    session.flush()
    conn = session.connection()
    docs = [(entries[i][0], entries[i][1]) for i in run]
    rows = []
    for source, prepared in docs:
        now = utcnow()
        rows.append(
            {
                "path_or_url": source.path_or_url,
                "content_hash": source.content_hash,
                "kind": prepared.kind,
                "layout": getattr(prepared.record, "layout", None),
                "title": prepared.title,
                "text": prepared.text,
                "removed_text": prepared.removed,
                "media_type": source.media_type,
                "encoding": source.encoding,
                "size_bytes": source.size_bytes,
                "published": source.published,
                "ingested_at": now,
                "updated_at": now,
            }
        )
    # executemany, then the ids by content hash (unique): RETURNING in parameter order would
    # make SQLite insert row by row.
    conn.execute(insert(Document), rows)
    id_of = dict(
        conn.execute(
            select(Document.content_hash, Document.id).where(
                Document.content_hash.in_([row["content_hash"] for row in rows])
            )
        ).all()
    )
    ids = [id_of[row["content_hash"]] for row in rows]
    facts = [row for (_, p), doc_id in zip(docs, ids, strict=True) for row in _fact_rows(doc_id, p)]
    if facts:
        conn.execute(insert(Fact), facts)
    with_record = [k for k, (_, p) in enumerate(docs) if p.record is not None]
    stored = store_new_records(session, [(docs[k][1].record, ids[k]) for k in with_record])
    projects = dict(zip(with_record, stored, strict=True))
    erase = session.scalar(select(func.count(Erasure.id))) > 0
    for k, i in enumerate(run):
        project_id, created = projects.get(k, (None, False))
        if erase:
            personal.apply_erasures(session, session.get(Document, ids[k]))
        outcomes[i] = DocumentOutcome(NEW, ids[k], docs[k][1].kind, project_id, created)


def _fact_rows(document_id: int, prepared: Prepared) -> list[dict]:
    """The `facts` rows of a document's extracted facts."""
    return [
        {
            "document_id": document_id,
            "type": f.type,
            "field": None,
            "text": f.text,
            "value": jsonable(f.value),
            "start": f.start,
            "end": f.end,
            "confidence": f.confidence,
            "extractor": f.extractor,
            "extractor_version": f.extractor_version,
            "attrs": jsonable(f.attrs),
            "personal": f.personal,
        }
        for f in prepared.facts
    ]


@dataclass
class Prepared:
    """A document's clean text, kind and record, computed before any database work."""

    text: str
    removed: str | None
    title: str | None
    kind: str
    record: object | None
    facts: list


def prepare(source: SourceDocument) -> Prepared:
    """Clean, classify, parse and extract, without touching the store."""
    cleaned = clean_text(source.text)
    text = cleaned.text.strip("\n")
    removed_parts = [p for p in [source.removed_text, *cleaned.removed] if p]
    removed = "\n".join(removed_parts) or None
    try:
        record = parse_record(text)
    except NotARecord:
        record = None
    except RecordParseError as exc:
        raise IngestError(f"malformed project-bank record: {exc}") from exc
    if not text.strip():
        raise IngestError("no text left after removing boilerplate")
    title = source.title or title_of(text)
    if record is not None:
        kind = KIND_RECORD
        name = record.get("name")
        ident = record.get("diarienummer")
        title = f"{ident} - {name}" if ident and name else (name or title)
    else:
        kind = classify(text, title, source.media_type)
    facts = extract_facts(text, ExtractContext(doc_date=source.published, title=title, kind=kind))
    return Prepared(text, removed, title, kind, record, facts)


def _unchanged(session, source: SourceDocument) -> DocumentOutcome | None:
    existing = session.scalar(select(Document).where(Document.content_hash == source.content_hash))
    if existing is None:
        return None
    project_id = session.scalar(
        select(ProjectSource.project_id).where(ProjectSource.document_id == existing.id)
    )
    return DocumentOutcome(UNCHANGED, existing.id, existing.kind, project_id)


def _store(session, source: SourceDocument, prepared: Prepared) -> DocumentOutcome:
    previous = None
    if not source.path_or_url.startswith("<"):
        previous = session.scalar(
            select(Document)
            .where(Document.path_or_url == source.path_or_url)
            .order_by(Document.id.desc())
            .limit(1)
        )
    record = prepared.record
    layout = getattr(record, "layout", None)
    old_projects: list[int] = []
    if previous is not None:
        document = previous
        session.execute(delete(Fact).where(Fact.document_id == document.id))
        old_projects = _detach_projects(session, document.id)
        status = UPDATED
    else:
        document = Document(path_or_url=source.path_or_url)
        session.add(document)
        status = NEW
    document.content_hash = source.content_hash
    document.kind = prepared.kind
    document.layout = layout
    document.title = prepared.title
    document.text = prepared.text
    document.removed_text = prepared.removed
    document.media_type = source.media_type
    document.encoding = source.encoding
    document.size_bytes = source.size_bytes
    document.published = source.published
    session.flush()
    project_id, created = None, False
    if record is not None:
        project, created = store_record(session, record, document)
        project_id = project.id
    _rederive(session, [p for p in old_projects if p != project_id])
    if prepared.facts:
        session.execute(insert(Fact), _fact_rows(document.id, prepared))
    personal.apply_erasures(session, document)
    return DocumentOutcome(status, document.id, prepared.kind, project_id, created)


def _detach_projects(session, document_id: int) -> list[int]:
    """A changed document stops being a source of the projects it was a source of."""
    project_ids = list(
        session.scalars(
            select(ProjectSource.project_id).where(ProjectSource.document_id == document_id)
        ).all()
    )
    session.execute(delete(ProjectSource).where(ProjectSource.document_id == document_id))
    session.flush()
    return project_ids


def _rederive(session, project_ids: list[int]) -> None:
    """Re-derive projects that lost a source; a project with no source left is removed."""
    for pid in project_ids:
        project = session.get(Project, pid)
        if project is None:
            continue
        has_source = session.scalar(
            select(ProjectSource.document_id).where(ProjectSource.project_id == pid).limit(1)
        )
        if has_source is None:
            session.delete(project)
        else:
            derive_project(session, project)


def post_ingest(engine: Engine) -> dict[str, int]:
    """The stages that follow a batch: link documents to projects, then bring the search index
    up to date. Both are incremental and idempotent, so a crash between them is repaired by
    the next run."""
    done: dict[str, int] = {}
    try:
        from projektatlas.link.run import link_all
    except ModuleNotFoundError:
        link_all = None
    if link_all is not None:
        done["links"] = link_all(engine)
    try:
        from projektatlas.search.indexer import sync_index
    except ModuleNotFoundError:
        sync_index = None
    if sync_index is not None:
        done["indexed"] = sync_index(engine)
    return done
