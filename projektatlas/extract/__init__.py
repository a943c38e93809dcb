"""Facts from free text: each extractor is a small module; this runs them all.

Extractor modules (see `base.py` for the contract), in the order they run.
"""

from __future__ import annotations

import importlib
from functools import cache
from types import ModuleType

from projektatlas.extract.base import ExtractContext, Extractor
from projektatlas.model import Fact

EXTRACTOR_MODULES = (
    "organisations",
    "places",
    "personal",
    "project_refs",
    "money",
    "shares",
    "dates",
    "counts",
    "target_groups",
    "methods",
)


@cache
def extractors() -> tuple[ModuleType, ...]:
    """The extractor modules that are installed, in run order."""
    found = []
    for name in EXTRACTOR_MODULES:
        try:
            found.append(importlib.import_module(f"projektatlas.extract.{name}"))
        except ModuleNotFoundError as exc:
            if exc.name != f"projektatlas.extract.{name}":
                raise
    return tuple(found)


def extract_facts(text: str, ctx: ExtractContext | None = None) -> list[Fact]:
    """Every fact every extractor finds in ``text``, ordered by position."""
    ctx = ctx or ExtractContext()
    facts: list[Fact] = []
    for module in extractors():
        facts.extend(module.extract(text, ctx))
    facts.sort(key=lambda f: (f.start, f.end, f.type))
    return facts


__all__ = ["ExtractContext", "Extractor", "Fact", "extract_facts", "extractors"]
