"""Methods and activities named in the text, mapped to ``taxonomy/methods.json``.

Fact value is the taxonomy id (``"supported_employment"``, ``"kartlaggning"``, ``"sip"`` …);
``attrs`` has ``label_sv`` and ``label_en``.
"""

from __future__ import annotations

from projektatlas.extract.base import ExtractContext
from projektatlas.extract.taxonomy import find, load
from projektatlas.model import Fact

NAME = "methods"
VERSION = "1.0"


def extract(text: str, ctx: ExtractContext) -> list[Fact]:
    """Every method or activity mention in ``text``."""
    return [
        Fact(
            type="method",
            text=text[m.start : m.end],
            value=m.entry["id"],
            start=m.start,
            end=m.end,
            confidence=0.85,
            extractor=NAME,
            extractor_version=VERSION,
            attrs={"label_sv": m.entry["label_sv"], "label_en": m.entry["label_en"]},
        )
        for m in find(load("methods"), text)
    ]
