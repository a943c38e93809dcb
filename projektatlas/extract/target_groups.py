"""Target groups named in the text, mapped to ``taxonomy/target_groups.json``.

Fact value is the taxonomy id (``"uvas"``, ``"nyanlanda"``, ``"utrikesfodda_kvinnor"``,
``"psykisk_ohalsa"`` …); ``attrs`` has ``label_sv`` and ``label_en``. A combined mention
("nyanlända med kort utbildning") gives one fact per group, each naming the other in
``attrs.combined_with``.
"""

from __future__ import annotations

import re

from projektatlas.extract.base import ExtractContext
from projektatlas.extract.taxonomy import taxonomy_facts
from projektatlas.model import Fact

NAME = "target_groups"
VERSION = "1.0"

_LINK = re.compile(r"\s+(?:med|som har|som är|och samtidigt)\s+", re.IGNORECASE)


def extract(text: str, ctx: ExtractContext) -> list[Fact]:
    """Every target-group mention in ``text``."""
    facts = taxonomy_facts("target_groups", "target_group", text, NAME, VERSION)
    for a, b in zip(facts, facts[1:], strict=False):
        if _LINK.fullmatch(text[a.end : b.start]) and a.value != b.value:
            a.attrs.setdefault("combined_with", []).append(b.value)
            b.attrs.setdefault("combined_with", []).append(a.value)
    return facts
