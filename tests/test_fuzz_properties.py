"""Property tests: every parser and extractor survives hostile input with a clear outcome.

The longer coverage-guided run is `fuzz/fuzz_pipeline.py` (atheris); these run in the suite.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from projektatlas.extract import extract_facts
from projektatlas.extract.clean import clean_text
from projektatlas.records import NotARecord, RecordParseError, parse_record
from projektatlas.sources.decode import decode_text
from projektatlas.sources.errors import SourceError
from projektatlas.sources.html import html_to_text

ROOT = Path(__file__).resolve().parent.parent
LAYOUT_SAMPLES = sorted((ROOT / "examples" / "corpus").glob("record_*.txt"))
ODDITIES = [
    "\u00a0",
    "\u202f",
    "\u2009",
    "a\u030a",
    "\u200f",
    "\u202e",
    "\u200b",
    "\ufeff",
    "\x00",
    "\ud7ff",
    "𝔘",
    "🙂",
    "\r\n",
    "\r",
    "\t",
    "–",
    "—",
    "’",
    "ﬁ",
    "Å",
    "ß",
    "İ",
]
odd_text = st.lists(st.one_of(st.text(max_size=40), st.sampled_from(ODDITIES)), max_size=60).map(
    "".join
)
SETTINGS = settings(
    max_examples=80, deadline=None, suppress_health_check=list(HealthCheck), database=None
)


def run_pipeline(text: str) -> None:
    cleaned = clean_text(text)
    try:
        record = parse_record(cleaned.text)
    except (NotARecord, RecordParseError) as exc:
        assert str(exc), "a rejection must say why"
        record = None
    if record is not None:
        assert record.identity
        for fv in record.fields.values():
            assert fv.value is not None and fv.value != ""
    for fact in extract_facts(cleaned.text):
        assert cleaned.text[fact.start : fact.end] == fact.text
        assert 0.0 <= fact.confidence <= 1.0


@SETTINGS
@given(st.binary(max_size=3000))
def test_random_bytes_decode_or_are_refused_with_a_reason(data):
    try:
        text, encoding = decode_text(data)
    except SourceError as exc:
        assert "binary" in str(exc)
        return
    assert "\x00" not in text
    run_pipeline(text)


@SETTINGS
@given(odd_text)
def test_unicode_oddities_never_crash_the_pipeline(text):
    run_pipeline(text)


@st.composite
def mutated_record(draw) -> str:
    """A real-layout record from the sample corpus with lines dropped, swapped, cut or spiced."""
    path = draw(st.sampled_from(LAYOUT_SAMPLES))
    lines = path.read_text(encoding="utf-8", errors="replace").split("\n")
    for _ in range(draw(st.integers(0, 6))):
        op = draw(st.sampled_from(["drop", "swap", "dup", "odd", "cut", "long"]))
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        if op == "drop":
            del lines[i]
        elif op == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "dup":
            lines.insert(i, lines[i])
        elif op == "odd":
            k = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:k] + draw(st.sampled_from(ODDITIES)) + lines[i][k:]
        elif op == "cut":
            lines = lines[: i + 1]
            lines[-1] = lines[-1][: draw(st.integers(0, len(lines[-1])))]
        else:
            lines[i] = lines[i] * 200
    return "\n".join(lines)


@SETTINGS
@given(mutated_record())
def test_mutated_real_layout_records_parse_or_are_rejected_with_a_reason(text):
    run_pipeline(text)


def test_an_enormous_line_is_handled():
    run_pipeline("Beviljat ESF-stöd " + "9 " * 200_000 + "kr")


def test_deeply_nested_html_gives_text_or_nothing_but_never_crashes():
    html = "<div>" * 5000 + "Samordningsförbundet i Värmland" + "</div>" * 5000
    page = html_to_text(html)
    run_pipeline(page.text)


@SETTINGS
@given(st.text(alphabet=st.sampled_from(list("<>/=\"' abcdiv&;åäö\n")), max_size=500))
def test_hostile_html_fragments_never_crash(html):
    page = html_to_text(html)
    assert "<script" not in page.text.lower() or "<script" in html.lower()
