"""Message catalogs (Swedish first, English available) and number formatting per language."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache
from pathlib import Path

LANGUAGES = ("sv", "en")
DEFAULT_LANG = "sv"
CATALOGS = Path(__file__).resolve().parent / "i18n"


@cache
def catalog(lang: str) -> dict[str, str]:
    return json.loads((CATALOGS / f"{lang}.json").read_text(encoding="utf-8"))


def pick_language(query_lang: str | None, cookie_lang: str | None) -> str:
    for lang in (query_lang, cookie_lang):
        if lang in LANGUAGES:
            return lang
    return DEFAULT_LANG


def translator(lang: str) -> Callable[..., str]:
    """``t(key, **values)``: the message in ``lang`` (falling back to Swedish, then the key)."""
    messages = catalog(lang)
    fallback = catalog(DEFAULT_LANG)

    def t(key: str, **values: object) -> str:
        text = messages.get(key) or fallback.get(key) or key
        return text.format(**values) if values else text

    return t


def format_number(value: float | int | None, lang: str = DEFAULT_LANG) -> str:
    """Thousands grouped: "24 000 000" (sv, narrow no-break space) or "24,000,000" (en)."""
    if value is None:
        return "–"
    if isinstance(value, float) and not value.is_integer():
        text = f"{value:,.2f}"
    else:
        text = f"{int(value):,}"
    if lang == "sv":
        return text.replace(",", "\u202f").replace(".", ",")
    return text
