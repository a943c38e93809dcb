"""Gazetteers of Swedish places and organisations, loaded once from ``extract/data/``.

Data files (each carries a ``source`` note):

- ``geo.json``: 290 kommuner, 21 län, 8 ESF regions (built by ``data/build_gazetteer.py``)
- ``tatorter.json``: well-known localities with their kommun (e.g. Tällberg → Leksand)
- ``organisations.json``: national organisations with kind and aliases
- ``samordningsforbund.json``: a partial list of samordningsförbund and known groups

Lookups accept inflected and variant forms: ``"Dalarnas"``, ``"Värmlands län"``,
``"Sörmland"``, ``"Region Jönköpings län"``, ``"Karlstads kommun"``, ``"Stockholms stad"``,
``"KARLSTAD"``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

from projektatlas.normalize import clean_spaces

LEVEL_KOMMUN = "kommun"
LEVEL_LAN = "lan"
LEVEL_ESF_REGION = "esf_region"
LEVEL_LOCALITY = "locality"


@dataclass(frozen=True, slots=True)
class EsfRegion:
    name: str
    nuts2: str
    lan_codes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Lan:
    code: str
    name: str
    short: tuple[str, ...]
    region_org: str
    esf_region: str


@dataclass(frozen=True, slots=True)
class Kommun:
    code: str
    name: str
    lan_code: str
    esf_region: str
    org_name: str
    org_number: str | None = None


@dataclass(frozen=True, slots=True)
class Locality:
    name: str
    kommun_code: str


@dataclass(frozen=True, slots=True)
class Organisation:
    name: str
    kind: str
    aliases: tuple[str, ...]
    org_number: str | None = None
    former_names: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Samordningsforbund:
    name: str
    aliases: tuple[str, ...]
    lan_codes: tuple[str, ...]
    kommuner: tuple[str, ...] | None
    verified: bool


@dataclass(frozen=True, slots=True)
class PlaceEntry:
    """What a surface form of a place resolves to."""

    level: str
    name: str
    code: str
    lan_code: str | None
    esf_region: str | None


def genitive(name: str) -> str:
    """Swedish genitive: ``Dalarna`` → ``Dalarnas``, ``Borås`` → ``Borås``."""
    return name if name[-1:].lower() in {"s", "x", "z"} else name + "s"


def _load(name: str) -> Any:
    return json.loads(files("projektatlas.extract").joinpath("data", name).read_text("utf-8"))


_LEADING_PREPOSITION = re.compile(r"^(?:i|från|till|inom|för|på)\s+", re.IGNORECASE)


def _key(name: str) -> str:
    return _LEADING_PREPOSITION.sub("", clean_spaces(name)).casefold()


@cache
def esf_regions() -> tuple[EsfRegion, ...]:
    """The eight ESF regions (DOMAIN.md §2)."""
    return tuple(
        EsfRegion(r["name"], r["nuts2"], tuple(r["lan_codes"]))
        for r in _load("geo.json")["esf_regions"]
    )


@cache
def _esf_by_name() -> dict[str, EsfRegion]:
    out: dict[str, EsfRegion] = {}
    for raw in _load("geo.json")["esf_regions"]:
        region = next(r for r in esf_regions() if r.name == raw["name"])
        for form in [raw["name"], *raw["variants"]]:
            out[_key(form)] = region
            out[_key(genitive(form))] = region
            out[_key("ESF " + form)] = region
            out[_key("Region " + form)] = region
        out[_key(region.nuts2)] = region
    return out


def esf_region_by_name(name: str) -> EsfRegion | None:
    """``"Norra Mellansverige"``, ``"Småland och Öarnas"``, ``"SE21"`` → the ESF region."""
    return _esf_by_name().get(_key(name))


def esf_region_of_lan(lan_code: str) -> EsfRegion:
    """The ESF region a län (two-digit code) belongs to."""
    for region in esf_regions():
        if lan_code in region.lan_codes:
            return region
    raise KeyError(lan_code)


@cache
def lan_list() -> tuple[Lan, ...]:
    """All 21 län."""
    return tuple(
        Lan(r["code"], r["name"], tuple(r["short"]), r["region_org"], r["esf_region"])
        for r in _load("geo.json")["lan"]
    )


@cache
def _lan_by_name() -> dict[str, Lan]:
    out: dict[str, Lan] = {}
    for lan in lan_list():
        forms = [lan.name, lan.region_org, lan.code]
        for short in lan.short:
            forms += [short, genitive(short), f"{genitive(short)} län", f"Region {short}"]
        for form in forms:
            out[_key(form)] = lan
    return out


def lan_by_name(name: str) -> Lan | None:
    """``"Dalarnas"``, ``"Värmlands län"``, ``"Sörmland"``, ``"Region Jönköpings län"`` → Lan."""
    return _lan_by_name().get(_key(name))


def lan_by_code(code: str) -> Lan | None:
    return next((lan for lan in lan_list() if lan.code == code), None)


def kommun_org_name(name: str, suffix: str, gen: str | None) -> str:
    if gen and gen.startswith("Region "):
        return gen
    if gen is None:
        gen = name if name[-1].lower() in "aeiouyåäö" else genitive(name)
    return f"{gen} {suffix}"


@cache
def kommuner() -> tuple[Kommun, ...]:
    """All 290 kommuner."""
    region_of_lan = {lan.code: lan.esf_region for lan in lan_list()}
    return tuple(
        Kommun(
            k["code"],
            k["name"],
            k["lan_code"],
            region_of_lan[k["lan_code"]],
            kommun_org_name(k["name"], k.get("org_suffix", "kommun"), k.get("genitive")),
            k.get("org_number"),
        )
        for k in _load("geo.json")["kommuner"]
    )


@cache
def _kommun_by_name() -> dict[str, Kommun]:
    out: dict[str, Kommun] = {}
    for k in kommuner():
        out[_key(k.name)] = k
        out[_key(k.code)] = k
        out[_key(k.org_name)] = k
    for k in kommuner():
        out.setdefault(_key(genitive(k.name)), k)
        for suffix in ("kommun", "stad", "Stad"):
            out.setdefault(_key(f"{genitive(k.name)} {suffix}"), k)
            out.setdefault(_key(f"{k.name} {suffix}"), k)
    return out


def kommun_by_name(name: str) -> Kommun | None:
    """``"Karlstad"``, ``"KARLSTADS KOMMUN"``, ``"Falu kommun"``, ``"Stockholms stad"`` → Kommun."""
    return _kommun_by_name().get(_key(name))


def kommun_by_code(code: str) -> Kommun | None:
    return _kommun_by_name().get(code)


@cache
def localities() -> tuple[Locality, ...]:
    """Well-known localities that are not kommun names (partial list)."""
    out = []
    for name, kommun in _load("tatorter.json")["localities"]:
        k = kommun_by_name(kommun)
        if k is None:  # pragma: no cover - guarded by a test
            raise ValueError(f"unknown kommun {kommun!r} for {name!r}")
        out.append(Locality(name, k.code))
    return tuple(out)


@cache
def place_surfaces() -> dict[str, PlaceEntry]:
    """Surface form (exact case) → place, for scanning text. Longer forms win when scanning.

    A bare name that is both a kommun and a län short name (``Kalmar``, ``Uppsala``) is the
    kommun; ``"Kalmar län"`` is the län.
    """
    out: dict[str, PlaceEntry] = {}
    for region in esf_regions():
        entry = PlaceEntry(LEVEL_ESF_REGION, region.name, region.nuts2, None, region.name)
        forms = [region.name, genitive(region.name), f"ESF {region.name}"]
        if region.name == "Småland och Öarna":
            forms.append("Småland med öarna")
        for form in forms:
            out[form] = entry
    for lan in lan_list():
        entry = PlaceEntry(LEVEL_LAN, lan.name, lan.code, lan.code, lan.esf_region)
        out[lan.name] = entry
        out[genitive(lan.name)] = entry
        for short in lan.short:
            out.setdefault(short, entry)
            out.setdefault(genitive(short), entry)
            out[f"{genitive(short)} län"] = entry
    for k in kommuner():
        entry = PlaceEntry(LEVEL_KOMMUN, k.name, k.code, k.lan_code, k.esf_region)
        out[k.name] = entry
        out[genitive(k.name)] = entry
    for loc in localities():
        k = kommun_by_code(loc.kommun_code)
        assert k is not None
        out.setdefault(
            loc.name, PlaceEntry(LEVEL_LOCALITY, loc.name, k.code, k.lan_code, k.esf_region)
        )
    return out


@cache
def organisations() -> tuple[Organisation, ...]:
    """National organisations (authorities, associations, idéburna, studieförbund, funds)."""
    return tuple(
        Organisation(
            o["name"],
            o["kind"],
            tuple(o["aliases"]),
            o.get("org_number"),
            tuple(o.get("former_names", ())),
        )
        for o in _load("organisations.json")["organisations"]
    )


@cache
def _organisations_by_key() -> dict[str, Organisation]:
    """Name and alias keys → the first organisation (in file order) that has them."""
    out: dict[str, Organisation] = {}
    for org in organisations():
        for alias in (org.name, *org.aliases):
            out.setdefault(_key(alias), org)
    return out


def organisation_by_name(name: str) -> Organisation | None:
    """A national organisation by its name or an alias (case-insensitive)."""
    return _organisations_by_key().get(_key(name))


@cache
def samordningsforbund() -> tuple[Samordningsforbund, ...]:
    """The (partial) list of samordningsförbund."""
    return tuple(
        Samordningsforbund(
            f["name"],
            tuple(f["aliases"]),
            tuple(f["lan_codes"]),
            tuple(f["kommuner"]) if f["kommuner"] is not None else None,
            bool(f["verified"]),
        )
        for f in _load("samordningsforbund.json")["forbund"]
    )


def samordningsforbund_by_name(name: str) -> Samordningsforbund | None:
    """``"RAR i Sörmland"``, ``"Samordningsförbundet Skellefteå Norsjö"`` → the förbund."""
    key = _key(re.sub(r"^(?i:samordningsförbundet)\s+", "", clean_spaces(name)))
    for f in samordningsforbund():
        short = re.sub(r"^Samordningsförbundet\s+", "", f.name)
        if key in {_key(short), _key(f.name)} | {_key(a) for a in f.aliases}:
            return f
    return None


def region_org_by_name(name: str) -> Lan | None:
    """``"Region Dalarna"``, ``"Region Jönköpings län"``, ``"Västra Götalandsregionen"`` → Lan."""
    key = _key(name)
    for lan in lan_list():
        forms = {lan.region_org, f"Region {lan.name}"} | {f"Region {s}" for s in lan.short}
        if key in {_key(f) for f in forms}:
            return lan
    return None


@cache
def first_names() -> frozenset[str]:
    """Common first names (hand-written list in ``data/first_names.txt``)."""
    text = files("projektatlas.extract").joinpath("data", "first_names.txt").read_text("utf-8")
    return frozenset(
        line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )
