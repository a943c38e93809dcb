"""Geography for the web views: län and ESF regions, a project's län, and the map paths."""

from __future__ import annotations

import json
import unicodedata
from functools import cache
from pathlib import Path
from typing import Any

GEO_JSON = Path(__file__).resolve().parent.parent / "extract" / "data" / "geo.json"
MAP_JSON = Path(__file__).resolve().parent / "map" / "lan_paths.json"


def _key(name: str) -> str:
    return unicodedata.normalize("NFC", name).casefold().strip()


@cache
def gazetteer() -> dict[str, Any]:
    return json.loads(GEO_JSON.read_text(encoding="utf-8"))


@cache
def lan_names() -> dict[str, str]:
    """län code → name ("17" → "Värmlands län")."""
    return {lan["code"]: lan["name"] for lan in gazetteer()["lan"]}


@cache
def lan_region() -> dict[str, str]:
    """län code → ESF region name."""
    return {lan["code"]: lan["esf_region"] for lan in gazetteer()["lan"]}


@cache
def region_names() -> list[str]:
    return [r["name"] for r in gazetteer()["esf_regions"]]


@cache
def _place_index() -> dict[str, str]:
    """Lower-cased kommun name, its genitive and short län names → län code."""
    index: dict[str, str] = {}
    for kommun in gazetteer()["kommuner"]:
        name = _key(kommun["name"])
        index[name] = kommun["lan_code"]
        index[name + "s"] = kommun["lan_code"]
    for lan in gazetteer()["lan"]:
        index[_key(lan["name"])] = lan["code"]
        for short in lan.get("short", []):
            index[_key(short)] = lan["code"]
    return index


def lan_of(city: str | None, owner: str | None = None) -> str | None:
    """The län code of a project from its city, else from a place word in its owner's name."""
    index = _place_index()
    if city and (code := index.get(_key(city))):
        return code
    if owner:
        words = _key(owner).replace(",", " ").split()
        for size in (3, 2, 1):
            for i in range(len(words) - size + 1):
                if code := index.get(" ".join(words[i : i + size])):
                    return code
    return None


@cache
def map_paths() -> dict[str, Any]:
    """The generated simplified county outlines: {"viewBox": str, "lan": {code: {name, d}}}."""
    if not MAP_JSON.exists():
        return {"viewBox": "0 0 100 100", "lan": {}}
    return json.loads(MAP_JSON.read_text(encoding="utf-8"))
