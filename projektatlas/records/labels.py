"""One table of every label spelling seen in project-bank records → canonical field.

Labels are compared by a *folded key*: NFKD, diacritics and punctuation removed, case-folded
("Projektägare organisationsnummer:" → "projektagareorganisationsnummer"). The key keeps a
map back to character positions, so values can be cut out of the original text with exact
spans even when it is not NFC or was UTF-8 misread as CP1252 ("ProjektÃ¤gare").

Canonical targets are the names in `projektatlas.model.PROJECT_FIELDS`, the personal
fields (`contact_name`, `contact_email`, `contact_phone`, `project_leader`) and a few
internal ones starting with "_" (checked or combined, never stored as such).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process

PERSONAL_LABEL_FIELDS = frozenset(
    {"contact_name", "contact_email", "contact_phone", "project_leader"}
)
PERIOD = "_period"
PROJECT_NUMBER = "_project_number"
CALL_MARKER = "_call"  # labels only a call for proposals (utlysning) page has
IGNORED = "_ignored"

# canonical field → label spellings (case, spaces, punctuation and diacritics do not matter).
LABEL_VARIANTS: dict[str, tuple[str, ...]] = {
    "diarienummer": (
        "Diarienummer",
        "Diarienr",
        "Dnr",
        "Ärendenummer",
        "Ärende-id",
        "Ärendeid",
        "Case number",
        "Reference number",
        "Registration number",
    ),
    PROJECT_NUMBER: ("Projektnummer", "Projektnr", "Project number", "Project id"),
    "name": ("Namn", "Projektnamn", "Projektets namn", "Name", "Project name", "Projekttitel"),
    "start_date": (
        "Startdatum",
        "Start",
        "Projektstart",
        "Startdatum för projektet",
        "Start date",
        "Starts",
        "Project start",
    ),
    "end_date": (
        "Slutdatum",
        "Slut",
        "Projektslut",
        "Slutdatum för projektet",
        "End date",
        "Ends",
        "Project end",
    ),
    PERIOD: (
        "Projektperiod",
        "Projekttid",
        "Period",
        "Genomförandeperiod",
        "Projektets period",
        "Project period",
        "Duration",
    ),
    "programme_period": ("Programperiod", "Programme period", "Program period"),
    "country": (
        "Land som berörs",
        "Berört land",
        "Berörda länder",
        "Land",
        "Country",
        "Country concerned",
        "Countries concerned",
    ),
    "fund": ("Berörd fond", "Fond", "Fund", "Fund concerned"),
    "programme_cci": ("Program CCI", "Programme CCI", "CCI", "CCI-nummer", "Program-CCI"),
    "owner_org_number": (
        "Projektägare organisationsnummer",
        "Projektägarens organisationsnummer",
        "Organisationsnummer",
        "Organisationsnr",
        "Org nr",
        "Orgnr",
        "Org.nr",
        "Stödmottagare organisationsnummer",
        "Stödmottagarens organisationsnummer",
        "Project owner organisation number",
        "Organisation number",
        "Organization number",
    ),
    "owner_name": (
        "Projektägare",
        "Projektägarens namn",
        "Stödmottagare",
        "Stödmottagarens namn",
        "Project owner",
        "Beneficiary",
        "Organisation",
        "Organization",
        "Owner",
    ),
    "union_cofinancing_rate": (
        "Unionens medfinansieringsgrad",
        "EU:s medfinansieringsgrad",
        "Medfinansieringsgrad",
        "Union co-financing rate",
        "EU co-financing rate",
        "Co-financing rate",
    ),
    "programme_area": ("Programområde", "Programme area", "Program area", "Priority axis"),
    "specific_objective": ("Specifikt mål", "Specifika mål", "Delmål", "Specific objective"),
    "child_poverty_theme": (
        "Sekundärtema - Motverka barnfattigdom",
        "Sekundärtema Motverka barnfattigdom",
        "Motverka barnfattigdom",
        "Secondary theme - Combating child poverty",
    ),
    "region": ("Region", "ESF-region", "Regionalt område", "Geografiskt område"),
    "nuts2": (
        "NUTS-2 kod",
        "NUTS-2-kod",
        "NUTS 2",
        "NUTS2",
        "NUTS-kod",
        "NUTS code",
        "NUTS-2 code",
    ),
    "postal_code": (
        "Stödmottagare postnr",
        "Stödmottagarens postnr",
        "Stödmottagare postnummer",
        "Stödmottagarens postnummer",
        "Postnummer",
        "Postnr",
        "Postal code",
        "Zip code",
        "Beneficiary postcode",
        "Beneficiary postal code",
    ),
    "city": (
        "Stödmottagare ort",
        "Stödmottagarens ort",
        "Stödmottagare postort",
        "Ort",
        "Postort",
        "City",
        "Town",
        "Beneficiary city",
        "Beneficiary town",
    ),
    "address": (
        "Stödmottagarens adress",
        "Stödmottagarens address",
        "Stödmottagare adress",
        "Stödmottagare address",
        "Adress",
        "Address",
        "Postadress",
        "Besöksadress",
        "Beneficiary address",
    ),
    "intervention_type": (
        "Interventionstyp",
        "Interventionskod",
        "Insatsområde kod",
        "Intervention type",
        "Intervention field",
        "Type of intervention",
    ),
    "participants_planned": (
        "Antal deltagare",
        "Planerat antal deltagare",
        "Beräknat antal deltagare",
        "Planned number of participants",
        "Planned participants",
        "Number of participants",
    ),
    "strategic_importance": (
        "Insats av strategisk betydelse",
        "Strategisk betydelse",
        "Operation of strategic importance",
    ),
    "total_budget_sek": (
        "Total projektbudget",
        "Projektbudget",
        "Total budget",
        "Totalbudget",
        "Budget",
        "Total kostnad",
        "Beviljad projektbudget",
    ),
    "esf_support_sek": (
        "Beviljat ESF-stöd",
        "Beviljat ESF+-stöd",
        "Beviljat stöd",
        "ESF-stöd",
        "Beviljat belopp",
        "Granted ESF support",
        "ESF support",
    ),
    "project_phase": ("Projektfas", "Fas", "Projekttyp", "Project phase", "Phase"),
    "call_diarienummer": ("Utlysning", "Utlysningens diarienummer", "Utlysningsnummer", "Call"),
    "description": (
        "Beskrivning",
        "Projektbeskrivning",
        "Sammanfattning",
        "Om projektet",
        "Description",
        "Summary",
    ),
    "contact_name": ("Kontaktperson", "Kontakt", "Contact person", "Contact"),
    "contact_email": (
        "E-post",
        "Epost",
        "E-postadress",
        "Kontaktperson e-post",
        "Email",
        "E-mail",
        "Mejl",
        "Mail",
    ),
    "contact_phone": (
        "Telefonnummer",
        "Telefon",
        "Tel",
        "Tfn",
        "Kontaktperson telefon",
        "Phone",
        "Telephone",
        "Mobil",
        "Mobilnummer",
    ),
    "project_leader": ("Projektledare", "Project manager", "Project leader"),
    CALL_MARKER: (
        "Utlyst belopp",
        "Sista ansökningsdag",
        "Ansökningsperiod",
        "Utlysningen öppnar",
        "Utlysningen stänger",
        "Krav på medfinansiering",
        "Sista dag för ansökan",
    ),
    # Recognised labels whose values are not project fields here.
    IGNORED: (
        "Kommun",
        "Län",
        "Målgrupp",
        "Samverkansparter",
        "Samarbetspartners",
        "Partners",
        "Senast uppdaterad",
        "Publicerad",
        "Beslutsdatum",
        "Status",
        "Webbplats",
        "Hemsida",
        "Länk",
        "Kategori",
        "Taggar",
    ),
}


@dataclass(frozen=True, slots=True)
class Folded:
    """A folded key and, for each key character, the index of its source character."""

    key: str
    positions: tuple[int, ...]


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    return "".join(c.casefold() for c in unicodedata.normalize("NFKD", ch) if c.isalnum())


def fold(text: str) -> Folded:
    """Fold `text` to a label key, remembering where each key character came from."""
    out: list[str] = []
    positions: list[int] = []
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch in "ÃÂ" and i + 1 < n:  # UTF-8 read as CP1252: "Ã¤" is "ä"
            try:
                repaired = (ch + text[i + 1]).encode("cp1252").decode("utf-8")
            except UnicodeError:
                repaired = ""
            if len(repaired) == 1:
                for c in _fold_char(repaired):
                    out.append(c)
                    positions.append(i + 1)
                i += 2
                continue
        for c in _fold_char(ch):
            out.append(c)
            positions.append(i)
        i += 1
    return Folded("".join(out), tuple(positions))


def label_key(text: str) -> str:
    return fold(text).key


LABELS: dict[str, str] = {}
for _field, _variants in LABEL_VARIANTS.items():
    for _variant in _variants:
        LABELS.setdefault(label_key(_variant), _field)
_MAX_KEY_LEN = max(len(k) for k in LABELS)
MAX_LABEL_CHARS = 2 * _MAX_KEY_LEN + 20  # enough source text to hold any label
_FUZZY_CHOICES = [k for k in LABELS if len(k) >= 10]


def is_label_fragment(text: str) -> bool:
    """True for the start of a known label cut off by truncation ("Diarienum", "Namn:")."""
    key = label_key(text)
    if not key or len(text) > 60:
        return False
    return text.rstrip().endswith(":") or any(k.startswith(key) for k in LABELS)


def lookup(label: str) -> str | None:
    """The canonical field of a label as written, or None when unknown."""
    return LABELS.get(label_key(label))


def lookup_fuzzy(label: str) -> tuple[str, str] | None:
    """(field, known key) for a misspelt long label ("Stödmotagarens adres"), else None."""
    key = label_key(label)
    if len(key) < 10:
        return None
    hit = process.extractOne(key, _FUZZY_CHOICES, scorer=fuzz.ratio, score_cutoff=90)
    if hit is None:
        return None
    return LABELS[hit[0]], hit[0]


@dataclass(frozen=True, slots=True)
class PrefixMatch:
    field: str
    label_end: int  # index in the matched string just after the label's last character
    key: str


def longest_prefix(text: str) -> PrefixMatch | None:
    """The longest known label that `text` starts with (for glued "ProjektfasGenomförande")."""
    folded = fold(text[:MAX_LABEL_CHARS])
    for length in range(min(len(folded.key), _MAX_KEY_LEN), 0, -1):
        key = folded.key[:length]
        if key in LABELS:
            return PrefixMatch(LABELS[key], folded.positions[length - 1] + 1, key)
    return None
