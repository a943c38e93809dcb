"""The eight ESF regions and their NUTS-2 codes.

Source: /work/shared/DOMAIN.md §2 (the ESF-rådet regional offices and the NUTS 2016
classification of Sweden, SE11–SE33). National projects carry the region "ESF Nationellt"
and no NUTS-2 code (they are not regional; their "SE0" is a NUTS-1 code).
"""

from __future__ import annotations

import re
import unicodedata

NATIONAL_REGION = "ESF Nationellt"

# Canonical ESF region name → NUTS-2 code.
REGION_NUTS2: dict[str, str] = {
    "Övre Norrland": "SE33",
    "Mellersta Norrland": "SE32",
    "Norra Mellansverige": "SE31",
    "Stockholm": "SE11",
    "Östra Mellansverige": "SE12",
    "Småland och Öarna": "SE21",
    "Sydsverige": "SE22",
    "Västsverige": "SE23",
}
NUTS2_REGION: dict[str, str] = {code: name for name, code in REGION_NUTS2.items()}

# Spellings seen for the same regions (folded keys, see `_key`) → canonical name.
_ALIASES: dict[str, str] = {
    "smalandoarna": "Småland och Öarna",
    "smalandochoarna": "Småland och Öarna",
    "smalandmedoarna": "Småland och Öarna",
    "esfnationellt": NATIONAL_REGION,
    "nationellt": NATIONAL_REGION,
    "nationell": NATIONAL_REGION,
    "helalandet": NATIONAL_REGION,
    "esfstockholm": "Stockholm",
    "stockholmsregionen": "Stockholm",
}


def _key(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed.casefold() if c.isalnum())


_KEYS: dict[str, str] = {_key(name): name for name in REGION_NUTS2} | _ALIASES


def canonical_region(text: str) -> str | None:
    """The canonical ESF region for a spelling ("Småland & Öarna" → "Småland och Öarna")."""
    key = _key(text)
    if key.startswith("esf") and key not in _KEYS:
        key = key[3:]
    if key.startswith("region") and key not in _KEYS:
        key = key[6:]
    return _KEYS.get(key)


def nuts2_for_region(region: str) -> str | None:
    """The NUTS-2 code of a canonical region; None for national and unknown regions."""
    return REGION_NUTS2.get(region)


def canonical_nuts2(text: str) -> str | None:
    """``"se 31"`` → ``"SE31"`` when it is one of the eight ESF NUTS-2 codes, else None."""
    code = re.sub(r"[\s\u00a0\u202f-]", "", text).upper()
    return code if code in NUTS2_REGION else None
