"""Render a Project as a project-bank record in one of the five layouts, with its truth."""

from __future__ import annotations

import html
import random
from typing import Any

from genlib.fastrand import pick, sample
from genlib.projects import (
    LAYOUT_2007,
    LAYOUT_2014,
    LAYOUT_2014_WEB,
    LAYOUT_2021,
    LAYOUT_TITLE,
    Project,
)
from genlib.text import BANNERS, NAV, describe, html_page, owner_written, paragraphs_html

# Canonical field -> (Swedish label, English label) for the 2021–2027 layout.
LABELS_2021 = (
    ("diarienummer", "Diarienummer", "Case number"),
    ("name", "Namn", "Name"),
    ("start_date", "Startdatum", "Start date"),
    ("end_date", "Slutdatum", "End date"),
    ("country", "Land som berörs", "Country concerned"),
    ("fund", "Berörd fond", "Fund concerned"),
    ("programme_cci", "Program CCI", "Programme CCI"),
    ("owner_org_number", "Projektägare organisationsnummer", "Project owner organisation number"),
    ("owner_name", "Projektägare", "Project owner"),
    ("union_cofinancing_rate", "Unionens medfinansieringsgrad", "Union co-financing rate"),
    ("programme_area", "Programområde", "Programme area"),
    ("specific_objective", "Specifikt mål", "Specific objective"),
    (
        "child_poverty_theme",
        "Sekundärtema - Motverka barnfattigdom",
        "Secondary theme - Combating child poverty",
    ),
    ("region", "Region", "Region"),
    ("nuts2", "NUTS-2 kod", "NUTS-2 code"),
    ("postal_code", "Stödmottagare postnr", "Beneficiary postcode"),
    ("city", "Stödmottagare ort", "Beneficiary city"),
    ("intervention_type", "Interventionstyp", "Type of intervention"),
    ("participants_planned", "Antal deltagare", "Number of participants"),
    ("strategic_importance", "Insats av strategisk betydelse", "Operation of strategic importance"),
)
OPTIONAL = {
    LAYOUT_2021: (
        "start_date",
        "end_date",
        "postal_code",
        "city",
        "intervention_type",
        "participants_planned",
        "specific_objective",
        "owner_org_number",
    ),
    LAYOUT_2014: (
        "participants_planned",
        "total_budget_sek",
        "postal_code",
        "intervention_type",
        "specific_objective",
        "region",
    ),
    LAYOUT_2014_WEB: (
        "participants_planned",
        "total_budget_sek",
        "call_diarienummer",
        "owner_org_number",
        "region",
    ),
    LAYOUT_2007: ("esf_support_sek", "region", "project_phase"),
}


def sek(n: int) -> str:
    """``27129996`` → ``"27 129 996"``."""
    return f"{n:,}".replace(",", " ")


def pct(rate: float) -> str:
    return f"{round(rate * 100)}%"


# Plausible first two digits of postal codes per län (invented mapping, roughly right).
_POSTAL_PREFIX = {
    "01": (10, 19),
    "03": (74, 76),
    "04": (61, 64),
    "05": (58, 61),
    "06": (55, 57),
    "07": (34, 36),
    "08": (38, 39),
    "09": (62, 62),
    "10": (37, 37),
    "12": (20, 29),
    "13": (30, 31),
    "14": (40, 54),
    "17": (65, 68),
    "18": (69, 71),
    "19": (72, 73),
    "20": (77, 79),
    "21": (80, 82),
    "22": (85, 89),
    "23": (83, 84),
    "24": (90, 93),
    "25": (94, 98),
}


def postal_code(p: Project) -> str:
    """A stable, plausible postal code for the owner (invented)."""
    lo, hi = _POSTAL_PREFIX[p.owner.lan]
    h = int(p.owner.org_number[5:9])
    return f"{lo + h % (hi - lo + 1):02d}{100 + h * 7 % 900:03d}"


def _missing(rng: random.Random, layout: str) -> set[str]:
    if layout not in OPTIONAL or rng.random() >= 0.1:
        return set()
    return set(sample(rng, OPTIONAL[layout], pick(rng, (1, 1, 2))))


def _chrome(rng: random.Random, noise: list[str]) -> str:
    if rng.random() < 0.08:
        noise.append("banner")
        return pick(rng, BANNERS) + pick(rng, NAV) + "\n"
    return ""


def render_record(p: Project, rng: random.Random) -> tuple[str, str, dict[str, Any]]:
    """(text, file extension, truth) for a project's record."""
    noise = list(p.noise)
    missing = _missing(rng, p.layout)
    noise.extend(f"missing:{f}" for f in sorted(missing))
    if p.layout == LAYOUT_2021:
        text, fields, ext = _render_2021(p, rng, missing, noise)
    elif p.layout == LAYOUT_2014:
        text, fields, ext = _render_2014(p, rng, missing, noise)
    elif p.layout == LAYOUT_2014_WEB:
        text, fields, ext = _render_2014_web(p, rng, missing, noise)
    elif p.layout == LAYOUT_2007:
        text, fields, ext = _render_2007(p, rng, missing, noise)
    else:
        text, fields, ext = _render_title(p, rng, noise)
    truth: dict[str, Any] = {
        "kind": "record",
        "layout": p.layout,
        "programme_period": p.period,
        "identity": p.diarienummer,
        "entity": {"project": p.pid, "organisation": p.owner.entity},
        "owner": {
            "entity": p.owner.entity,
            "name": p.owner.name,
            "org_number": f"{p.owner.org_number[:6]}-{p.owner.org_number[6:]}",
            "kind": p.owner.kind,
        },
        "fields": fields,
        "target_groups": list(p.target_groups),
        "methods": list(p.methods),
        "relation": p.relation,
        "noise": noise,
        "personal": [dict(p.contact)]
        if p.contact and p.layout in (LAYOUT_2014, LAYOUT_2007)
        else [],
    }
    return text, ext, truth


def _values_2021(p: Project, rng: random.Random, noise: list[str]) -> dict[str, tuple[str, Any]]:
    owner, owner_noise = owner_written(rng, p.owner, upper_p=0.6)
    noise.extend(owner_noise)
    child = p.area == "C" and rng.random() < 0.7
    strategic = rng.random() < 0.05
    yesno = {True: "Ja", False: "Nej"}
    return {
        "diarienummer": (p.diarienummer, p.diarienummer),
        "name": (p.name, p.name),
        "start_date": (p.start.isoformat(), p.start.isoformat()),
        "end_date": (p.end.isoformat(), p.end.isoformat()),
        "country": ("Sverige", "Sverige"),
        "fund": ("ESF+", "ESF+"),
        "programme_cci": ("2021SE05SFPR", "2021SE05SFPR"),
        "owner_org_number": (
            p.owner.org_number,
            f"{p.owner.org_number[:6]}-{p.owner.org_number[6:]}",
        ),
        "owner_name": (owner, owner),
        "union_cofinancing_rate": (pct(p.rate), p.rate),
        "programme_area": (p.area, p.area),
        "specific_objective": (p.objective, p.objective),
        "child_poverty_theme": (yesno[child], child),
        "region": (p.region, p.region),
        "nuts2": (p.nuts2, p.nuts2),
        "postal_code": (postal_code(p), postal_code(p)),
        "city": (p.kommun.name.upper(), p.kommun.name.upper()),
        "intervention_type": (p.intervention, p.intervention),
        "participants_planned": (str(p.participants), p.participants),
        "strategic_importance": (yesno[strategic], strategic),
    }


def _render_2021(p, rng, missing, noise):
    values = _values_2021(p, rng, noise)
    english = rng.random() < 0.05
    if english:
        noise.append("english_labels")
    labels = list(LABELS_2021)
    if rng.random() < 0.1:
        head, tail = labels[:2], labels[2:]
        rng.shuffle(tail)
        labels = head + tail
        noise.append("order_shuffled")
    planned = rng.random() < 0.1
    fields: dict[str, Any] = {"programme_period": p.period}
    pairs = []
    for key, sv, en in labels:
        label = en if english else sv
        if key == "participants_planned" and planned and not english:
            label = "Planerat antal deltagare"
        raw, value = values[key]
        if key in missing:
            raw = ""
        else:
            fields[key] = value
        pairs.append((label, raw))
    if planned and not english:
        noise.append("planned_participants_label")
    fields["description"] = True
    desc = describe(p, rng)
    title = f"{p.diarienummer} - {p.name}"
    if rng.random() < 0.03:
        noise.append("html")
        dl = "\n".join(
            f"<dt>{html.escape(lab)}:</dt><dd>{html.escape(raw)}</dd>" for lab, raw in pairs
        )
        body = f"<h1>{html.escape(title)}</h1>\n<dl>\n{dl}\n</dl>\n{paragraphs_html(desc)}"
        return html_page(title, body, rng), fields, "html"
    lines = [title, ""]
    for lab, raw in pairs:
        lines.append(f"{lab}:")
        lines.append(raw)
    text = _chrome(rng, noise) + "\n".join(lines) + "\n\n" + desc + "\n"
    return text, fields, "txt"


def _render_2014(p, rng, missing, noise):
    owner, owner_noise = owner_written(rng, p.owner, upper_p=0.05)
    if (
        p.owner.kind == "samordningsforbund"
        and "owner_abbrev" not in owner_noise
        and rng.random() < 0.25
    ):
        owner = f"{owner}, Samordningsförbundet"
        owner_noise.append("owner_duplicated")
    noise.extend(owner_noise)
    dates_filled = rng.random() < 0.3
    period = f"{p.start.isoformat()} - {p.end.isoformat()}"
    fields: dict[str, Any] = {
        "programme_period": p.period,
        "diarienummer": p.diarienummer,
        "name": p.name,
        "owner_name": owner,
        "region": p.region,
        "participants_planned": p.participants,
        "start_date": p.start.isoformat(),
        "end_date": p.end.isoformat(),
        "total_budget_sek": p.total_budget,
        "esf_support_sek": p.esf_support,
        "postal_code": postal_code(p),
        "programme_area": p.area,
        "specific_objective": p.objective,
        "union_cofinancing_rate": p.rate,
        "intervention_type": p.intervention,
        "project_phase": p.phase,
    }
    contact = p.contact or {"name": "", "email": ""}
    rows = [
        ("Diarienummer", p.diarienummer),
        ("Namn", p.name),
        ("Startdatum", p.start.isoformat() if dates_filled else ""),
        ("Slutdatum", p.end.isoformat() if dates_filled else ""),
        ("Projektnummer", p.diarienummer),
        ("Projektägare", owner),
        ("Region", "" if "region" in missing else p.region),
        (
            "Planerat antal deltagare",
            "" if "participants_planned" in missing else str(p.participants),
        ),
        ("Projektperiod", period),
        ("Total projektbudget", "" if "total_budget_sek" in missing else sek(p.total_budget)),
        ("Beviljat ESF-stöd", sek(p.esf_support)),
        ("Kontaktperson", contact["name"]),
        ("E-post", contact["email"]),
        ("Stödmottagare postnr", "" if "postal_code" in missing else postal_code(p)),
        ("Stödmottagarens address", ""),
        ("Programområde", p.area),
        ("Specifikt mål", "" if "specific_objective" in missing else p.objective),
        ("Unionens medfinansieringsgrad", pct(p.rate)),
        ("Interventionstyp", "" if "intervention_type" in missing else p.intervention),
    ]
    for key in missing:
        fields.pop(key, None)
    fields.pop("project_phase")
    lines = [f"{p.diarienummer} - {p.name}", ""]
    for lab, raw in rows:
        lines.append(f"{lab}:")
        if raw:
            lines.append(raw)
    fields["description"] = True
    text = _chrome(rng, noise) + "\n".join(lines) + "\n\n" + describe(p, rng) + "\n"
    return text, fields, "txt"


def _render_2014_web(p, rng, missing, noise):
    owner, owner_noise = owner_written(rng, p.owner, upper_p=0.05)
    noise.extend(owner_noise)
    org = f"{p.owner.org_number[:6]}-{p.owner.org_number[6:]}"
    label = f"{p.objective} {p.area_label}"
    fields: dict[str, Any] = {
        "programme_period": p.period,
        "diarienummer": p.diarienummer,
        "name": p.name,
        "owner_name": owner,
        "owner_org_number": org,
        "region": p.region,
        "programme_area": p.area,
        "programme_area_label": p.area_label,
        "specific_objective": p.objective,
        "start_date": p.start.isoformat(),
        "end_date": p.end.isoformat(),
        "esf_support_sek": p.esf_support,
        "total_budget_sek": p.total_budget,
        "call_diarienummer": p.call_diarienummer,
        "participants_planned": p.participants,
    }
    rows = [
        ("Projektnummer", p.diarienummer),
        ("Projektägare", owner),
        ("Organisationsnummer", org),
        ("Region", p.region),
        ("Programområde", label),
        ("Projektperiod", f"{p.start.isoformat()}-{p.end.isoformat()}"),
        ("Beviljat ESF-stöd", sek(p.esf_support) + " kr"),
        ("Total projektbudget", sek(p.total_budget) + " kr"),
        ("Utlysning", p.call_diarienummer),
        ("Planerat antal deltagare", str(p.participants)),
    ]
    key_of = {
        "Organisationsnummer": "owner_org_number",
        "Region": "region",
        "Total projektbudget": "total_budget_sek",
        "Utlysning": "call_diarienummer",
        "Planerat antal deltagare": "participants_planned",
    }
    lines = [p.name, ""]
    for lab, raw in rows:
        if key_of.get(lab) in missing:
            continue
        lines += [lab, raw]
    for key in missing:
        fields.pop(key, None)
    fields["description"] = True
    text = _chrome(rng, noise) + "\n".join(lines) + "\n\n" + describe(p, rng) + "\n"
    return text, fields, "txt"


def _render_2007(p, rng, missing, noise):
    owner, owner_noise = owner_written(rng, p.owner, upper_p=0.1)
    noise.extend(owner_noise)
    fields: dict[str, Any] = {
        "programme_period": p.period,
        "name": p.name,
        "project_phase": p.phase,
        "owner_name": owner,
        "region": p.region,
        "programme_area": p.area,
        "programme_area_label": p.area_label.split(" ", 2)[2],
        "esf_support_sek": p.esf_support,
        "start_date": p.start.isoformat(),
        "end_date": p.end.isoformat(),
    }
    contact = p.contact or {"name": "", "phone": ""}
    rows = [
        ("Projektfas", p.phase, "project_phase"),
        ("Projektägare", owner, None),
        ("Region", p.region, "region"),
        ("Programområde", p.area_label, None),
        ("Beviljat ESF-stöd", sek(p.esf_support) + " kr", "esf_support_sek"),
        ("Projektperiod", f"{p.start.isoformat()} till {p.end.isoformat()}", None),
        ("Kontaktperson", contact["name"], None),
        ("Telefonnummer", contact["phone"], None),
    ]
    lines = [p.name, ""]
    for lab, raw, key in rows:
        if key in missing:
            continue
        lines.append(lab + raw)
    for key in missing:
        fields.pop(key, None)
    fields["description"] = True
    text = _chrome(rng, noise) + "\n".join(lines) + "\n\n" + describe(p, rng) + "\n"
    return text, fields, "txt"


def _render_title(p, rng, noise):
    fields = {
        "programme_period": p.period,
        "diarienummer": p.diarienummer,
        "name": p.name,
        "description": True,
    }
    text = _chrome(rng, noise) + f"{p.diarienummer} - {p.name}\n\n" + describe(p, rng) + "\n"
    return text, fields, "txt"


# Re-exported for callers that only need the record layouts.
__all__ = [
    "LAYOUT_2007",
    "LAYOUT_2014",
    "LAYOUT_2014_WEB",
    "LAYOUT_2021",
    "LAYOUT_TITLE",
    "render_record",
    "sek",
]
