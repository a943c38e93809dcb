"""The synthetic document generator (bench/generate.py) and the sample corpus."""

from __future__ import annotations

import html
import json
import re
import sys
from collections import Counter
from pathlib import Path

import pytest

from projektatlas.normalize import normalise_org_number

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import generate  # noqa: E402
from genlib.geo import LAN_REGION, kommuner, luhn_check_digit  # noqa: E402

CORPUS = ROOT / "examples" / "corpus"
REGION_NUTS = {region: nuts for region, nuts in LAN_REGION.values()} | {"ESF Nationellt": "SE0"}


@pytest.fixture(scope="module")
def docs() -> list[generate.GeneratedDoc]:
    return list(generate.iter_documents(1000, 300, seed=7))


def records(docs):
    return [d for d in docs if d.kind == "record"]


def news(docs):
    return [d for d in docs if d.kind == "news"]


def test_same_seed_same_documents_other_seed_differs():
    a = [(d.name, d.text, d.truth) for d in generate.iter_documents(120, 40, seed=3)]
    b = [(d.name, d.text, d.truth) for d in generate.iter_documents(120, 40, seed=3)]
    c = [(d.name, d.text, d.truth) for d in generate.iter_documents(120, 40, seed=4)]
    assert a == b
    assert [t for _, t, _ in a] != [t for _, t, _ in c]


def test_layout_mix_is_proportional(docs):
    counts = Counter(d.truth["layout"] for d in records(docs))
    assert counts == {
        "esf2021": 400,
        "esf2014": 350,
        "esf2014_web": 100,
        "esf2007": 100,
        "title_only": 50,
    }


def test_layouts_look_like_their_period(docs):
    for d in records(docs):
        layout, text = d.truth["layout"], d.text
        if layout == "esf2021" and d.name.endswith(".txt"):
            assert "\nDiarienummer:\n" in text or "\nCase number:\n" in text
        elif layout == "esf2014":
            assert re.search(r"^\d{4}/\d{5} - ", text, re.M)
            assert "\nProjektperiod:\n" in text
        elif layout == "esf2014_web":
            assert "\nProjektperiod\n" in text and "Projektperiod:" not in text
        elif layout == "esf2007":
            assert "\nProjektfas" in text or "missing:project_phase" in d.truth["noise"]
            assert re.search(r"^Projektperiod\d{4}-\d{2}-\d{2} till \d{4}-\d{2}-\d{2}$", text, re.M)
        elif layout == "title_only":
            assert re.search(r"^\d{2}-\d{3}-S\d{2} - ", text, re.M)
            assert "Diarienummer" not in text


def test_org_numbers_are_valid_and_kommuner_use_212000():
    ks = kommuner()
    assert len(ks) == 290
    assert len({k.org_number for k in ks}) == 290
    for k in ks:
        assert normalise_org_number(k.org_number) == f"{k.org_number[:6]}-{k.org_number[6:]}"
        assert k.org_number.startswith("212000")
    assert luhn_check_digit("212000185") == "0"  # Karlstads kommun, 212000-1850


def test_truth_org_numbers_valid_and_consistent(docs):
    by_entity: dict[str, str] = {}
    for d in records(docs):
        owner = d.truth["owner"]
        assert normalise_org_number(owner["org_number"]) == owner["org_number"]
        assert d.truth["entity"]["organisation"] == owner["entity"]
        assert by_entity.setdefault(owner["entity"], owner["org_number"]) == owner["org_number"]
        written = d.truth["fields"].get("owner_org_number")
        if written is not None:
            assert written == owner["org_number"]
            assert written.replace("-", "") in d.text.replace("-", "")


def test_truth_fields_are_in_the_text(docs):
    for d in records(docs):
        text = html.unescape(d.text)
        f = d.truth["fields"]
        for key in ("diarienummer", "name", "start_date", "end_date", "call_diarienummer"):
            if f.get(key):
                assert f[key] in text, (d.name, key)
        for key in ("total_budget_sek", "esf_support_sek"):
            if key in f:
                assert f"{f[key]:,}".replace(",", " ") in text, (d.name, key)
        if "owner_name" in f:
            assert f["owner_name"] in text
        if "region" in f and "nuts2" in f:
            assert REGION_NUTS[f["region"]] == f["nuts2"]
        for person in d.truth["personal"]:
            assert person["name"] in text
            for value in f.values():
                assert person["name"] not in str(value)


def test_diarienummer_unique_and_identity_matches(docs):
    ids = [d.truth["identity"] for d in records(docs) if d.truth["identity"]]
    assert len(ids) == len(set(ids))
    for d in records(docs):
        assert d.truth["identity"] == d.truth["fields"].get("diarienummer") or (
            d.truth["layout"] == "esf2007" and d.truth["identity"] is None
        )


def test_rates_amounts_and_periods_are_plausible(docs):
    for d in records(docs):
        f = d.truth["fields"]
        if "union_cofinancing_rate" in f:
            assert f["union_cofinancing_rate"] in (0.4, 0.5, 0.6, 0.9)
        for key in ("total_budget_sek", "esf_support_sek"):
            if key in f:
                assert 50_000 <= f[key] <= 60_000_000
        if "start_date" in f and "end_date" in f:
            assert f["start_date"] < f["end_date"]
        assert d.truth["programme_period"] == f["programme_period"]


def test_noise_is_present_and_marked(docs):
    noise = Counter(n.split(":")[0] for d in docs for n in d.truth["noise"])
    for kind in ("owner_upper", "owner_department", "owner_abbrev", "missing", "banner"):
        assert noise[kind] > 0, kind
    missing_share = sum(
        any(n.startswith("missing:") for n in d.truth["noise"]) for d in records(docs)
    )
    assert 0.03 * 1000 < missing_share < 0.15 * 1000
    for d in records(docs):
        if "owner_department" in d.truth["noise"]:
            assert ", " in d.truth["fields"].get("owner_name", ", ")


def test_related_projects_share_owner_and_name(docs):
    by_pid = {d.truth["entity"]["project"]: d for d in records(docs)}
    pairs = [d for d in records(docs) if d.truth["relation"]]
    assert any(d.truth["relation"]["type"] == "genomforande_of" for d in pairs)
    for d in pairs:
        prev = by_pid[d.truth["relation"]["project"]]
        assert prev.truth["owner"]["entity"] == d.truth["owner"]["entity"]
        assert d.truth["fields"]["name"].startswith(prev.truth["fields"]["name"])
        if d.truth["relation"]["type"] == "genomforande_of":
            assert prev.truth["fields"].get("project_phase", "Förstudie") == "Förstudie"
            assert d.truth["fields"]["name"] == prev.truth["fields"]["name"]


def test_news_mention_their_projects(docs):
    by_pid = {d.truth["entity"]["project"]: d for d in records(docs)}
    about_none = 0
    for d in news(docs):
        text = html.unescape(d.text)
        if not d.truth["projects"]:
            about_none += 1
        assert [m["project"] for m in d.truth["mentions"]] == d.truth["projects"]
        for m in d.truth["mentions"]:
            record = by_pid[m["project"]]
            assert m["name"] == record.truth["fields"]["name"] or m["name"] in record.text
            assert m["name"] in text
            assert m["owner_written"] in text
            assert m["amount_text"] in text
            if "diarienummer" in m:
                assert m["diarienummer"] == record.truth["identity"]
                assert m["diarienummer"] in text
            if "participants" in m:
                assert str(m["participants"]) in text
    assert 0 < about_none < len(news(docs)) / 4


def test_shards_hold_at_most_1000_files():
    names = [d.name for d in generate.iter_documents(2500, 1200, seed=1)]
    folders = Counter(n.rsplit("/", 1)[0] for n in names)
    assert max(folders.values()) <= 1000
    assert {"records/0000", "records/0001", "records/0002", "news/0000", "news/0001"} <= set(
        folders
    )
    assert len(set(names)) == len(names)


def test_write_corpus_writes_files_and_truth(tmp_path):
    truth = tmp_path / "truth.jsonl"
    n = generate.main(
        [
            str(tmp_path / "out"),
            "--records",
            "300",
            "--news",
            "50",
            "--seed",
            "5",
            "--truth",
            str(truth),
        ]
    )
    assert n == 0
    rows = [json.loads(line) for line in truth.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 350
    files = sorted(p for p in (tmp_path / "out").rglob("*") if p.is_file())
    assert len(files) == 350
    for row in rows:
        data = (tmp_path / "out" / row["name"]).read_bytes()
        text = data.decode(row["encoding"])
        assert text.strip()
        if row["encoding"] == "cp1252" and any(c in text for c in "åäö"):
            with pytest.raises(UnicodeDecodeError):
                data.decode("utf-8")


# --- the sample corpus -------------------------------------------------------------------


def test_sample_corpus_files_are_described():
    readme = (CORPUS.parent / "README.md").read_text(encoding="utf-8")
    files = [p.name for p in CORPUS.iterdir() if p.name != "README.md"]
    assert len([f for f in files if f.startswith("record_")]) >= 12
    assert len([f for f in files if f.startswith("news_")]) >= 5
    for name in files:
        assert f"`{name}`" in readme, name


def test_sample_corpus_cp1252_record():
    data = (CORPUS / "record_2014_cp1252_hassleholm.txt").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    text = data.decode("cp1252")
    assert "Hässleholms kommun" in text and "Växtkraft" in text


def test_sample_corpus_org_numbers_valid_and_kalmar_shared():
    numbers: dict[str, str] = {}
    for path in CORPUS.glob("record_*"):
        text = path.read_bytes().decode("cp1252" if "cp1252" in path.name else "utf-8")
        for m in re.finditer(r"\b(\d{6}-?\d{4})\b", text):
            assert normalise_org_number(m.group(1)) is not None, (path.name, m.group(1))
            numbers[path.name] = normalise_org_number(m.group(1))
    kalmar = (CORPUS / "record_2021_kalmar_vagen_in.txt").read_text(encoding="utf-8")
    assert "KALMAR KOMMUN" in kalmar and numbers["record_2021_kalmar_vagen_in.txt"] == "212000-1835"
    other = (CORPUS / "record_2014_kalmar_jobbsteget.txt").read_text(encoding="utf-8")
    assert "Kalmar kommun, Arbetsmarknadsförvaltningen" in other


def test_truth_field_names_are_canonical(docs):
    from projektatlas.model import PROJECT_FIELDS

    for d in records(docs):
        assert set(d.truth["fields"]) <= set(PROJECT_FIELDS), d.truth["fields"].keys()


def test_news_without_records_speak_of_no_project():
    items = list(generate.iter_documents(0, 5, seed=1))
    assert len(items) == 5
    assert all(d.kind == "news" and d.truth["projects"] == [] for d in items)


class _SeasonRng:
    """A stand-in rng whose draws always pick the season wording in ``start_phrase``."""

    def random(self) -> float:
        return 0.95


SEASON_OF_MONTH = {
    **dict.fromkeys((3, 4, 5), "våren"),
    **dict.fromkeys((6, 7, 8), "sommaren"),
    **dict.fromkeys((9, 10, 11), "hösten"),
    **dict.fromkeys((12, 1, 2), "vintern"),
}


@pytest.mark.parametrize("month", range(1, 13))
def test_start_phrase_season_matches_the_month(month):
    from datetime import date

    from genlib.news import start_phrase

    text, kind = start_phrase(_SeasonRng(), date(2024, month, 15))
    assert kind == "season"
    assert text == f"{SEASON_OF_MONTH[month]} 2024"


def test_news_season_starts_agree_with_start_date(docs):
    seen = 0
    for doc in news(docs):
        for mention in doc.truth["mentions"]:
            if mention.get("start_kind") != "season":
                continue
            month = int(mention["start_date"][5:7])
            assert mention["start_text"].split()[0] == SEASON_OF_MONTH[month], mention
            seen += 1
    assert seen > 0
