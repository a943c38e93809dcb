"""Record texts for the linking tests, written for them (not taken from the seeds)."""

from __future__ import annotations

from pathlib import Path


def record_2021(
    dnr: str,
    name: str,
    owner: str,
    org_number: str = "",
    start: str = "2024-01-01",
    end: str = "2025-12-31",
    region: str = "Västsverige",
    rate: str = "40%",
    participants: str = "80",
) -> str:
    return (
        f"{dnr} - {name}\n\nDiarienummer:\n{dnr}\nNamn:\n{name}\nStartdatum:\n{start}\n"
        f"Slutdatum:\n{end}\nBerörd fond:\nESF+\nProjektägare organisationsnummer:\n"
        f"{org_number}\nProjektägare:\n{owner}\nUnionens medfinansieringsgrad:\n{rate}\n"
        f"Region:\n{region}\nAntal deltagare:\n{participants}\n\n"
        f"Projektet {name} ska ge fler människor möjlighet att närma sig arbetsmarknaden "
        "genom samverkan mellan kommun, region och Arbetsförmedlingen.\n"
    )


def record_2007(
    name: str,
    owner: str,
    period: str,
    phase: str = "Genomförande",
    support: str = "1 200 000 kr",
    region: str = "Stockholm",
) -> str:
    lines = [name]
    if phase:
        lines.append(f"Projektfas{phase}")
    lines += [
        f"Projektägare{owner}",
        "ProgramområdeProgramområde 2 Ökat arbetskraftsutbud",
        f"Projektperiod{period}",
        f"Beviljat ESF-stöd{support}",
        f"Region{region}",
        "",
        f"{name} ger långtidsarbetslösa stöd på vägen till arbete med hjälp av coacher.",
    ]
    return "\n".join(lines) + "\n"


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path
