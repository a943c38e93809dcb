"""Coverage-guided fuzzing of every parser and extractor with atheris.

    .venv/bin/pip install atheris
    .venv/bin/python fuzz/fuzz_pipeline.py -runs=1000000 -max_len=20000 fuzz/seeds

Each input is routed by its first byte to one stage (bytes → text, boilerplate cleaning, record
parsing, fact extraction, HTML to text, the search query parser, the Swedish analyser, value
normalisers). A stage may reject its input only with its documented error (SourceError,
NotARecord, RecordParseError); any other exception is a crash, and atheris stops with the
input that caused it. `fuzz/seeds/` holds starting inputs written by us (records in every
layout, news, HTML); mutations of them reach deep into the parsers.
"""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports(include=["projektatlas"]):
    from projektatlas import normalize
    from projektatlas.extract import extract_facts
    from projektatlas.extract.clean import clean_text
    from projektatlas.records import NotARecord, RecordParseError, parse_record
    from projektatlas.search.analysis import index_terms
    from projektatlas.search.query import parse_query, to_fts5, to_tsquery
    from projektatlas.sources.decode import decode_text
    from projektatlas.sources.errors import SourceError
    from projektatlas.sources.html import html_to_text

EXPECTED = (SourceError, NotARecord, RecordParseError)


def pipeline(text: str) -> None:
    cleaned = clean_text(text)
    try:
        record = parse_record(cleaned.text)
    except (NotARecord, RecordParseError):
        record = None
    if record is not None:
        for fv in record.fields.values():
            if fv.start is not None:
                assert cleaned.text[fv.start : fv.end].strip() == fv.raw.strip(), fv
    for fact in extract_facts(cleaned.text):
        assert cleaned.text[fact.start : fact.end] == fact.text, fact


def one_input(data: bytes) -> None:
    if not data:
        return
    route, payload = data[0] % 8, data[1:]
    try:
        text, _ = decode_text(payload)
    except SourceError:
        return
    if route == 0:
        return
    if route in (1, 2):
        pipeline(text)
    elif route == 3:
        page = html_to_text(text)
        pipeline(page.text)
    elif route == 4:
        query = parse_query(text[:2000])
        to_fts5(query)
        to_tsquery(query)
    elif route == 5:
        index_terms(text)
    elif route == 6:
        for func in (
            normalize.parse_number,
            normalize.parse_amount_sek,
            normalize.parse_rate,
            normalize.parse_iso_date,
            normalize.normalise_org_number,
            normalize.natural_case,
        ):
            func(text[:200])
    else:
        clean_text(text)


def main() -> None:
    sys.setrecursionlimit(10_000)
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
