"""Fact-extraction throughput on one core (documents/s), split by stage, against a baseline.

    .venv/bin/python bench/extract_bench.py [--records 5000] [--news 5000] [--seed 0]
    .venv/bin/python bench/extract_bench.py --dump /tmp/extract_facts.json   # reference output
    .venv/bin/python bench/extract_bench.py --check /tmp/extract_facts.json  # same facts?

Documents come from ``bench/generate.py``'s ``iter_documents`` (HTML pages are turned into
text first, outside the timing, as ingest does). Each document goes through the stages of
``projektatlas.ingest.prepare``: ``clean_text``, ``parse_record`` and every extractor
module in ``projektatlas.extract.extractors()``, each timed on its own. Baselines, in the
same run over the same cleaned texts: ``str.split()`` and one ``re.findall(r"\\w+")`` pass.

``--dump`` writes ``extract_facts`` output (every Fact field) for about 2 000 generated
documents, the seed documents and ``examples/corpus``, with the input texts and contexts;
``--check`` recomputes the facts on the stored texts and reports any difference, so a
speed change can be shown to leave every result as it was (exit status 1 on a difference).
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import re
import sys
import time
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
if str(ROOT) not in sys.path:
    sys.path.append(str(ROOT))  # after PYTHONPATH, so an older checkout can be measured

from generate import iter_documents  # noqa: E402

from projektatlas.extract import ExtractContext, extract_facts, extractors  # noqa: E402
from projektatlas.extract.clean import clean_text  # noqa: E402
from projektatlas.records import NotARecord, RecordParseError, parse_record  # noqa: E402

SEEDS_DIR = Path("/work/shared/seeds")
EXAMPLES_DIR = ROOT / "examples" / "corpus"
_WORD = re.compile(r"\w+")


def _plain_text(name: str, text: str) -> str:
    """The text ingest would see: HTML pages go through the HTML reader."""
    if name.endswith((".html", ".htm")):
        from projektatlas.sources.html import html_to_text

        return html_to_text(text).text
    return text


def _context(kind: str, truth: dict[str, Any]) -> ExtractContext:
    published = truth.get("published")
    doc_date = date.fromisoformat(published) if isinstance(published, str) else None
    return ExtractContext(doc_date=doc_date, kind=kind)


def generated(n_records: int, n_news: int, seed: int) -> list[tuple[str, str, ExtractContext]]:
    """(kind, plain text, context) for generated documents, in generator order."""
    return [
        (doc.kind, _plain_text(doc.name, doc.text), _context(doc.kind, doc.truth))
        for doc in iter_documents(n_records, n_news, seed)
    ]


# --------------------------------------------------------------------------- sameness


def _fact_rows(text: str, ctx: ExtractContext) -> list[dict[str, Any]]:
    return [
        json.loads(json.dumps(asdict(f), ensure_ascii=False, default=str))
        for f in extract_facts(text, ctx)
    ]


def _ctx_json(ctx: ExtractContext) -> dict[str, Any]:
    return {
        "doc_date": ctx.doc_date.isoformat() if ctx.doc_date else None,
        "title": ctx.title,
        "kind": ctx.kind,
    }


def _ctx_from(raw: dict[str, Any]) -> ExtractContext:
    d = raw.get("doc_date")
    return ExtractContext(
        doc_date=date.fromisoformat(d) if d else None, title=raw.get("title"), kind=raw.get("kind")
    )


def sameness_inputs(seed: int = 11) -> list[dict[str, Any]]:
    """About 2 000 generated documents (cleaned), the seeds and examples/corpus."""
    items: list[dict[str, Any]] = []
    for i, (_kind, text, ctx) in enumerate(generated(1000, 1000, seed)):
        items.append({"id": f"gen:{i}", "text": clean_text(text).text, "ctx": _ctx_json(ctx)})
    for folder in (SEEDS_DIR, EXAMPLES_DIR):
        for path in sorted(folder.glob("*")) if folder.is_dir() else []:
            if path.is_file():
                text = _plain_text(path.name, path.read_text("utf-8", errors="replace"))
                for variant, body in (("raw", text), ("clean", clean_text(text).text)):
                    items.append(
                        {
                            "id": f"{path.name}:{variant}",
                            "text": body,
                            "ctx": _ctx_json(ExtractContext()),
                        }
                    )
    return items


def dump(path: Path) -> int:
    items = sameness_inputs()
    for item in items:
        item["facts"] = _fact_rows(item["text"], _ctx_from(item["ctx"]))
    path.write_text(json.dumps(items, ensure_ascii=False), "utf-8")
    n = sum(len(i["facts"]) for i in items)
    print(f"wrote {len(items)} documents, {n} facts to {path}")
    return 0


def check(path: Path) -> int:
    items = json.loads(path.read_text("utf-8"))
    bad = 0
    for item in items:
        got = _fact_rows(item["text"], _ctx_from(item["ctx"]))
        if got != item["facts"]:
            bad += 1
            if bad <= 5:
                want = item["facts"]
                print(f"DIFFERENT: {item['id']}")
                for f in [f for f in want if f not in got][:5]:
                    print(f"  lost: {f}")
                for f in [f for f in got if f not in want][:5]:
                    print(f"  new:  {f}")
    n = sum(len(i["facts"]) for i in items)
    print(f"checked {len(items)} documents, {n} facts: {bad} documents differ")
    return 1 if bad else 0


# --------------------------------------------------------------------------- timing


def run(n_records: int, n_news: int, seed: int) -> dict[str, Any]:
    """Seconds per stage over the corpus, one core, no other work in the loop."""
    docs = generated(n_records, n_news, seed)
    modules = extractors()
    totals: dict[str, float] = {"clean_text": 0.0, "parse_record": 0.0}
    totals.update({m.NAME: 0.0 for m in modules})
    totals["sort"] = 0.0
    clock = time.process_time  # CPU seconds of this (single-threaded) process: one core
    cleaned: list[str] = []
    n_facts = 0
    extract_failures = 0
    for _kind, raw, ctx in docs[:20]:  # warm-up: lazy tables, regex compilation, word lists
        extract_facts(clean_text(raw).text.strip("\n"), ctx)
    gc.collect()
    wall0 = time.perf_counter()
    for _kind, raw, ctx in docs:
        t0 = clock()
        text = clean_text(raw).text.strip("\n")
        t1 = clock()
        with contextlib.suppress(NotARecord, RecordParseError):
            parse_record(text)
        t2 = clock()
        totals["clean_text"] += t1 - t0
        totals["parse_record"] += t2 - t1
        facts = []
        for m in modules:
            a = clock()
            try:
                facts.extend(m.extract(text, ctx))
            except Exception:  # noqa: BLE001 - counted and reported, never hidden
                extract_failures += 1
            totals[m.NAME] += clock() - a
        a = clock()
        facts.sort(key=lambda f: (f.start, f.end, f.type))
        totals["sort"] += clock() - a
        n_facts += len(facts)
        cleaned.append(text)
    wall = time.perf_counter() - wall0

    t0 = clock()
    n_tokens = sum(len(t.split()) for t in cleaned)
    split_s = clock() - t0
    t0 = clock()
    n_words = sum(len(_WORD.findall(t)) for t in cleaned)
    regex_s = clock() - t0
    return {
        "docs": len(docs),
        "chars": sum(len(t) for t in cleaned),
        "facts": n_facts,
        "failures": extract_failures,
        "stages": totals,
        "extract_names": [m.NAME for m in modules],
        "package": str(Path(sys.modules["projektatlas"].__file__).parent),
        "wall": wall,
        "split_s": split_s,
        "regex_s": regex_s,
        "tokens": n_tokens,
        "words": n_words,
    }


def report(r: dict[str, Any]) -> str:
    n = r["docs"]
    stages = r["stages"]
    extract_s = sum(stages[k] for k in [*r["extract_names"], "sort"])
    pipeline_s = extract_s + stages["clean_text"] + stages["parse_record"]
    split_s = r["split_s"]
    lines = [
        f"{n} documents, {r['chars'] / n:.0f} chars/doc on average, {r['facts']} facts"
        f" ({r['failures']} extractor errors), one core",
        "",
        f"| {'stage':<26} | {'total s':>8} | {'ms/doc':>7} | {'docs/s':>9} | {'× split()':>9} |",
        f"|{'-' * 28}|{'-' * 10}:|{'-' * 9}:|{'-' * 11}:|{'-' * 11}:|",
    ]

    def row(label: str, secs: float) -> None:
        rate = n / secs if secs else float("inf")
        ratio = secs / split_s if split_s else float("inf")
        lines.append(
            f"| {label:<26} | {secs:>8.2f} | {secs / n * 1000:>7.3f} | {rate:>9.0f} | {ratio:>9.0f} |"
        )

    row("baseline: str.split()", split_s)
    row(r"baseline: re \w+ findall", r["regex_s"])
    row("clean_text", stages["clean_text"])
    row("parse_record", stages["parse_record"])
    for name in r["extract_names"]:
        row(f"extract: {name}", stages[name])
    row("extract: sort", stages["sort"])
    row("**extraction (all)**", extract_s)
    row("**clean+parse+extract**", pipeline_s)
    lines.append("")
    lines.append(f"CPU seconds per stage; loop wall time {r['wall']:.2f} s")
    lines.append(f"projektatlas from {r['package']}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--records", type=int, default=5000)
    ap.add_argument("--news", type=int, default=5000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--dump", type=Path, help="write reference facts to this JSON file and stop")
    ap.add_argument("--check", type=Path, help="compare facts with a --dump file and stop")
    args = ap.parse_args(argv)
    if args.dump:
        return dump(args.dump)
    if args.check:
        return check(args.check)
    print(report(run(args.records, args.news, args.seed)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
