"""Swedish vocabulary and sentence templates for synthetic ESF documents.

Every sentence here is written for this generator. Placeholders: {owner}, {name}, {place},
{lan}, {region}, {tg} (target group, indefinite plural), {tg2}, {method}, {method2},
{partner}, {partner2}, {n} (participants), {year}, {season}.
"""

from __future__ import annotations

# (key, phrase used in running text). Keys go to truth; phrases vary the wording.
TARGET_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "uvas",
        (
            "unga som varken arbetar eller studerar",
            "unga i UVAS-gruppen",
            "unga vuxna utan sysselsättning",
        ),
    ),
    ("nyanlanda", ("nyanlända", "nyanlända kvinnor och män", "personer i etableringsfasen")),
    (
        "psykisk_ohalsa",
        (
            "personer med psykisk ohälsa",
            "människor med psykisk ohälsa",
            "personer med psykiatrisk problematik",
        ),
    ),
    (
        "langtidsarbetslosa",
        (
            "långtidsarbetslösa",
            "personer som varit arbetslösa i mer än ett år",
            "långtidsinskrivna arbetssökande",
        ),
    ),
    (
        "funktionsnedsattning",
        (
            "personer med funktionsnedsättning",
            "personer med nedsatt arbetsförmåga",
            "personer med kognitiva funktionsnedsättningar",
        ),
    ),
    (
        "sjukskrivna",
        (
            "långtidssjukskrivna",
            "personer som är sjukskrivna",
            "personer på väg tillbaka efter sjukskrivning",
        ),
    ),
    (
        "forsorjningsstod",
        (
            "personer med försörjningsstöd",
            "hushåll med ekonomiskt bistånd",
            "personer som uppbär ekonomiskt bistånd",
        ),
    ),
    (
        "utrikes_fodda_kvinnor",
        (
            "utrikes födda kvinnor",
            "kvinnor födda utanför Europa",
            "utlandsfödda kvinnor med kort utbildning",
        ),
    ),
    (
        "aktivitetsersattning",
        (
            "unga med aktivitetsersättning",
            "unga vuxna med aktivitetsersättning",
            "unga som har aktivitetsersättning",
        ),
    ),
    (
        "anstallda",
        (
            "anställda inom vård och omsorg",
            "medarbetare i kommunens verksamheter",
            "anställda med kort utbildning",
        ),
    ),
    ("aldre", ("äldre arbetssökande", "arbetslösa över 55 år", "personer i slutet av yrkeslivet")),
)

METHODS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "supported_employment",
        ("Supported employment", "metoden Supported employment", "Supported employment (SE)"),
    ),
    ("ips", ("IPS", "Individual Placement and Support (IPS)", "arbete enligt IPS-modellen")),
    (
        "arbetstraning",
        ("arbetsträning", "arbetsträning på riktiga arbetsplatser", "praktik och arbetsträning"),
    ),
    (
        "kartlaggning",
        ("kartläggning", "en gemensam kartläggning", "kartläggning av förmågor och behov"),
    ),
    ("coachning", ("individuell coachning", "stöd av arbetscoacher", "coachande samtal")),
    (
        "validering",
        ("validering", "validering av yrkeskunskaper", "validering av tidigare erfarenheter"),
    ),
    ("sprakstod", ("språkstöd", "yrkessvenska", "språkträning kopplad till praktik")),
    (
        "studiemotivation",
        ("studiemotiverande insatser", "studiemotiverande kurser", "vägledning mot studier"),
    ),
    (
        "halsa",
        ("hälsofrämjande aktiviteter", "fysisk aktivitet och hälsosamtal", "stöd för bättre hälsa"),
    ),
    (
        "samverkansteam",
        ("multiprofessionella team", "ett gemensamt samverkansteam", "myndighetsgemensamma team"),
    ),
    (
        "kompetensutveckling",
        ("kompetensutveckling", "utbildningsinsatser för personalen", "kompetenshöjande insatser"),
    ),
    (
        "sip",
        (
            "samordnad individuell plan (SIP)",
            "SIP-möten",
            "arbete med samordnade individuella planer",
        ),
    ),
)

PARTNERS = (
    "Arbetsförmedlingen",
    "Försäkringskassan",
    "regionens psykiatri",
    "primärvården",
    "vuxenutbildningen",
    "socialtjänsten",
    "studieförbund",
    "lokala arbetsgivare",
    "civilsamhällets organisationer",
    "folkhögskolan",
    "näringslivet i kommunen",
    "samordningsförbundet",
)

NAME_BASES = (
    "Vägen vidare",
    "Steg för steg",
    "Jobbresan",
    "Framtidsverkstan",
    "Nya vägar till arbete",
    "Kompetenslyftet",
    "Unga in",
    "Arbetscoacher",
    "Hälsa och arbete",
    "Bron till arbetslivet",
    "Trappan",
    "Språkbron",
    "Inkludera mera",
    "Samverkan för hållbar rehabilitering",
    "Kraftsamling",
    "Ett steg närmare",
    "Nästa steg",
    "Mötesplatsen",
    "Plattform för lärande",
    "Arbete först",
    "Vägledning för alla",
    "Livslångt lärande",
    "Motivation och arbete",
    "Grönt arbete",
    "Kompetens i omsorgen",
    "Starka tillsammans",
    "Egen försörjning",
    "Utvägen",
    "Ny start",
    "Arbetsliv i balans",
    "Tidiga insatser",
    "Hela vägen",
    "Jobbspåret",
    "Fokus framtid",
    "Matchning till arbete",
    "Digital delaktighet",
    "Barnens framtid",
    "Lärande i glesbygd",
    "Växtkraft",
    "Arbetsro",
)

NAME_SUFFIXES = (
    "",
    " {place}",
    " {place}",
    " {place}",
    " i {place}",
    " i {place}",
    " – {place}",
    " {place} – ett helhetsgrepp",
    " – från utanförskap till arbete i {place}",
    " för unga i {place}",
    " {region}",
)
NAME_ADJECTIVES = (
    "Nya",
    "Hållbara",
    "Gemensamma",
    "Gröna",
    "Digitala",
    "Lokala",
    "Trygga",
    "Starka",
)
NAME_NOUNS = ("vägar", "steg", "spår", "möjligheter", "broar", "nätverk", "kliv", "vägval")

DEPARTMENTS = (
    "Arbetsmarknadsförvaltningen",
    "Socialförvaltningen",
    "Utbildningsförvaltningen",
    "Arbetsmarknadsenheten",
    "Vuxenutbildningen",
    "Kommunstyrelsen",
    "Välfärdsförvaltningen",
)

ORGS_OTHER = (
    ("Studieförbundet Vuxenskolan {place}", "802", "ideell"),
    ("Föreningen Arbetsglädje i {place}", "802", "ideell"),
    ("{place} Folkhögskola", "802", "ideell"),
    ("Coompanion {place}", "769", "ekonomisk"),
    ("{place} Arbetsintegrerande Företag AB", "559", "ab"),
    ("Stiftelsen Jobbchansen {place}", "802", "stiftelse"),
)

SEASONS = ("våren", "sommaren", "hösten", "vintern")
MONTHS = (
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
)

# Paragraph templates, by role. Each list is sampled without replacement per document.
CONTEXT = (
    "Arbetslösheten i {place} har under flera år legat över riksgenomsnittet, och bland {tg} är den särskilt hög.",
    "I {lan} finns en växande grupp {tg} som inte nås av de ordinarie insatserna.",
    "Kommunens analys visar att {tg} ofta hamnar mellan myndigheternas ansvarsområden.",
    "Många arbetsgivare i {region} har svårt att rekrytera, samtidigt som {tg} står utanför arbetsmarknaden.",
    "Behovet av samordnade insatser har vuxit de senaste åren, inte minst för {tg}.",
    "Tidigare projekt i {place} har visat att korta, enskilda insatser sällan leder till varaktigt arbete.",
    "Glesa avstånd och långa restider gör det svårt att erbjuda stöd på lika villkor i hela {lan}.",
    "Andelen {tg} som får ekonomiskt bistånd har ökat, vilket belastar både individer och kommunens ekonomi.",
    "Näringslivet i {place} efterfrågar arbetskraft med grundläggande yrkeskunskaper och goda svenskkunskaper.",
    "Kunskapen om hur {tg} bäst stöttas är splittrad mellan kommun, region och statliga myndigheter.",
    "Kompetensförsörjningen inom välfärden är en av de största utmaningarna för {place} de kommande tio åren.",
    "Få av dem som deltagit i tidigare insatser har gått vidare till studier eller egen försörjning.",
)
AIM = (
    "Syftet med {name} är att fler {tg} ska komma närmare arbete eller studier.",
    "Projektet ska pröva nya arbetssätt där {method} kombineras med {method2}.",
    "{owner} vill genom projektet skapa en hållbar struktur för samverkan kring {tg}.",
    "Målet är att minst hälften av deltagarna ska ha gått vidare till arbete, studier eller arbetssökande när de avslutar sin tid i projektet.",
    "Projektet ska bygga upp en gemensam modell som kan tas över av ordinarie verksamhet när projekttiden är slut.",
    "Ambitionen är att korta tiden från första kontakt till arbete eller utbildning.",
    "Genom {name} vill {owner} och {partner} tillsammans bryta utanförskap och stärka individens egen förmåga.",
    "I projektet ska personalen få verktyg för att arbeta mer träffsäkert med {tg}.",
    "Det långsiktiga målet är att minska behovet av försörjningsstöd i {place}.",
    "Projektet ska öka kunskapen om {method} hos alla som möter {tg} i sitt arbete.",
)
METHOD = (
    "Varje deltagare får en egen handledare, och arbetet inleds med {method}.",
    "Arbetet bygger på {method} och följs upp med {method2} för den som behöver.",
    "Arbetet sker i små grupper och bygger på {method}, kombinerat med individuella samtal.",
    "En central del är {method}, där deltagarens egna mål styr planeringen.",
    "Tillsammans med {partner} erbjuds {method2} på arbetsplatser i närområdet.",
    "Insatserna sker i nära samarbete med {partner} och {partner2}.",
    "Projektet använder {method} för att tidigt fånga upp hinder och resurser hos deltagarna.",
    "Personalen får utbildning och löpande handledning i arbetet med {method}.",
    "Efter en inledande period med {method} går deltagarna vidare till {method2}.",
    "Stödet ges både enskilt och i grupp, och deltagarna kan vara med i upp till tolv månader.",
)
TARGET = (
    "Projektet vänder sig till {tg} i {place} med omnejd.",
    "Målgruppen är {tg}, och projektet beräknas omfatta cirka {n} deltagare.",
    "Omkring {n} personer väntas delta, främst {tg} men även {tg2}.",
    "Deltagarna är {tg} som behöver stöd från flera aktörer samtidigt.",
    "Projektet riktar sig särskilt till {tg} och {tg2}.",
)
PRINCIPLES = (
    "Jämställdhet, tillgänglighet och icke-diskriminering integreras i samtliga aktiviteter.",
    "Projektet har en plan för hur jämställdhet och tillgänglighet ska genomsyra arbetet.",
    "Deltagarnas erfarenheter tas tillvara genom brukarmedverkan i styrgruppen.",
    "Resultaten följs upp av en extern utvärderare som också stödjer det lärande arbetet.",
    "Erfarenheterna ska spridas till andra kommuner i {region} genom seminarier och en slutkonferens.",
    "En styrgrupp med representanter från {partner} och {owner} följer arbetet.",
    "Projektet samarbetar med {partner} för att resultaten ska kunna leva vidare.",
)
FORSTUDIE = (
    "Förstudien ska kartlägga behoven och förankra ett kommande genomförandeprojekt hos berörda parter.",
    "Under förstudien analyseras tidigare erfarenheter och en projektplan tas fram.",
    "Förstudien ska identifiera vilka aktörer som behöver delta i ett genomförandeprojekt.",
)
GENOMFORANDE = (
    "Projektet bygger vidare på den förstudie som {owner} genomförde året innan.",
    "Genomförandeprojektet tar tillvara de lärdomar som gjordes under förstudien.",
)
SUCCESSOR = (
    "Projektet är en fortsättning på {name_prev}, som avslutades med goda resultat.",
    "Erfarenheterna från {name_prev} ligger till grund för den nya satsningen.",
)
