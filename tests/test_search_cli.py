"""`projektatlas search`, `similar` and `index` on the command line."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from projektatlas.cli import main
from tests.test_search_corpus import write_corpus


@pytest.fixture
def db(tmp_path, monkeypatch) -> str:
    monkeypatch.setenv("PROJEKTATLAS_EMBEDDER", "hashing")
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    result = CliRunner().invoke(main, ["ingest", str(write_corpus(tmp_path / "c")), "--db", url])
    assert result.exit_code == 0, result.output
    return url


def invoke(*args: str):
    result = CliRunner().invoke(main, list(args))
    return result


def test_search_json_with_filters(db):
    result = invoke(
        "search", "unga", "--filter", "kind=project", "--limit", "5", "--json", "--db", db
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["filters"] == {"kind": ["project"]}
    assert data["hits"] and all(h["type"] == "project" for h in data["hits"])
    assert {"type", "id", "diarienummer", "title", "score", "snippet"} <= set(data["hits"][0])
    kinds = {v["value"]: v["count"] for v in data["facets"]["kind"]}
    assert kinds["project"] == data["total"]  # the chosen value counts the results


def test_search_table_and_bad_filters(db):
    result = invoke("search", "samverkan", "--db", db, "--sort", "newest")
    assert result.exit_code == 0, result.output
    assert "träffar" in result.output
    bad = invoke("search", "unga", "--filter", "colour=red", "--db", db)
    assert bad.exit_code != 0 and "unknown facet" in bad.output
    worse = invoke("search", "unga", "--filter", "novalue", "--db", db)
    assert worse.exit_code != 0


def test_similar_and_index(db):
    result = invoke("similar", "--text", "stöd till unga som varken arbetar eller studerar",
                    "--json", "--db", db)  # fmt: skip
    assert result.exit_code == 0, result.output
    hits = json.loads(result.output)["hits"]
    assert hits and all(h["type"] == "project" for h in hits)
    by_id = invoke("similar", str(hits[0]["id"]), "--limit", "2", "--json", "--db", db)
    assert by_id.exit_code == 0 and len(json.loads(by_id.output)["hits"]) <= 2
    assert invoke("similar", "--db", db).exit_code != 0
    assert invoke("similar", "4242", "--db", db).exit_code != 0
    rebuilt = invoke("index", "--rebuild", "--json", "--db", db)
    assert rebuilt.exit_code == 0 and json.loads(rebuilt.output)["indexed"] == 6
    again = invoke("index", "--json", "--db", db)
    assert json.loads(again.output)["indexed"] == 0
