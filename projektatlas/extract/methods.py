"""Methods and activities named in the text, mapped to ``taxonomy/methods.json``.

Fact value is the taxonomy id (``"supported_employment"``, ``"kartlaggning"``, ``"sip"`` …);
``attrs`` has ``label_sv`` and ``label_en``.
"""

from __future__ import annotations

from projektatlas.extract.base import ExtractContext
from projektatlas.extract.taxonomy import taxonomy_facts
from projektatlas.model import Fact

NAME = "methods"
VERSION = "1.0"


def extract(text: str, ctx: ExtractContext) -> list[Fact]:
    """Every method or activity mention in ``text``."""
    return taxonomy_facts("methods", "method", text, NAME, VERSION)
