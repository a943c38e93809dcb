"""The command line as a user meets it: exit codes, summaries, JSON, errors."""

from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner

from projektatlas.cli import main
from tests.conftest import SEEDS, seed_path


@pytest.fixture
def run(tmp_path, monkeypatch):
    monkeypatch.setenv("PROJEKTATLAS_DB", f"sqlite:///{tmp_path / 'cli.db'}")
    runner = CliRunner()

    def invoke(*args: str, input: str | bytes | None = None):
        return runner.invoke(main, list(args), input=input, catch_exceptions=False)

    return invoke


def test_ingest_prints_a_summary_and_is_idempotent(run):
    first = run("ingest", str(SEEDS))
    assert first.exit_code == 0, first.output
    assert "5 new, 0 unchanged, 0 updated, 0 failed" in first.output
    assert "2 created" in first.output
    second = run("ingest", str(SEEDS))
    assert second.exit_code == 0
    assert "0 new, 5 unchanged, 0 updated, 0 failed" in second.output


def test_ingest_exits_1_and_names_each_failure(run, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(seed_path("003"), folder / "ok.txt")
    (folder / "blob.bin").write_bytes(bytes(range(256)) * 4)
    result = run("ingest", str(folder))
    assert result.exit_code == 1
    assert "1 new" in result.output and "1 failed" in result.output
    assert "blob.bin" in result.output


def test_show_json_and_errors(run):
    run("ingest", str(SEEDS))
    data = json.loads(run("show", "2020/00701", "--json").output)
    assert data["diarienummer"] == "2020/00701"
    assert data["total_budget_sek"] == 399819
    by_id = json.loads(run("show", str(data["id"]), "--json").output)
    assert by_id["diarienummer"] == "2020/00701"
    missing = CliRunner().invoke(main, ["show", "99-999-S99"])
    assert missing.exit_code == 1
    assert "no project" in missing.output


def test_list_and_stats(run):
    run("ingest", str(SEEDS))
    rows = json.loads(run("list", "--json").output)
    assert sorted(r["diarienummer"] for r in rows) == ["2020/00701", "23-001-S01"]
    figures = json.loads(run("stats", "--json").output)
    assert figures["documents"] == 5 and figures["projects"] == 2
    assert figures["documents_by_kind"]["record"] == 2


def test_show_document_by_path_lists_facts_with_spans(run):
    run("ingest", str(SEEDS))
    path = str(seed_path("000"))
    data = json.loads(run("show-document", path, "--json").output)
    assert data["path_or_url"] == path and data["kind"] == "news"
    assert data["facts"], "extractors found nothing in seed 000"
    for fact in data["facts"]:
        assert data["text"][fact["start"] : fact["end"]] == fact["text"]


def test_ingest_from_stdin(run):
    result = run("ingest", "-", input="Nyhet\n\nSamordningsförbundet Göteborg Väster startar IPS.")
    assert result.exit_code == 0, result.output
    assert "1 new" in result.output


def test_bad_database_url_is_a_clear_error(tmp_path):
    result = CliRunner().invoke(main, ["stats", "--db", "postgresql://nobody@127.0.0.1:1/none"])
    assert result.exit_code == 1
    assert "cannot open the database" in result.output


def _store_bytes(tmp_path) -> bytes:
    """Every byte of the database file, its WAL and the search index folder beside it."""
    files = [p for p in tmp_path.glob("cli.db*") if p.is_file()]
    files += [p for p in tmp_path.glob("cli.db.search/**/*") if p.is_file()]
    return b"".join(p.read_bytes() for p in files)


def _index_terms(tmp_path, prefix: str) -> list:
    """Terms starting with ``prefix`` in any field of the tantivy index (its term
    dictionaries may compress a term, so the raw bytes alone prove little)."""
    from projektatlas.search import lexical_tantivy
    from projektatlas.search.fields import FIELDS, FOLDED_FIELDS

    lexical_tantivy.forget_open()
    searcher = lexical_tantivy.open_index(tmp_path / "cli.db.search").searcher("test")
    assert searcher.size > 0
    return [
        t for f in (*FIELDS, *FOLDED_FIELDS) for t in searcher.searcher.terms_with_prefix(f, prefix)
    ]


def test_forget_erases_an_email_from_the_database_file(run, tmp_path):
    run("ingest", str(SEEDS))
    result = run("forget", "kenny.sjoberg@yahoo.com", "--yes")
    assert result.exit_code == 0, result.output
    raw = _store_bytes(tmp_path)
    assert b"kenny.sjoberg@yahoo.com" not in raw
    assert "Kenny Sjöberg".encode() not in raw
    for prefix in ("kenny", "sjöberg", "sjoberg", "yahoo"):
        assert _index_terms(tmp_path, prefix) == [], prefix
    assert _index_terms(tmp_path, "förbund")  # the index holds the rest
    data = json.loads(run("show", "2020/00701", "--json").output)
    assert data["total_budget_sek"] == 399819  # the rest of the project is intact
    # re-ingesting the unchanged seed keeps the person erased
    run("ingest", str(SEEDS))
    assert b"kenny.sjoberg@yahoo.com" not in _store_bytes(tmp_path)
    assert _index_terms(tmp_path, "kenny") == []


def test_odd_digit_identifiers_are_not_found_rather_than_crashing(run):
    run("ingest", str(SEEDS))
    for ident in ("¹", "²3", "٣", "99999999999999999999"):
        result = CliRunner().invoke(main, ["show", ident])
        assert result.exit_code == 1 and "no project" in result.output, (ident, result.output)
