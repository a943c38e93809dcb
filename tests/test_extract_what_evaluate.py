"""The evaluation harness, and the extractors' scores on tests/data/extract_eval/what.jsonl."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from projektatlas.extract import evaluate
from projektatlas.extract.base import ExtractContext
from projektatlas.model import Fact

WHAT = Path(__file__).parent / "data" / "extract_eval" / "what.jsonl"
MY_TYPES = ("money", "share", "date", "period", "duration", "count", "target_group", "method")


def _fact(kind: str, text: str, value: object, start: int) -> Fact:
    return Fact(kind, text, value, start, start + len(text), 0.9, "t", "1.0")


def _passage(text: str, expected: list[dict], exhaustive: bool | list[str] = False):
    return evaluate.Passage("p", text, None, expected, exhaustive)


def test_text_match_and_overlap_with_equal_value() -> None:
    text = "Vi fick cirka 24 miljoner kr."
    passage = _passage(
        text, [{"type": "money", "text": "cirka 24 miljoner kr", "value": 24_000_000}]
    )
    assert (
        evaluate.score_passage(passage, [_fact("money", "Cirka  24 miljoner kr", 1, 8)])["money"][
            "tp"
        ]
        == 1
    )
    overlap = _fact("money", "24 miljoner kr", 24_000_000, 14)
    assert evaluate.score_passage(passage, [overlap])["money"] == {
        "tp": 1,
        "fp": 0,
        "fn": 0,
        "value_errors": 0,
    }
    wrong = _fact("money", "24 miljoner kr", 24, 14)
    assert evaluate.score_passage(passage, [wrong])["money"] == {
        "tp": 0,
        "fp": 1,
        "fn": 1,
        "value_errors": 0,
    }


def test_false_positives_count_only_for_listed_types() -> None:
    text = "Ring 070-123 45 67."
    fact = _fact("money", "45 67", 4567, 13)
    assert evaluate.score_passage(_passage(text, []), [fact]) == {}
    assert evaluate.score_passage(_passage(text, [], ["money"]), [fact])["money"]["fp"] == 1
    assert evaluate.score_passage(_passage(text, [], True), [fact])["money"]["fp"] == 1
    assert evaluate.score_passage(_passage(text, [], ["count"]), [fact]) == {}


def test_values_equal() -> None:
    assert evaluate.values_equal(
        {"start": "2023-09-01", "end": "2023-11-30"}, {"end": "2023-11-30", "start": "2023-09-01"}
    )
    assert evaluate.values_equal(0.333333, 1 / 3)
    assert not evaluate.values_equal(12, "12")


def test_evaluate_computes_precision_and_recall(tmp_path: Path) -> None:
    rows = [
        {
            "id": "a",
            "text": "Projektet fick 3 miljoner kronor.",
            "doc_date": None,
            "expected": [{"type": "money", "text": "3 miljoner kronor", "value": 3_000_000}],
        },
        {
            "id": "b",
            "text": "Ring 070-123 45 67 om 2019/00457.",
            "doc_date": None,
            "expected": [],
            "exhaustive": ["money"],
        },
        {
            "id": "c",
            "text": "Start den 1 mars.",
            "doc_date": "2024-12-01",
            "expected": [
                {"type": "date", "text": "den 1 mars", "value": "2025-03-01"},
                {"type": "count", "text": "sju kommuner", "value": 7},
            ],
        },
    ]
    path = tmp_path / "mini.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), "utf-8")
    result = evaluate.evaluate([path])
    assert result["money"]["tp"] == 1 and result["money"]["fp"] == 0
    assert result["date"]["precision"] == 1.0
    assert result["count"]["recall"] == 0.0


def test_eval_file_is_well_formed() -> None:
    passages = evaluate.load_passages([WHAT])
    assert len(passages) >= 35
    assert len({p.id for p in passages}) == len(passages)
    seen = set()
    for p in passages:
        for item in p.expected:
            assert item["type"] in MY_TYPES
            assert item["text"].lower() in p.text.lower(), (p.id, item["text"])
            seen.add(item["type"])
    assert seen == set(MY_TYPES)
    assert sum(1 for p in passages if not p.expected) >= 5  # hard negatives


@pytest.mark.parametrize("kind", MY_TYPES)
def test_what_extractors_meet_the_bar(kind: str) -> None:
    result = evaluate.evaluate([WHAT])[kind]
    assert result["precision"] >= 0.9, result
    assert result["recall"] >= 0.8, result


def test_main_prints_a_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert evaluate.main([str(WHAT)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].split()[:4] == ["type", "tp", "fp", "fn"]
    assert any(line.startswith("money") for line in out.splitlines())


def test_extract_context_default() -> None:
    assert ExtractContext().doc_date is None


def test_repeated_strings_are_matched_one_to_one() -> None:
    text = "Stöd till unga, fler unga och unga vuxna."
    expected = [
        {"type": "target_group", "text": "unga", "value": "unga"},
        {"type": "target_group", "text": "fler unga", "value": "unga"},
        {"type": "target_group", "text": "unga vuxna", "value": "unga"},
    ]
    starts = [i for i in range(len(text)) if text.startswith("unga", i)]
    predicted = [_fact("target_group", "unga", "unga", s) for s in starts]
    counts = evaluate.score_passage(_passage(text, expected), predicted)["target_group"]
    assert counts == {"tp": 3, "fp": 0, "fn": 0, "value_errors": 0}
