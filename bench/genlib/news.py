"""News items and web pages about generated projects, with the truth of what they mention."""

from __future__ import annotations

import html
import random
from datetime import date, timedelta
from typing import Any

from genlib import vocab
from genlib.fastrand import pick, randint
from genlib.geo import LAN_NAMES
from genlib.people import mail_domain, person
from genlib.projects import Project
from genlib.text import BANNERS, FOOTERS, NAV, _sentences, fill, html_page, owner_written

_SV_MONTHS = vocab.MONTHS


def amount_phrase(rng: random.Random, amount: int) -> tuple[str, bool]:
    """A Swedish way to write ``amount`` kronor in running text, and whether it is rounded."""
    if amount < 1_000_000 or rng.random() < 0.15:
        return f"{amount:,} kronor".replace(",", " "), False
    millions = amount / 1_000_000
    hedge = pick(rng, ("cirka", "runt", "drygt" if millions % 1 < 0.5 else "knappt", "omkring"))
    if millions >= 10:
        num = f"{round(millions)}"
    else:
        num = f"{millions:.1f}".replace(".", ",").replace(",0", "")
    unit = pick(rng, ("miljoner kronor", "miljoner kr", "miljoner kronor", "mnkr"))
    return f"{hedge} {num} {unit}", True


def start_phrase(rng: random.Random, d: date) -> tuple[str, str]:
    """A written start time and its kind ("day", "month", "season")."""
    r = rng.random()
    if r < 0.4:
        return f"den {d.day} {_SV_MONTHS[d.month - 1]}", "day"
    if r < 0.7:
        return f"i {_SV_MONTHS[d.month - 1]} {d.year}", "month"
    # SEASONS is (spring, summer, autumn, winter): March–May, June–August, September–November,
    # December–February.
    season = vocab.SEASONS[(d.month - 3) % 12 // 3]
    return f"{season} {d.year}", "season"


HEADLINES = (
    "{name} får stöd från Socialfonden",
    "Nytt projekt ska hjälpa {tg} i {place}",
    "{owner} beviljas pengar från ESF",
    "Klart för start: {name}",
    "Miljoner till satsning på {tg} i {lan}",
    "Så ska {name} få fler i arbete",
)
INTRO = (
    "{owner} har beviljats {amount} från Europeiska socialfonden för projektet {name}.",
    "Projektet {name}, som drivs av {owner}, får {amount} i stöd från Europeiska socialfonden.",
    "Svenska ESF-rådet har beslutat att bevilja {amount} till {owner} för satsningen {name}.",
)
DNR = (
    " Ärendet har diarienummer {dnr}.",
    " (dnr {dnr})",
    " Projektet finns i ESF-rådets projektbank under {dnr}.",
)
START = (
    "Projektet startar {start} och pågår i {months} månader.",
    "Arbetet kommer i gång {start}.",
    "Start är planerad till {start}, och projektet avslutas {end}.",
)
SHARE = (
    "Resten av kostnaden, omkring {own} procent, står {owner} och dess samarbetspartner för.",
    "Medfinansieringen från de egna organisationerna uppgår till {own} procent.",
    "EU står för {eu} procent av de stödberättigande kostnaderna.",
)
COUNT = (
    "Omkring {n} deltagare väntas ta del av insatserna.",
    "Målet är att nå {n} personer under projekttiden.",
    "Sammanlagt ska {n} deltagare få stöd.",
)
QUOTE = (
    "– Vi ser ett stort behov av att arbeta tillsammans över gränserna, säger {person}, projektledare.",
    "– Det här ger oss en chans att pröva något nytt på riktigt, säger {person}, som leder projektet.",
    "– Deltagarnas egna mål ska styra arbetet, säger projektledaren {person}.",
)
GENERAL = (
    "Under {season} {year} samlades ett sjuttiotal personer från kommuner och myndigheter i {place} för att diskutera kommande utlysningar.",
    "Samordningsförbunden i {lan} har bjudit in till en träff om hur socialfondsmedel kan användas.",
    "Svenska ESF-rådet informerade om den nya programperioden och vad som krävs av en ansökan.",
)


def render_news(
    projects: list[Project], rng: random.Random, general_place: tuple[str, str] | None = None
) -> tuple[str, str, dict[str, Any]]:
    """(text, extension, truth) for a news item about ``projects`` (may be empty)."""
    r = rng.random()
    fmt = "html" if r < 0.1 else "md" if r < 0.15 else "txt"
    truth: dict[str, Any] = {
        "kind": "news",
        "projects": [p.pid for p in projects],
        "organisations": sorted({p.owner.entity for p in projects}),
        "mentions": [],
        "personal": [],
        "noise": [],
    }
    if not projects:
        place, lan = general_place or ("Jönköping", "06")
        values = {
            "season": pick(rng, vocab.SEASONS),
            "year": randint(rng, 2016, 2025),
            "place": place,
            "lan": LAN_NAMES[lan],
        }
        title = "Inspirationsträff om socialfondsmedel"
        paras = [_sentences(rng, GENERAL, 2, values)]
        return _finish(title, paras, fmt, rng, truth, date(values["year"], 5, 1))

    main = projects[0]
    v = fill(main, rng)
    owner, owner_noise = owner_written(rng, main.owner, upper_p=0.0)
    truth["noise"].extend(owner_noise)
    v["owner"] = owner
    amount = main.esf_support
    v["amount"], approx = amount_phrase(rng, amount)
    title = _cap(pick(rng, HEADLINES).format(**v))
    intro = pick(rng, INTRO).format(**v)
    m: dict[str, Any] = {
        "project": main.pid,
        "name": main.name,
        "owner_written": owner,
        "amount_sek": amount,
        "amount_text": v["amount"],
        "approximate": approx,
        "lan": v["lan"],
        "target_groups": list(main.target_groups),
        "methods": list(main.methods),
    }
    if main.diarienummer and rng.random() < 0.35:
        intro += pick(rng, DNR).format(dnr=main.diarienummer)
        m["diarienummer"] = main.diarienummer
    start, kind = start_phrase(rng, main.start)
    months = (main.end.year - main.start.year) * 12 + main.end.month - main.start.month + 1
    v.update(start=start, months=months, end=f"i {_SV_MONTHS[main.end.month - 1]} {main.end.year}")
    m["start_text"], m["start_kind"], m["start_date"] = start, kind, main.start.isoformat()
    para2 = pick(rng, START).format(**v)
    if rng.random() < 0.7 and main.rate < 1:
        own, eu = round((1 - main.rate) * 100), round(main.rate * 100)
        para2 += " " + pick(rng, SHARE).format(own=own, eu=eu, owner=owner)
        m["own_share"], m["union_rate"] = round(1 - main.rate, 2), main.rate
    if main.participants and rng.random() < 0.7:
        para2 += " " + pick(rng, COUNT).format(n=main.participants)
        m["participants"] = main.participants
    paras = [intro, para2]
    paras.append(_sentences(rng, vocab.CONTEXT, 1, v) + " " + _sentences(rng, vocab.METHOD, 2, v))
    if rng.random() < 0.4:
        who = person(rng, mail_domain(main.owner.name))
        paras.append(pick(rng, QUOTE).format(person=who["name"]))
        truth["personal"].append({"name": who["name"]})
    truth["mentions"].append(m)
    for other in projects[1:]:
        o_owner, o_noise = owner_written(rng, other.owner, upper_p=0.0)
        truth["noise"].extend(o_noise)
        o_amount, o_approx = amount_phrase(rng, other.esf_support)
        paras.append(
            f"Även {o_owner} har fått klartecken, för projektet {other.name}, som får {o_amount}. "
            + _sentences(rng, vocab.AIM, 1, fill(other, rng, o_owner))
        )
        truth["mentions"].append(
            {
                "project": other.pid,
                "name": other.name,
                "owner_written": o_owner,
                "amount_sek": other.esf_support,
                "amount_text": o_amount,
                "approximate": o_approx,
            }
        )
    published = main.start - timedelta(days=randint(rng, 20, 120))
    return _finish(title, paras, fmt, rng, truth, published)


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def _finish(title, paras, fmt, rng, truth, published: date):
    truth["published"] = published.isoformat()
    dateline = (
        published.isoformat()
        if rng.random() < 0.5
        else (f"{published.day} {_SV_MONTHS[published.month - 1]} {published.year}")
    )
    if fmt == "html":
        body = (
            f'<article><h1>{html.escape(title)}</h1>\n<p class="date">{dateline}</p>\n'
            + "\n".join(f"<p>{html.escape(p)}</p>" for p in paras)
            + '\n<p><a href="/nyheter">&gt; Läs mer</a></p></article>'
        )
        return html_page(title, body, rng), "html", truth
    if fmt == "md":
        text = f"# {title}\n\n*{dateline}*\n\n" + "\n\n".join(paras) + "\n"
        return text, "md", truth
    head = ""
    if rng.random() < 0.25:
        head = pick(rng, BANNERS) + pick(rng, NAV) + "\n"
        truth["noise"].append("banner")
    text = head + f"{title}\n\n{dateline}\n\n" + "\n\n".join(paras) + pick(rng, FOOTERS)
    return text, "txt", truth
