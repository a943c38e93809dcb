"""Running text: descriptions from sentence templates, owner-name noise, page chrome."""

from __future__ import annotations

import html
import random

from genlib import vocab
from genlib.fastrand import pick, randint, sample
from genlib.geo import LAN_NAMES
from genlib.projects import Org, Project

TG_PHRASES = dict(vocab.TARGET_GROUPS)
METHOD_PHRASES = dict(vocab.METHODS)

BANNERS = (
    "Vi använder kakor (cookies) för att webbplatsen ska fungera och för att förbättra din upplevelse.\n"
    "Godkänn alla kakor\nEndast nödvändiga\nInställningar för kakor\n",
    "Den här webbplatsen använder cookies. Genom att fortsätta surfa godkänner du att vi sparar cookies.\n"
    "Jag förstår\n",
)
NAV = (
    "Till innehåll\nStartsida\nProjektbanken\nSök projekt\nUtlysningar\nOm oss\nKontakt\n",
    "Meny\nHem\nAktuellt\nProjekt\nNyheter\nIn English\nLoading...\n",
)
FOOTERS = (
    "\n> Läs mer om Europeiska socialfonden\n",
    "\nDela sidan: Facebook LinkedIn E-post\nSidan uppdaterades senast för en tid sedan.\n",
    "\nFöljande organisationer finansierar arbetet: Europeiska unionen, Europeiska socialfonden.\n",
)


def fill(p: Project, rng: random.Random, owner: str | None = None) -> dict[str, object]:
    """Template values for a project; phrase lists under ``_`` keys are re-drawn per sentence."""
    partners = sample(rng, vocab.PARTNERS, 2)
    tg = TG_PHRASES[p.target_groups[0]]
    m1 = METHOD_PHRASES[p.methods[0]]
    return {
        "owner": owner or p.owner.name,
        "name": p.name,
        "place": p.kommun.name,
        "lan": LAN_NAMES[p.kommun.lan],
        "region": p.region if p.region != "ESF Nationellt" else "hela landet",
        "tg": pick(rng, tg),
        "tg2": pick(rng, TG_PHRASES[p.target_groups[1]]),
        "method": pick(rng, m1),
        "method2": pick(rng, METHOD_PHRASES[p.methods[1]]),
        "partner": partners[0],
        "partner2": partners[1],
        "n": p.participants or pick(rng, (30, 50, 80)),
        "name_prev": p.name.rsplit(" ", 1)[0],
        "_tg": tg,
        "_method": m1,
    }


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def _sentences(rng: random.Random, pool: tuple[str, ...], k: int, values: dict[str, object]) -> str:
    out = []
    for t in sample(rng, pool, k):
        if "_tg" in values:
            values["tg"] = pick(rng, values["_tg"])
            values["method"] = pick(rng, values["_method"])
        out.append(_cap(t.format(**values)))
    return " ".join(out)


def describe(p: Project, rng: random.Random) -> str:
    """A multi-paragraph project description built from the project's topics."""
    v = fill(p, rng)
    paras = [_sentences(rng, vocab.CONTEXT, randint(rng, 2, 3), v)]
    aim = _sentences(rng, vocab.AIM, randint(rng, 1, 3), v)
    if p.phase == "Förstudie":
        aim = pick(rng, vocab.FORSTUDIE) + " " + aim
    elif p.relation and p.relation["type"] == "genomforande_of":
        aim = pick(rng, vocab.GENOMFORANDE).format(**v) + " " + aim
    elif p.relation and p.relation["type"] == "successor_of":
        aim = pick(rng, vocab.SUCCESSOR).format(**v) + " " + aim
    paras.append(aim)
    paras.append(
        _sentences(rng, vocab.METHOD, randint(rng, 2, 3), v)
        + " "
        + _sentences(rng, vocab.TARGET, 1, v)
    )
    if rng.random() < 0.7:
        paras.append(_sentences(rng, vocab.PRINCIPLES, randint(rng, 1, 2), v))
    return "\n\n".join(paras)


def typo(rng: random.Random, s: str) -> str:
    """One realistic typing error (swap, drop or double a letter) inside a longer word."""
    words = s.split(" ")
    idx = [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha()]
    if not idx:
        return s
    i = pick(rng, idx)
    w = words[i]
    j = rng.randrange(1, len(w) - 1)
    op = rng.randrange(3)
    if op == 0:
        w = w[:j] + w[j + 1] + w[j] + w[j + 2 :]
    elif op == 1:
        w = w[:j] + w[j + 1 :]
    else:
        w = w[:j] + w[j] + w[j:]
    words[i] = w
    return " ".join(words)


def owner_written(
    rng: random.Random, org: Org, upper_p: float, allow_typo: bool = True
) -> tuple[str, list[str]]:
    """The owner's name as one document writes it, and the noise applied."""
    name = org.name
    noise: list[str] = []
    if org.kind == "samordningsforbund" and rng.random() < 0.3:
        name = pick(rng, ("Sf {p}", "Finsam {p}", "Samordningsförbundet i {p}")).format(p=org.place)
        noise.append("owner_abbrev")
    elif org.kind == "kommun" and rng.random() < 0.12:
        name = f"{name}, {pick(rng, vocab.DEPARTMENTS)}"
        noise.append("owner_department")
    if allow_typo and rng.random() < 0.02:
        name = typo(rng, name)
        noise.append("owner_typo")
    if rng.random() < upper_p:
        name = name.upper()
        noise.append("owner_upper")
    return name, noise


def html_page(title: str, body: str, rng: random.Random, banner: bool = True) -> str:
    """A small web page around ``body`` (already HTML), with menu, cookie banner, footer."""
    banner_html = (
        '<div class="cookie-banner" id="cookie-consent"><p>'
        + html.escape(pick(rng, BANNERS).split("\n")[0])
        + "</p><button>Godkänn alla kakor</button><button>Inställningar</button></div>\n"
        if banner
        else ""
    )
    return (
        '<!DOCTYPE html>\n<html lang="sv">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(title)}</title>\n</head>\n<body>\n{banner_html}"
        '<nav class="main-menu"><ul><li><a href="/">Startsida</a></li>'
        '<li><a href="/projekt">Projekt</a></li><li><a href="/nyheter">Nyheter</a></li>'
        '<li><a href="/kontakt">Kontakt</a></li></ul></nav>\n'
        f"<main>\n{body}\n</main>\n"
        "<footer><p>Webbplatsen använder kakor.</p><p>Tillgänglighetsredogörelse</p></footer>\n"
        "</body>\n</html>\n"
    )


def paragraphs_html(text: str) -> str:
    return "\n".join(f"<p>{html.escape(p)}</p>" for p in text.split("\n\n") if p.strip())
