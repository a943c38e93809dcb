"""Evaluate the fact extractors on hand-annotated passages (``tests/data/extract_eval/*.jsonl``).

One JSON object per line::

    {"id": "...", "text": "...", "doc_date": "YYYY-MM-DD" | null,
     "expected": [{"type": "money", "text": "cirka 24 miljoner kr", "value": 24000000}, ...],
     "exhaustive": true | ["money", ...]}          # optional

Matching: a predicted fact matches an expected one when the types are equal and either
the texts are equal (case-insensitive, whitespace folded) or the spans overlap and the
values are equal (an expected item without ``value`` needs only the overlap). The span of
an expected item is every place its ``text`` occurs in the passage (or ``start`` if
given). Each prediction matches at most one expected item.

False positives: for a passage, predictions of a type count as false positives only if
that type appears in its ``expected`` list, or ``exhaustive`` is ``true`` (every type) or a
list naming the type. So ``"expected": [], "exhaustive": ["money"]`` is a hard negative
for money only (years, diarienummer, phone numbers). Predictions of other types are ignored.

``value_errors`` counts text-matched pairs whose values differ (reported, not a miss).
Run: ``python -m projektatlas.extract.evaluate [--verbose] [paths...]``.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from projektatlas.extract import extract_facts
from projektatlas.extract.base import ExtractContext
from projektatlas.extract.dates import resolve_doc_date
from projektatlas.model import Fact

DEFAULT_DIR = Path(__file__).resolve().parents[2] / "tests" / "data" / "extract_eval"


@dataclass(slots=True)
class Passage:
    id: str
    text: str
    doc_date: str | None
    expected: list[dict[str, Any]]
    exhaustive: bool | list[str] = False
    source: str = ""


@dataclass(slots=True)
class Errors:
    """Misses and false alarms, for ``--verbose``."""

    missed: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    false: list[tuple[str, Fact]] = field(default_factory=list)
    wrong_value: list[tuple[str, dict[str, Any], Fact]] = field(default_factory=list)


def fold(text: str) -> str:
    return " ".join(text.lower().split())


def values_equal(expected: Any, predicted: Any) -> bool:
    """Equality with float tolerance, through dicts and lists."""
    if isinstance(expected, dict) and isinstance(predicted, dict):
        return expected.keys() == predicted.keys() and all(
            values_equal(expected[k], predicted[k]) for k in expected
        )
    if isinstance(expected, list) and isinstance(predicted, list):
        return len(expected) == len(predicted) and all(
            values_equal(a, b) for a, b in zip(expected, predicted, strict=True)
        )
    if isinstance(expected, bool) or isinstance(predicted, bool):
        return expected is predicted
    if isinstance(expected, int | float) and isinstance(predicted, int | float):
        return math.isclose(expected, predicted, rel_tol=1e-6, abs_tol=1e-9)
    return expected == predicted


def load_passages(paths: Iterable[Path | str]) -> list[Passage]:
    """Every passage in the given JSONL files (a directory means its ``*.jsonl``)."""
    passages: list[Passage] = []
    for path in paths:
        path = Path(path)
        files = sorted(path.glob("*.jsonl")) if path.is_dir() else [path]
        for file in files:
            for n, line in enumerate(file.read_text("utf-8").splitlines(), 1):
                if not line.strip():
                    continue
                obj = json.loads(line)
                passages.append(
                    Passage(
                        id=str(obj.get("id", f"{file.name}:{n}")),
                        text=obj["text"],
                        doc_date=obj.get("doc_date"),
                        expected=list(obj.get("expected", [])),
                        exhaustive=obj.get("exhaustive", False),
                        source=file.name,
                    )
                )
    return passages


def _spans(text: str, item: dict[str, Any]) -> list[tuple[int, int]]:
    if "start" in item:
        return [(item["start"], item["start"] + len(item["text"]))]
    needle = re.escape(item["text"]).replace(r"\ ", r"\s+")
    return [m.span() for m in re.finditer(needle, text, re.IGNORECASE)]


def _matches(text: str, item: dict[str, Any], fact: Fact) -> tuple[bool, bool]:
    """(matches, value agrees) for one expected item and one predicted fact."""
    if item["type"] != fact.type:
        return False, False
    has_value = "value" in item
    same_value = not has_value or values_equal(item["value"], fact.value)
    if fold(item["text"]) == fold(fact.text):
        return True, same_value
    overlap = any(a < fact.end and fact.start < b for a, b in _spans(text, item))
    return overlap and same_value, same_value


def _assign(passage: Passage, predicted: Sequence[Fact]) -> dict[int, tuple[int, Fact, bool]]:
    """A maximum one-to-one matching of expected items to predictions.

    Each expected item tries its candidates best first (equal text and value, equal text,
    overlap with equal value); augmenting paths let an item take a prediction another item
    could do without, so repeated strings ("unga" three times) are matched fairly.
    Returns expected index → (prediction index, prediction, values agree).
    """
    candidates: list[list[tuple[int, bool]]] = []
    for item in passage.expected:
        ranked = []
        for i, fact in enumerate(predicted):
            ok, same = _matches(passage.text, item, fact)
            if ok:
                exact = fold(item["text"]) == fold(fact.text)
                ranked.append((0 if exact and same else 1 if exact else 2, i, same))
        candidates.append([(i, same) for _, i, same in sorted(ranked)])
    owner: dict[int, int] = {}  # prediction index → expected index

    def augment(n: int, seen: set[int]) -> bool:
        for i, _ in candidates[n]:
            if i in seen:
                continue
            seen.add(i)
            if i not in owner or augment(owner[i], seen):
                owner[i] = n
                return True
        return False

    for n in range(len(passage.expected)):
        augment(n, set())
    found = {}
    for i, n in owner.items():
        same = next(s for j, s in candidates[n] if j == i)
        found[n] = (i, predicted[i], same)
    return found


def _counted_types(passage: Passage) -> set[str] | None:
    """Types whose false positives count in this passage; ``None`` means every type."""
    if passage.exhaustive is True:
        return None
    types = {e["type"] for e in passage.expected}
    if isinstance(passage.exhaustive, list):
        types |= set(passage.exhaustive)
    return types


def score_passage(
    passage: Passage, predicted: Sequence[Fact], errors: Errors | None = None
) -> dict[str, dict[str, int]]:
    """tp/fp/fn/value_errors per type for one passage."""
    counts: dict[str, dict[str, int]] = {}

    def bump(kind: str, key: str) -> None:
        counts.setdefault(kind, {"tp": 0, "fp": 0, "fn": 0, "value_errors": 0})[key] += 1

    found = _assign(passage, predicted)
    used = {i for i, _, _ in found.values()}
    for n, item in enumerate(passage.expected):
        if n in found:
            bump(item["type"], "tp")
            if not found[n][2]:
                bump(item["type"], "value_errors")
                if errors is not None:
                    errors.wrong_value.append((passage.id, item, found[n][1]))
        else:
            bump(item["type"], "fn")
            if errors is not None:
                errors.missed.append((passage.id, item))
    counted = _counted_types(passage)
    for i, fact in enumerate(predicted):
        if i in used or (counted is not None and fact.type not in counted):
            continue
        bump(fact.type, "fp")
        if errors is not None:
            errors.false.append((passage.id, fact))
    return counts


def evaluate(
    paths: Iterable[Path | str] | None = None, errors: Errors | None = None
) -> dict[str, dict[str, float]]:
    """Per fact type: tp, fp, fn, value_errors, precision, recall over all passages."""
    passages = load_passages(paths if paths is not None else [DEFAULT_DIR])
    totals: dict[str, dict[str, float]] = {}
    for passage in passages:
        ctx = ExtractContext(doc_date=resolve_doc_date(passage.doc_date))
        predicted = extract_facts(passage.text, ctx)
        for kind, c in score_passage(passage, predicted, errors).items():
            t = totals.setdefault(kind, {"tp": 0, "fp": 0, "fn": 0, "value_errors": 0})
            for key, n in c.items():
                t[key] += n
    for t in totals.values():
        t["precision"] = t["tp"] / (t["tp"] + t["fp"]) if t["tp"] + t["fp"] else 1.0
        t["recall"] = t["tp"] / (t["tp"] + t["fn"]) if t["tp"] + t["fn"] else 1.0
    return dict(sorted(totals.items()))


def format_table(results: dict[str, dict[str, float]]) -> str:
    lines = [f"{'type':<14}{'tp':>6}{'fp':>6}{'fn':>6}{'val.err':>9}{'precision':>11}{'recall':>8}"]
    for kind, r in results.items():
        lines.append(
            f"{kind:<14}{r['tp']:>6}{r['fp']:>6}{r['fn']:>6}{r['value_errors']:>9}"
            f"{r['precision']:>11.3f}{r['recall']:>8.3f}"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Evaluate fact extractors on annotated passages.")
    parser.add_argument(
        "paths", nargs="*", type=Path, help=f"JSONL files or folders ({DEFAULT_DIR})"
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="list misses and false alarms")
    args = parser.parse_args(argv)
    errors = Errors() if args.verbose else None
    results = evaluate(args.paths or [DEFAULT_DIR], errors)
    print(format_table(results))
    if errors is not None:
        for pid, item in errors.missed:
            print(f"MISSED  {pid}: {item['type']} {item['text']!r} {item.get('value')!r}")
        for pid, fact in errors.false:
            print(f"FALSE   {pid}: {fact.type} {fact.text!r} {fact.value!r}")
        for pid, item, fact in errors.wrong_value:
            print(
                f"VALUE   {pid}: {item['type']} {item['text']!r} want {item.get('value')!r} got {fact.value!r}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
