"""References to projects: diarienummer and project names in running text.

Diarienummer: ``23-001-S01`` (2021–2027) and ``2020/00701`` (2014–2020); dates and
fractions do not match (five digits after the slash are required). ``value`` is the
normalised number, ``attrs['kind'] = 'diarienummer'`` and ``attrs['period']``.

Project names (``attrs['kind'] = 'name'``): "projektet X" up to a verb or punctuation,
quoted names after "projekt"/"förstudie", bullet lines "• X, projektledare …", a record
title line "23-001-S01 - X", a "Namn:" record label, and "X är en förstudie/ett projekt".
"""

from __future__ import annotations

import re

from projektatlas.extract import gazetteer
from projektatlas.extract.base import ExtractContext
from projektatlas.extract.prefilter import fast
from projektatlas.model import PERIOD_2014_2020, PERIOD_2021_2027, Fact
from projektatlas.normalize import clean_spaces

NAME = "project_refs"
VERSION = "1.0"

_DNR_NEW = re.compile(r"(?<![\w/-])(\d{2})-(\d{3})-([Ss]\d{2})(?![\w-])")
_DNR_OLD = re.compile(r"(?<![\w/-])((?:19|20)\d{2})/(\d{5})(?![\w/])")
_DNR = rf"(?:{_DNR_NEW.pattern}|{_DNR_OLD.pattern})"

_UP = "A-ZÅÄÖÉ"
_STOP = frozenset(
    [
        "ska",
        "skall",
        "är",
        "var",
        "har",
        "hade",
        "vill",
        "kommer",
        "syftar",
        "med",
        "i",
        "på",
        "för",
        "till",
        "vid",
        "blev",
        "handlar",
        "riktar",
        "startar",
        "startade",
        "startas",
        "pågår",
        "pågick",
        "drivs",
        "drevs",
        "leds",
        "leddes",
        "finansieras",
        "innebär",
        "bidrar",
        "genomförs",
        "genomfördes",
        "får",
        "fick",
        "kan",
        "kunde",
        "avslutas",
        "avslutades",
        "men",
        "eller",
        "samt",
        "där",
        "när",
        "som",
        "inom",
        "under",
        "efter",
        "hos",
        "mot",
        "om",
        "från",
        "ut",
        "går",
        "gick",
        "gav",
        "ger",
        "visar",
        "visade",
        "också",
        "även",
        "nu",
        "redan",
        "sedan",
        "tillsammans",
        "via",
        "fokuserar",
        "arbetar",
        "arbetade",
        "jobbar",
        "erbjuder",
        "består",
        "bestod",
        "beviljades",
        "beviljats",
        "beviljas",
        "presenterades",
        "presenterar",
        "sina",
        "leder",
        "ledde",
        "driver",
        "drev",
        "sitt",
        "sin",
        "the",
    ]
)
_NOT_START = frozenset(
    [
        "Det",
        "Den",
        "De",
        "Detta",
        "Dessa",
        "Projektet",
        "Förstudien",
        "Syftet",
        "Målet",
        "Här",
        "Där",
        "Vi",
        "Man",
        "Han",
        "Hon",
        "Som",
        "Med",
        "Och",
        "Men",
        "I",
        "På",
        "För",
        "Till",
        "Från",
        "Under",
        "Efter",
        "Inom",
        "Om",
        "En",
        "Ett",
        "Samtliga",
        "Alla",
        "Flera",
        "Ambitionen",
    ]
)
_NAME_TOKEN = re.compile(r"[^\s,.;:!?()\[\]\"“”„«»]+")
_INTRO = re.compile(r"(?:[Pp]rojektet|[Ff]örstudien|(?<![\wåäöÅÄÖ])[Pp]rojekt|[Ss]atsningen)[ ]+")
_QUOTED = re.compile(
    r"(?:[Pp]rojekt(?:et)?|[Ff]örstudie(?:n)?|[Ss]atsning(?:en)?)[ ]+"
    r"(?:som heter[ ]|kallat[ ]|med namnet[ ])?"
    r"[\"“”„«»'](?P<name>[^\"“”„«»'\n]{2,80})[\"“”„«»']"
)
_BULLET = re.compile(
    r"^[ \t]*[•\-–*·][ \t]*(?P<name>[^,\n]{2,80}?),[ \t]*(?:projektledare|projektägare|kontaktperson|"
    r"projektledning|projektägaren|ägare)\b",
    re.MULTILINE,
)
_TITLE = re.compile(rf"^[ \t]*{_DNR}[ \t]+[-–][ \t]+(?P<name>[^\n]{{2,120}}?)[ \t]*$", re.MULTILINE)
_LABEL = re.compile(
    r"^[ \t]*(?:Namn|Projektnamn)[ \t]*:[ \t]*\n?[ \t]*(?P<name>[^\n]{2,120}?)[ \t]*$", re.MULTILINE
)
_IS_A = re.compile(
    rf"(?:^|(?<=[.!?][ ])|(?<=\n))(?P<name>[{_UP}][^\n.!?]{{2,70}}?)[ ]är[ ](?:en|ett)[ ]"
    r"(?:förstudie|projekt|genomförandeprojekt|ESF-projekt|socialfondsprojekt)\b",
    re.MULTILINE,
)


def _fact(text: str, start: int, end: int, value: str, conf: float, attrs: dict) -> Fact:
    return Fact(
        type="project_ref",
        text=text[start:end],
        value=value,
        start=start,
        end=end,
        confidence=conf,
        extractor=NAME,
        extractor_version=VERSION,
        attrs=attrs,
    )


def normalise_diarienummer(raw: str) -> str | None:
    """``23-001-s01`` → ``23-001-S01``; ``2020/00701`` stays; anything else → None."""
    raw = raw.strip()
    if m := _DNR_NEW.fullmatch(raw):
        return f"{m.group(1)}-{m.group(2)}-{m.group(3).upper()}"
    if _DNR_OLD.fullmatch(raw):
        return raw
    return None


def _diarienummer(text: str) -> list[Fact]:
    out = []
    for pattern, period in ((_DNR_NEW, PERIOD_2021_2027), (_DNR_OLD, PERIOD_2014_2020)):
        for m in pattern.finditer(text):
            value = normalise_diarienummer(m.group(0))
            if value:
                attrs = {"kind": "diarienummer", "period": period}
                out.append(_fact(text, m.start(), m.end(), value, 0.95, attrs))
    return out


def _looks_like_person(name: str) -> bool:
    """A known first name plus capitalised surname(s): personal data, never a project name."""
    tokens = name.split(" ")
    return (
        len(tokens) >= 2
        and tokens[0] in gazetteer.first_names()
        and tokens[1][:1].isupper()
        and tokens[1] not in _PREPOSITIONS
    )


def _is_org_or_place(name: str) -> bool:
    return bool(
        gazetteer.organisation_by_name(name)
        or gazetteer.kommun_by_name(name)
        or gazetteer.lan_by_name(name)
        or gazetteer.esf_region_by_name(name)
    )


_PREPOSITIONS = frozenset(
    ["med", "i", "på", "för", "till", "vid", "inom", "under", "efter", "hos", "mot", "om", "från"]
)


def _boundary_after(text: str, tokens: list[re.Match[str]], k: int) -> bool:
    """Token ``k`` is a verb/stop word, or there is no token ``k`` on the same clause."""
    if k >= len(tokens):
        return True
    gap = text[tokens[k - 1].end() : tokens[k].start()]
    if gap.strip(" –-") or "\n" in gap:
        return True
    word = tokens[k].group(0).lower()
    return word in _STOP and word not in _PREPOSITIONS


def _after_intro(text: str, pos: int) -> tuple[int, int] | None:
    """The name that starts at ``pos`` (after "projektet "), or None.

    It runs until punctuation or a verb/function word. A preposition stays in the name
    ("Stegvis mot arbete startade") only when one or two content words follow it and
    then the clause ends or a verb comes.
    """
    ahead = []
    for m in _NAME_TOKEN.finditer(text, pos):
        ahead.append(m)
        if len(ahead) >= 14:
            break
    tokens: list[re.Match[str]] = []
    i = 0
    while i < len(ahead) and len(tokens) < 8:
        m = ahead[i]
        gap = text[(tokens[-1].end() if tokens else pos) : m.start()]
        if gap.strip(" –-") or "\n" in gap:
            break
        word = m.group(0)
        lower = word.lower()
        if lower in _STOP and not (tokens and word[:1].isupper()):
            if not tokens or lower not in _PREPOSITIONS:
                break
            taken = 0
            for n in (1, 2):
                content = ahead[i + 1 : i + 1 + n]
                if (
                    len(content) == n
                    and all(c.group(0).lower() not in _STOP for c in content)
                    and _boundary_after(text, ahead, i + 1 + n)
                ):
                    taken = n
                    break
            if not taken:
                break
            tokens.extend(ahead[i : i + 1 + taken])
            i += 1 + taken
            break
        tokens.append(m)
        i += 1
    while tokens and tokens[-1].group(0).lower() in {"och", "–", "-", "ett", "en"}:
        tokens.pop()
    if not tokens:
        return None
    first = tokens[0].group(0)
    if not first[:1].isupper() or first in _NOT_START:
        return None
    return tokens[0].start(), tokens[-1].end()


def _names(text: str) -> list[Fact]:
    out = []
    for m in _INTRO.finditer(text):
        span = _after_intro(text, m.end())
        if span is None:
            continue
        name = clean_spaces(text[span[0] : span[1]])
        if _is_org_or_place(name) or _looks_like_person(name):
            continue
        out.append(_fact(text, *span, name, 0.75, {"kind": "name", "evidence": "intro"}))
    for pattern, evidence, conf in (
        (_QUOTED, "quoted", 0.85),
        (_BULLET, "bullet", 0.85),
        (_TITLE, "title", 0.9),
        (_IS_A, "is_a", 0.7),
    ):
        for m in pattern.finditer(text):
            start, end = m.span("name")
            name = clean_spaces(m.group("name")).strip(" -–")
            if (
                not name
                or name.split(" ")[0] in _NOT_START
                or _is_org_or_place(name)
                or _looks_like_person(name)
            ):
                continue
            if evidence == "is_a" and len(name.split(" ")) > 8:
                continue
            start = text.index(name.split(" ")[0], start)
            out.append(_fact(text, start, start + len(text[start:end].rstrip(" -–")), name, conf,
                             {"kind": "name", "evidence": evidence}))  # fmt: skip
    if re.search(r"^[ \t]*Diarienummer[ \t]*:", text, re.MULTILINE):
        for m in _LABEL.finditer(text):
            start, end = m.span("name")
            out.append(_fact(text, start, end, clean_spaces(m.group("name")), 0.95,
                             {"kind": "name", "evidence": "label"}))  # fmt: skip
    return out


def _dedupe(facts: list[Fact]) -> list[Fact]:
    best: dict[tuple[int, int, str], Fact] = {}
    for f in facts:
        key = (f.start, f.end, f.attrs.get("kind", ""))
        if key not in best or best[key].confidence < f.confidence:
            best[key] = f
    kept = sorted(best.values(), key=lambda f: (-(f.end - f.start), -f.confidence))
    out: list[Fact] = []
    for f in kept:
        if any(o.start <= f.start and f.end <= o.end and o.attrs.get("kind") == f.attrs.get("kind")
               for o in out):  # fmt: skip
            continue
        out.append(f)
    return out


def extract(text: str, ctx: ExtractContext) -> list[Fact]:
    facts = _dedupe(_diarienummer(text) + _names(text))
    facts.sort(key=lambda f: (f.start, f.end))
    return facts


# Speed only (see prefilter.py): literal pre-checks and equivalent faster forms;
# every match, span and group stays the same.
_DNR_NEW = fast(_DNR_NEW)
_DNR_OLD = fast(_DNR_OLD)
_INTRO = fast(_INTRO)
_QUOTED = fast(_QUOTED)
_BULLET = fast(_BULLET)
_TITLE = fast(_TITLE)
_IS_A = fast(_IS_A)
_LABEL = fast(_LABEL)
