"""Property: parse_record never fails with anything but NotARecord / RecordParseError."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from projektatlas.model import ProjectRecord
from projektatlas.records import NotARecord, RecordParseError, parse_record

_PIECES = st.sampled_from(
    [
        "23-001-S01 - Namn",
        "2020/00701 - X",
        "23-001-S",
        "Diarienummer:",
        "2020/00701",
        "Namn:",
        "Region",
        "Region:",
        "Småland & Öarna",
        "Projektperiod",
        "2015-05-01-2018-06-30",
        "2021-13-45",
        "Beviljat ESF-stöd27 129 996 kr",
        "ProjektfasGenomförande",
        "Programområde",
        "3.1 Sysselsättningsinitiativet för unga",
        "Organisationsnummer:",
        "2120001850",
        "Kontaktperson:",
        "E-post:",
        "ProjektÃ¤gare:",
        "60%",
        "",
        "\r",
        "\u00a0",
        "Acceptera alla cookies",
    ]
)


def _check(text: str) -> None:
    try:
        rec = parse_record(text)
    except (NotARecord, RecordParseError) as exc:
        assert exc.reason
        return
    assert isinstance(rec, ProjectRecord)
    for fv in rec.fields.values():
        if fv.start is not None:
            assert text[fv.start : fv.end] == fv.raw


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text())
def test_arbitrary_text(text):
    _check(text)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(_PIECES, st.text(max_size=12)), max_size=30))
def test_record_like_line_soup(pieces):
    _check("\n".join(pieces))
