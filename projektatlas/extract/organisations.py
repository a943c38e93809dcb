"""Organisations: national bodies, kommuner, regions, länsstyrelser, samordningsförbund,
folkhögskolor, companies, and groups of samordningsförbund.

``value`` is the canonical name; ``attrs['kind']`` is one of kommun, region, authority,
association, idéburen, studieförbund, programme, council, samordningsförbund, school,
company. ``attrs['org_number']`` is set when the gazetteer knows it or the text states a
valid number next to the name. A group ("Samordningsförbunden i Dalarna, Värmland och
Gävleborg") gives one fact per member; unknown members are named per län and carry
``attrs['members_known'] = False``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from projektatlas.extract import gazetteer
from projektatlas.extract.base import SENTENCE_WORDS, ExtractContext
from projektatlas.extract.prefilter import Guarded, fast
from projektatlas.model import Fact
from projektatlas.normalize import clean_spaces, natural_case, normalise_org_number

NAME = "organisations"
VERSION = "1.0"

_W = "A-Za-zÅÄÖåäöÉéÜü0-9_"
_CAP = r"[A-ZÅÄÖÉ][\wÅÄÖåäöé\-]*"
_ESF_REGION_NAMES = tuple(r.name for r in gazetteer.esf_regions())


@dataclass(slots=True)
class _Cand:
    start: int
    end: int
    value: str
    kind: str
    confidence: float
    attrs: dict[str, Any] = field(default_factory=dict)


def _alias_regex(alias: str) -> str:
    if alias.replace("+", "").replace("-", "").isupper():
        return re.escape(alias)
    return re.escape(alias[0]) + "(?i:" + re.escape(alias[1:]) + ")"


@cache
def _national_pattern() -> tuple[Guarded, dict[str, gazetteer.Organisation]]:
    by_alias: dict[str, gazetteer.Organisation] = {}
    for org in gazetteer.organisations():
        for alias in (org.name, *org.aliases):
            by_alias[alias.casefold()] = org
    aliases = sorted(
        {a for o in gazetteer.organisations() for a in (o.name, *o.aliases)}, key=len, reverse=True
    )
    alternation = "|".join(_alias_regex(a) for a in aliases)
    pattern = fast(re.compile(rf"(?<![{_W}\-])(?P<name>{alternation})(?::s|s)?(?![{_W}+]|-[{_W}])"))
    return pattern, by_alias


def _national(text: str) -> list[_Cand]:
    pattern, by_alias = _national_pattern()
    out = []
    for m in pattern.finditer(text):
        name = m.group("name")
        org = by_alias.get(name.casefold())
        if org is None:
            continue
        if name == "ESF" and text[m.end() : m.end() + 1] == " ":
            following = text[m.end() + 1 : m.end() + 30]
            if following.startswith(_ESF_REGION_NAMES + ("Nationellt",)):
                continue
        attrs: dict[str, Any] = {"kind": org.kind}
        if org.org_number:
            attrs["org_number"] = org.org_number
        if name in org.former_names:
            attrs["former_name"] = name
        conf = 0.9 if len(name) > 3 else 0.8
        out.append(_Cand(m.start(), m.start() + len(m.group(0)), org.name, org.kind, conf, attrs))
    return out


_KOMMUN_ORG = re.compile(
    rf"(?<![{_W}\-])(?P<name>{_CAP}(?:[ ]{_CAP})?)[ ](?:kommun|stad|Stad|KOMMUN|STAD)(?:s|S)?(?![{_W}])"
)


def _kommun_orgs(text: str) -> list[_Cand]:
    out = []
    for m in _KOMMUN_ORG.finditer(text):
        name = m.group("name")
        start = m.start("name")
        written = re.sub(r"(?<=[a-zåäöA-ZÅÄÖ])[sS]$", "", m.group(0))  # "Nässjö kommuns"
        kommun = gazetteer.kommun_by_name(written)
        if kommun is None and " " in name:
            start = m.start("name") + name.index(" ") + 1
            kommun = gazetteer.kommun_by_name(re.sub(r"[sS]$", "", text[start : m.end()]))
        if kommun is None:
            continue
        attrs: dict[str, Any] = {"kind": "kommun", "kommun_code": kommun.code}
        if kommun.org_number:
            attrs["org_number"] = kommun.org_number
        out.append(_Cand(start, m.end(), kommun.org_name, "kommun", 0.9, attrs))
    return out


_REGION_ORG = re.compile(
    rf"(?<![{_W}\-])(?:Region|REGION)[ ](?P<rest>{_CAP}(?:[ ]{_CAP})?(?:[ ]län)?)|Västra Götalandsregionen"
)


def _region_orgs(text: str) -> list[_Cand]:
    out = []
    for m in _REGION_ORG.finditer(text):
        candidates = [m.group(0)]
        rest = m.group("rest")
        if rest:
            words = rest.split(" ")
            candidates = [f"Region {' '.join(words[:n])}" for n in range(len(words), 0, -1)]
        for cand in candidates:
            lan = gazetteer.region_org_by_name(cand)
            if lan is not None:
                end = m.start() + len(cand)
                attrs = {"kind": "region", "lan_code": lan.code}
                out.append(_Cand(m.start(), end, lan.region_org, "region", 0.9, attrs))
                break
    return out


_LANDSTING = re.compile(
    rf"(?:Landstinget[ ]i[ ](?P<lan1>{_CAP}(?:[ ]{_CAP})?(?:[ ]län)?)"
    rf"|(?<![{_W}\-])(?P<lan2>{_CAP}(?:[ ]{_CAP})?)[ ]läns[ ]landsting|Landstinget[ ](?P<lan3>{_CAP}(?:[ ]{_CAP})?))"
)


def _landsting(text: str) -> list[_Cand]:
    """Pre-2019 names of the regions: "Landstinget i Värmland", "Norrbottens läns landsting"."""
    out = []
    for m in _LANDSTING.finditer(text):
        group = next(g for g in ("lan1", "lan2", "lan3") if m.group(g))
        words = m.group(group).split(" ")
        for n in range(len(words), 0, -1):
            cand = " ".join(words[:n])
            lan = gazetteer.lan_by_name(cand if group != "lan2" else f"{cand} län")
            if lan is None:
                continue
            end = m.end() if group == "lan2" else m.start(group) + len(cand)
            attrs = {"kind": "region", "lan_code": lan.code, "former_name": text[m.start() : end]}
            out.append(_Cand(m.start(), end, lan.region_org, "region", 0.85, attrs))
            break
    return out


_LANSSTYRELSE = re.compile(
    rf"Länsstyrelsen(?:s)?(?:[ ]i)?[ ](?P<lan>{_CAP}(?:[ ]{_CAP})?(?:[ ]län)?)"
)


def _lansstyrelser(text: str) -> list[_Cand]:
    out = []
    for m in _LANSSTYRELSE.finditer(text):
        words = m.group("lan").split(" ")
        for n in range(len(words), 0, -1):
            cand = " ".join(words[:n])
            lan = gazetteer.lan_by_name(cand)
            if lan is not None:
                end = m.start("lan") + len(cand)
                attrs = {"kind": "authority", "lan_code": lan.code}
                out.append(
                    _Cand(m.start(), end, f"Länsstyrelsen i {lan.name}", "authority", 0.9, attrs)
                )
                break
    return out


_FORBUND = re.compile(
    rf"(?P<head>[Ss]amordningsförbundet|SAMORDNINGSFÖRBUNDET)[ ]+(?P<name>(?:i[ ])?{_CAP}(?:[ ]+(?:{_CAP}|i|och))*)"
)


def _forbund(text: str) -> list[_Cand]:
    out = []
    for m in _FORBUND.finditer(text):
        name = re.sub(r"(?:[ ]+(?:i|och))+$", "", m.group("name"))
        end = m.start("name") + len(name)
        known = gazetteer.samordningsforbund_by_name(name)
        # shorten "Samordningsförbundet RAR Sörmland Söker" style run-ons to a known name
        if known is None:
            words = name.split(" ")
            for n in range(len(words) - 1, 0, -1):
                known = gazetteer.samordningsforbund_by_name(" ".join(words[:n]))
                if known is not None:
                    end = m.start("name") + len(" ".join(words[:n]))
                    break
        if known is not None:
            value, conf = known.name, 0.9
            attrs: dict[str, Any] = {"kind": "samordningsförbund", "known": True}
        else:
            value, conf = (
                f"Samordningsförbundet {natural_case(name) if name.isupper() else name}",
                0.75,
            )
            attrs = {"kind": "samordningsförbund", "known": False}
        out.append(_Cand(m.start(), end, value, "samordningsförbund", conf, attrs))
    # known multi-word aliases on their own ("RAR Sörmland")
    for f in gazetteer.samordningsforbund():
        if not f.verified:
            continue
        for alias in f.aliases:
            if " " not in alias:
                continue
            for m in re.finditer(rf"(?<![{_W}]){re.escape(alias)}(?![{_W}])", text):
                out.append(
                    _Cand(
                        m.start(),
                        m.end(),
                        f.name,
                        "samordningsförbund",
                        0.8,
                        {"kind": "samordningsförbund", "known": True},
                    )
                )
    return out


_GROUP = re.compile(
    rf"(?P<all>[Ss]amordningsförbund(?:en)?[ ](?:i|inom)[ ]"
    rf"(?P<list>{_CAP}(?:[ ]{_CAP})?(?:(?:,[ ]|[ ]och[ ]|[ ]samt[ ]){_CAP}(?:[ ]{_CAP})?)*(?:[ ]län)?))"
)


def _groups(text: str) -> list[_Cand]:
    out = []
    for m in _GROUP.finditer(text):
        items = re.split(r",[ ]|[ ]och[ ]|[ ]samt[ ]", m.group("list"))
        lans: list[gazetteer.Lan] = []
        used = 0
        for item in items:
            item = re.sub(r"[ ]län$", "", item)
            lan = gazetteer.lan_by_name(item)
            region = gazetteer.esf_region_by_name(item) if lan is None else None
            if lan is None and region is None:
                break
            used += 1
            if lan is not None:
                lans.append(lan)
            elif region is not None:
                lans.extend(x for c in region.lan_codes if (x := gazetteer.lan_by_code(c)))
        if not lans:
            continue
        # span: up to the last resolved item
        group_text = m.group("all")
        if used < len(items):
            last = items[used - 1]
            group_text = group_text[: group_text.rindex(last) + len(last)]
        start, end = m.start(), m.start() + len(group_text)
        codes = {lan.code for lan in lans}
        for lan in lans:
            members = [
                f for f in gazetteer.samordningsforbund() if lan.code in f.lan_codes and f.verified
            ]
            base = {"kind": "samordningsförbund", "group": group_text, "lan_code": lan.code,
                    "group_lan_codes": sorted(codes)}  # fmt: skip
            for f in members:
                out.append(_Cand(start, end, f.name, "samordningsförbund", 0.7,
                                 {**base, "members_known": True}))  # fmt: skip
            # the list of förbund is partial: the rest of the län stays a named group
            out.append(_Cand(start, end, f"Samordningsförbunden i {lan.name}",
                             "samordningsförbund", 0.7, {**base, "members_known": False}))  # fmt: skip
    return out


_SCHOOL = re.compile(
    rf"(?<![{_W}\-])(?P<name>(?:{_CAP}[ ]){{1,3}})folkhögskola(?![{_W}])|Folkhögskolan[ ](?P<name2>{_CAP}(?:[ ]{_CAP})?)"
)
_COMPANY = re.compile(
    rf"(?<![{_W}])(?P<name>(?:{_CAP}(?:[ ]&)?[ ]){{1,3}})(?:AB|Aktiebolag)(?![{_W}])"
)
_KOMMUNFORBUND = re.compile(rf"Kommunförbundet(?:[ ](?:{_CAP}|län))*")
_NOT_NAME_START = SENTENCE_WORDS | frozenset(
    [
        "I",
        "På",
        "Om",
        "En",
        "Ett",
        "Projektet",
    ]
)


def _other(text: str) -> list[_Cand]:
    out = []
    for m in _SCHOOL.finditer(text):
        name = (m.group("name") or "").strip()
        words = name.split(" ")
        while words and words[0] in _NOT_NAME_START:
            words.pop(0)
        if m.group("name2"):
            out.append(_Cand(m.start(), m.end(), m.group(0), "school", 0.8, {"kind": "school"}))
        elif words:
            start = m.end() - len(" ".join(words)) - len(" folkhögskola")
            value = f"{' '.join(words)} folkhögskola"
            out.append(_Cand(start, m.end(), value, "school", 0.8, {"kind": "school"}))
    for m in _COMPANY.finditer(text):
        words = m.group("name").strip().split(" ")
        at_sentence_start = re.search(r"(?:^|[.!?:]\s+|\n\s*)$", text[: m.start()]) is not None
        while words and words[0] in _NOT_NAME_START:
            words.pop(0)
            at_sentence_start = False
        if at_sentence_start and len(words) > 1 and _common_word(words[0]):
            words.pop(0)
        if not words:
            continue
        name = " ".join(words)
        if len(words) >= 2 and words[0] in gazetteer.first_names():
            continue  # "Anna Svensson AB" names a person: personal data stays in `personal`
        start = m.end() - len(m.group(0)) + m.group(0).index(name)
        value = clean_spaces(text[start : m.end()])
        out.append(_Cand(start, m.end(), value, "company", 0.7, {"kind": "company"}))
    for m in _KOMMUNFORBUND.finditer(text):
        out.append(
            _Cand(m.start(), m.end(), m.group(0), "association", 0.6, {"kind": "association"})
        )
    return out


@cache
def _common_word(word: str) -> bool:
    """A frequent Swedish word ("Bolaget", "Företaget") that does not start a company name."""
    from wordfreq import zipf_frequency

    return zipf_frequency(word.lower(), "sv") >= 3.5


_ORG_NUMBER = re.compile(r"(?<![\d-])(?:16)?\d{6}-?\d{4}(?![\d-])")


def _attach_org_numbers(text: str, cands: list[_Cand]) -> None:
    for m in _ORG_NUMBER.finditer(text):
        number = normalise_org_number(m.group(0))
        if number is None:
            continue
        near = [c for c in cands if "group" not in c.attrs]
        if not near:
            continue
        best = min(near, key=lambda c: min(abs(c.start - m.end()), abs(m.start() - c.end)))
        if min(abs(best.start - m.end()), abs(m.start() - best.end)) > 80:
            continue
        best.attrs["org_number"] = number
        best.attrs["org_number_span"] = [m.start(), m.end()]


def _resolve(cands: list[_Cand]) -> list[_Cand]:
    """Drop candidates inside a longer one (groups are kept as they are)."""
    singles = sorted(
        (c for c in cands if "group" not in c.attrs),
        key=lambda c: (-(c.end - c.start), -c.confidence, c.start),
    )
    kept: list[_Cand] = []
    for c in singles:
        if any(k.start <= c.start and c.end <= k.end for k in kept):
            continue
        if any(c.start < k.end and k.start < c.end for k in kept):
            continue
        kept.append(c)
    groups = [c for c in cands if "group" in c.attrs]
    kept = [c for c in kept if not any(g.start <= c.start and c.end <= g.end for g in groups)]
    return kept + groups


def extract(text: str, ctx: ExtractContext) -> list[Fact]:
    cands = (
        _national(text)
        + _kommun_orgs(text)
        + _region_orgs(text)
        + _lansstyrelser(text)
        + _landsting(text)
        + _forbund(text)
        + _groups(text)
        + _other(text)
    )
    cands = _resolve(cands)
    _attach_org_numbers(text, cands)
    facts = [
        Fact(
            type="organisation",
            text=text[c.start : c.end],
            value=c.value,
            start=c.start,
            end=c.end,
            confidence=c.confidence,
            extractor=NAME,
            extractor_version=VERSION,
            attrs=c.attrs,
        )
        for c in cands
    ]
    facts.sort(key=lambda f: (f.start, f.end, str(f.value)))
    return facts


# Speed only (see prefilter.py): literal pre-checks and equivalent faster forms;
# every match, span and group stays the same.
_KOMMUN_ORG = fast(_KOMMUN_ORG)
_REGION_ORG = fast(_REGION_ORG)
_LANDSTING = fast(_LANDSTING)
_LANSSTYRELSE = fast(_LANSSTYRELSE)
_FORBUND = fast(_FORBUND)
_GROUP = fast(_GROUP)
_SCHOOL = fast(_SCHOOL)
_COMPANY = fast(_COMPANY)
_KOMMUNFORBUND = fast(_KOMMUNFORBUND)
_ORG_NUMBER = fast(_ORG_NUMBER)
