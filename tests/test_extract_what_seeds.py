"""Acceptance on the seed documents (read from /work/shared/seeds when present)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from projektatlas.extract import counts, dates, methods, money, shares, target_groups
from projektatlas.extract.base import ExtractContext

SEEDS = Path("/work/shared/seeds")
CTX = ExtractContext()


def _seed(prefix: str) -> str:
    files = sorted(SEEDS.glob(f"{prefix}_*.txt")) if SEEDS.is_dir() else []
    if not files:
        pytest.skip("seed documents not available")
    return files[0].read_text("utf-8")


def test_seed_000() -> None:
    text = _seed("000")
    amounts = money.extract(text, CTX)
    assert amounts and all(f.value == 24_000_000 and f.attrs["approximate"] for f in amounts)
    assert "granted" in {f.attrs.get("refers_to") for f in amounts}
    own = [f for f in shares.extract(text, CTX) if f.attrs["refers_to"] == "cofinancing"]
    assert {round(f.value, 2) for f in own} == {0.4}
    when = dates.extract(text, CTX)
    starts = [f for f in when if f.type == "date" and f.text == "1 september"]
    assert starts and starts[0].value == "XXXX-09-01" and starts[0].attrs["partial"]
    autumn = [f for f in when if f.type == "period" and f.text == "hösten 2023"]
    assert autumn[0].value == {"start": "2023-09-01", "end": "2023-11-30"}
    assert [f.value for f in when if f.type == "duration"] == [36]
    found = {(f.value, f.attrs["what"]) for f in counts.extract(text, CTX)}
    assert (12, "samordningsförbund") in found
    assert (4, "spår") in found


def test_seed_001_count_in_text_not_label_block() -> None:
    text = _seed("001")
    found = [(f.text, f.value) for f in counts.extract(text, CTX)]
    assert ("12 samordningsförbund", 12) in found
    assert all(v != 1260 for _, v in found)
    (eu,) = shares.extract(text, CTX)
    assert (eu.value, eu.attrs["refers_to"]) == (0.6, "eu_share")


def test_seed_002_periods_with_doc_date() -> None:
    text = _seed("002")
    periods = {f.text: f.value for f in dates.extract(text, ExtractContext(date(2016, 8, 25)))}
    assert periods["mellan januari och juni 2016"] == {"start": "2016-01-01", "end": "2016-06-30"}
    assert periods["våren"] == {"start": "2016-03-01", "end": "2016-05-31"}
    groups = {f.value for f in target_groups.extract(text, CTX)}
    assert {"nyanlanda", "psykisk_ohalsa"} <= groups


def test_seed_004_groups_and_methods() -> None:
    text = _seed("004")
    groups = [f.value for f in target_groups.extract(text, CTX)]
    assert {"nyanlanda", "kort_utbildning", "psykisk_ohalsa", "utrikesfodda_kvinnor"} <= set(groups)
    nyanlanda = next(f for f in target_groups.extract(text, CTX) if f.value == "nyanlanda")
    assert nyanlanda.attrs["combined_with"] == ["kort_utbildning"]
    found = {f.value for f in methods.extract(text, CTX)}
    assert {"supported_employment", "kartlaggning"} <= found
