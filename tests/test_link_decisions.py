"""A person's confirm/reject survives re-ingest and re-linking; the CLI shows and stores them."""

from __future__ import annotations

import json

from click.testing import CliRunner

from projektatlas.cli import main
from projektatlas.ingest import ingest
from projektatlas.link.run import link_all
from projektatlas.link.service import links_json, set_decision
from projektatlas.store.db import session_scope
from tests.test_link_helpers import record_2021, write

NEWS = """Nytt projekt ska korta vägen till jobb i Borås

Borås stad har fått drygt 3,2 miljoner kronor från Europeiska socialfonden för projektet
Vägen vidare Borås (24-130-S01). Projektet startar den 1 mars 2024 och pågår i två år.
"""


def _about(session, ident: str) -> list[tuple[str | None, str]]:
    return [
        (x.get("diarienummer") or x.get("path_or_url"), x["status"])
        for x in links_json(session, ident)["links"]
        if x["relation"] == "about"
    ]


def _corpus(tmp_path):
    record = write(
        tmp_path / "records",
        "r.txt",
        record_2021(
            "24-130-S01", "Vägen vidare Borås", "Borås stad", start="2024-03-01", end="2026-02-28"
        ),
    )
    news = write(tmp_path / "news", "n.txt", NEWS)
    return record, news


def test_news_item_is_linked_by_diarienummer_name_owner_and_dates(engine, tmp_path):
    _, news = _corpus(tmp_path)
    ingest(engine, [str(tmp_path)])
    with session_scope(engine) as session:
        links = links_json(session, f"doc:{news}")["links"]
    about = [x for x in links if x["relation"] == "about"]
    assert [(x["diarienummer"], x["status"]) for x in about] == [("24-130-S01", "linked")]
    features = {e["feature"] for e in about[0]["evidence"]}
    assert {"diarienummer", "name_in_text", "owner", "start_date", "duration"} <= features


def test_reject_survives_reingest_of_an_edited_file_and_relink(engine, tmp_path):
    record, news = _corpus(tmp_path)
    ingest(engine, [str(tmp_path)])
    with session_scope(engine) as session:
        set_decision(session, str(news), "24-130-S01", "rejected", "granskare")
    news.write_text(NEWS + "\nFler deltagare söks nu till projektet.\n", encoding="utf-8")
    record.write_text(record.read_text(encoding="utf-8") + "\nUppdaterad text.\n", "utf-8")
    summary = ingest(engine, [str(tmp_path)])
    assert summary.updated == 2
    link_all(engine)
    with session_scope(engine) as session:
        assert _about(session, f"doc:{news}") == [("24-130-S01", "rejected")]
        row = links_json(session, "24-130-S01")["links"][0]
        assert row["decided_by"] == "granskare"


def test_confirm_of_an_unproposed_pair_is_stored_and_kept(engine, tmp_path):
    _, news = _corpus(tmp_path)
    write(
        tmp_path / "records", "other.txt", record_2021("24-131-S01", "Annat", "Ulricehamns kommun")
    )
    ingest(engine, [str(tmp_path)])
    with session_scope(engine) as session:
        set_decision(session, f"doc:{news}", "24-131-S01", "confirmed", "granskare")
    assert link_all(engine) == 0
    with session_scope(engine) as session:
        assert sorted(_about(session, f"doc:{news}")) == [
            ("24-130-S01", "linked"),
            ("24-131-S01", "confirmed"),
        ]


def test_cli_links_json_and_confirm(tmp_path):
    _, news = _corpus(tmp_path)
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    runner = CliRunner()
    assert (
        runner.invoke(main, ["ingest", "--db", db, str(tmp_path / "records"), str(news)]).exit_code
        == 0
    )
    result = runner.invoke(main, ["links", "--db", db, "24-130-S01", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    doc = [x for x in data["links"] if x["relation"] == "about"][0]
    assert doc["type"] == "document" and doc["path_or_url"] == str(news)
    assert doc["status"] == "linked" and doc["score"] >= 6 and doc["evidence"]
    result = runner.invoke(
        main, ["link", "confirm", "--db", db, "--by", "anna", f"doc:{doc['id']}", "24-130-S01"]
    )
    assert result.exit_code == 0, result.output
    result = runner.invoke(main, ["relink", "--db", db, "--json"])
    assert json.loads(result.output) == {"changed": 0}
    data = json.loads(runner.invoke(main, ["links", "--db", db, f"doc:{news}", "--json"]).output)
    about = [x for x in data["links"] if x["relation"] == "about"]
    assert [(x["status"], x["decided_by"]) for x in about] == [("confirmed", "anna")]
    result = runner.invoke(main, ["links", "--db", db, "org:999"])
    assert result.exit_code != 0 and "no organisation" in result.output
