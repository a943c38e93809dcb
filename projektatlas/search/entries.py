"""Index entries: what the search index holds for one project or one non-record document.

An entry is built from the store, with personal data masked BEFORE anything is analysed,
embedded or stored: the spans of facts marked ``personal`` and every value of a ``persons``
row (name, e-mail, phone) are replaced by ``▒`` (same length, so offsets stay valid), and so
is any e-mail address. Entry ids are derived: ``2 * project.id`` for projects and
``2 * document.id + 1`` for documents, so an entry's id never needs a look-up.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import JSON, bindparam, text
from sqlalchemy.engine import Connection

from projektatlas.store.personal import MASK

INDEX_VERSION = "1"  # bump when entry building or analysis changes: every entry is re-indexed
PROJECT, DOCUMENT = "project", "document"
MAX_FIELD_CHARS = 100_000
PASSAGE_CHARS = 400
KIND_LABELS = {
    "project": "projekt",
    "record": "projektbanken",
    "news": "nyhet",
    "report": "rapport",
    "call": "utlysning",
    "web": "webbsida",
    "other": "övrigt",
}
_EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def entry_id(entry_type: str, source_id: int) -> int:
    return 2 * source_id + (0 if entry_type == PROJECT else 1)


def source_of(entry: int) -> tuple[str, int]:
    return (PROJECT if entry % 2 == 0 else DOCUMENT), entry // 2


@dataclass(slots=True)
class IndexEntry:
    """Everything the index stores for one entry (all text already masked)."""

    entry_type: str
    source_id: int
    signature: str
    title: str
    name: str = ""
    owner_text: str = ""
    description: str = ""
    body: str = ""
    diarienummer: str | None = None
    kind: str | None = None
    owner: str | None = None
    region: str | None = None
    start_date: str | None = None
    esf_support_sek: int | None = None
    budget_sek: int | None = None
    sort_date: str | None = None
    facets: list[tuple[str, str, str]] = field(default_factory=list)  # (facet, value, label)

    @property
    def id(self) -> int:
        return entry_id(self.entry_type, self.source_id)

    @property
    def display_text(self) -> str:
        """The text snippets are cut from: description, then the body."""
        parts = [p for p in (self.description, self.body) if p]
        return "\n\n".join(parts)[:MAX_FIELD_CHARS]

    @property
    def passage(self) -> str:
        """The passage that is embedded: name + the first ~400 characters of the text."""
        lead = (self.description or self.body or "")[:PASSAGE_CHARS]
        return f"{self.name or self.title}. {lead}".replace(MASK, " ")


# --------------------------------------------------------------------------- masking


def mask_text(text: str | None, spans: Iterable[tuple[int, int]], values: Iterable[str]) -> str:
    """``text`` with the spans, every (case-insensitive) value and any e-mail masked."""
    if not text:
        return ""
    chars = list(text)
    for start, end in spans:
        if start is None or end is None:
            continue
        for i in range(max(0, start), min(len(chars), end)):
            if not chars[i].isspace():
                chars[i] = MASK
    out = "".join(chars)
    for value in sorted({v for v in values if v and len(v.strip()) >= 3}, key=len, reverse=True):
        pattern = re.compile(re.escape(value.strip()), re.IGNORECASE)
        out = pattern.sub(lambda m: MASK * len(m.group(0)), out)
    return _EMAIL_RE.sub(lambda m: MASK * len(m.group(0)), out)


# --------------------------------------------------------------------------- facets


def budget_band(amount: int | None) -> str | None:
    if amount is None:
        return None
    if amount < 1_000_000:
        return "< 1 mkr"
    if amount < 5_000_000:
        return "1–5 mkr"
    if amount < 20_000_000:
        return "5–20 mkr"
    return "≥ 20 mkr"


BUDGET_BANDS = ("< 1 mkr", "1–5 mkr", "5–20 mkr", "≥ 20 mkr")


def _lan_name(code: str) -> str:
    from projektatlas.extract.gazetteer import lan_by_code

    lan = lan_by_code(code)
    return lan.name if lan else code


def _region_lan_codes(region: str | None) -> tuple[str, ...]:
    if not region:
        return ()
    from projektatlas.extract.gazetteer import esf_region_by_name

    found = esf_region_by_name(region)
    return found.lan_codes if found else ()


@dataclass(slots=True)
class _FactRow:
    document_id: int
    type: str
    value: object
    attrs: dict
    start: int | None
    end: int | None
    text: str
    personal: bool


def _place_facets(facts: Iterable[_FactRow]) -> tuple[set[str], set[str]]:
    """(ESF regions, län codes) named by place facts."""
    regions: set[str] = set()
    lans: set[str] = set()
    for f in facts:
        if f.type != "place":
            continue
        attrs = f.attrs or {}
        level = attrs.get("level")
        if level == "esf_region" and isinstance(f.value, str):
            regions.add(f.value)
        elif attrs.get("esf_region"):
            regions.add(str(attrs["esf_region"]))
        if level == "lan" and attrs.get("code"):
            lans.add(str(attrs["code"]))
        elif attrs.get("lan_code"):
            lans.add(str(attrs["lan_code"]))
    return regions, lans


def _taxonomy_facets(facts: Iterable[_FactRow], ftype: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for f in facts:
        if f.type == ftype and isinstance(f.value, str):
            out.setdefault(f.value, str((f.attrs or {}).get("label_sv") or f.value))
    return out


def _signature(*parts: object) -> str:
    digest = hashlib.sha1(INDEX_VERSION.encode())
    for part in parts:
        digest.update(b"\x1f" + str(part).encode())
    return digest.hexdigest()


def _iso(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, date):
        return value.isoformat()
    return str(value)[:10]


# --------------------------------------------------------------------------- signatures


_PROJECT_SIG_SQL = text(
    "SELECT p.id, p.updated_at, o.name, o.kind FROM projects p "
    "LEFT JOIN organisations o ON o.id = p.owner_id"
)
_SOURCE_SIG_SQL = text(
    "SELECT ps.project_id, d.id, d.content_hash, d.updated_at FROM project_sources ps "
    "JOIN documents d ON d.id = ps.document_id"
)
_DOC_SIG_SQL = text(
    "SELECT d.id, d.content_hash, d.updated_at FROM documents d "
    "WHERE NOT EXISTS (SELECT 1 FROM project_sources ps WHERE ps.document_id = d.id)"
)


def current_signatures(conn: Connection) -> dict[int, str]:
    """entry id -> signature of its sources, for every entry the store implies (cheap SQL)."""
    sources: dict[int, list[tuple]] = defaultdict(list)
    for project_id, doc_id, content_hash, updated in conn.execute(_SOURCE_SIG_SQL):
        sources[project_id].append((doc_id, content_hash, updated))
    out: dict[int, str] = {}
    for pid, updated, org_name, org_kind in conn.execute(_PROJECT_SIG_SQL):
        out[entry_id(PROJECT, pid)] = _signature(
            updated, org_name, org_kind, sorted(sources.get(pid, []))
        )
    for did, content_hash, updated in conn.execute(_DOC_SIG_SQL):
        out[entry_id(DOCUMENT, did)] = _signature(content_hash, updated)
    return out


# --------------------------------------------------------------------------- building


_FACTS_SQL = (
    text(
        'SELECT document_id, type, value, attrs, start, "end", text, personal FROM facts '
        "WHERE document_id IN :ids AND (personal = :yes OR type IN ('place', 'target_group', 'method'))"
    )
    .bindparams(bindparam("ids", expanding=True))
    .columns(value=JSON, attrs=JSON)
)
_PERSONS_SQL = text(
    "SELECT project_id, document_id, name, email, phone FROM persons "
    "WHERE document_id IN :dids OR project_id IN :pids"
).bindparams(bindparam("dids", expanding=True), bindparam("pids", expanding=True))
_DOCS_SQL = text(
    "SELECT id, kind, title, text, published, content_hash, updated_at FROM documents "
    "WHERE id IN :ids"
).bindparams(bindparam("ids", expanding=True))
_PROJECTS_SQL = text(
    "SELECT p.id, p.diarienummer, p.name, p.programme_period, p.programme_area, "
    "p.programme_area_label, p.specific_objective, p.owner_name_raw, p.region, p.start_date, "
    "p.total_budget_sek, p.esf_support_sek, p.description, p.updated_at, o.name, o.kind "
    "FROM projects p LEFT JOIN organisations o ON o.id = p.owner_id WHERE p.id IN :ids"
).bindparams(bindparam("ids", expanding=True))
_SOURCES_SQL = text(
    "SELECT project_id, document_id FROM project_sources WHERE project_id IN :ids "
    "ORDER BY project_id, document_id"
).bindparams(bindparam("ids", expanding=True))


def _load_facts(conn: Connection, doc_ids: list[int]) -> dict[int, list[_FactRow]]:
    out: dict[int, list[_FactRow]] = defaultdict(list)
    if not doc_ids:
        return out
    for row in conn.execute(_FACTS_SQL, {"ids": doc_ids, "yes": True}):
        out[row[0]].append(
            _FactRow(row[0], row[1], row[2], row[3] or {}, row[4], row[5], row[6], bool(row[7]))
        )
    return out


def _load_persons(
    conn: Connection, doc_ids: list[int], project_ids: list[int]
) -> tuple[dict[int, set[str]], dict[int, set[str]]]:
    by_doc: dict[int, set[str]] = defaultdict(set)
    by_project: dict[int, set[str]] = defaultdict(set)
    rows = conn.execute(_PERSONS_SQL, {"dids": doc_ids or [-1], "pids": project_ids or [-1]})
    for project_id, document_id, *values in rows:
        vals = {v for v in values if v}
        if document_id is not None:
            by_doc[document_id] |= vals
        if project_id is not None:
            by_project[project_id] |= vals
    return by_doc, by_project


def _personal_values(facts: list[_FactRow]) -> set[str]:
    return {f.text for f in facts if f.personal and f.text}


def _personal_spans(facts: list[_FactRow]) -> list[tuple[int, int]]:
    return [(f.start, f.end) for f in facts if f.personal and f.start is not None]


def build_documents(
    conn: Connection, doc_ids: list[int], signatures: dict[int, str]
) -> list[IndexEntry]:
    """Entries of non-record documents (masked)."""
    if not doc_ids:
        return []
    facts = _load_facts(conn, doc_ids)
    persons, _ = _load_persons(conn, doc_ids, [])
    entries = []
    for did, kind, title, body, published, _hash, _upd in conn.execute(_DOCS_SQL, {"ids": doc_ids}):
        doc_facts = facts.get(did, [])
        values = _personal_values(doc_facts) | persons.get(did, set())
        masked_body = mask_text(body[:MAX_FIELD_CHARS], _personal_spans(doc_facts), values)
        masked_title = mask_text(title or "", [], values)
        regions, lans = _place_facets(doc_facts)
        facets: list[tuple[str, str, str]] = [("kind", kind, KIND_LABELS.get(kind, kind))]
        facets += [("esf_region", r, r) for r in sorted(regions)]
        facets += [("lan", c, _lan_name(c)) for c in sorted(lans)]
        facets += [
            ("target_group", v, lbl)
            for v, lbl in _taxonomy_facets(doc_facts, "target_group").items()
        ]
        facets += [("method", v, lbl) for v, lbl in _taxonomy_facets(doc_facts, "method").items()]
        pub = _iso(published)
        entries.append(
            IndexEntry(
                entry_type=DOCUMENT,
                source_id=did,
                signature=signatures.get(entry_id(DOCUMENT, did), ""),
                title=masked_title or masked_body[:80],
                name=masked_title,
                body=masked_body,
                kind=kind,
                region=sorted(regions)[0] if len(regions) == 1 else None,
                sort_date=pub,
                facets=facets,
            )
        )
    return entries


def build_projects(
    conn: Connection, project_ids: list[int], signatures: dict[int, str]
) -> list[IndexEntry]:
    """Entries of projects: name, owner, description and the text of their sources (masked)."""
    if not project_ids:
        return []
    sources: dict[int, list[int]] = defaultdict(list)
    for pid, did in conn.execute(_SOURCES_SQL, {"ids": project_ids}):
        sources[pid].append(did)
    doc_ids = sorted({d for ds in sources.values() for d in ds})
    facts = _load_facts(conn, doc_ids)
    persons_doc, persons_project = _load_persons(conn, doc_ids, project_ids)
    docs = {row[0]: row for row in conn.execute(_DOCS_SQL, {"ids": doc_ids or [-1]})}
    entries = []
    for row in conn.execute(_PROJECTS_SQL, {"ids": project_ids}):
        (pid, diarie, name, period, area, area_label, objective, owner_raw, region, start,
         total_budget, esf_support, description, _upd, org_name, org_kind) = row  # fmt: skip
        src = sources.get(pid, [])
        src_facts = [f for d in src for f in facts.get(d, [])]
        values = _personal_values(src_facts) | persons_project.get(pid, set())
        for d in src:
            values |= persons_doc.get(d, set())
        bodies = []
        for d in src:
            if d in docs:
                d_facts = facts.get(d, [])
                bodies.append(
                    mask_text(docs[d][3][:MAX_FIELD_CHARS], _personal_spans(d_facts), values)
                )
        owner = org_name or owner_raw
        owner_text = " ".join(dict.fromkeys(x for x in (org_name, owner_raw) if x))
        start_iso = _iso(start)
        budget = esf_support if esf_support is not None else total_budget
        facets: list[tuple[str, str, str]] = [("kind", "project", "projekt")]
        if period:
            facets.append(("programme_period", period, period))
        if region:
            facets.append(("esf_region", region, region))
        lans = set(_region_lan_codes(region))
        if not lans:
            lans = _place_facets(src_facts)[1]
        facets += [("lan", c, _lan_name(c)) for c in sorted(lans)]
        if area:
            facets.append(("programme_area", area, f"{area} {area_label}" if area_label else area))
        if objective:
            facets.append(("specific_objective", objective, objective))
        if org_kind:
            facets.append(("owner_kind", org_kind, org_kind))
        facets += [
            ("target_group", v, lbl)
            for v, lbl in _taxonomy_facets(src_facts, "target_group").items()
        ]
        facets += [("method", v, lbl) for v, lbl in _taxonomy_facets(src_facts, "method").items()]
        if start_iso:
            facets.append(("start_year", start_iso[:4], start_iso[:4]))
        band = budget_band(budget)
        if band:
            facets.append(("budget_band", band, band))
        masked_name = mask_text(name or "", [], values)
        title = masked_name or diarie or f"projekt {pid}"
        entries.append(
            IndexEntry(
                entry_type=PROJECT,
                source_id=pid,
                signature=signatures.get(entry_id(PROJECT, pid), ""),
                title=title,
                name=" ".join(x for x in (diarie, masked_name) if x),
                owner_text=mask_text(owner_text, [], values),
                description=mask_text(description or "", [], values),
                body="\n\n".join(bodies),
                diarienummer=diarie,
                kind=None,
                owner=owner,
                region=region,
                start_date=start_iso,
                esf_support_sek=esf_support,
                budget_sek=budget,
                sort_date=start_iso,
                facets=facets,
            )
        )
    return entries
