"""Places: kommuner, län, ESF regions and well-known localities.

Surface forms come from the gazetteer (``Dalarna``, ``Dalarnas``, ``Värmlands län``,
``Småland och Öarnas``, ``Tällberg``); matching is case-sensitive (a capital initial or all
capitals). A bare name that is also a common word or a surname (``Vara``, ``Mark``, ``Lund``,
``Berg``) counts only after a locative preposition or before "kommun"/"stad". Localities come
from a short hand-written list (``data/tatorter.json``) with their kommun.

A coordinated list of län that all belong to one ESF region ("Dalarna, Värmland och
Gävleborg") also yields a derived ``esf_region`` fact (attrs ``derived_from``).
"""

from __future__ import annotations

import re
from functools import cache

from projektatlas.extract import gazetteer
from projektatlas.extract.base import ExtractContext
from projektatlas.extract.gazetteer import (
    LEVEL_ESF_REGION,
    LEVEL_KOMMUN,
    LEVEL_LAN,
    LEVEL_LOCALITY,
    PlaceEntry,
)
from projektatlas.extract.prefilter import Guarded, fast
from projektatlas.model import Fact

NAME = "places"
VERSION = "1.0"

# Kommun names that are also ordinary words, first names or surnames.
AMBIGUOUS = frozenset(
    {
        "Ale", "Berg", "Boden", "Bjuv", "Eda", "Falkenberg", "Flen", "Habo", "Hjo", "Kil",
        "Kinda", "Laxå", "Lund", "Mark", "Nora", "Orsa", "Sala", "Salem", "Skara", "Sunne",
        "Tanum", "Tibro", "Vara", "Ydre", "Åre", "Ånge", "Dorotea", "Vilhelmina", "Norberg",
        "Klippan", "Säter",
    }
)  # fmt: skip
_LOCATIVE = re.compile(
    r"(?:\b(?:i|från|till|på|vid|utanför|mellan|kring|runt|inom|norr om|söder om|öster om|väster om)\s+)$"
)
_ORG_SUFFIX = re.compile(r"^\s+(?:kommun|stad|Stad|KOMMUN)\b")
_LIST_SEPARATOR = re.compile(r"^(?:\s*,\s*|\s+och\s+|\s+samt\s+|\s*,\s*och\s+|\s*&\s*)$")
_WORD = r"A-Za-zÅÄÖåäöÉéÜü0-9_"


@cache
def _surfaces() -> dict[str, PlaceEntry]:
    out = dict(gazetteer.place_surfaces())
    lan14 = gazetteer.lan_by_code("14")
    assert lan14 is not None
    out["Västra Götalandsregionen"] = PlaceEntry(
        LEVEL_LAN, lan14.name, "14", "14", lan14.esf_region
    )
    for form, entry in list(out.items()):
        if entry.level in (LEVEL_KOMMUN, LEVEL_LOCALITY) and len(form) >= 4:
            out.setdefault(form.upper(), entry)
    return out


@cache
def _pattern() -> Guarded:
    forms = sorted(_surfaces(), key=len, reverse=True)
    alternation = "|".join(re.escape(f) for f in forms)
    return fast(re.compile(rf"(?<![{_WORD}\-])(?:{alternation})(?![{_WORD}]|-[{_WORD}])"))


def _attrs(entry: PlaceEntry) -> dict[str, object]:
    attrs: dict[str, object] = {"level": entry.level, "code": entry.code}
    if entry.level in (LEVEL_KOMMUN, LEVEL_LOCALITY):
        attrs["lan_code"] = entry.lan_code
        attrs["esf_region"] = entry.esf_region
        if entry.level == LEVEL_LOCALITY:
            attrs["kommun_code"] = entry.code
            kommun = gazetteer.kommun_by_code(entry.code)
            attrs["kommun"] = kommun.name if kommun else None
    elif entry.level == LEVEL_LAN:
        attrs["esf_region"] = entry.esf_region
        region = gazetteer.esf_region_by_name(entry.esf_region or "")
        attrs["nuts2"] = region.nuts2 if region else None
    return attrs


def _fact(text: str, start: int, end: int, entry: PlaceEntry, confidence: float) -> Fact:
    return Fact(
        type="place",
        text=text[start:end],
        value=entry.name,
        start=start,
        end=end,
        confidence=confidence,
        extractor=NAME,
        extractor_version=VERSION,
        attrs=_attrs(entry),
    )


def _preceded_by_first_name(text: str, start: int) -> bool:
    m = re.search(r"([A-ZÅÄÖ][a-zåäöé]+)\s+$", text[max(0, start - 30) : start])
    return bool(m and m.group(1) in gazetteer.first_names())


def _as_lan(entry: PlaceEntry) -> PlaceEntry | None:
    """The län a bare kommun name also names (``Kalmar`` → Kalmar län), if any."""
    if entry.level != LEVEL_KOMMUN:
        return None
    lan = gazetteer.lan_by_name(entry.name)
    if lan is None:
        return None
    return PlaceEntry(LEVEL_LAN, lan.name, lan.code, lan.code, lan.esf_region)


def _derived_regions(text: str, facts: list[Fact], entries: list[PlaceEntry]) -> list[Fact]:
    """Län lists whose members all belong to one ESF region → one derived region fact."""
    groups: list[list[int]] = []
    for i in range(len(facts)):
        if groups and _LIST_SEPARATOR.match(text[facts[groups[-1][-1]].end : facts[i].start]):
            groups[-1].append(i)
        else:
            groups.append([i])
    derived: list[Fact] = []
    for group in groups:
        if len(group) < 2:
            continue
        if not any(entries[i].level == LEVEL_LAN for i in group):
            continue
        for i in group:  # "Kalmar, Kronoberg och Jönköping": all are län here
            as_lan = _as_lan(entries[i])
            if as_lan is None or _ORG_SUFFIX.match(text[facts[i].end : facts[i].end + 10]):
                continue
            if any(entries[j].code == as_lan.code for j in group):
                continue
            if as_lan is not None:
                entries[i] = as_lan
                old = facts[i]
                facts[i] = _fact(text, old.start, old.end, as_lan, old.confidence)
        if not all(entries[i].level == LEVEL_LAN for i in group):
            continue
        regions = {entries[i].esf_region for i in group}
        if len(regions) != 1:
            continue
        region = gazetteer.esf_region_by_name(regions.pop() or "")
        if region is None:
            continue
        start, end = facts[group[0]].start, facts[group[-1]].end
        entry = PlaceEntry(LEVEL_ESF_REGION, region.name, region.nuts2, None, region.name)
        fact = _fact(text, start, end, entry, 0.75)
        fact.attrs["derived_from"] = [facts[i].value for i in group]
        fact.attrs["complete"] = {entries[i].code for i in group} == set(region.lan_codes)
        derived.append(fact)
    return derived


def extract(text: str, ctx: ExtractContext) -> list[Fact]:
    facts: list[Fact] = []
    entries: list[PlaceEntry] = []
    surfaces = _surfaces()
    for m in _pattern().finditer(text):
        form = m.group(0)
        entry = surfaces[form]
        confidence = 0.9
        base = form if form[1:].islower() or not form.isupper() else form.title()
        bare = re.sub(r"s$", "", base)
        if entry.level == LEVEL_KOMMUN and (base in AMBIGUOUS or bare in AMBIGUOUS):
            before = text[max(0, m.start() - 20) : m.start()]
            after = text[m.end() : m.end() + 10]
            listed = bool(facts) and bool(_LIST_SEPARATOR.match(text[facts[-1].end : m.start()]))
            if not (_LOCATIVE.search(before) or _ORG_SUFFIX.match(after) or listed):
                continue
            confidence = 0.7
        if entry.level in (LEVEL_KOMMUN, LEVEL_LOCALITY) and _preceded_by_first_name(
            text, m.start()
        ):
            continue
        if entry.level == LEVEL_KOMMUN and text[max(0, m.start() - 7) : m.start()] == "Region ":
            as_lan = _as_lan(entry)  # "Region Uppsala" is the län's region
            if as_lan is not None:
                entry = as_lan
        if form.isupper() and entry.level != LEVEL_ESF_REGION:
            confidence = min(confidence, 0.8)
        facts.append(_fact(text, m.start(), m.end(), entry, confidence))
        entries.append(entry)
    facts.extend(_derived_regions(text, facts, entries))
    facts.sort(key=lambda f: (f.start, f.end))
    return facts
