"""Target groups named in the text, mapped to ``taxonomy/target_groups.json``.

Fact value is the taxonomy id (``"uvas"``, ``"nyanlanda"``, ``"utrikesfodda_kvinnor"``,
``"psykisk_ohalsa"`` …); ``attrs`` has ``label_sv`` and ``label_en``. A combined mention
("nyanlända med kort utbildning") gives one fact per group, each naming the other in
``attrs.combined_with``.
"""

from __future__ import annotations

import re

from projektatlas.extract.base import ExtractContext
from projektatlas.extract.taxonomy import find, load
from projektatlas.model import Fact

NAME = "target_groups"
VERSION = "1.0"

_LINK = re.compile(r"\s+(?:med|som har|som är|och samtidigt)\s+", re.IGNORECASE)


def extract(text: str, ctx: ExtractContext) -> list[Fact]:
    """Every target-group mention in ``text``."""
    matches = find(load("target_groups"), text)
    facts = [
        Fact(
            type="target_group",
            text=text[m.start : m.end],
            value=m.entry["id"],
            start=m.start,
            end=m.end,
            confidence=0.85,
            extractor=NAME,
            extractor_version=VERSION,
            attrs={"label_sv": m.entry["label_sv"], "label_en": m.entry["label_en"]},
        )
        for m in matches
    ]
    for a, b in zip(facts, facts[1:], strict=False):
        if _LINK.fullmatch(text[a.end : b.start]) and a.value != b.value:
            a.attrs.setdefault("combined_with", []).append(b.value)
            b.attrs.setdefault("combined_with", []).append(a.value)
    return facts
