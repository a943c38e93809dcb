"""The four weighted index fields and their analysed term streams.

Each field is indexed twice: the exact terms (``analysis.index_terms``: stems, derived forms,
stems again) and the ASCII-folded stream, so "Varmland" finds "Värmland". Field weights follow
the issue: name > owner > description > body.
"""

from __future__ import annotations

from projektatlas.search.analysis import fold, index_terms
from projektatlas.search.entries import IndexEntry

FIELDS = ("name", "owner", "description", "body")
FOLDED_FIELDS = tuple(f"{f}_f" for f in FIELDS)
WEIGHTS = (10.0, 5.0, 3.0, 1.0)  # bm25 column weights, exact streams
FOLDED_WEIGHTS = (5.0, 2.5, 1.5, 0.5)  # folded streams count half
MAX_TERMS = 30_000  # per field (PostgreSQL keeps positions up to 16383 anyway)


def field_texts(entry: IndexEntry) -> tuple[str, str, str, str]:
    return (entry.name or entry.title or "", entry.owner_text, entry.description, entry.body)


def field_terms(entry: IndexEntry) -> list[tuple[str, str]]:
    """(exact terms, folded terms) joined by spaces, one pair per field of ``FIELDS``."""
    out = []
    for value in field_texts(entry):
        exact = " ".join(index_terms(value)[:MAX_TERMS]) if value else ""
        out.append((exact, fold(exact)))  # folding the joined stream = joining folded terms
    return out
