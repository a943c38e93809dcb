"""Counts of participants and organisations: ``"1260 deltagare"``, ``"tolv samordningsförbunden"``.

Value is the number; ``attrs.what`` is the counted noun in its base form
(``samordningsförbund``, ``kommun``, ``län``, ``region``, ``deltagare``, ``spår`` …),
compounds keep their first part ("tolv samordningsförbund" → ``samordningsförbund``, "12
förbund" → ``förbund``). Numbers may be digits or words 2–99; "en"/"ett" are read as
articles and skipped. "ett tiotal" ≈ 10 and "ett 40-tal" ≈ 40 are approximate;
"hundratals" gives 100 with ``attrs.lower_bound``.
"""

from __future__ import annotations

import re

from projektatlas.extract.base import ExtractContext
from projektatlas.extract.numbers import (
    APPROX_GROUPS,
    APPROX_WORD_FAST,
    AT_LEAST_GROUPS,
    NUMBER_WORD_FAST,
    NUMERAL,
    approximation,
    parse_numeral,
)
from projektatlas.extract.prefilter import fast
from projektatlas.model import Fact

NAME = "counts"
VERSION = "1.0"

# Head noun → (base form, allowed endings). A compound's first part is kept in `what`.
HEADS: dict[str, tuple[str, tuple[str, ...]]] = {
    "deltagar": ("deltagare", ("e", "en", "na")),
    "förbund": ("förbund", ("", "en", "et")),
    "kommun": ("kommun", ("", "er", "erna")),
    "län": ("län", ("", "en")),
    "region": ("region", ("", "er", "erna")),
    "projekt": ("projekt", ("", "en")),
    "spår": ("spår", ("", "en")),
    "organisation": ("organisation", ("er", "erna")),
    "myndighet": ("myndighet", ("er", "erna")),
    "person": ("person", ("er", "erna")),
    "individ": ("individ", ("er", "erna")),
    "ungdom": ("ungdom", ("ar", "arna")),
    "unga": ("unga", ("",)),
    "kvinn": ("kvinna", ("or", "orna")),
    "män": ("man", ("", "nen")),
    "arbetsgivar": ("arbetsgivare", ("e", "en", "na")),
    "företag": ("företag", ("", "en")),
    "insats": ("insats", ("er", "erna")),
    "aktör": ("aktör", ("er", "erna")),
    "skol": ("skola", ("or", "orna")),
    "målgrupp": ("målgrupp", ("er", "erna")),
    "medarbetar": ("medarbetare", ("e", "en", "na")),
    "anställda": ("anställd", ("",)),
    "elev": ("elev", ("er", "erna")),
    "familj": ("familj", ("er", "erna")),
    "barn": ("barn", ("", "en")),
    "nyanlända": ("nyanländ", ("",)),
    "samordningsförbund": ("samordningsförbund", ("", "en", "et")),
    "delprojekt": ("delprojekt", ("", "en")),
    "verksamhet": ("verksamhet", ("er", "erna")),
    "partner": ("partner", ("", "s", "na")),
    "part": ("part", ("er", "erna")),
    "stadsdel": ("stadsdel", ("ar", "arna")),
    "team": ("team", ("", "en")),
    "programområde": ("programområde", ("n", "na")),
    "delmål": ("delmål", ("", "en")),
    "utbildning": ("utbildning", ("ar", "arna")),
    "workshop": ("workshop", ("s", "ar")),
    "coach": ("coach", ("er", "erna")),
    "chef": ("chef", ("er", "erna")),
    "ansökning": ("ansökning", ("ar", "arna")),
    "nätverksträff": ("nätverksträff", ("ar", "arna")),
    "utlysning": ("utlysning", ("ar", "arna")),
    "möte": ("möte", ("n", "na")),
    "handläggar": ("handläggare", ("e", "en", "na")),
    "sjukskrivna": ("sjukskriven", ("",)),
    "arbetslösa": ("arbetslös", ("",)),
    "arbetssökande": ("arbetssökande", ("",)),
    "brukar": ("brukare", ("e", "en", "na")),
    "hushåll": ("hushåll", ("", "en")),
}
# Short heads that must stand alone, not end a longer word ("plan" is not "län").
_NO_COMPOUND = {"län", "män", "unga", "barn", "team", "spår", "part", "partner"}
# Adjectives allowed between number and noun: "tre olika län", "fem nya deltagare".
_BETWEEN = (
    r"(?:olika|nya|stora|små|medelstora|mindre|större|samverkande|berörda|deltagande|"
    r"ingående|medverkande|kommunala|regionala|statliga|lokala|unga|utrikesfödda|"
    r"nyanlända|arbetslösa|planerade|beviljade|inskrivna|aktiva|unika|pågående|avslutade|"
    r"av\s+de|av\s+våra|av\s+länets|av\s+regionens|av\s+Sveriges|av\s+landets|av\s+dessa|"
    r"[a-zåäö]+(?:ade|ede|dda|da|ta|na|iga|liga))"
)


def _noun_alt() -> str:
    parts = []
    for head, (_, endings) in sorted(HEADS.items(), key=lambda kv: -len(kv[0])):
        prefix = "" if head in _NO_COMPOUND else r"[a-zåäö]*?"
        ends = "|".join(sorted((re.escape(e) for e in endings), key=len, reverse=True))
        parts.append(rf"{prefix}{head}(?:{ends})")
    return "|".join(parts)


_NUMBER = (
    rf"(?P<num>{NUMERAL}|\b{NUMBER_WORD_FAST}\b)"
    rf"|(?P<group>\bett\s+(?:{'|'.join(APPROX_GROUPS)})"
    r"|\b(?:tiotals|hundratals|tusentals)|\bett\s+(?P<tal>\d+)-tal)"
)
_PATTERN = re.compile(
    rf"(?:(?P<approx>{APPROX_WORD_FAST})\s+)?(?:{_NUMBER})"
    rf"(?:\s+{_BETWEEN})?\s+(?P<noun>{_noun_alt()})\b",
    re.IGNORECASE,
)


_RATIO_BEFORE = re.compile(rf"(?:\d+|\b{NUMBER_WORD_FAST})\s+av\s+$", re.IGNORECASE)


# "Antal deltagare … är drygt 72 700", "Antal beviljade projekt uppgår till 288".
_ANTAL = re.compile(
    rf"\bantal(?:et)?\s+(?:\w+\s+){{0,2}}?(?P<noun>{_noun_alt()})\b[^.!?:\n]{{0,60}}?"
    r"\b(?:är|var|uppgår till|uppgick till|blev|landade på|ligger på)\s+"
    rf"(?:(?P<approx>{APPROX_WORD_FAST})\s+)?(?P<num>{NUMERAL})(?!\s*(?:%|procent|kr\b|kronor|miljon|miljard))",
    re.IGNORECASE,
)


def lemma(noun: str) -> str:
    """Base form of a counted noun: ``"samordningsförbunden"`` → ``"samordningsförbund"``."""
    w = noun.lower()
    for head, (base, endings) in sorted(HEADS.items(), key=lambda kv: -len(kv[0])):
        for ending in sorted(endings, key=len, reverse=True):
            stem = head + ending
            if w.endswith(stem) and (head not in _NO_COMPOUND or w == stem):
                return w[: len(w) - len(stem)] + base
    return w


def extract(text: str, ctx: ExtractContext) -> list[Fact]:
    """Every count of people, organisations or activities in ``text``."""
    facts: list[Fact] = []
    for m in _PATTERN.finditer(text):
        if _RATIO_BEFORE.search(text, max(0, m.start() - 25), m.start()):
            continue  # "tre av fyra deltagare" is a ratio, not a count
        attrs: dict[str, object] = approximation(m.group("approx"))
        if m.group("num"):
            raw = m.group("num")
            if raw.lower() in {"en", "ett"}:
                continue
            value = parse_numeral(raw)
            if value is None or (isinstance(value, float) and not value.is_integer()):
                continue
            if re.fullmatch(r"(?:19|20)\d{2}", raw) and lemma(m.group("noun")) != "deltagare":
                continue  # "2023 kommuner": a year before a noun is rarely a count
        else:
            group = " ".join(m.group("group").lower().split())
            if m.group("tal"):
                value = int(m.group("tal"))
                attrs.update({"approximate": True})
            elif group in AT_LEAST_GROUPS:
                value = AT_LEAST_GROUPS[group]
                attrs.update({"lower_bound": True, "approximate": True})
            else:
                value = APPROX_GROUPS[group.split()[-1]]
                attrs.update({"approximate": True})
        attrs["what"] = lemma(m.group("noun"))
        facts.append(_fact(m, int(value), attrs))
    for m in _ANTAL.finditer(text):
        value = parse_numeral(m.group("num"))
        if value is None or any(f.start < m.end() and m.start() < f.end for f in facts):
            continue
        attrs = approximation(m.group("approx"))
        attrs["what"] = lemma(m.group("noun"))
        facts.append(_fact(m, int(value), attrs))
    return sorted(facts, key=lambda f: f.start)


def _fact(m: re.Match[str], value: int, attrs: dict[str, object]) -> Fact:
    return Fact(
        type="count",
        text=m.group(0),
        value=value,
        start=m.start(),
        end=m.end(),
        confidence=0.85 if attrs.get("approximate") else 0.9,
        extractor=NAME,
        extractor_version=VERSION,
        attrs=attrs,
    )


# Speed only (see prefilter.py): literal pre-checks and equivalent faster forms;
# every match, span and group stays the same.
_PATTERN = fast(_PATTERN)
_ANTAL = fast(_ANTAL)
