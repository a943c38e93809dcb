"""Invented contact persons (personal data in generated documents)."""

from __future__ import annotations

import random

from genlib.fastrand import pick, randint

FIRST_NAMES = (
    "Anna",
    "Maria",
    "Karin",
    "Sara",
    "Lena",
    "Emma",
    "Eva",
    "Åsa",
    "Malin",
    "Sofia",
    "Fatima",
    "Amina",
    "Leila",
    "Johanna",
    "Ingrid",
    "Erik",
    "Lars",
    "Anders",
    "Johan",
    "Per",
    "Mikael",
    "Björn",
    "Ali",
    "Ahmed",
    "Mohammed",
    "Jonas",
    "Göran",
    "Håkan",
    "Pierre",
    "José",
    "Stefan",
    "Oskar",
    "Mats",
    "Ylva",
    "Linnéa",
)
LAST_NAMES = (
    "Andersson",
    "Johansson",
    "Karlsson",
    "Nilsson",
    "Eriksson",
    "Larsson",
    "Olsson",
    "Persson",
    "Svensson",
    "Gustafsson",
    "Pettersson",
    "Lindberg",
    "Lindqvist",
    "Sjöberg",
    "Åberg",
    "Öberg",
    "Holmström",
    "Bergström",
    "Hassan",
    "Ibrahim",
    "Hernandez",
    "Nyström",
    "Lundgren",
    "Ekström",
    "Mäkinen",
    "Sandström",
    "Forsberg",
    "Håkansson",
    "Björk",
    "Wallin",
)
_ASCII = str.maketrans({"å": "a", "ä": "a", "ö": "o", "é": "e", "Å": "A", "Ä": "A", "Ö": "O"})


def person(rng: random.Random, domain: str) -> dict[str, str]:
    """A random name with an e-mail at ``domain`` and a Swedish phone number."""
    first = pick(rng, FIRST_NAMES)
    last = pick(rng, LAST_NAMES)
    local = f"{first}.{last}".lower().translate(_ASCII)
    area = pick(rng, ("08", "031", "040", "054", "019", "090", "0920", "036", "0480"))
    phone = f"{area}-{randint(rng, 10, 999)} {randint(rng, 10, 99)} {randint(rng, 10, 99)}"
    return {"name": f"{first} {last}", "email": f"{local}@{domain}", "phone": phone}


def mail_domain(org_name: str) -> str:
    """A plausible (invented) e-mail domain for an organisation."""
    word = org_name.split(",")[0].split(" ")
    core = "".join(
        w for w in word if w.lower() not in {"kommun", "stad", "region", "samordningsförbundet"}
    )
    core = core.lower().translate(_ASCII)
    core = "".join(c for c in core if c.isalnum()) or "org"
    return f"{core}.se"
