"""Linking benchmark: precision, recall, wall time and peak memory on a generated corpus.

    .venv/bin/python bench/link_bench.py                    # 10 000 and 100 000 records
    .venv/bin/python bench/link_bench.py --sizes 1000000    # 1 000 000 (or --million: also)
    .venv/bin/python bench/link_bench.py --sizes 100000 --profile   # + cProfile of linking
    .venv/bin/python bench/link_bench.py --sizes 10000 --text   # news facts from the extractors
    .venv/bin/python bench/link_bench.py --sizes 10000 --splink # + Splink for organisations

Corpus: `bench/generate.py` (records in every layout, news items = records / 5, truth per
file; above 100 000 records several generator worlds, their diarienummer, entities and
non-kommun organisations kept apart) plus second sources for 5 % of the 2007–2013 records (name in capitals, a typing error,
no start date, or the owner abbreviated), which must be found `same_as` their first source.
Records enter as the fields their truth says a parser extracts (owner names as written, with
the generator's noise); news items enter as the facts their truth mentions (default, fast)
or as the facts `projektatlas.extract` finds in their text (`--text`, slow: ~40 ms a news
item). Each size runs in a subprocess of its own so that peak memory (ru_maxrss) is its own.

Measured, each with a baseline in the same run:
- same organisation: pairs of records whose owners are one organisation (baseline: the owner
  string exactly as written);
- same project: pairs of records that are one project (baseline: the store's identity, i.e.
  diarienummer or 2007–2013 name/owner/start slug);
- project relations (förstudie → genomförande, successor) (baseline: exact name and owner
  string);
- document → project (`linked`; baseline: the exact project name occurs in the text).
Wall time is for linking only (generation excluded): owners, project relations, documents;
each stage also with its process CPU time. `--profile` runs the linking stages under cProfile
(stats to bench/out/link_profile_N.prof, the top functions to stderr); `--cache` keeps the
generated corpus in bench/out/ (pickle) so that repeated runs skip generation.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import json
import pickle
import pstats
import random
import re
import resource
import subprocess
import sys
import time
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

from generate import iter_documents  # noqa: E402

from projektatlas.extract.gazetteer import lan_by_name  # noqa: E402
from projektatlas.link.clusters import OrgClusterer  # noqa: E402
from projektatlas.link.documents import ProjectIndex, gc_paused, link_documents  # noqa: E402
from projektatlas.link.keys import name_key, project_name_key, successor_base  # noqa: E402
from projektatlas.link.profiles import (  # noqa: E402
    DocumentEvidence,
    Mention,
    ProjectProfile,
    evidence_from_facts,
)
from projektatlas.link.projects import project_links  # noqa: E402
from projektatlas.normalize import parse_number  # noqa: E402
from projektatlas.records import slug  # noqa: E402

SEASON_START = {"vinter": 12, "vår": 3, "sommar": 6, "höst": 9}


# -- corpus --------------------------------------------------------------------------------


def _perturb(fields: dict[str, Any], rng: random.Random) -> tuple[dict[str, Any], str]:
    f = dict(fields)
    kind = rng.choice(("upper", "typo", "no_start", "owner_abbrev"))
    if kind == "upper":
        f["name"] = f["name"].upper()
    elif kind == "typo":
        words = f["name"].split(" ")
        i = max(range(len(words)), key=lambda k: len(words[k]))
        w = words[i]
        if len(w) >= 5:
            j = rng.randrange(1, len(w) - 2)
            words[i] = w[:j] + w[j + 1] + w[j] + w[j + 2 :]
        f["name"] = " ".join(words)
    elif kind == "no_start":
        f.pop("start_date", None)
    else:
        owner = f.get("owner_name", "")
        if owner.startswith("Samordningsförbundet "):
            f["owner_name"] = "Sf " + owner.split(" ", 1)[1]
        else:
            f["owner_name"] = owner.upper()
    return f, kind


CHUNK = 100_000  # one generator world runs out of YY-NNN-SNN numbers before 250 000
_TAGS = (
    "",
    " Alfa",
    " Bravo",
    " Charlie",
    " Delta",
    " Echo",
    " Foxtrot",
    " Golf",
    " Hotell",
    " India",
)


def _is_kommun(number: str | None) -> bool:
    return bool(number) and number.startswith("212000")


def _tag_owner(name: str, k: int) -> str:
    """A non-kommun organisation of chunk k gets a name of its own (worlds share names)."""
    head, sep, tail = name.partition(",")
    return head + _TAGS[k] + sep + tail


def _namespaced(doc: Any, k: int) -> Any:
    """Chunk k's documents with diarienummer, entities and organisations kept apart."""
    if k == 0:
        return doc
    t = doc.truth
    if doc.kind == "news":
        t["projects"] = [f"{k}:{e}" for e in t["projects"]]
        for m in t["mentions"]:
            m["project"] = f"{k}:{m['project']}"
            if m.get("diarienummer"):
                m["diarienummer"] = f"{m['diarienummer']}~{k}"
            if not m.get("owner_is_kommun"):
                m["owner_written"] = _tag_owner(m["owner_written"], k)
        return doc
    f = t["fields"]
    if f.get("diarienummer"):
        f["diarienummer"] = f"{f['diarienummer']}~{k}"
    t["entity"]["project"] = f"{k}:{t['entity']['project']}"
    if t.get("relation"):
        t["relation"]["project"] = f"{k}:{t['relation']['project']}"
    if not _is_kommun(t["owner"]["org_number"]):
        t["owner"]["entity"] = f"{k}:{t['owner']['entity']}"
        if f.get("owner_org_number"):
            f["owner_org_number"] = f"{f['owner_org_number']}~{k}"
        if f.get("owner_name"):
            f["owner_name"] = _tag_owner(f["owner_name"], k)
    return doc


def _documents(n_records: int, seed: int) -> Any:
    kommun_projects: set[str] = set()
    for k, start in enumerate(range(0, n_records, CHUNK)):
        size = min(CHUNK, n_records - start)
        for doc in iter_documents(size, size // 5, seed + 1000 * k):
            if doc.kind == "record" and _is_kommun(doc.truth["owner"]["org_number"]):
                kommun_projects.add(f"{k}:{doc.truth['entity']['project']}")
            if doc.kind == "news":
                for m in doc.truth["mentions"]:
                    m["owner_is_kommun"] = f"{k}:{m['project']}" in kommun_projects
            yield _namespaced(doc, k)


def cached_corpus(n_records: int, seed: int) -> tuple[list[dict], list[Any]]:
    """`corpus()`, kept in bench/out/ between runs (generation takes minutes at 1 000 000)."""
    path = ROOT / "bench" / "out" / f"link_corpus_{n_records}_{seed}.pickle"
    if path.exists():
        with path.open("rb") as fh:
            return pickle.load(fh)
    data = corpus(n_records, seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with tmp.open("wb") as fh:
        pickle.dump(data, fh, protocol=pickle.HIGHEST_PROTOCOL)
    tmp.replace(path)
    return data


def corpus(n_records: int, seed: int) -> tuple[list[dict], list[Any]]:
    """Records (fields + truth) with 2007–2013 second sources, and the news documents."""
    records: list[dict] = []
    news = []
    rng = random.Random(seed + 1)
    for doc in _documents(n_records, seed):
        if doc.kind == "news":
            news.append(doc)
            continue
        t = doc.truth
        rec = {
            "fields": t["fields"],
            "entity": t["entity"]["project"],
            "owner_entity": t["owner"]["entity"],
            "relation": t.get("relation"),
        }
        records.append(rec)
        if t["layout"] == "esf2007" and rng.random() < 0.05:
            fields, kind = _perturb(t["fields"], rng)
            records.append({**rec, "fields": fields, "perturbed": kind})
    return records, news


def identity(fields: dict[str, Any]) -> str:
    """The store's project identity (as `projektatlas.records` makes it)."""
    if fields.get("diarienummer"):
        return fields["diarienummer"]
    return ":".join(
        (
            "2007-2013",
            slug(str(fields.get("name", ""))),
            slug(str(fields.get("owner_name", ""))),
            str(fields.get("start_date") or ""),
        )
    )


def _date(value: Any) -> date | None:
    return date.fromisoformat(value) if value else None


# -- evidence of news items -----------------------------------------------------------------


_AMOUNT = re.compile(r"(\d[\d\s\u00a0]*(?:,\d+)?)\s*(miljoner|mnkr)?")


def _amount(text: str) -> float | None:
    """SEK in "335 911 kronor", "omkring 5,7 miljoner kronor", "cirka 24 mnkr"."""
    match = _AMOUNT.search(text)
    if not match:
        return None
    number = parse_number(match.group(1).strip())
    if number is None:
        return None
    return float(number) * (1_000_000 if match.group(2) else 1)


def evidence_from_truth(i: int, doc: Any) -> DocumentEvidence:
    """The facts a news item states, taken from its truth (what an extractor should find)."""
    ev = DocumentEvidence(i, doc.name, name_key(doc.text))
    for m in doc.truth["mentions"]:
        ev.names.append(Mention(m["name"], m["name"], {"kind": "name"}))
        ev.organisations.append(Mention(m["owner_written"], m["owner_written"], {}))
        if m.get("diarienummer"):
            ev.diarienummer.append(Mention(m["diarienummer"], m["diarienummer"], {}))
        lan = lan_by_name(m["lan"]) if m.get("lan") else None
        if lan is not None:
            attrs = {"level": "lan", "esf_region": lan.esf_region}
            ev.regions.append(Mention(m["lan"], lan.name, attrs))
        amount = _amount(m.get("amount_text", ""))
        if amount:
            attrs = {"approximate": m.get("approximate", False), "refers_to": "granted"}
            ev.amounts.append(Mention(m["amount_text"], amount, attrs))
        start = _date(m.get("start_date"))
        if start and m.get("start_kind") == "day":
            ev.dates.append(Mention(m["start_text"], f"XXXX-{start:%m-%d}", {"partial": True}))
        elif start and m.get("start_kind") == "month":
            end = date(start.year + start.month // 12, start.month % 12 + 1, 1)
            period = {"start": start.isoformat(), "end": (end.toordinal() - 1)}
            period["end"] = date.fromordinal(period["end"]).isoformat()
            ev.periods.append(Mention(m["start_text"], period, {}))
        elif start:
            first = (start.month // 3) * 3 or 12
            y = start.year - (1 if first == 12 and start.month < 12 else 0)
            s = date(y, first, 1)
            e_month = (first + 2) % 12 or 12
            e_year = s.year + (1 if e_month < first else 0)
            e = date(e_year + e_month // 12, e_month % 12 + 1, 1)
            period = {
                "start": s.isoformat(),
                "end": date.fromordinal(e.toordinal() - 1).isoformat(),
            }
            ev.periods.append(Mention(m["start_text"], period, {}))
        if m.get("own_share") is not None:
            ev.shares.append(Mention("egen andel", m["own_share"], {"refers_to": "cofinancing"}))
        if m.get("participants"):
            ev.counts.append(Mention("deltagare", m["participants"], {"what": "deltagare"}))
    return ev


def evidence_from_text(i: int, doc: Any) -> DocumentEvidence:
    """The facts `projektatlas.extract` finds in the news item's clean text."""
    from projektatlas.extract import extract_facts
    from projektatlas.extract.clean import clean_text
    from projektatlas.sources.html import html_to_text

    text = doc.text
    if doc.name.endswith(".html"):
        text = html_to_text(text).text
    text = clean_text(text).text
    facts = [(f.type, f.text, f.value, f.attrs) for f in extract_facts(text)]
    return evidence_from_facts(i, facts, text, doc.name)


# -- metrics ---------------------------------------------------------------------------------


def pair_metrics(pred: list[Any], truth: list[Any]) -> dict[str, float]:
    """Pairwise precision/recall of a clustering `pred` against `truth` (same items)."""

    def pairs(counter: Counter) -> int:
        return sum(c * (c - 1) // 2 for c in counter.values())

    both = pairs(Counter(zip(pred, truth, strict=True)))
    p_pairs, t_pairs = pairs(Counter(pred)), pairs(Counter(truth))
    return _pr(both, p_pairs, t_pairs)


def _pr(tp: int, predicted: int, actual: int) -> dict[str, float]:
    return {
        "precision": round(tp / predicted, 4) if predicted else 1.0,
        "recall": round(tp / actual, 4) if actual else 1.0,
        "predicted": predicted,
        "actual": actual,
    }


def set_metrics(pred: set, truth: set) -> dict[str, float]:
    return _pr(len(pred & truth), len(pred), len(truth))


# -- the run -----------------------------------------------------------------------------------


def run(
    n_records: int,
    seed: int,
    text: bool,
    splink: bool,
    profile: bool = False,
    cache: bool = False,
) -> dict[str, Any]:
    t_gen = time.perf_counter()
    records, news = cached_corpus(n_records, seed) if cache else corpus(n_records, seed)
    # The generated corpus (with its truth) lives on through the run; the store holds no such
    # thing while it links. Keep it out of the cyclic collector's scans (generation cost).
    gc.collect()
    gc.freeze()
    gen_s = time.perf_counter() - t_gen
    rss_gen = _rss_mb()
    out: dict[str, Any] = {
        "records": len(records),
        "news": len(news),
        "generate_s": round(gen_s, 1),
    }

    profiler = cProfile.Profile() if profile else None
    if profiler is not None:
        profiler.enable()

    # Organisations.
    c0 = time.process_time()
    t0 = time.perf_counter()
    clusterer = OrgClusterer()
    raw_owner = [
        clusterer.resolve(owner, r["fields"].get("owner_org_number"))
        if (owner := r["fields"].get("owner_name"))
        else None
        for r in records
    ]
    canonical = clusterer.merge()
    owner_of = [canonical[o] if o is not None else None for o in raw_owner]
    t_orgs = time.perf_counter() - t0
    c_orgs = time.process_time() - c0
    rss_orgs = _rss_mb()
    # Records that name no owner (title-only pages, a missing field) are not counted.
    named = [i for i, r in enumerate(records) if r["fields"].get("owner_name")]
    truth_owner = [records[i]["owner_entity"] for i in named]
    out["same_organisation"] = pair_metrics([owner_of[i] for i in named], truth_owner)
    out["same_organisation_baseline"] = pair_metrics(
        [records[i]["fields"]["owner_name"] for i in named], truth_owner
    )

    # Projects: records with one identity are one project, as in the store.
    c0 = time.process_time()
    t0 = time.perf_counter()
    project_of_identity: dict[str, int] = {}
    record_project: list[int] = []
    profiles: list[ProjectProfile] = []
    entity_of_project: list[str] = []
    keys_of_owner: dict[int, set[str]] = defaultdict(set)
    from projektatlas.link.keys import org_key

    for r, oid in zip(records, owner_of, strict=True):
        if oid is not None:
            keys_of_owner[oid].add(org_key(r["fields"]["owner_name"]))
    frozen_keys = {oid: frozenset(keys) for oid, keys in keys_of_owner.items()}
    # As `load_projects` in the store: acyclic profiles, built with the collector paused.
    with gc_paused():
        for r, oid in zip(records, owner_of, strict=True):
            f = r["fields"]
            ident = identity(f)
            pid = project_of_identity.get(ident)
            if pid is None:
                pid = len(profiles)
                project_of_identity[ident] = pid
                profiles.append(
                    ProjectProfile(
                        id=pid,
                        diarienummer=f.get("diarienummer"),
                        name=f.get("name"),
                        owner_id=oid,
                        owner_name=f.get("owner_name"),
                        owner_keys=frozen_keys.get(oid, frozenset()),
                        owner_number=clusterer.number[oid] if oid is not None else None,
                        region=f.get("region"),
                        city=(f.get("city") or "").title() or None,
                        start=_date(f.get("start_date")),
                        end=_date(f.get("end_date")),
                        esf_support=f.get("esf_support_sek"),
                        total_budget=f.get("total_budget_sek"),
                        rate=f.get("union_cofinancing_rate"),
                        participants=f.get("participants_planned"),
                        phase=f.get("project_phase"),
                        period=f.get("programme_period"),
                    )
                )
                entity_of_project.append(r["entity"])
            record_project.append(pid)
    t_profiles = time.perf_counter() - t0
    c_profiles = time.process_time() - c0
    proposed = project_links(profiles)
    t_projects = time.perf_counter() - t0
    c_projects = time.process_time() - c0
    rss_projects = _rss_mb()

    same = list(range(len(profiles)))

    def find(x: int) -> int:
        while same[x] != x:
            same[x] = same[same[x]]
            x = same[x]
        return x

    for link in proposed:
        if link.relation == "same_as" and link.status == "linked":
            same[find(link.a_id)] = find(link.b_id)
    truth_project = [r["entity"] for r in records]
    out["same_project"] = pair_metrics([find(p) for p in record_project], truth_project)
    out["same_project_baseline"] = pair_metrics(record_project, truth_project)

    rel_type = {"genomforande_of": "forstudie_genomforande", "successor_of": "successor"}
    truth_rel = {
        (r["relation"]["project"], r["entity"], rel_type[r["relation"]["type"]])
        for r in records
        if r.get("relation")
    }
    pred_rel = {
        (entity_of_project[x.a_id], entity_of_project[x.b_id], x.relation)
        for x in proposed
        if x.relation in ("forstudie_genomforande", "successor") and x.status == "linked"
    }
    out["relations"] = set_metrics(pred_rel, truth_rel)
    if profiler is not None:
        profiler.disable()
    by_name_owner: dict[tuple[str, str], list[int]] = defaultdict(list)
    by_key_owner: dict[tuple[str, str], list[int]] = defaultdict(list)
    for p in profiles:
        by_name_owner[(p.name or "", p.owner_name or "")].append(p.id)
        by_key_owner[(project_name_key(p.name or ""), p.owner_name or "")].append(p.id)
    base_rel = set()
    for p in profiles:
        base = successor_base(project_name_key(p.name))
        for q in by_name_owner.get((p.name or "", p.owner_name or ""), ()):
            a, b = profiles[q], p
            if a.start and b.start and a.start < b.start:
                base_rel.add(
                    (entity_of_project[q], entity_of_project[p.id], "forstudie_genomforande")
                )
        if base:
            for q in by_key_owner.get((base, p.owner_name or ""), ()):
                base_rel.add((entity_of_project[q], entity_of_project[p.id], "successor"))
    if profiler is not None:
        profiler.enable()
    out["relations_baseline"] = set_metrics(base_rel, truth_rel)

    # Documents → projects.
    c0 = time.process_time()
    t0 = time.perf_counter()
    index = ProjectIndex(profiles)
    make = evidence_from_text if text else evidence_from_truth
    te, ce = time.perf_counter(), time.process_time()
    with gc_paused():  # as `load_documents` in the store
        evidence = [make(i, doc) for i, doc in enumerate(news)]
    t_extract = time.perf_counter() - te
    c_extract = time.process_time() - ce
    pred_doc: set[tuple[int, str]] = set()
    pred_any: set[tuple[int, str]] = set()
    for link in link_documents(evidence, index):
        pair = (link.a_id, entity_of_project[link.b_id])
        pred_any.add(pair)
        if link.status == "linked":
            pred_doc.add(pair)
    t_docs = time.perf_counter() - t0 - (t_extract if text else 0.0)
    c_docs = time.process_time() - c0 - (c_extract if text else 0.0)
    rss_docs = _rss_mb()
    if profiler is not None:
        profiler.disable()
        _report_profile(profiler, n_records)
    truth_doc = {(i, e) for i, doc in enumerate(news) for e in doc.truth["projects"]}
    out["document_project"] = set_metrics(pred_doc, truth_doc)
    out["document_project_with_candidates"] = set_metrics(pred_any, truth_doc)
    by_name: dict[str, list[int]] = defaultdict(list)
    for p in profiles:
        if p.name:
            by_name[p.name].append(p.id)
    # Counted document by document: at 1 000 000 the baseline proposes ~27 M pairs.
    base_hits = base_predicted = 0
    for doc in news:
        base_doc = set()
        for m in doc.truth["mentions"] or [{"name": ""}]:
            for pid in by_name.get(m["name"], ()) if m["name"] in doc.text else ():
                base_doc.add(entity_of_project[pid])
        base_predicted += len(base_doc)
        base_hits += len(base_doc & set(doc.truth["projects"]))
    out["document_project_baseline"] = _pr(base_hits, base_predicted, len(truth_doc))

    out["seconds"] = {
        "organisations": round(t_orgs, 2),
        "projects": round(t_projects, 2),
        "projects_profiles": round(t_profiles, 2),
        "projects_profiles_cpu": round(c_profiles, 2),
        "documents": round(t_docs, 2),
        "link_total": round(t_orgs + t_projects + t_docs, 2),
        "organisations_cpu": round(c_orgs, 2),
        "projects_cpu": round(c_projects, 2),
        "documents_cpu": round(c_docs, 2),
        "link_total_cpu": round(c_orgs + c_projects + c_docs, 2),
    }
    if profiler is not None:
        out["seconds"]["note"] = "under cProfile (slower)"
    if text:
        out["seconds"]["extract_news_text"] = round(t_extract, 1)
    else:  # part of "documents": the news items' facts as evidence (the store loads them)
        out["seconds"]["documents_evidence"] = round(t_extract, 2)
        out["seconds"]["documents_evidence_cpu"] = round(c_extract, 2)
    out["peak_rss_mb"] = _rss_mb()
    out["peak_rss_after_generation_mb"] = rss_gen
    out["peak_rss_after_stage_mb"] = {
        "organisations": rss_orgs,
        "projects": rss_projects,
        "documents": rss_docs,
    }
    if splink:
        out["splink_organisations"] = splink_organisations([records[i] for i in named], truth_owner)
    return out


def _rss_mb() -> int:
    """Peak resident memory of this process so far, MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


def _report_profile(profiler: cProfile.Profile, n_records: int) -> None:
    """Write the stats to bench/out/ and the 30 costliest functions to stderr."""
    path = ROOT / "bench" / "out" / f"link_profile_{n_records}.prof"
    path.parent.mkdir(parents=True, exist_ok=True)
    profiler.dump_stats(str(path))
    buf = io.StringIO()
    pstats.Stats(profiler, stream=buf).sort_stats("tottime").print_stats(30)
    print(f"profile of linking at {n_records} records ({path}):", file=sys.stderr)
    print(buf.getvalue(), file=sys.stderr, flush=True)


def splink_organisations(records: list[dict], truth_owner: list[str]) -> dict[str, Any]:
    """Splink (DuckDB) deduplication of owners: name key levels, org number, kind."""
    import pyarrow as pa
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    from projektatlas.link.keys import distinctive, org_key
    from projektatlas.link.organisations import guess_kind

    t0 = time.perf_counter()
    rows = []
    for i, r in enumerate(records):
        raw = r["fields"].get("owner_name", "")
        key = org_key(raw)
        rows.append(
            {
                "unique_id": i,
                "key": key,
                "distinct": distinctive(key) or key,
                "first3": (distinctive(key) or key)[:3],
                "org_number": r["fields"].get("owner_org_number"),
                "kind": guess_kind(raw.split(",", 1)[0]),
            }
        )
    db_api = DuckDBAPI()
    table = db_api.register(pa.Table.from_pylist(rows), table_name="owners")
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            cl.JaroWinklerAtThresholds("key", [0.97, 0.9]),
            cl.ExactMatch("org_number"),
            cl.ExactMatch("kind"),
        ],
        blocking_rules_to_generate_predictions=[block_on("first3"), block_on("org_number")],
    )
    linker = Linker(table, settings)
    linker.training.estimate_probability_two_random_records_match([block_on("key")], recall=0.7)
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("first3"))
    pred = linker.inference.predict(threshold_match_probability=0.5)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(pred, 0.9)
    cluster_of = {
        uid: cid
        for uid, cid in clusters.as_duckdbpyrelation().select("unique_id, cluster_id").fetchall()
    }
    seconds = time.perf_counter() - t0
    pred_ids = [cluster_of.get(i, f"single{i}") for i in range(len(records))]
    return {**pair_metrics(pred_ids, truth_owner), "seconds": round(seconds, 1)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--million", action="store_true", help="also 1 000 000 records")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--text", action="store_true", help="news facts from the extractors")
    ap.add_argument("--splink", action="store_true", help="also Splink for organisations")
    ap.add_argument("--profile", action="store_true", help="cProfile the linking stages")
    ap.add_argument("--cache", action="store_true", help="keep generated corpora in bench/out/")
    ap.add_argument("--one", type=int, default=None, help=argparse.SUPPRESS)
    ap.add_argument("--out", type=Path, default=None, help="write the results as JSON")
    args = ap.parse_args(argv)
    if args.one is not None:
        result = run(args.one, args.seed, args.text, args.splink, args.profile, args.cache)
        print(json.dumps(result, ensure_ascii=False))
        return 0
    sizes = args.sizes + ([1_000_000] if args.million else [])
    results = []
    for n in sizes:
        cmd = [sys.executable, __file__, "--one", str(n), "--seed", str(args.seed)]
        cmd += ["--text"] if args.text else []
        cmd += ["--splink"] if args.splink else []
        cmd += ["--profile"] if args.profile else []
        cmd += ["--cache"] if args.cache else []
        done = subprocess.run(cmd, stdout=subprocess.PIPE, text=True, check=True)
        result = json.loads(done.stdout.strip().splitlines()[-1])
        results.append(result)
        print(json.dumps(result, ensure_ascii=False, indent=1), flush=True)
    if args.out:
        args.out.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
