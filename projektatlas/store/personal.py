"""Personal data: erase a person everywhere (`forget`), and keep them erased on re-ingest.

An erased value is replaced in document text by as many `▒` as it had characters, so
every other fact's span stays valid; its facts and person rows are deleted, and a hash of
the value is kept (never the value) so that a later ingest of the same text erases it again.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from projektatlas.store.schema import Document, Erasure, Fact, Person, Project

MASK = "▒"
_EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def value_hash(value: str) -> str:
    norm = " ".join(value.casefold().split())
    return hashlib.sha256(f"projektatlas-erasure:{norm}".encode()).hexdigest()


def mask_all(text: str, value: str) -> str:
    """``text`` with every case-insensitive occurrence of ``value`` masked, same length."""
    pattern = re.compile(re.escape(value), re.IGNORECASE)
    return pattern.sub(lambda m: MASK * len(m.group(0)), text)


@dataclass
class ForgetReport:
    persons: int = 0
    facts: int = 0
    documents: int = 0


def forget(session: Session, value: str) -> ForgetReport:
    """Erase a person (by name or e-mail) from persons, facts and document text.

    Everything known of the person is erased with it: forgetting an e-mail also erases the
    name and phone number stored with it, and the other way round.
    """
    value = " ".join(value.split())
    if len(value) < 3:
        raise ValueError("give a name or e-mail address of at least 3 characters")
    report = ForgetReport()
    needle = value.casefold()
    persons = session.scalars(
        select(Person).where(
            or_(func.lower(Person.email) == needle, func.lower(Person.name) == needle)
        )
    ).all()
    values = {value}
    for person in persons:
        values.update(v for v in (person.name, person.email, person.phone) if v)
    for person in persons:
        session.delete(person)
    report.persons = len(persons)
    for item in sorted(values, key=len, reverse=True):
        _remember(session, item)
        report.facts += (
            session.execute(delete(Fact).where(func.lower(Fact.text) == item.casefold())).rowcount
            or 0
        )
        like = f"%{_escape_like(item.casefold())}%"
        docs = session.scalars(
            select(Document).where(
                or_(
                    func.lower(Document.text).like(like, escape="\\"),
                    func.lower(Document.title).like(like, escape="\\"),
                    func.lower(Document.removed_text).like(like, escape="\\"),
                )
            )
        ).all()
        for doc in docs:
            doc.text = mask_all(doc.text, item)
            if doc.title:
                doc.title = mask_all(doc.title, item)
            if doc.removed_text:
                doc.removed_text = mask_all(doc.removed_text, item)
            report.documents += 1
        for fact in session.scalars(
            select(Fact).where(func.lower(Fact.text).like(like, escape="\\"))
        ).all():
            fact.text = mask_all(fact.text, item)
            if isinstance(fact.value, str):
                fact.value = mask_all(fact.value, item)
        for project in session.scalars(
            select(Project).where(func.lower(Project.description).like(like, escape="\\"))
        ).all():
            project.description = mask_all(project.description or "", item)
    session.flush()
    return report


def _remember(session: Session, item: str) -> None:
    digest = value_hash(item)
    if session.scalar(select(Erasure.id).where(Erasure.value_hash == digest)) is None:
        session.add(Erasure(value_hash=digest))


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def apply_erasures(session: Session, document: Document) -> int:
    """Re-erase, in a newly stored document, any value that was forgotten before."""
    if session.scalar(select(func.count(Erasure.id))) == 0:
        return 0
    erased = set(session.scalars(select(Erasure.value_hash)).all())
    candidates: set[str] = set(_EMAIL_RE.findall(document.text))
    personal_facts = session.scalars(
        select(Fact).where(Fact.document_id == document.id, Fact.personal.is_(True))
    ).all()
    candidates.update(f.text for f in personal_facts)
    persons = session.scalars(select(Person).where(Person.document_id == document.id)).all()
    for person in persons:
        candidates.update(v for v in (person.name, person.email, person.phone) if v)
    hits = {c for c in candidates if value_hash(c) in erased}
    for person in persons:
        if any(v and value_hash(v) in erased for v in (person.name, person.email, person.phone)):
            hits.update(v for v in (person.name, person.email, person.phone) if v)
            session.delete(person)
    for fact in personal_facts:
        if fact.text in hits:
            session.delete(fact)
    for item in sorted(hits, key=len, reverse=True):
        document.text = mask_all(document.text, item)
        if document.title:
            document.title = mask_all(document.title, item)
        for fact in session.scalars(select(Fact).where(Fact.document_id == document.id)).all():
            if item.casefold() in fact.text.casefold():
                fact.text = mask_all(fact.text, item)
    session.flush()
    return len(hits)
