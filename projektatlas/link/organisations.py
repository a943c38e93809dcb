"""Resolve an organisation as written in a source to one stored organisation.

Exact on organisation number; otherwise on a normalised name key (case, spacing and
punctuation folded). "X kommun, Arbetsmarknadsförvaltningen" resolves to X kommun, with the
department kept as a unit (an organisation whose parent is X kommun) and every spelling
kept as an alias.
"""

from __future__ import annotations

import re
import unicodedata

from sqlalchemy import select
from sqlalchemy.orm import Session

from projektatlas.normalize import clean_spaces, natural_case, org_number_kind
from projektatlas.store.schema import Organisation, OrganisationAlias

_UNIT_WORDS = re.compile(
    r"(förvaltning|enhet|avdelning|staben|stab\b|sektor|kontor|nämnd|verksamhet|"
    r"institution|fakultet|division|sektion|centrum|center)",
    re.IGNORECASE,
)
_AUTHORITIES = {
    "arbetsförmedlingen",
    "försäkringskassan",
    "svenska esf-rådet",
    "esf-rådet",
    "socialstyrelsen",
    "tillväxtverket",
    "skolverket",
    "migrationsverket",
}


def name_key(name: str) -> str:
    """A comparison key: NFC, case-folded, punctuation and extra spaces removed."""
    name = unicodedata.normalize("NFC", name).casefold()
    name = re.sub(r"[^\w\s&-]", " ", name)
    return re.sub(r"\s+", " ", name).strip()


def guess_kind(name: str, org_number: str | None = None) -> str | None:
    """The organisation kind from its name (or its organisation number's legal form)."""
    key = name_key(name)
    if key in _AUTHORITIES or key.startswith("länsstyrelsen"):
        return "authority"
    if "samordningsförbund" in key or key.startswith("finsam"):
        return "samordningsförbund"
    if re.search(r"\b(kommun|stad)$", key) or key.endswith(" kommun"):
        return "kommun"
    if key.startswith("region ") or key.endswith(" landsting"):
        return "region"
    if re.search(r"\bab$|\baktiebolag\b", key):
        return "company"
    if re.search(r"(folkhögskola|skola|gymnasium|universitet|högskola)\b", key):
        return "school"
    if re.search(r"(förening|stiftelse|förbund|studieförbund|kooperativ)", key):
        return "idéburen"
    if org_number:
        legal = (org_number_kind(org_number) or "").lower()
        if "aktiebolag" in legal:
            return "company"
        if "förening" in legal or "stiftelse" in legal:
            return "idéburen"
        if "kommun" in legal or "landsting" in legal:
            return "public"
    return None


def split_units(raw: str) -> tuple[str, list[str]]:
    """("Karlstads kommun", ["Arbetsmarknad och socialförvaltningen", "Staben"]) from the raw
    owner; comma-separated parts that are not departments (e.g. a repeated short name) are
    dropped from the unit list but stay in the alias."""
    parts = [clean_spaces(p) for p in raw.split(",") if clean_spaces(p)]
    if not parts:
        return clean_spaces(raw), []
    parent, rest = parts[0], parts[1:]
    units = [p for p in rest if _UNIT_WORDS.search(p) and name_key(p) not in name_key(parent)]
    return parent, units


def _find(session: Session, org_number: str | None, key: str) -> Organisation | None:
    if org_number:
        found = session.scalar(select(Organisation).where(Organisation.org_number == org_number))
        if found is not None:
            return found
    candidates = session.scalars(
        select(Organisation)
        .where(Organisation.parent_id.is_(None))
        .where(
            (Organisation.name_key == key)
            | Organisation.id.in_(
                select(OrganisationAlias.organisation_id).where(OrganisationAlias.alias_key == key)
            )
        )
    ).all()
    for org in candidates:
        if org_number is None or org.org_number in (None, org_number):
            return org
    return None


def add_alias(session: Session, org: Organisation, alias: str) -> None:
    alias = clean_spaces(alias)[:512]
    if not alias:
        return
    exists = session.scalar(
        select(OrganisationAlias.id).where(
            OrganisationAlias.organisation_id == org.id, OrganisationAlias.alias == alias
        )
    )
    if exists is None:
        session.add(
            OrganisationAlias(organisation_id=org.id, alias=alias, alias_key=name_key(alias))
        )


def resolve_organisation(
    session: Session, raw_name: str | None, org_number: str | None = None
) -> Organisation | None:
    """The stored organisation for a name as written (created when new)."""
    if not raw_name and not org_number:
        return None
    raw_name = clean_spaces(raw_name or "")
    parent_name, units = split_units(raw_name) if raw_name else ("", [])
    key = name_key(parent_name) if parent_name else ""
    org = _find(session, org_number, key)
    if org is None:
        display = natural_case(parent_name) or org_number or "okänd organisation"
        org = Organisation(
            name=display,
            name_original=parent_name or None,
            name_key=key or name_key(display),
            org_number=org_number,
            kind=guess_kind(parent_name, org_number),
        )
        session.add(org)
        session.flush()
    elif org_number and org.org_number is None:
        org.org_number = org_number
    if raw_name:
        add_alias(session, org, raw_name)
        if parent_name != raw_name:
            add_alias(session, org, parent_name)
    for unit_name in units:
        _resolve_unit(session, org, unit_name)
    return org


def _resolve_unit(session: Session, parent: Organisation, unit_name: str) -> Organisation:
    key = name_key(unit_name)
    unit = session.scalar(
        select(Organisation).where(
            Organisation.parent_id == parent.id, Organisation.name_key == key
        )
    )
    if unit is None:
        unit = Organisation(
            name=natural_case(unit_name) or unit_name,
            name_original=unit_name,
            name_key=key,
            kind="unit",
            parent_id=parent.id,
        )
        session.add(unit)
        session.flush()
    return unit
