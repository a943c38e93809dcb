"""Personal data: person names (``person``), e-mail addresses (``email``), phone numbers
(``phone``). Every fact here is personal (``Fact.personal``) and must be handled as such.

Person names need evidence: a role word before or after the name ("projektledare Anna
Åhman", "Carina Cannertoft, projektledare på SKL"), a speech verb ("berättar X"), a label
("Kontaktperson:"), a caption ("Från vänster, X och Y"), or a known first name (weakest).
Candidates made of place or organisation names are rejected. ``attrs['role']`` and
``attrs['evidence']`` tell why; confidence follows the evidence.
"""

from __future__ import annotations

import re
from functools import cache

from projektatlas.extract import gazetteer
from projektatlas.extract.base import SENTENCE_WORDS, ExtractContext
from projektatlas.extract.prefilter import fast
from projektatlas.model import Fact

NAME = "personal"
VERSION = "1.0"

_UP = "A-ZÅÄÖÉÈÜÁÍÓÚ"
_LOW = "a-zåäöéèüáíóúëñç"
_TOKEN = rf"[{_UP}][{_LOW}]+(?:-[{_UP}][{_LOW}]+)?"
_PARTICLE = r"(?:af|von|van|de|da|del|di|el|al)"
_NAME = rf"{_TOKEN}(?:[ ](?:{_PARTICLE}[ ])?{_TOKEN}){{1,3}}"

ROLES = [
    "projektledare",
    "projektledaren",
    "projektledarna",
    "projektledarens",
    "biträdande",
    "projektledare",
    "förbundschef",
    "förbundschefen",
    "förbundschefer",
    "kontaktperson",
    "kontaktpersonen",
    "samordnare",
    "samordnaren",
    "processledare",
    "processledaren",
    "verksamhetschef",
    "verksamhetschefen",
    "ordförande",
    "ordföranden",
    "handläggare",
    "handläggaren",
    "utvecklingsledare",
    "utvecklingsledaren",
    "koordinator",
    "koordinatorn",
    "projektmedarbetare",
    "projektmedarbetaren",
    "enhetschef",
    "enhetschefen",
    "projektkoordinator",
    "projektkoordinatorn",
    "strateg",
    "strategen",
    "utredare",
    "utredaren",
    "jobbcoach",
    "jobbcoachen",
    "coach",
    "coachen",
    "arbetskonsulent",
    "arbetskonsulenten",
    "kommunalråd",
    "kommunalrådet",
    "regionråd",
    "generaldirektör",
    "generaldirektören",
    "direktör",
    "direktören",
    "chef",
    "chefen",
    "projektägare",
    "handledare",
    "handledaren",
    "socialsekreterare",
    "lärare",
    "rektor",
    "rektorn",
    "analytiker",
    "utvärderare",
    "utvärderaren",
    "deltagare",
    "deltagaren",
    "ekonom",
    "ekonomen",
]
_ROLE = "|".join(sorted(set(ROLES), key=len, reverse=True))
_SPEECH = (
    "berättar|säger|sa|sade|menar|förklarar|konstaterar|understryker|tycker|avslutar|"
    "betonar|poängterar|framhåller|påpekar|fortsätter|svarar|skriver|hälsar|tillägger|enligt"
)
_SEP = r"(?:,[ ]|[ ]och[ ]|[ ]samt[ ])"

_PATTERNS: tuple[tuple[str, re.Pattern[str], float], ...] = (
    (
        "label",
        re.compile(
            rf"(?:Kontaktperson|Projektledare|Kontakt|Namn på kontaktperson|Ansvarig)"
            rf"(?:[ \t]*:[ \t]*\n?|[ \t]*\n)[ \t]*"
            rf"(?P<names>{_NAME})"
        ),
        0.95,
    ),
    (
        "role_before",
        re.compile(
            rf"(?<![{_LOW}{_UP}])(?i:{_ROLE})(?:[ ](?:på|för|i|vid)[ ][^,.\n]{{1,40}}?)?,?[ ]"
            rf"(?P<names>{_NAME}(?:{_SEP}{_NAME})*)"
        ),
        0.9,
    ),
    (
        "role_after",
        re.compile(
            rf"(?P<names>{_NAME}),[ ](?:(?:numera|tidigare|f\.d\.|före detta|nu|då|ny|nytillträdd|"
            rf"pensionerad|tillförordnad|tf\.?|biträdande)[ ])*(?i:{_ROLE})(?![{_LOW}])"
        ),
        0.9,
    ),
    (
        "role_is",
        re.compile(
            rf"(?P<names>{_NAME})[ ](?:är|blir|var|blev)[ ](?:(?:ny|nyanställd|tillförordnad|"
            rf"biträdande|sedan[ ]\d{{4}})[ ])?(?i:{_ROLE})(?![{_LOW}])"
        ),
        0.85,
    ),
    (
        "speech",
        re.compile(rf"(?:{_SPEECH})[ ](?P<names>{_NAME})"),
        0.85,
    ),
    (
        "caption",
        re.compile(
            rf"(?i:från vänster|fr\.?[ ]?v\.?|på bilden)[:,]?[ ](?P<names>{_NAME}(?:{_SEP}{_NAME})*)"
        ),
        0.9,
    ),
)
_FIRST_NAME_PAIR = re.compile(rf"(?<![{_LOW}{_UP}\-])(?P<names>{_NAME})(?![{_LOW}])")

_EMAIL = re.compile(
    r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![\w-])"
)
_PHONE = re.compile(
    r"(?<![\w+/-])(?:\+46[ -]?(?:\(0\)[ -]?)?|0046[ -]?|0)\d{1,3}(?:[ -]?\d){5,8}(?![\d-])"
)

# Words that start a capitalised run but are not first names.
_NOT_NAMES = SENTENCE_WORDS | frozenset(
    [
        "Region",
        "Kommun",
        "Samordningsförbundet",
        "Samordningsförbunden",
        "Projektet",
        "Projekt",
        "Förstudien",
        "Länsstyrelsen",
        "Europeiska",
        "Svenska",
        "Sveriges",
        "Nationella",
        "Arbetsförmedlingen",
        "Försäkringskassan",
        "Enligt",
        "Nu",
        "Socialfonden",
        "Programområde",
        "Utlysning",
        "Rapport",
        "Kontakt",
        "Läs",
        "Mer",
        "Fotnot",
        "Stor",
        "Bred",
    ]
)


@cache
def _blocked_tokens() -> frozenset[str]:
    """Capitalised words that name places or organisations, never a person's name part."""
    words: set[str] = set(_NOT_NAMES)
    for form in gazetteer.place_surfaces():
        words.update(form.split(" "))
    for org in gazetteer.organisations():
        for alias in (org.name, *org.aliases):
            words.update(w for w in alias.split(" ") if w[:1].isupper())
    # Place names that are common surnames stay usable as surnames.
    words -= {"Lund", "Berg", "Falkenberg", "Mark", "Nora", "Salem", "Boden", "Sala", "Ale"}
    return frozenset(words)


def _valid_name(name: str) -> bool:
    tokens = [t for t in name.split(" ") if t[:1].isupper()]
    if len(tokens) < 2:
        return False
    blocked = _blocked_tokens()
    first_is_place = tokens[0] in blocked and tokens[0] not in gazetteer.first_names()
    if first_is_place or tokens[0] in _NOT_NAMES or tokens[-1] in blocked:
        return False
    return not all(t in blocked for t in tokens)


@cache
def _common_word(word: str) -> bool:
    from wordfreq import zipf_frequency

    return zipf_frequency(word.lower(), "sv") >= 4.0 and word not in gazetteer.first_names()


def _trim_leading(start: int, name: str) -> tuple[int, str]:
    """Drop capitalised sentence words before a name: "Enligt Magnus Lund" → "Magnus Lund"."""
    while " " in name:
        first, rest = name.split(" ", 1)
        common = "-" not in first and " " in rest and _common_word(first)
        if first not in _NOT_NAMES and not common:
            break
        start += len(first) + 1
        name = rest
    return start, name


def _split_names(names: str, offset: int) -> list[tuple[int, int, str]]:
    out = []
    pos = 0
    for part in re.split(_SEP, names):
        idx = names.index(part, pos)
        pos = idx + len(part)
        start, name = _trim_leading(offset + idx, part)
        out.append((start, offset + idx + len(part), name))
    return out


def _fact(
    ftype: str, text: str, start: int, end: int, value: str, conf: float, attrs: dict
) -> Fact:
    return Fact(
        type=ftype,
        text=text[start:end],
        value=value,
        start=start,
        end=end,
        confidence=conf,
        extractor=NAME,
        extractor_version=VERSION,
        attrs={"personal": True, **attrs},
    )


def _role_of(match_text: str) -> str | None:
    m = re.search(rf"(?i)(?<![{_LOW}])({_ROLE})(?![{_LOW}])", match_text)
    return m.group(1).lower() if m else None


def _persons(text: str) -> list[Fact]:
    found: dict[tuple[int, int], Fact] = {}
    for evidence, pattern, conf in _PATTERNS:
        for m in pattern.finditer(text):
            names = m.group("names")
            if evidence == "role_after" and re.match(rf"[ ]{_NAME}", text[m.end() :]):
                continue  # "Bas Kalmar, projektledare Anna Åhman": the first is a project
            role = _role_of(m.group(0).replace(names, " ")) if evidence != "speech" else None
            for start, end, name in _split_names(names, m.start("names")):
                # a role before the list may be followed by an organisation name: trim it
                if not _valid_name(name):
                    continue
                first = name.split(" ")[0]
                c = min(0.98, conf + (0.03 if first in gazetteer.first_names() else 0.0))
                key = (start, end)
                if key in found and found[key].confidence >= c:
                    continue
                attrs = {"evidence": evidence}
                if role:
                    attrs["role"] = role
                found[key] = _fact("person", text, start, end, name, c, attrs)
    for m in _FIRST_NAME_PAIR.finditer(text):
        start, name = _trim_leading(m.start("names"), m.group("names"))
        end = m.end("names")
        first = name.split(" ")[0]
        if first not in gazetteer.first_names() or not _valid_name(name):
            continue
        if any(s < end and start < e for (s, e) in found):
            continue
        found[(start, end)] = _fact(
            "person", text, start, end, name, 0.6, {"evidence": "first_name"}
        )
    return list(found.values())


def _phone_value(raw: str) -> str:
    digits = re.sub(r"\D", "", raw)
    if raw.startswith("+46"):
        digits = digits[2:]
        digits = digits[1:] if digits.startswith("0") else digits
    elif digits.startswith("0046"):
        digits = digits[4:]
    else:
        digits = digits[1:]
    return "+46" + digits


def extract(text: str, ctx: ExtractContext) -> list[Fact]:
    facts = _persons(text)
    for m in _EMAIL.finditer(text):
        value = m.group(0).rstrip(".").lower()
        end = m.start() + len(m.group(0).rstrip("."))
        facts.append(_fact("email", text, m.start(), end, value, 0.98, {}))
    for m in _PHONE.finditer(text):
        digits = re.sub(r"\D", "", m.group(0))
        national = len(digits) - (2 if m.group(0).startswith("+46") else 0)
        if m.group(0).startswith("0046"):
            national = len(digits) - 4 + 1
        elif m.group(0).startswith("+46"):
            national = len(re.sub(r"\D", "", m.group(0)[3:].replace("(0)", ""))) + 1
        if not 8 <= national <= 11:
            continue
        facts.append(_fact("phone", text, m.start(), m.end(), _phone_value(m.group(0)), 0.9, {}))
    facts.sort(key=lambda f: (f.start, f.end))
    return facts


# Speed only (see prefilter.py): literal pre-checks and equivalent faster forms;
# every match, span and group stays the same.
_FIRST_NAME_PAIR = fast(_FIRST_NAME_PAIR)
_PHONE = fast(_PHONE)
_PATTERNS = tuple((evidence, fast(p), conf) for evidence, p, conf in _PATTERNS)
_EMAIL = fast(_EMAIL, lookahead=False)
