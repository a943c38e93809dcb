"""Comparison keys: the one-pass `name_key` equals the reference definition."""

from __future__ import annotations

import re
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from projektatlas.link.keys import name_key, project_name_key


def _reference_name_key(name: str) -> str:
    """The definition: NFC, casefold, punctuation to spaces, spaces collapsed."""
    name = unicodedata.normalize("NFC", name).casefold()
    name = re.sub(r"[^\w\s&-]", " ", name)
    name = name.replace("–", "-")
    return re.sub(r"\s+", " ", name).strip()


_ALPHABET = "aåäöAÅÄÖeé ß\u00a0\t\n-–—&_.,:;!?()/'\"0123456789\u2009\u0301ﬁ"


@given(st.text(alphabet=_ALPHABET, max_size=40) | st.text(max_size=40))
def test_name_key_equals_the_reference(text):
    assert name_key(text) == _reference_name_key(text)


def test_name_key_examples():
    assert name_key("  KARLSTADS  kommun, Staben ") == "karlstads kommun staben"
    assert name_key("Vägen vidare – steg 2!") == "vägen vidare steg 2"
    assert name_key("A&O-projektet\u00a0(2.0)") == "a&o-projektet 2 0"
    assert project_name_key("Unga-in 2.0") == "unga in 2 0"
