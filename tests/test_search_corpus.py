"""A small corpus of our own Swedish texts for the search tests (no tests in this module)."""

from __future__ import annotations

from pathlib import Path

RECORDS = {
    "unga_varmland.txt": """24-210-S01 - Unga vägar Värmland

Diarienummer:
24-210-S01
Namn:
Unga vägar Värmland
Startdatum:
2024-02-01
Slutdatum:
2026-12-31
Berörd fond:
ESF+
Projektägare organisationsnummer:
2120001850
Projektägare:
KARLSTADS KOMMUN
Programområde:
A
Specifikt mål:
A2B
Region:
Norra Mellansverige
Kontaktperson:
Märta Lindqvist
E-post:
marta.lindqvist@exempel.se

Projektet vänder sig till unga mellan 16 och 24 år i Värmland som varken arbetar eller studerar.
Genom coachning, praktik och studiebesök ska ungdomarna hitta en väg tillbaka till skolan eller
ut på arbetsmarknaden. Kommunerna i länet samarbetar med Arbetsförmedlingen.
""",
    "kompass_unga.txt": """2018/00345 - Kompass för unga

Diarienummer:
2018/00345
Namn:
Kompass för unga
Projektägare:
Malmö stad
Startdatum:
2018-09-01
Slutdatum:
2020-08-31
Region:
Sydsverige
Total projektbudget:
4 500 000
Programområde:
2
Specifikt mål:
2.2

Kompass för unga stöttar ungdomar som varken arbetar eller studerar att komma vidare till
arbete eller utbildning. Unga deltagare får en personlig coach och möjlighet till praktik.
""",
    "vard_kompetens.txt": """2019/00877 - Digital kompetens i vården

Diarienummer:
2019/00877
Namn:
Digital kompetens i vården
Projektägare:
Borås stad
Startdatum:
2019-03-01
Slutdatum:
2021-02-28
Region:
Västsverige
Total projektbudget:
12 000 000
Programområde:
1
Specifikt mål:
1.1

Projektet ger anställda inom äldreomsorgen kompetensutveckling i digitala verktyg. Genom
kompetenshöjande utbildningar blir personalen tryggare i sitt arbete med välfärdsteknik.
""",
    "halsa_samverkan.txt": """2017/00120 - Samverkan för hälsa

Diarienummer:
2017/00120
Namn:
Samverkan för hälsa
Projektägare:
Samordningsförbundet Östra Östergötland
Startdatum:
2017-05-01
Slutdatum:
2019-04-30
Region:
Östra Mellansverige
Total projektbudget:
800 000
Programområde:
2
Specifikt mål:
2.3
Kontaktperson:
Gunnar Axelsson
E-post:
gunnar.axelsson@exempel.se

Samordningsförbundets projekt hjälper personer med psykisk ohälsa som är långt från
arbetsmarknaden. Myndigheterna samverkar i ett gemensamt team kring varje deltagare.
""",
}

NEWS = {
    "nyhet_gavle.txt": """Nytt stöd för nyanlända kvinnor i Gävle

Gävle kommun startar en satsning där nyanlända kvinnor får språkstöd och praktik på lokala
arbetsplatser. Projektledare Karin Dahlgren berättar att intresset varit stort. Frågor kan
skickas till karin.dahlgren@exempel.se.
""",
    "nyhet_forbund.txt": """Förbunden i länet bjuder in till konferens

Samordningsförbunden i Jönköpings län samlas i Nässjö för en dag om samverkan och
rehabilitering. Förbundens medarbetare delar erfarenheter av arbetet med unga vuxna.
""",
}


def write_corpus(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, body in {**RECORDS, **NEWS}.items():
        (folder / name).write_text(body, encoding="utf-8")
    return folder
