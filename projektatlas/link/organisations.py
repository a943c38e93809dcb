"""Resolve an organisation as written in a source to one stored organisation.

Exact on organisation number; otherwise on a normalised name key (case, spacing,
punctuation and samordningsförbund abbreviations folded, see `projektatlas.link.keys`). "X kommun, Arbetsmarknadsförvaltningen" resolves to X kommun, with the
department kept as a unit (an organisation whose parent is X kommun) and every spelling
kept as an alias.
"""

from __future__ import annotations

import re

from sqlalchemy import and_, delete, or_, select, update
from sqlalchemy.orm import Session

from projektatlas.link.keys import name_key, near_duplicate_keys, org_key
from projektatlas.normalize import clean_spaces, natural_case, org_number_kind
from projektatlas.store.schema import Link, Organisation, OrganisationAlias, Project

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


def guess_kind(name: str, org_number: str | None = None) -> str | None:
    """The organisation kind from its name (or its organisation number's legal form)."""
    key = org_key(name)
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
    # Two indexed lookups (name key, then alias key): one query with an OR over both made
    # SQLite scan every top-level organisation through the parent_id index.
    top_level = select(Organisation).where(Organisation.parent_id.is_(None))
    candidates = list(
        session.scalars(top_level.where(Organisation.name_key == key).order_by(Organisation.id))
    )
    seen = {org.id for org in candidates}
    aliased = session.scalars(
        top_level.where(
            Organisation.id.in_(
                select(OrganisationAlias.organisation_id).where(OrganisationAlias.alias_key == key)
            )
        ).order_by(Organisation.id)
    )
    candidates.extend(org for org in aliased if org.id not in seen)
    candidates.sort(key=lambda org: org.id)  # the oldest compatible one, as before
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
            OrganisationAlias(organisation_id=org.id, alias=alias, alias_key=org_key(alias))
        )


def resolve_organisation(
    session: Session, raw_name: str | None, org_number: str | None = None
) -> Organisation | None:
    """The stored organisation for a name as written (created when new)."""
    if not raw_name and not org_number:
        return None
    raw_name = clean_spaces(raw_name or "")
    parent_name, units = split_units(raw_name) if raw_name else ("", [])
    key = org_key(parent_name) if parent_name else ""
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
    else:
        if org_number and org.org_number is None:
            org.org_number = org_number
        if parent_name and _abbreviated(org) and name_key(parent_name) == org.name_key:
            org.name = natural_case(parent_name) or parent_name
            org.name_original = parent_name
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


def _abbreviated(org: Organisation) -> bool:
    """Whether the display name is an abbreviation of the key ("Sf X" for Samordningsförbundet X)."""
    return name_key(org.name) != org.name_key


def _top_level_keys(session: Session) -> dict[str, set[int]]:
    """Every key (name and alias) of the top-level organisations, with their ids."""
    keys: dict[str, set[int]] = {}
    for org_id, key in session.execute(
        select(Organisation.id, Organisation.name_key).where(Organisation.parent_id.is_(None))
    ).all():
        keys.setdefault(key, set()).add(org_id)
    for org_id, key in session.execute(
        select(OrganisationAlias.organisation_id, OrganisationAlias.alias_key)
        .join(Organisation, Organisation.id == OrganisationAlias.organisation_id)
        .where(Organisation.parent_id.is_(None))
    ).all():
        keys.setdefault(key, set()).add(org_id)
    return keys


def merge_organisations(session: Session) -> int:
    """Merge organisations that turn out to be one; returns how many were merged away.

    Two top-level organisations are one when they share a name or alias key, or their keys
    are one typing error apart — unless they have different organisation numbers, different
    kinds, or a person rejected the pair (a `rejected` organisation `same_as` link).
    """
    keys = _top_level_keys(session)
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        while parent.get(x, x) != x:
            x = parent[x]
        return x

    groups: list[set[int]] = [ids for ids in keys.values() if len(ids) > 1]
    for a, b in near_duplicate_keys(keys):
        groups.append(keys[a] | keys[b])
    if not groups:
        return 0
    orgs = {
        o.id: o
        for o in session.scalars(
            select(Organisation).where(Organisation.id.in_({i for g in groups for i in g}))
        )
    }
    rejected = {
        frozenset((a, b))
        for a, b in session.execute(
            select(Link.a_id, Link.b_id).where(
                Link.a_type == "organisation",
                Link.b_type == "organisation",
                Link.status == "rejected",
            )
        ).all()
    }
    number = {i: o.org_number for i, o in orgs.items()}
    for group in groups:
        for other in sorted(group)[1:]:
            a, b = find(min(group)), find(other)
            if a == b:
                continue
            if number[a] and number[b] and number[a] != number[b]:
                continue
            kind_a, kind_b = orgs[a].kind, orgs[b].kind
            if kind_a and kind_b and kind_a != kind_b:
                continue
            if frozenset((a, b)) in rejected:
                continue
            keep, drop = (a, b) if (number[a] or not number[b]) else (b, a)
            if number[keep] is None and number[drop] is None:
                keep, drop = min(a, b), max(a, b)
            parent[drop] = keep
            number[keep] = number[keep] or number[drop]
    merged = 0
    for drop in sorted(parent):
        keep = find(drop)
        merge_into(session, orgs[drop], orgs[keep])
        merged += 1
    return merged


def merge_into(session: Session, drop: Organisation, keep: Organisation) -> None:
    """Move projects, aliases, units and links of `drop` to `keep`, then delete `drop`."""
    number = drop.org_number
    session.execute(update(Project).where(Project.owner_id == drop.id).values(owner_id=keep.id))
    for alias in [drop.name, *(a.alias for a in drop.aliases)]:
        add_alias(session, keep, alias)
    for unit in session.scalars(select(Organisation).where(Organisation.parent_id == drop.id)):
        twin = session.scalar(
            select(Organisation.id).where(
                Organisation.parent_id == keep.id, Organisation.name_key == unit.name_key
            )
        )
        if twin is None:
            unit.parent_id = keep.id
        else:
            session.delete(unit)
    session.execute(
        delete(Link).where(
            Link.a_type == "organisation",
            Link.b_type == "organisation",
            or_(
                and_(Link.a_id == drop.id, Link.b_id == keep.id),
                and_(Link.a_id == keep.id, Link.b_id == drop.id),
            ),
        )
    )
    for side in ("a", "b"):
        id_col = getattr(Link, f"{side}_id")
        type_col = getattr(Link, f"{side}_type")
        session.execute(
            update(Link)
            .where(type_col == "organisation", id_col == drop.id)
            .values({f"{side}_id": keep.id})
        )
    session.flush()
    session.delete(drop)
    session.flush()
    if number and keep.org_number is None:
        keep.org_number = number
