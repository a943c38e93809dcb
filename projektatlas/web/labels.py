"""Human labels for facet values (the search service returns codes and taxonomy ids)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from projektatlas.web.geo import lan_names

TAXONOMY = Path(__file__).resolve().parent.parent / "extract" / "taxonomy"


@cache
def _taxonomy(name: str, lang: str) -> dict[str, str]:
    path = TAXONOMY / f"{name}.json"
    if not path.exists():
        return {}
    entries = json.loads(path.read_text(encoding="utf-8")).get("entries", [])
    key = "label_en" if lang == "en" else "label_sv"
    return {e["id"]: e.get(key) or e.get("label_sv") or e["id"] for e in entries}


def facet_label(facet: str, value: str, lang: str, t) -> str:
    """The label to show for ``value`` of ``facet`` (the value itself when none is known)."""
    if facet == "kind":
        label = t(f"kind.{value}")
        return value if label == f"kind.{value}" else label
    if facet == "lan":
        return lan_names().get(value, value)
    if facet == "target_group":
        return _taxonomy("target_groups", lang).get(value, value)
    return value
