"""Comparison keys for organisation and project names, shared by the store and the benchmark.

`org_key` folds case, punctuation, department suffixes and the abbreviations of
samordningsförbund ("Sf X", "Finsam X", "Samordningsförbundet i X") to one key;
`near_duplicate_keys` finds keys one typing error apart (symmetric-delete blocking, then an
optimal-string-alignment distance check), never pairing two real kommuner.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from functools import cache, lru_cache

from rapidfuzz.distance import OSA

_SF_PREFIX = re.compile(
    r"^(?:sf|finsam|samordningsförbundet|samordningsforbundet|samordningsförbund)\s+(?:i\s+)?"
)
_KIND_WORDS = re.compile(
    r"\b(?:kommun|stad|region|landsting|samordningsförbundet|ab|aktiebolag|ek för|"
    r"ekonomisk förening|stiftelsen|föreningen|förening)\b"
)
_SUCCESSOR = re.compile(
    r"(?:\s+|\s*[-–:]\s*)(?:[23](?:\.| )0|ii|iii|iv|steg (?:2|3|två|tre)|fas (?:2|3|två|tre)|"
    r"del (?:2|3|två|tre)|fortsättning|forts)$"
)
_FUZZY_MIN_DISTINCT = 5


_NOT_KEY_CHARS = re.compile(r"[^\w&-]+")


def name_key(name: str) -> str:
    """NFC, case-folded, punctuation and extra spaces removed.

    One pass: every run of characters other than word characters, "&" and "-" (punctuation,
    whitespace, dashes such as "–") becomes one space.
    """
    name = unicodedata.normalize("NFC", name).casefold()
    return _NOT_KEY_CHARS.sub(" ", name).strip()


@lru_cache(maxsize=262_144)
def org_key(name: str) -> str:
    """The organisation's comparison key: its first comma part, abbreviations expanded."""
    parent = name.split(",", 1)[0]
    key = name_key(parent)
    match = _SF_PREFIX.match(key)
    if match and len(key) > match.end():
        rest = re.sub(r"\bi\b", " ", key[match.end() :])
        key = "samordningsförbundet " + re.sub(r"\s+", " ", rest).strip()
    return key


def distinctive(key: str) -> str:
    """The part of an organisation key that is not a kind word ("karlstads" of a kommun)."""
    return re.sub(r"\s+", " ", _KIND_WORDS.sub(" ", key)).strip()


@cache
def known_distinct_keys() -> frozenset[str]:
    """Keys of real organisations that are distinct however close they are spelled."""
    from projektatlas.extract.gazetteer import kommuner, lan_list

    keys = {org_key(k.org_name) for k in kommuner()}
    keys |= {org_key(lan.region_org) for lan in lan_list()}
    return frozenset(keys)


@lru_cache(maxsize=262_144)
def project_name_key(name: str | None) -> str:
    """A project name compared case- and punctuation-insensitively."""
    if not name:
        return ""
    key = name_key(name).replace("-", " ")
    return re.sub(r"\s+", " ", key).strip()


def successor_base(name_key_: str) -> str | None:
    """The predecessor's name key when the name ends in a successor marker ("X 2.0")."""
    match = _SUCCESSOR.search(name_key_)
    if not match or match.start() == 0:
        return None
    return name_key_[: match.start()].strip() or None


def _deletes(key: str) -> Iterable[str]:
    yield key
    for i in range(len(key)):
        yield key[:i] + key[i + 1 :]


def near_duplicate_keys(keys: Iterable[str]) -> list[tuple[str, str]]:
    """Pairs of distinct keys one edit (insert, delete, replace, swap) apart.

    Pairs where the distinctive part is short, or both keys are real, different
    organisations (two kommuner), are left out.
    """
    known = known_distinct_keys()
    buckets: dict[str, list[str]] = defaultdict(list)
    for key in set(keys):
        if len(distinctive(key)) < _FUZZY_MIN_DISTINCT:
            continue
        for variant in _deletes(key):
            buckets[variant].append(key)
    pairs: set[tuple[str, str]] = set()
    for members in buckets.values():
        if len(members) < 2:
            continue
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                if a == b or (a in known and b in known):
                    continue
                if OSA.distance(a, b) <= 1:
                    pairs.add((a, b) if a < b else (b, a))
    return sorted(pairs)
