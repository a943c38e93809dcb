"""Synthetic organisations and projects: the hidden truth that documents are rendered from."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from genlib import vocab
from genlib.fastrand import pick, randint, sample
from genlib.geo import (
    LAN_NAMES,
    LAN_REGION,
    NATIONAL_REGION,
    REGION_ORG_NAMES,
    Kommun,
    kommuner,
    org_number,
)
from genlib.people import mail_domain, person

LAYOUT_2021 = "esf2021"
LAYOUT_2014 = "esf2014"
LAYOUT_2014_WEB = "esf2014_web"
LAYOUT_2007 = "esf2007"
LAYOUT_TITLE = "title_only"
LAYOUTS = (LAYOUT_2021, LAYOUT_2014, LAYOUT_2014_WEB, LAYOUT_2007, LAYOUT_TITLE)
LAYOUT_WEIGHTS = (40, 35, 10, 10, 5)
PERIOD_OF_LAYOUT = {
    LAYOUT_2021: "2021-2027",
    LAYOUT_TITLE: "2021-2027",
    LAYOUT_2014: "2014-2020",
    LAYOUT_2014_WEB: "2014-2020",
    LAYOUT_2007: "2007-2013",
}

# (area, area label, objectives)
AREAS_2021 = (
    (
        "A",
        "Öka möjligheten till ett inkluderande och hållbart arbetsliv för alla",
        ("A1", "A1B", "A2", "A2B"),
    ),
    ("B", "Öka möjligheten till arbete", ("B1",)),
    ("C", "Minska risken för ekonomisk utsatthet", ("C1",)),
    ("D", "Öka kapaciteten i den glesa geografin", ("D1", "D2")),
    ("E", "Social innovation", ("E1",)),
)
AREAS_2014 = (
    ("1", "Kompetensförsörjning", ("1.1", "1.2")),
    ("2", "Ökade övergångar till arbete", ("2.1", "2.2", "2.3")),
    ("3", "Sysselsättningsinitiativet för unga", ("3.1",)),
    ("5", "React-EU", ("5.1",)),
)
AREAS_2007 = (
    ("1", "Programområde 1 Kompetensförsörjning"),
    ("2", "Programområde 2 Ökat arbetskraftsutbud"),
)
YEI_REGIONS = {"Sydsverige", "Norra Mellansverige", "Mellersta Norrland"}
TRANSITION_REGIONS = {"Norra Mellansverige", "Mellersta Norrland"}
INTERVENTIONS_2021 = ("136", "137", "138", "141", "145", "150", "152", "153", "158", "163")
TG_KEYS = tuple(k for k, _ in vocab.TARGET_GROUPS)
METHOD_KEYS = tuple(k for k, _ in vocab.METHODS)
INTERVENTIONS_2014 = ("102", "103", "104", "109", "112", "117", "118")


@dataclass(slots=True)
class Org:
    """An organisation entity; ``entity`` is stable across documents."""

    entity: str
    name: str  # canonical display name
    org_number: str  # 10 digits
    kind: str  # kommun, region, samordningsforbund, ideell, ab, ...
    lan: str
    place: str  # a kommun name, for text


@dataclass(slots=True)
class Project:
    pid: str
    layout: str
    period: str
    name: str
    owner: Org
    kommun: Kommun
    region: str
    nuts2: str
    start: date
    end: date
    total_budget: int
    esf_support: int
    rate: float
    participants: int
    area: str
    area_label: str
    objective: str | None
    intervention: str | None
    phase: str
    diarienummer: str | None = None
    call_diarienummer: str | None = None
    target_groups: list[str] = field(default_factory=list)
    methods: list[str] = field(default_factory=list)
    contact: dict[str, str] | None = None
    relation: dict[str, str] | None = None
    noise: list[str] = field(default_factory=list)


class World:
    """Creates organisations and projects deterministically from one random generator."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.kommuner = kommuner()
        self._orgs: dict[tuple[str, str], Org] = {}
        self._serial: dict[str, int] = {}
        self._used_org: set[str] = {k.org_number for k in self.kommuner}
        self._dnr_2021: dict[int, tuple[int, int, int]] = {}
        self._dnr_2014: dict[int, int] = {}
        self._calls_2014: dict[int, list[str]] = {}
        self._names_used: dict[str, str] = {}
        self.projects: list[Project] = []
        self._recent: list[Project] = []  # candidates for pairs and successors
        self._continued: set[str] = set()

    # -- organisations ---------------------------------------------------------------

    def _new_org_number(self, prefix: str) -> str:
        while True:
            serial = self._serial.get(prefix, 99) + 1
            self._serial[prefix] = serial
            if serial > 999:
                prefix = str(int(prefix) + 1)
                continue
            number = org_number(prefix, serial)
            if number not in self._used_org:
                self._used_org.add(number)
                return number

    def org_for(self, kommun: Kommun, kind: str) -> Org:
        key = (kind, kommun.lan if kind == "region" else kommun.code)
        org = self._orgs.get(key)
        if org is not None:
            return org
        if kind == "kommun":
            org = Org("", kommun.official, kommun.org_number, kind, kommun.lan, kommun.name)
        elif kind == "region":
            name = REGION_ORG_NAMES[kommun.lan]
            org = Org("", name, self._new_org_number("232100"), kind, kommun.lan, kommun.name)
        elif kind == "samordningsforbund":
            name = f"Samordningsförbundet {kommun.name}"
            org = Org("", name, self._new_org_number("222000"), kind, kommun.lan, kommun.name)
        else:
            template, prefix, legal = pick(self.rng, vocab.ORGS_OTHER)
            name = template.format(place=kommun.name)
            org = Org(
                "", name, self._new_org_number(prefix + "500"), legal, kommun.lan, kommun.name
            )
        org.entity = "org:" + org.org_number
        self._orgs[key] = org
        return org

    # -- identifiers -------------------------------------------------------------------

    def _dnr2021(self, year: int) -> str:
        """Next unused ``YY-NNN-SNN``; sparse at first, dense when a year fills up."""
        for y in [year] + [y for y in range(21, 30) if y != year]:
            state = self._dnr_2021.get(y)
            nnn, snn, used = state or (randint(self.rng, 0, 20), 99, 0)
            dense = used > 1500
            if snn < 99 and (dense or self.rng.random() < 0.6):
                snn += 1
            else:
                nnn += 1 if dense else randint(self.rng, 1, 2)
                snn = 1
            if nnn > 999:
                continue
            self._dnr_2021[y] = (nnn, snn, used + 1)
            return f"{y:02d}-{nnn:03d}-S{snn:02d}"
        raise ValueError("the YY-NNN-SNN diarienummer space is exhausted")

    def _dnr2014(self, year: int) -> str:
        """Next unused ``YYYY/NNNNN``; sparse at first, dense when a year fills up."""
        for y in [year] + [y for y in range(2014, 2023) if y != year]:
            last = self._dnr_2014.get(y)
            if last is None:
                n = randint(self.rng, 20, 300)
            else:
                n = last + (1 if last > 30000 else randint(self.rng, 1, 3))
            if n > 99999:
                continue
            self._dnr_2014[y] = n
            return f"{y}/{n:05d}"
        raise ValueError("the YYYY/NNNNN diarienummer space is exhausted")

    def _call2014(self, year: int) -> str:
        """A call (utlysning) diarienummer of that year; calls are shared by many projects."""
        calls = self._calls_2014.setdefault(year, [])
        if not calls or self.rng.random() < 0.08:
            calls.append(self._dnr2014(year))
        return pick(self.rng, calls)

    # -- projects ----------------------------------------------------------------------

    def _dates(self, first_year: int, last_year: int, months: tuple[int, int]) -> tuple[date, date]:
        rng = self.rng
        start = date(randint(rng, first_year, last_year), randint(rng, 1, 12), 1)
        length = randint(rng, *months)
        y, m = divmod(start.month - 1 + length, 12)
        end = date(start.year + y, m + 1, 1) - timedelta(days=1)
        return start, end

    def _budget(self, forstudie: bool) -> int:
        if forstudie:
            return self.rng.randrange(100_000, 400_000, 1)
        return int(round(math.exp(self.rng.uniform(math.log(600_000), math.log(60_000_000))), -2))

    def _name(self, kommun: Kommun, region: str) -> str:
        if self.rng.random() < 0.3:
            base = f"{pick(self.rng, vocab.NAME_ADJECTIVES)} {pick(self.rng, vocab.NAME_NOUNS)}"
        else:
            base = pick(self.rng, vocab.NAME_BASES)
        suffix = pick(self.rng, vocab.NAME_SUFFIXES)
        return base + suffix.format(place=kommun.name, region=region)

    def new_project(self, layout: str) -> Project:
        rng = self.rng
        kommun = pick(rng, self.kommuner)
        r = rng.random()
        kind = (
            "kommun"
            if r < 0.55
            else "samordningsforbund"
            if r < 0.73
            else "region"
            if r < 0.85
            else "other"
        )
        owner = self.org_for(kommun, kind)
        region, nuts2 = LAN_REGION[kommun.lan]
        period = PERIOD_OF_LAYOUT[layout]
        relation = None
        phase = "Genomförande"
        pid = f"proj:{len(self.projects) + 1:07d}"
        prev = self._pick_predecessor(layout)
        if prev is not None:
            self._continued.add(prev.pid)
            kommun, owner, region, nuts2 = prev.kommun, prev.owner, prev.region, prev.nuts2

        if layout in (LAYOUT_2021, LAYOUT_TITLE):
            area, area_label, objectives = pick(rng, AREAS_2021)
            if area == "D" and region not in ("Övre Norrland", "Mellersta Norrland"):
                area, area_label, objectives = AREAS_2021[0]
            objective = pick(rng, objectives)
            if area == "C" and rng.random() < 0.3:
                region, nuts2 = NATIONAL_REGION
            rate = (
                0.9
                if region == NATIONAL_REGION[0]
                else 0.6
                if region in TRANSITION_REGIONS
                else 0.4
            )
            intervention = pick(rng, INTERVENTIONS_2021)
            start, end = self._dates(2022, 2026, (9, 40))
            forstudie = False
        elif layout in (LAYOUT_2014, LAYOUT_2014_WEB):
            area, area_label, objectives = rng.choices(AREAS_2014, cum_weights=(30, 80, 92, 100))[0]
            if area == "3" and region not in YEI_REGIONS:
                area, area_label, objectives = AREAS_2014[1]
            objective = pick(rng, objectives)
            rate = 0.5
            intervention = pick(rng, INTERVENTIONS_2014)
            forstudie = rng.random() < 0.15
            start, end = self._dates(2015, 2021, (4, 9) if forstudie else (12, 36))
        else:
            area, area_label = pick(rng, AREAS_2007)
            objective = None
            intervention = None
            rate = 0.5
            forstudie = rng.random() < 0.3
            start, end = self._dates(
                2008, 2011 if forstudie else 2012, (4, 10) if forstudie else (18, 36)
            )
        if forstudie:
            phase = "Förstudie"

        name = self._name(kommun, region)
        if prev is not None:
            if layout == LAYOUT_2007 and prev.phase == "Förstudie":
                name, phase, forstudie = prev.name, "Genomförande", False
                area, area_label = prev.area, prev.area_label
                gap = randint(rng, 1, 6)
                y, m = divmod(prev.end.month + gap, 12)
                start = date(prev.end.year + y, m + 1, 1)
                end = start + timedelta(days=30 * randint(rng, 18, 36))
                end = date(end.year, end.month, 1) - timedelta(days=1)
                relation = {"type": "genomforande_of", "project": prev.pid}
            else:
                name = prev.name + pick(rng, (" 2.0", " 2.0", " II", " – steg 2"))
                relation = {"type": "successor_of", "project": prev.pid}
                first = max(prev.end.year + 1, 2022)
                start, end = self._dates(first, max(first, 2026), (12, 40))
        total = self._budget(forstudie)
        share = 1.0 if forstudie else pick(rng, (0.47, 0.5, 0.54, 0.67))
        esf_support = int(round(total * share))
        participants = (
            0
            if forstudie and rng.random() < 0.5
            else pick(
                rng,
                (
                    12,
                    20,
                    25,
                    30,
                    40,
                    45,
                    60,
                    75,
                    80,
                    100,
                    120,
                    140,
                    150,
                    200,
                    250,
                    300,
                    400,
                    600,
                    1200,
                ),
            )
        )

        p = Project(
            pid=pid,
            layout=layout,
            period=period,
            name=name,
            owner=owner,
            kommun=kommun,
            region=region,
            nuts2=nuts2,
            start=start,
            end=end,
            total_budget=total,
            esf_support=esf_support,
            rate=rate,
            participants=participants,
            area=area,
            area_label=area_label,
            objective=objective,
            intervention=intervention,
            phase=phase,
            relation=relation,
        )
        if layout in (LAYOUT_2021, LAYOUT_TITLE):
            p.diarienummer = self._dnr2021(max(22, start.year % 100 - pick(rng, (0, 0, 1))))
        elif layout in (LAYOUT_2014, LAYOUT_2014_WEB):
            decided = max(2014, start.year - pick(rng, (0, 0, 1)))
            p.diarienummer = self._dnr2014(decided)
            p.call_diarienummer = self._call2014(max(2014, decided - pick(rng, (0, 0, 1))))
        p.target_groups = sample(rng, TG_KEYS, 2)
        p.methods = sample(rng, METHOD_KEYS, 2)
        if layout in (LAYOUT_2014, LAYOUT_2007) or rng.random() < 0.2:
            p.contact = person(rng, mail_domain(owner.name))
        if name in self._names_used and relation is None:
            p.noise.append("shared_name")
        self._names_used.setdefault(name, pid)
        self.projects.append(p)
        if len(self._recent) < 200:
            self._recent.append(p)
        else:
            self._recent[rng.randrange(200)] = p
        return p

    def _pick_predecessor(self, layout: str) -> Project | None:
        """An earlier project to continue: förstudie → genomförande (2007–2013) or a 2.0."""
        rng = self.rng
        if not self._recent:
            return None
        if layout == LAYOUT_2007 and rng.random() < 0.35:
            cands = [
                p
                for p in self._recent
                if p.layout == LAYOUT_2007
                and p.phase == "Förstudie"
                and p.pid not in self._continued
            ]
            return pick(rng, cands) if cands else None
        if layout == LAYOUT_2021 and rng.random() < 0.06:
            cands = [
                p
                for p in self._recent
                if p.layout in (LAYOUT_2014, LAYOUT_2014_WEB)
                and p.pid not in self._continued
                and p.end.year < 2026
            ]
            return pick(rng, cands) if cands else None
        return None

    def lan_name(self, p: Project) -> str:
        return LAN_NAMES[p.kommun.lan]
