"""Realistic synthetic ESF project-bank records and news items, with truth, for benchmarks.

    python bench/generate.py OUTDIR --records N --news M [--seed S] [--truth truth.jsonl]

Records are spread over five layouts (40 % 2021–2027, 35 % 2014–2020, 10 % older
2014–2020 web layout, 10 % 2007–2013, 5 % title only); news items speak of generated
projects (about 10 % of none). Files go to ``OUTDIR/records/NNNN/`` and
``OUTDIR/news/NNNN/`` with at most 1000 files per folder. Output is deterministic for a
seed. Importable: ``iter_documents(n_records, n_news, seed)`` yields ``GeneratedDoc``.

Truth (``GeneratedDoc.truth``; one JSON line per file with ``name`` added):
- record: ``layout`` (esf2021, esf2014, esf2014_web, esf2007, title_only),
  ``programme_period``, ``identity`` (diarienummer, None for 2007–2013), ``entity``
  {project, organisation}, ``owner`` {entity, name (canonical), org_number, kind},
  ``fields`` (what a parser should extract, keys from ``projektatlas.model.PROJECT_FIELDS``:
  dates ISO, amounts int SEK, rate as fraction, owner_org_number ``NNNNNN-NNNN``, strings as
  written), ``target_groups``/``methods`` (vocabulary keys), ``relation`` ({type:
  genomforande_of|successor_of, project} or None), ``personal`` (contact persons shown),
  ``noise`` (owner_upper, owner_department, owner_abbrev, owner_duplicated, owner_typo,
  missing:<field>, banner, html, english_labels, order_shuffled,
  planned_participants_label, shared_name, cp1252), ``encoding``.
- news: ``projects`` (entity ids, may be empty), ``organisations``, ``mentions`` (per project:
  name, owner_written, amount_sek/amount_text/approximate, diarienummer?, start_text/
  start_kind/start_date, own_share?/union_rate?, participants?, lan, target_groups,
  methods), ``published``, ``personal``, ``noise``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from genlib.layouts import render_record  # noqa: E402
from genlib.news import render_news  # noqa: E402
from genlib.projects import LAYOUT_WEIGHTS, LAYOUTS, World  # noqa: E402

SHARD_SIZE = 1000


@dataclass(slots=True)
class GeneratedDoc:
    """One generated document: relative file name, text, kind ("record"/"news"), truth."""

    name: str
    text: str
    kind: str
    truth: dict[str, Any]
    encoding: str = "utf-8"

    def data(self) -> bytes:
        return self.text.encode(self.encoding)


def _layout_sequence(n: int, rng: random.Random) -> list[str]:
    """Exactly proportional layout counts (largest remainder), in shuffled order."""
    total = sum(LAYOUT_WEIGHTS)
    counts = [n * w // total for w in LAYOUT_WEIGHTS]
    rest = sorted(range(len(LAYOUTS)), key=lambda i: -(n * LAYOUT_WEIGHTS[i] % total))
    for i in rest[: n - sum(counts)]:
        counts[i] += 1
    seq = [layout for layout, c in zip(LAYOUTS, counts, strict=True) for _ in range(c)]
    rng.shuffle(seq)
    return seq


def _shard(kind: str, i: int, ext: str) -> str:
    folder = "records" if kind == "record" else "news"
    prefix = "r" if kind == "record" else "n"
    return f"{folder}/{i // SHARD_SIZE:04d}/{prefix}{i:07d}.{ext}"


def iter_documents(n_records: int, n_news: int, seed: int = 0) -> Iterator[GeneratedDoc]:
    """Yield ``n_records`` record documents, then ``n_news`` news documents."""
    rng = random.Random(seed)
    world = World(rng)
    for i, layout in enumerate(_layout_sequence(n_records, rng)):
        project = world.new_project(layout)
        text, ext, truth = render_record(project, rng)
        encoding = "utf-8"
        if ext == "txt" and rng.random() < 0.02:
            encoding = "cp1252"
            truth["noise"].append("cp1252")
        truth["encoding"] = encoding
        yield GeneratedDoc(_shard("record", i, ext), text, "record", truth, encoding)
    projects = world.projects
    for i in range(n_news):
        r = rng.random()
        if not projects or r < 0.1:
            k = rng.choice(world.kommuner)
            chosen = []
            text, ext, truth = render_news(chosen, rng, (k.name, k.lan))
        else:
            chosen = [rng.choice(projects)]
            if r > 0.85 and len(projects) > 1:
                # A second project, preferably from the same ESF region.
                others = [
                    p for p in rng.sample(projects, min(20, len(projects))) if p is not chosen[0]
                ]
                same = [p for p in others if p.region == chosen[0].region]
                chosen.append((same or others)[0])
            text, ext, truth = render_news(chosen, rng)
        truth["encoding"] = "utf-8"
        yield GeneratedDoc(_shard("news", i, ext), text, "news", truth)


def _write_batch(batch: list[tuple[str, bytes]]) -> None:
    for path, data in batch:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        try:
            os.write(fd, data)
        finally:
            os.close(fd)


def write_corpus(
    outdir: Path,
    n_records: int,
    n_news: int,
    seed: int = 0,
    truth_path: Path | None = None,
    writers: int = 4,
) -> int:
    """Write the documents (and optional truth JSONL); return the number of files.

    Files are written by a few threads (file creation, not generation, is the slow part on
    a busy disk); the content does not depend on ``writers``.
    """
    made: set[Path] = set()
    count = 0
    if truth_path:
        truth_path.parent.mkdir(parents=True, exist_ok=True)
    truth_file = truth_path.open("w", encoding="utf-8") if truth_path else None
    batch: list[tuple[str, bytes]] = []
    pending: list[Future[None]] = []
    with ThreadPoolExecutor(max_workers=max(1, writers)) as pool:
        try:
            for doc in iter_documents(n_records, n_news, seed):
                path = outdir / doc.name
                if path.parent not in made:
                    path.parent.mkdir(parents=True, exist_ok=True)
                    made.add(path.parent)
                batch.append((str(path), doc.data()))
                if len(batch) >= 200:
                    pending.append(pool.submit(_write_batch, batch))
                    batch = []
                    if len(pending) > 4 * writers:
                        pending.pop(0).result()
                if truth_file:
                    truth_file.write(
                        json.dumps({"name": doc.name, **doc.truth}, ensure_ascii=False) + "\n"
                    )
                count += 1
            if batch:
                pending.append(pool.submit(_write_batch, batch))
            for fut in pending:
                fut.result()
        finally:
            if truth_file:
                truth_file.close()
    return count


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("outdir", type=Path)
    ap.add_argument("--records", type=int, default=1000)
    ap.add_argument("--news", type=int, default=200)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--truth", type=Path, default=None, help="write truth as JSON lines here")
    ap.add_argument("--writers", type=int, default=4, help="file-writing threads")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    n = write_corpus(args.outdir, args.records, args.news, args.seed, args.truth, args.writers)
    dt = time.perf_counter() - t0
    print(
        f"wrote {n} files to {args.outdir} in {dt:.2f} s ({n / max(dt, 1e-9):.0f} files/s)",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
