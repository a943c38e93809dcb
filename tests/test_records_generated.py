"""The parser against the synthetic corpus generator's ground truth (bench/generate.py)."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import pytest

from projektatlas.records import NotARecord, parse_record

BENCH = Path(__file__).resolve().parents[1] / "bench"
sys.path.insert(0, str(BENCH))
generate = pytest.importorskip("generate")

LAYOUTS = {
    "esf2021": "2021-2027",
    "esf2014": "2014-2020",
    "esf2014_web": "2014-2020-web",
    "esf2007": "2007-2013",
    "title_only": "2021-2027-title-only",
}


@pytest.fixture(scope="module")
def docs():
    return [d for d in generate.iter_documents(300, 80, seed=23) if d.name.endswith(".txt")]


def test_generated_records_match_their_truth(docs):
    mismatches = []
    records = [d for d in docs if d.kind == "record"]
    assert len(records) > 200
    for d in records:
        rec = parse_record(d.text)
        truth = d.truth
        if truth.get("layout") in LAYOUTS:
            assert rec.layout == LAYOUTS[truth["layout"]], d.name
        if truth.get("identity"):
            assert rec.identity == truth["identity"], d.name
        for name, expected in (truth.get("fields") or {}).items():
            if name == "description" or (name == "nuts2" and expected == "SE0"):
                continue  # national projects: nuts2 absent by design
            got = rec.get(name)
            got = got.isoformat() if isinstance(got, date) else got
            if got != expected:
                mismatches.append((d.name, name, expected, got))
        for fv in rec.fields.values():
            assert fv.start is None or d.text[fv.start : fv.end] == fv.raw
    assert mismatches == []


def test_generated_news_are_not_records(docs):
    news = [d for d in docs if d.kind == "news"]
    assert news
    for d in news:
        with pytest.raises(NotARecord):
            parse_record(d.text)
