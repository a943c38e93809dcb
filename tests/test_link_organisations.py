"""Who is who among organisations: one organisation however its name is written."""

from __future__ import annotations

from sqlalchemy import select

from projektatlas.ingest import ingest
from projektatlas.link.keys import near_duplicate_keys, org_key
from projektatlas.link.service import links_json, set_decision
from projektatlas.service import find_project, project_json
from projektatlas.store.db import session_scope
from projektatlas.store.schema import Organisation
from tests.test_link_helpers import record_2007, record_2021, write


def _owner_ids(engine, dnrs):
    with session_scope(engine) as session:
        return [project_json(session, find_project(session, d))["owner"]["id"] for d in dnrs]


def test_case_and_department_suffixes_resolve_to_one_organisation(engine, tmp_path):
    write(tmp_path, "a.txt", record_2021("24-101-S01", "Vägen vidare", "GÖTEBORGS STAD"))
    write(
        tmp_path,
        "b.txt",
        record_2021(
            "24-101-S02", "Nya steg", "Göteborgs stad, Arbetsmarknadsförvaltningen, Staben"
        ),
    )
    write(tmp_path, "c.txt", record_2021("24-101-S03", "Kliv in", "göteborgs stad"))
    ingest(engine, [str(tmp_path)])
    ids = _owner_ids(engine, ["24-101-S01", "24-101-S02", "24-101-S03"])
    assert len(set(ids)) == 1
    with session_scope(engine) as session:
        units = session.scalars(
            select(Organisation.name).where(Organisation.parent_id == ids[0])
        ).all()
        assert any("Arbetsmarknadsförvaltningen" in u for u in units)
        data = links_json(session, f"org:{ids[0]}")
        owned = {x["diarienummer"] for x in data["links"] if x["relation"] == "owner"}
        assert owned == {"24-101-S01", "24-101-S02", "24-101-S03"}


def test_samordningsforbund_abbreviations_resolve_to_one_organisation(engine, tmp_path):
    owners = [
        "Samordningsförbundet Borås",
        "Sf Borås",
        "Finsam Borås",
        "Samordningsförbundet i Borås",
    ]
    for i, owner in enumerate(owners):
        write(tmp_path, f"{i}.txt", record_2021(f"24-102-S0{i + 1}", f"Projekt {i}", owner))
    ingest(engine, [str(tmp_path)])
    ids = _owner_ids(engine, [f"24-102-S0{i + 1}" for i in range(4)])
    assert len(set(ids)) == 1
    with session_scope(engine) as session:
        org = session.get(Organisation, ids[0])
        assert org.name == "Samordningsförbundet Borås"
        assert org.kind == "samordningsförbund"


def test_organisation_number_arriving_later_merges_the_twins(engine, tmp_path):
    write(tmp_path, "a.txt", record_2021("24-103-S01", "Första", "Tillväxt Lerum AB"))
    write(tmp_path, "b.txt", record_2021("24-103-S02", "Andra", "TILLVÄXT LERUM", "556677-8899"))
    ingest(engine, [str(tmp_path)])
    first, second = _owner_ids(engine, ["24-103-S01", "24-103-S02"])
    assert first != second  # nothing says yet that they are one
    write(
        tmp_path, "c.txt", record_2021("24-103-S03", "Tredje", "Tillväxt Lerum AB", "556677-8899")
    )
    ingest(engine, [str(tmp_path / "c.txt")])
    ids = _owner_ids(engine, ["24-103-S01", "24-103-S02", "24-103-S03"])
    assert len(set(ids)) == 1
    with session_scope(engine) as session:
        org = session.get(Organisation, ids[0])
        assert org.org_number == "556677-8899"
        aliases = {a.alias for a in org.aliases}
        assert {"Tillväxt Lerum AB", "TILLVÄXT LERUM"} <= aliases


def test_a_typing_error_is_merged_but_different_numbers_never(engine, tmp_path):
    write(
        tmp_path,
        "a.txt",
        record_2007("Steget", "Stiftelsen Ljusglimten", "2009-01-01 till 2010-06-30"),
    )
    write(
        tmp_path,
        "b.txt",
        record_2007("Språnget", "Stiftelsen Ljusglimtne", "2010-01-01 till 2011-06-30"),
    )
    write(tmp_path, "c.txt", record_2021("24-104-S01", "Ett", "Föreningen Ankaret", "802400-1235"))
    write(tmp_path, "d.txt", record_2021("24-104-S02", "Två", "Föreningen Ankarett", "802400-5673"))
    ingest(engine, [str(tmp_path)])
    with session_scope(engine) as session:
        owners = {
            p: project_json(session, find_project(session, p))["owner"]["id"]
            for p in ("24-104-S01", "24-104-S02")
        }
        assert owners["24-104-S01"] != owners["24-104-S02"]
        names = session.scalars(select(Organisation.name_key)).all()
        assert sum(1 for n in names if "ljusglim" in n) == 1


def test_confirming_two_organisations_as_one_merges_them(engine, tmp_path):
    write(tmp_path, "a.txt", record_2021("24-105-S01", "Ett", "Stiftelsen Vägvisaren"))
    write(tmp_path, "b.txt", record_2021("24-105-S02", "Två", "Stiftelsen Vägvisarna"))
    ingest(engine, [str(tmp_path)])
    a, b = _owner_ids(engine, ["24-105-S01", "24-105-S02"])
    assert a != b
    with session_scope(engine) as session:
        set_decision(session, f"org:{a}", f"org:{b}", "confirmed", "test")
    assert len(set(_owner_ids(engine, ["24-105-S01", "24-105-S02"]))) == 1


def test_org_key_folds_abbreviations_case_and_departments():
    assert org_key("SF Borås") == org_key("Samordningsförbundet Borås")
    assert org_key("Finsam Borås") == org_key("samordningsförbundet i Borås")
    assert org_key("KARLSTADS KOMMUN, Staben") == org_key("Karlstads kommun")
    assert org_key("Karlstads kommun") != org_key("Karlskoga kommun")


def test_near_duplicates_never_pair_two_real_kommuner():
    pairs = near_duplicate_keys([org_key("Höörs kommun"), org_key("Hörby kommun")])
    assert pairs == []
    pairs = near_duplicate_keys([org_key("Ale kommun"), org_key("Åre kommun")])
    assert pairs == []
    pairs = near_duplicate_keys(
        [org_key("Stiftelsen Ljusglimten"), org_key("Stiftelsen Ljusglimtne")]
    )
    assert len(pairs) == 1


def test_in_memory_clusterer_follows_the_store_rules():
    from projektatlas.link.clusters import OrgClusterer

    c = OrgClusterer()
    ids = [
        c.resolve("KARLSTADS KOMMUN", "212000-1850"),
        c.resolve("Karlstads kommun, Arbetsmarknad och socialförvaltningen, Staben"),
        c.resolve("Sf Borås"),
        c.resolve("Samordningsförbundet Borås"),
        c.resolve("Stiftelsen Ljusglimten"),
        c.resolve("Stiftelsen Ljusglimtne"),
        c.resolve("Föreningen Ankaret", "802400-1235"),
        c.resolve("Föreningen Ankarett", "802400-5673"),
        c.resolve("Höörs kommun"),
        c.resolve("Hörby kommun"),
    ]
    final = c.merge()
    groups = [final[i] for i in ids]
    assert groups[0] == groups[1]
    assert groups[2] == groups[3]
    assert groups[4] == groups[5]
    assert groups[6] != groups[7]
    assert groups[8] != groups[9]
    assert len(set(groups)) == 7


def test_a_spelling_seen_only_as_an_alias_finds_its_organisation(engine):
    from projektatlas.link.organisations import resolve_organisation

    with session_scope(engine) as session:
        # one organisation known under two spellings (same organisation number)
        first = resolve_organisation(session, "Lerums kommun", "212000-1488")
        again = resolve_organisation(session, "Kommunen i Lerum", "212000-1488")
        assert again.id == first.id
        # a different organisation number under the same name is another organisation
        other = resolve_organisation(session, "Lerums kommun", "556000-0005")
        assert other.id != first.id
        session.flush()
        # without a number, the alias alone finds it; a bare name takes the oldest one
        assert resolve_organisation(session, "KOMMUNEN I LERUM", None).id == first.id
        assert resolve_organisation(session, "lerums kommun", None).id == first.id
