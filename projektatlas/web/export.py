"""Exports of a search result: CSV (UTF-8 with BOM, `;`-separated, for Excel), JSON, Parquet.

Rows are the search hits in order, one per hit, with the columns in ``COLUMNS``. Personal
data (contact persons of project hits) is added only when the caller asked for it and is
authorised; the web layer checks that before calling ``personal_rows``.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from sqlalchemy import select
from sqlalchemy.orm import Session

from projektatlas.store.schema import Person

COLUMNS = (
    "type",
    "id",
    "diarienummer",
    "title",
    "kind",
    "owner",
    "region",
    "start_date",
    "esf_support_sek",
    "score",
    "snippet",
)
PERSONAL_COLUMNS = ("contact_names", "contact_emails", "contact_phones")
CSV_DELIMITER = ";"
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "parquet": "application/vnd.apache.parquet",
}


def hit_rows(hits: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{col: hit.get(col) for col in COLUMNS} for hit in hits]


def add_personal(session: Session, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Contact persons of the project rows (only for authorised exports)."""
    ids = [r["id"] for r in rows if r["type"] == "project"]
    people: dict[int, list[Person]] = {}
    if ids:
        for person in session.scalars(select(Person).where(Person.project_id.in_(ids))).all():
            people.setdefault(person.project_id, []).append(person)
    for row in rows:
        found = people.get(row["id"], []) if row["type"] == "project" else []
        row["contact_names"] = "; ".join(p.name for p in found if p.name) or None
        row["contact_emails"] = "; ".join(p.email for p in found if p.email) or None
        row["contact_phones"] = "; ".join(p.phone for p in found if p.phone) or None
    return rows


def to_csv(rows: list[dict[str, Any]], columns: tuple[str, ...]) -> bytes:
    buf = io.StringIO()
    writer = csv.DictWriter(
        buf,
        fieldnames=columns,
        delimiter=CSV_DELIMITER,
        lineterminator="\r\n",
        extrasaction="ignore",
    )
    writer.writeheader()
    for row in rows:
        writer.writerow({k: "" if row.get(k) is None else row[k] for k in columns})
    return "\ufeff".encode() + buf.getvalue().encode("utf-8")


def to_json(rows: list[dict[str, Any]], meta: dict[str, Any]) -> bytes:
    return json.dumps({**meta, "rows": rows}, ensure_ascii=False, indent=1).encode("utf-8")


def to_parquet(rows: list[dict[str, Any]], columns: tuple[str, ...]) -> bytes:
    types = {"id": pa.int64(), "esf_support_sek": pa.int64(), "score": pa.float64()}
    schema = pa.schema([(c, types.get(c, pa.string())) for c in columns])
    data = {c: [r.get(c) for r in rows] for c in columns}
    for c in columns:
        if c not in types:
            data[c] = [None if v is None else str(v) for v in data[c]]
    buf = io.BytesIO()
    pq.write_table(pa.table(data, schema=schema), buf)
    return buf.getvalue()
