"""Find the title line and the label block of a record, in its three label styles.

Styles: ``colon`` ("Namn:" then the value, on the same or the next line), ``bare`` (the
2014–2020 web layout: "Programområde" alone, value on the next line) and ``glued``
(2007–2013: "ProjektfasGenomförande", label and value fused, split by longest known label).
The output is a list of `Entry` (field, label as written, value span) in text order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from projektatlas.records.labels import (
    CALL_MARKER,
    IGNORED,
    LABELS,
    MAX_LABEL_CHARS,
    PERSONAL_LABEL_FIELDS,
    label_key,
    longest_prefix,
    lookup_fuzzy,
)
from projektatlas.records.lines import Line, is_noise, is_short

TITLE_RE = re.compile(
    r"^(?P<dnr>\d{2}-\d{3}-[Ss]\d{2}|\d{4}/\d{5})(?![\w/])"
    r"(?:\s*(?:[-–—:|]\s*(?P<name>.*)|\s(?P<name2>.*)))?$"
)
BROKEN_TITLE_RE = re.compile(
    r"^(?P<dnr>\d{2}-\d{3}(?:-[Ss]?\d*)?|\d{2}-\d{3}-[Ss]\d{3,}|\d{4}/\d{3,4}|\d{4}/\d{6,})"
    r"(?![\w/])(?:\s*[-–—:|]\s*(?P<name>.*))?$"
)
# "2020/00" as the very last line: a title cut off by truncation.
CUT_TITLE_RE = re.compile(r"^(?P<dnr>\d{4}/\d{0,4})$")
_UNKNOWN_LABEL_RE = re.compile(r"^[A-ZÅÄÖ][\w .,/&()+-]{0,45}$")
_UNKNOWN_INLINE_RE = re.compile(r"^(?P<label>[A-ZÅÄÖ][\w .,/&()+-]{0,40}?)\s*:\s*(?P<value>\S.*)$")
_TITLE_PREFIX_RE = re.compile(r"^[#*\s]+")
_CELL_SEP_RE = re.compile(r"\t+|\s{2,}|\s+\|\s+|(?<=\w)\|(?=\s*\w)")


@dataclass(slots=True)
class Hit:
    """A label found on a line. `field` None = an unknown label."""

    field: str | None
    label: str
    colon: bool
    value_start: int | None = None  # inline value span (absolute), None when not inline
    value_end: int | None = None
    fuzzy: bool = False


@dataclass(slots=True)
class Entry:
    field: str | None
    label: str
    value_start: int | None
    value_end: int | None
    line_index: int
    fuzzy: bool = False


@dataclass(slots=True)
class Title:
    line: Line
    dnr: str
    dnr_start: int
    dnr_end: int
    name_start: int | None
    name_end: int | None
    broken: bool
    after_prose: bool


@dataclass(slots=True)
class Block:
    entries: list[Entry] = field(default_factory=list)
    description_line: int | None = None  # first line of the free text after the block
    ended_at_eof: bool = False
    description_adjacent: bool = False  # the free text starts right under a value line
    warnings: list[str] = field(default_factory=list)


def _span(line: Line, rel_start: int, rel_end: int) -> tuple[int, int] | None:
    part = line.text[rel_start:rel_end]
    stripped = part.strip()
    if not stripped:
        return None
    start = line.start + rel_start + (len(part) - len(part.lstrip()))
    return start, start + len(stripped)


def classify(line: Line) -> Hit | None:
    """A known label on `line` (with colon, bare, or colon + inline value) or an unknown
    "Something:" label line; None otherwise."""
    t = line.text
    if not t or len(t) > 400:
        return None
    for m in re.finditer(":", t):
        if m.start() > MAX_LABEL_CHARS:
            break
        left = t[: m.start()]
        key = label_key(left)
        if not key:
            continue
        if len(key) > 60:
            break
        fld = LABELS.get(key)
        fuzzy = False
        if fld is None and len(key) <= 45 and len(left.split()) <= 5:
            found = lookup_fuzzy(left)
            if found:
                fld, fuzzy = found[0], True
        if fld is not None:
            span = _span(line, m.end(), len(t))
            return Hit(fld, left.strip(), True, *(span or (None, None)), fuzzy=fuzzy)
    # Table cells: "Projektägare<TAB>Umeå kommun", "| Projektägare | Umeå kommun |".
    sep = _CELL_SEP_RE.search(t, 0, MAX_LABEL_CHARS)
    if sep is not None and sep.start() > 0:
        left = t[: sep.start()].strip().strip("|").strip()
        fld = LABELS.get(label_key(left)) if left else None
        if fld is not None:
            end = len(t.rstrip().rstrip("|"))
            span = _span(line, sep.end(), end)
            return Hit(fld, left, True, *(span or (None, None)))
    fld = LABELS.get(label_key(t)) if len(t) <= MAX_LABEL_CHARS else None
    if fld is not None and not is_noise(t):
        return Hit(fld, t, False)
    if t.endswith(":") and _UNKNOWN_LABEL_RE.match(t[:-1].strip()) and len(t.split()) <= 6:
        return Hit(None, t[:-1].strip(), True)
    return None


def glued_hit(line: Line, *, lenient: bool) -> Hit | None:
    """A label glued to its value ("Beviljat ESF-stöd27 129 996 kr"); `lenient` also
    accepts a space between them."""
    t = line.text
    if not t or len(t) > 400:
        return None
    pm = longest_prefix(t)
    if pm is None:
        return None
    rest = t[pm.label_end :]
    label = t[: pm.label_end]
    if not rest.strip():
        return Hit(pm.field, label, False)
    first = rest[0]
    if first == ":" or (first.isspace() and rest.lstrip()[:1] == ":"):
        rel = pm.label_end + rest.index(":") + 1
    elif first.isspace():
        if not lenient:
            return None
        rel = pm.label_end
    elif first.isalpha() and first.islower():
        if not (pm.field == "contact_email" and "@" in rest):
            return None
        rel = pm.label_end
    elif first.isalnum() or first in "+(":
        rel = pm.label_end
    else:
        return None
    span = _span(line, rel, len(t))
    return Hit(pm.field, label, False, *(span or (None, None)))


def find_title(lines: list[Line], stop: int) -> Title | None:
    """The first "<diarienummer> - <name>" line (or a broken one) before line `stop`.

    `Title.after_prose` tells whether running text (not page noise, not a short heading)
    comes before it, i.e. whether it may just be a mention inside an article.
    """
    after_prose = False
    last = max((ln.index for ln in lines if not ln.blank), default=-1)
    for line in lines[:stop]:
        if line.blank:
            continue
        prefix = _TITLE_PREFIX_RE.match(line.text)
        offset = prefix.end() if prefix else 0
        body = line.text[offset:]
        m = TITLE_RE.match(body)
        broken = False
        if m is None:
            m = BROKEN_TITLE_RE.match(body)
            if m is None and line.index == last:
                m = CUT_TITLE_RE.match(body)
            broken = m is not None
        if m is not None:
            base = line.start + offset
            name_group = "name" if m.groupdict().get("name") is not None else "name2"
            name_start = name_end = None
            if m.groupdict().get(name_group):
                ns, ne = m.span(name_group)
                span = _span(Line(line.index, base, base + len(body), body), ns, ne)
                if span:
                    name_start, name_end = span
            return Title(
                line, m.group("dnr"), base + m.start("dnr"), base + m.end("dnr"),
                name_start, name_end, broken, after_prose,
            )  # fmt: skip
        if not (is_noise(line.text) or is_short(line.text)):
            after_prose = True
    return None


def _next_nonblank(lines: list[Line], i: int) -> int | None:
    while i < len(lines):
        if not lines[i].blank:
            return i
        i += 1
    return None


def parse_label_block(lines: list[Line], hits: list[Hit | None], start: int, style: str) -> Block:
    """Read the label block from line `start` in the ``colon`` or ``bare`` style."""
    block = Block()

    def is_label(i: int) -> bool:
        h = hits[i]
        if h is None:
            return False
        if h.colon or (style == "bare" and h.field is not None):
            return True
        # A colon-less label inside a colon block ("Region" amid "Namn:" lines): only
        # directly under a filled value, never as a value itself or after a blank line.
        if h.field is None or h.field in (IGNORED, "description") or i < 2:
            return False
        prev, before = hits[i - 1], hits[i - 2]
        if lines[i - 1].blank:
            return False
        if prev is not None and prev.colon and prev.value_start is not None:
            return True  # under "Projektägare: Umeå kommun"
        prev_is_label = prev is not None and prev.colon
        return (
            not lines[i - 1].blank
            and not prev_is_label
            and before is not None
            and before.colon
            and before.value_start is None
        )

    # Values directly under their label ("tight") or after a blank line ("loose")?
    tight = loose = 0
    for i in range(start, len(lines)):
        if is_label(i) and hits[i].value_start is None:  # type: ignore[union-attr]
            if i + 1 < len(lines) and not lines[i + 1].blank:
                tight += 1
            else:
                j = _next_nonblank(lines, i + 1)
                if j is not None and not is_label(j):
                    loose += 1
    loose_style = loose > tight

    i = start
    n = len(lines)
    while i < n:
        line = lines[i]
        if line.blank:
            j = _next_nonblank(lines, i)
            if j is None:
                block.ended_at_eof = True
                return block
            if is_label(j):
                i = j
                continue
            block.description_line = j
            return block
        hit = hits[i] if is_label(i) else None
        if hit is None:
            m = _UNKNOWN_INLINE_RE.match(line.text)
            if m and block.entries and len(m.group("label").split()) <= 5:
                span = _span(line, m.start("value"), m.end("value"))
                block.entries.append(Entry(None, m.group("label"), *span, i))  # type: ignore[misc]
                i += 1
                continue
            block.description_line = i
            block.description_adjacent = i > 0 and not lines[i - 1].blank
            return block
        if hit.field == "description":
            vs, ve = _description_span(lines, i, hit)
            block.entries.append(Entry("description", hit.label, vs, ve, i, hit.fuzzy))
            return block
        if hit.value_start is not None:
            block.entries.append(
                Entry(hit.field, hit.label, hit.value_start, hit.value_end, i, hit.fuzzy)
            )
            i += 1
            continue
        j = i + 1
        if loose_style:
            j = _next_nonblank(lines, i + 1) or n
        if j < n and not lines[j].blank and not is_label(j):
            candidate = lines[j]
            if len(candidate.text) > 200:
                # A long paragraph after a blank line is the description, not a value.
                block.entries.append(Entry(hit.field, hit.label, None, None, i, hit.fuzzy))
                block.description_line = j
                return block
            last = j
            k = j + 1
            while k < n and not lines[k].blank and not is_label(k):
                k += 1
            nxt = _next_nonblank(lines, k)
            if k > j + 1 and nxt is not None and is_label(nxt):
                last = k - 1  # a value over several lines (an address, a long name)
            elif k > j + 1:
                block.entries.append(
                    Entry(hit.field, hit.label, candidate.start, candidate.end, i, hit.fuzzy)
                )
                block.description_line = j + 1
                block.description_adjacent = True
                return block
            block.entries.append(
                Entry(hit.field, hit.label, candidate.start, lines[last].end, i, hit.fuzzy)
            )
            i = last + 1
        else:
            block.entries.append(Entry(hit.field, hit.label, None, None, i, hit.fuzzy))
            if j >= n:
                block.ended_at_eof = True
                return block
            i = j if not lines[j].blank else i + 1
    block.ended_at_eof = True
    return block


def _description_span(lines: list[Line], i: int, hit: Hit) -> tuple[int | None, int | None]:
    start = hit.value_start
    if start is None:
        j = _next_nonblank(lines, i + 1)
        if j is None:
            return None, None
        start = lines[j].start
    last = max(k for k in range(len(lines)) if not lines[k].blank)
    return start, lines[last].end


def parse_glued_block(lines: list[Line], first: int, last: int) -> Block:
    """Read a 2007–2013 block of glued labels between lines `first` and `last` (inclusive),
    extended by label lines that follow directly."""
    block = Block()
    n = len(lines)
    i = first
    while i < n:
        line = lines[i]
        if line.blank:
            i += 1
            continue
        hit = glued_hit(line, lenient=True)
        if hit is None and i > last:
            block.description_line = i
            return block
        if hit is None:
            if block.entries and block.entries[-1].value_start is not None and is_short(line.text):
                block.entries[-1].value_end = line.end  # value continued on the next line
            else:
                block.warnings.append(f"text inside the field block was ignored (line {i + 1})")
            i += 1
            continue
        if hit.field == "description":
            vs, ve = _description_span(lines, i, hit)
            block.entries.append(Entry("description", hit.label, vs, ve, i))
            return block
        block.entries.append(Entry(hit.field, hit.label, hit.value_start, hit.value_end, i))
        i += 1
    block.ended_at_eof = True
    return block


def counts_as_record_field(fld: str | None) -> bool:
    return (
        fld is not None and fld not in PERSONAL_LABEL_FIELDS and fld not in (IGNORED, CALL_MARKER)
    )
