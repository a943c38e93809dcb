"""parse_record: a project-bank record's text → ProjectRecord, or NotARecord / RecordParseError.

Input is the page text as the sources layer gives it (NFC-normalised; any newline
convention). Spans refer to exactly that string. Label matching also tolerates non-NFC text
and UTF-8 misread as CP1252 (values are then repaired and a warning is added).

Period and fund rule: ``YY-NNN-SNN`` → 2021–2027 (fund "ESF+" derived when not stated),
``YYYY/NNNNN`` → 2014–2020, glued-label layout → 2007–2013; the fund of earlier periods is
only taken when stated.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from projektatlas.model import FieldValue, PersonMention, ProjectRecord
from projektatlas.normalize import clean_spaces
from projektatlas.records import values as V
from projektatlas.records.blocks import (
    Block,
    Entry,
    Hit,
    Title,
    classify,
    counts_as_record_field,
    find_title,
    glued_hit,
    parse_glued_block,
    parse_label_block,
)
from projektatlas.records.errors import NotARecord, RecordParseError
from projektatlas.records.labels import (
    CALL_MARKER,
    IGNORED,
    PERIOD,
    PERSONAL_LABEL_FIELDS,
    PROJECT_NUMBER,
    is_label_fragment,
)
from projektatlas.records.lines import Line, is_noise, is_short, split_lines
from projektatlas.records.regions import (
    NATIONAL_REGION,
    NUTS2_REGION,
    canonical_nuts2,
    canonical_region,
    nuts2_for_region,
)
from projektatlas.records.text_repair import looks_mojibake, repair

LAYOUT_2021 = "2021-2027"
LAYOUT_2021_TITLE_ONLY = "2021-2027-title-only"
LAYOUT_2014 = "2014-2020"
LAYOUT_2014_WEB = "2014-2020-web"
LAYOUT_2007 = "2007-2013"
DERIVED = "derived"
TITLE_LABEL = "title"
# A record whose block runs to the end of the file with fewer fields than this is truncated.
_MIN_FIELDS_AT_EOF = 5


def parse_record(text: str) -> ProjectRecord:
    """Parse one project-bank record.

    Raises NotARecord when `text` is no record and RecordParseError when it is a broken one.
    """
    if not isinstance(text, str):
        raise TypeError("parse_record takes the document text as str")
    return _Parser(text).run()


def _heading_like(line: str) -> bool:
    """A project name line: not too long, not a sentence."""
    return len(line) <= 160 and not line.rstrip().endswith((".", "!", "?", ":"))


def slug(text: str) -> str:
    """ASCII slug: ``"Reload AB"`` → ``"reload-ab"``, ``"Östra"`` → ``"ostra"``."""
    decomposed = unicodedata.normalize("NFKD", clean_spaces(text)).casefold()
    ascii_text = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[^0-9a-z]+", "-", ascii_text.replace("ß", "ss")).strip("-")


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.lines = split_lines(text)
        self.hits: list[Hit | None] = [classify(line) for line in self.lines]
        self.glued: list[Hit | None] = [
            glued_hit(line, lenient=False) if self.hits[i] is None else None
            for i, line in enumerate(self.lines)
        ]
        self.mojibake = looks_mojibake(text)
        self.warnings: list[str] = []
        self.fields: dict[str, FieldValue] = {}
        self.persons: list[PersonMention] = []
        if self.mojibake:
            self.warnings.append(
                "text looks like UTF-8 read as CP1252/Latin-1; values were repaired"
            )

    # -- helpers ---------------------------------------------------------------------
    def _value_text(self, raw: str) -> str:
        return repair(raw) if self.mojibake else raw

    def _first_content(self) -> Line | None:
        for line in self.lines:
            if not line.blank and not is_noise(line.text):
                return line
        return None

    def _distinct(self, indices: list[int], hits: list[Hit | None]) -> set[str]:
        return {
            hits[i].field  # type: ignore[union-attr,misc]
            for i in indices
            if counts_as_record_field(hits[i].field)  # type: ignore[union-attr]
        }

    def _preamble_ok(self, start: int, stop: int) -> bool:
        """Only blank, noise or short heading-like lines between two lines."""
        return all(
            line.blank or is_noise(line.text) or is_short(line.text)
            for line in self.lines[start:stop]
        )

    # -- main ------------------------------------------------------------------------
    def run(self) -> ProjectRecord:
        lines, hits = self.lines, self.hits
        colon_idx = [i for i, h in enumerate(hits) if h and h.colon and h.field is not None]
        bare_idx = [i for i, h in enumerate(hits) if h and not h.colon and h.field is not None]
        glued_idx = [i for i, g in enumerate(self.glued) if g is not None and g.value_start]
        colon_fields = self._distinct(colon_idx, hits)
        bare_fields = self._distinct(bare_idx, hits)
        glued_fields = self._distinct(glued_idx, self.glued)

        first_label = min(colon_idx + bare_idx, default=len(lines))
        title = find_title(lines, first_label)
        if title is not None and title.after_prose:
            # A diarienummer line after running text is a mention, unless fields follow.
            labels_near = first_label < len(lines) and self._preamble_ok(
                title.line.index + 1, first_label
            )
            if first_label == len(lines) or (title.broken and not labels_near):
                title = None

        style: str | None = None
        if title is not None:
            after = title.line.index + 1
            best = 0
            for style_name, idx in (("colon", colon_idx), ("bare", bare_idx)):
                later = [i for i in idx if i > title.line.index]
                if not later:
                    continue
                near = self._preamble_ok(after, later[0])
                needed = (1 if style_name == "colon" else 2) if near else 3
                if len(self._distinct(later, hits)) >= needed and len(later) > best:
                    style, best = style_name, len(later)
                    self._pre_block = None if near else (after, later[0])
            if title.broken:
                raise RecordParseError(
                    f"the diarienummer {title.dnr!r} in the title line is malformed or cut off"
                )
        else:
            if len(colon_fields) >= 3 and len(colon_fields) >= len(bare_fields):
                style = "colon"
            elif len(bare_fields) >= 3:
                style = "bare"
            elif len(glued_fields) >= 3:
                style = "glued"
            else:
                first = self._first_content()
                if first is not None and colon_fields | bare_fields:
                    h = hits[first.index]
                    if h is not None and counts_as_record_field(h.field):
                        raise RecordParseError(
                            "the text starts like a project-bank record but ends after "
                            f"{len(colon_fields | bare_fields)} field label(s); it looks truncated"
                        )
                raise NotARecord(
                    "no project-bank title line (diarienummer - name) and too few record "
                    f"labels ({len(colon_fields | bare_fields | glued_fields)} distinct fields)"
                )

        if style is None:
            assert title is not None
            if title.after_prose:
                raise NotARecord("a diarienummer line inside running text, without fields")
            return self._title_only(title)
        if style == "glued":
            return self._glued(glued_idx)
        start = min(i for i in (colon_idx if style == "colon" else bare_idx + colon_idx)
                    if title is None or i > title.line.index)  # fmt: skip
        name_line: Line | None = None
        if title is None:
            name_line = self._name_line_before(start)
            self._warn_skipped(0, name_line.index if name_line else start)
        else:
            self._warn_skipped(0, title.line.index)
        block = parse_label_block(lines, hits, start, style)
        return self._finish(block, title, style, name_line)

    def _name_line_before(self, stop: int) -> Line | None:
        """The heading line just above a label block that has no diarienummer title."""
        for line in reversed(self.lines[:stop]):
            if line.blank:
                continue
            if is_noise(line.text) or not _heading_like(line.text):
                return None
            return line
        return None

    def _warn_skipped(self, start: int, stop: int) -> None:
        skipped = [ln for ln in self.lines[start:stop] if not ln.blank]
        if skipped:
            self.warnings.append(f"{len(skipped)} line(s) of page text before the record skipped")

    # -- layouts ---------------------------------------------------------------------
    def _title_only(self, title: Title) -> ProjectRecord:
        self._warn_skipped(0, title.line.index)
        dnr = V.normalise_diarienummer(title.dnr)
        if dnr is None:  # pragma: no cover - TITLE_RE only matches valid numbers
            raise RecordParseError(f"the diarienummer {title.dnr!r} in the title is malformed")
        self._title_fields(title, dnr)
        desc_start = next(
            (ln.index for ln in self.lines[title.line.index + 1 :] if not ln.blank), None
        )
        if desc_start is not None:
            self._set_description(desc_start, None)
        description = self.fields.get("description")
        if description is None or (
            "\n" not in description.value and is_label_fragment(description.value)
        ):
            raise RecordParseError(
                "the record has only its title line: no fields and no description (truncated?)"
            )
        period = V.period_of_diarienummer(dnr)
        if period == "2021-2027":
            layout = LAYOUT_2021_TITLE_ONLY
        else:
            layout = LAYOUT_2014
            self.warnings.append("a 2014–2020 record with a title and description but no fields")
        self._programme_period(period, dnr)
        return self._record(layout, dnr)

    def _glued(self, glued_idx: list[int]) -> ProjectRecord:
        first, last = glued_idx[0], glued_idx[-1]
        block = parse_glued_block(self.lines, first, last)
        self.warnings.extend(block.warnings)
        # The title is the nearest short line above the block; running text between the
        # two is a description placed before the fields.
        title_line = None
        pre_content: list[Line] = []
        for line in reversed(self.lines[:first]):
            if line.blank or is_noise(line.text):
                continue
            if _heading_like(line.text):
                title_line = line
                break
            pre_content.insert(0, line)
        if title_line is not None:
            self._warn_skipped(0, title_line.index)
        self._read_entries(block.entries)
        if title_line is not None:
            name = self._value_text(title_line.text)
            if "name" not in self.fields:
                self._put("name", title_line.text, clean_spaces(name), title_line, TITLE_LABEL)
        if "name" not in self.fields:
            raise RecordParseError("a 2007–2013 record without a title line or project name")
        self._check_truncated(block)
        if block.description_line is not None:
            self._set_description(block.description_line, None)
        elif pre_content:
            self._set_description(pre_content[0].index, first)
        self._apply_period()
        self._derive()
        self._programme_period("2007-2013", None)
        owner = self.fields.get("owner_name")
        start = self.fields.get("start_date")
        identity = ":".join(
            (
                "2007-2013",
                slug(str(self.fields["name"].value)),
                slug(str(owner.value)) if owner else "",
                start.value.isoformat() if start else "",
            )
        )
        return self._record(LAYOUT_2007, identity)

    def _finish(
        self, block: Block, title: Title | None, style: str, name_line: Line | None
    ) -> ProjectRecord:
        self.warnings.extend(block.warnings)
        self._read_entries(block.entries)
        project_money = ("owner_name", "esf_support_sek", "total_budget_sek")
        if self._call_marker and not any(k in self.fields for k in project_money):
            raise NotARecord("a call for proposals (utlysning) page, not a project record")
        if name_line is not None and "name" not in self.fields:
            name = clean_spaces(self._value_text(name_line.text))
            self._put("name", name_line.text, name, name_line, TITLE_LABEL)
        if block.description_line is not None and block.description_adjacent:
            rest = [ln for ln in self.lines[block.description_line :] if not ln.blank]
            if len(rest) == 1 and len(rest[0].text) <= 60 and is_short(rest[0].text):
                # One short line glued under the last value at the end of the file: the
                # file was cut inside the label block.
                block.description_line = None
                block.ended_at_eof = True
                self.warnings.append("a fragment after the last field was ignored (truncated?)")
        if block.description_line is not None:
            self._set_description(block.description_line, None)
        if self._pre_block is not None:
            if "description" in self.fields:
                self.warnings.append("text between the title and the fields was not stored")
            else:
                self._set_description(*self._pre_block)

        field_dnr = self.fields.get("diarienummer")
        title_dnr = V.normalise_diarienummer(title.dnr) if title else None
        if field_dnr is not None and field_dnr.value is None:
            where = "disagrees with the title's" if title else "is not a valid diarienummer"
            raise RecordParseError(
                f"the Diarienummer field {field_dnr.raw.strip()!r} {where}"
                + (f" {title_dnr!r}" if title else "")
            )
        if field_dnr is not None and title_dnr is not None and field_dnr.value != title_dnr:
            raise RecordParseError(
                f"the Diarienummer field {field_dnr.value!r} disagrees with the title's "
                f"{title_dnr!r}"
            )
        if title is not None:
            self._title_fields(title, title_dnr)  # type: ignore[arg-type]
        dnr = self.fields["diarienummer"].value if "diarienummer" in self.fields else None
        if dnr is None and self._project_number is not None:
            dnr = self._project_number.value
            if dnr is not None:
                self.fields["diarienummer"] = FieldValue(
                    "diarienummer", self._project_number.raw, dnr,
                    self._project_number.start, self._project_number.end,
                    self._project_number.label,
                )  # fmt: skip
        if dnr is None and "owner_name" not in self.fields and title is None:
            raise NotARecord(
                "labelled fields but neither a diarienummer nor a project owner: "
                "not a project-bank record"
            )
        if dnr is None:
            raise RecordParseError(
                "the record has labelled fields but no diarienummer in its title or fields"
            )
        self._check_truncated(block)
        pn = self._project_number
        if pn is not None and pn.value is not None and pn.value != dnr:
            self.warnings.append(f"Projektnummer {pn.value!r} differs from diarienummer {dnr!r}")
        period = V.period_of_diarienummer(dnr)
        if style == "bare" and period == "2014-2020":
            layout = LAYOUT_2014_WEB
        else:
            layout = LAYOUT_2021 if period == "2021-2027" else LAYOUT_2014
        self._apply_period()
        self._derive()
        self._programme_period(period, dnr)
        return self._record(layout, dnr)

    # -- fields ----------------------------------------------------------------------
    _project_number: FieldValue | None = None
    _pre_block: tuple[int, int] | None = None  # free text between the title and the fields
    _call_marker = False
    _period: FieldValue | None = None

    def _put(self, name: str, raw: str, value: Any, line: Line | None, label: str | None,
             start: int | None = None, end: int | None = None) -> None:  # fmt: skip
        if line is not None:
            start, end = line.start, line.end
        self.fields[name] = FieldValue(name, raw, value, start, end, label)

    def _derived(self, name: str, raw: str, value: Any) -> None:
        self.fields[name] = FieldValue(name, raw, value, None, None, DERIVED)

    def _title_fields(self, title: Title, dnr: str) -> None:
        if "diarienummer" not in self.fields:
            self.fields["diarienummer"] = FieldValue(
                "diarienummer", self.text[title.dnr_start : title.dnr_end], dnr,
                title.dnr_start, title.dnr_end, TITLE_LABEL,
            )  # fmt: skip
        if title.name_start is not None and title.name_end is not None:
            raw = self.text[title.name_start : title.name_end]
            name = clean_spaces(self._value_text(raw))
            existing = self.fields.get("name")
            if existing is None:
                self._put("name", raw, name, None, TITLE_LABEL, title.name_start, title.name_end)
            elif slug(str(existing.value)) != slug(name):
                self.warnings.append("the name in the title differs from the Namn field")
        elif "name" not in self.fields:
            self.warnings.append("the record has no project name")

    def _read_entries(self, entries: list[Entry]) -> None:
        objective_text: str | None = None
        for e in entries:
            raw = self.text[e.value_start : e.value_end] if e.value_start is not None else ""
            if e.field is None:
                self.warnings.append(f"unknown label {clean_spaces(e.label)!r}; value not stored")
                continue
            if e.fuzzy:
                self.warnings.append(f"label {clean_spaces(e.label)!r} read as {e.field}")
            if not any(c.isalnum() for c in raw):
                continue  # empty, a "-" placeholder, or erased personal data ("▒▒▒")
            value_text = self._value_text(raw)
            fv = FieldValue(e.field, raw, None, e.value_start, e.value_end, e.label)
            if e.field in PERSONAL_LABEL_FIELDS:
                self._person(e.field, value_text, fv)
                continue
            if e.field == CALL_MARKER:
                self._call_marker = True
                continue
            if e.field == IGNORED:
                self.warnings.append(f"label {clean_spaces(e.label)!r} is not a project field")
                continue
            if e.field == PROJECT_NUMBER:
                fv.field = "diarienummer"
                fv.value = V.normalise_diarienummer(value_text)
                self._project_number = fv
                continue
            if e.field == PERIOD:
                self._period = fv
                fv.value = value_text
                continue
            if e.field in self.fields:
                self.warnings.append(f"field {e.field} given twice; the first value was kept")
                continue
            if e.field == "description":
                self._set_description_span(e.value_start, e.value_end)  # type: ignore[arg-type]
                continue
            if e.field == "programme_area":
                self._area(fv, value_text)
                continue
            if e.field == "specific_objective":
                parsed = V.parse_objective(value_text)
                if parsed is None:
                    fv.value = clean_spaces(value_text)
                    self.warnings.append(f"specific objective {fv.value!r} has no known code")
                else:
                    fv.value, objective_text = parsed
                self.fields["specific_objective"] = fv
                continue
            if e.field == "region":
                self._region(fv, value_text)
                continue
            if e.field == "nuts2":
                code = canonical_nuts2(value_text)
                if code is None:
                    self.warnings.append(
                        f"NUTS-2 code {clean_spaces(value_text)!r} is not one of the eight ESF "
                        "regions' codes; not stored"
                    )
                    continue
                fv.value = code
                self.fields["nuts2"] = fv
                continue
            value, warning = V.convert(e.field, value_text)
            if warning:
                self.warnings.append(warning)
            if e.field == "diarienummer":
                fv.value = value  # may be None: checked against the title later
                self.fields["diarienummer"] = fv
                continue
            if value is None:
                continue
            if isinstance(value, str) and (V.EMAIL_RE.search(value) or V.PHONE_RE.search(value)):
                self.warnings.append(
                    f"{e.field} held an e-mail address or phone number (personal data); not stored"
                )
                continue
            fv.value = value
            self.fields[e.field] = fv
        if objective_text:
            self.warnings.append(
                f"text of the specific objective not stored: {clean_spaces(objective_text)!r}"
            )

    def _person(self, fld: str, value_text: str, fv: FieldValue) -> None:
        value = clean_spaces(value_text)
        start, end = fv.start, fv.end
        if fld == "project_leader":
            self.persons.append(
                PersonMention(name=value, role="projektledare", start=start, end=end)
            )
            return
        current = next((p for p in reversed(self.persons) if p.role == "kontaktperson"), None)
        attr = {"contact_name": "name", "contact_email": "email", "contact_phone": "phone"}[fld]
        if current is None or getattr(current, attr) is not None:
            current = PersonMention(role="kontaktperson", start=start, end=end)
            self.persons.append(current)
        if fld == "contact_name":
            # "Kontaktperson:" may hold name, e-mail and phone on successive lines.
            email = V.EMAIL_RE.search(value)
            phone = V.PHONE_RE.search(value)
            if email and current.email is None:
                current.email = email.group(0)
                value = value.replace(email.group(0), " ")
            if phone and current.phone is None:
                current.phone = phone.group(0)
                value = value.replace(phone.group(0), " ")
            value = clean_spaces(value).strip(",;/") or None  # type: ignore[assignment]
        setattr(current, attr, value)
        if start is not None and end is not None:
            current.start = start if current.start is None else min(current.start, start)
            current.end = end if current.end is None else max(current.end, end)

    def _area(self, fv: FieldValue, value_text: str) -> None:
        parsed = V.parse_area(value_text)
        if parsed is None:
            fv.field, fv.value = "programme_area_label", clean_spaces(value_text)
            self.fields["programme_area_label"] = fv
            self.warnings.append(f"programme area {fv.value!r} has no code")
            return
        area, objective, label = parsed
        if objective is not None:
            self.fields["specific_objective"] = FieldValue(
                "specific_objective", fv.raw, objective, fv.start, fv.end, fv.label
            )
            self._derived("programme_area", fv.raw, area)
        else:
            fv.value = area
            self.fields["programme_area"] = fv
        if label:
            pos = fv.raw.rfind(label)
            if pos >= 0 and fv.start is not None:
                start, end = fv.start + pos, fv.start + pos + len(label)
                self.fields["programme_area_label"] = FieldValue(
                    "programme_area_label", label, label, start, end, fv.label
                )
            else:
                self.fields["programme_area_label"] = FieldValue(
                    "programme_area_label", label, clean_spaces(label), None, None, DERIVED
                )

    def _region(self, fv: FieldValue, value_text: str) -> None:
        region = canonical_region(value_text)
        if region is None:
            region = clean_spaces(value_text)
            self.warnings.append(f"unknown region {region!r}; kept as written")
        fv.value = region
        self.fields["region"] = fv

    def _apply_period(self) -> None:
        period = self._period
        if period is None:
            return
        parsed = V.parse_period(period.raw)
        if parsed is None:
            self.warnings.append(f"project period {clean_spaces(period.raw)!r} is not two dates")
            return
        for name, hit in zip(("start_date", "end_date"), parsed, strict=True):
            stated = self.fields.get(name)
            if stated is None:
                start = period.start + hit.start  # type: ignore[operator]
                raw = self.text[start : start + hit.end - hit.start]
                self.fields[name] = FieldValue(
                    name, raw, hit.value, start, start + len(raw), period.label
                )
            elif stated.value != hit.value:
                self.warnings.append(f"{name} {stated.value} differs from the project period")

    def _check_truncated(self, block: Block) -> None:
        if not block.ended_at_eof or "description" in self.fields:
            return
        stored = [e for e in block.entries if e.value_start is not None]
        last = block.entries[-1] if block.entries else None
        if last is not None and last.value_start is None and len(stored) < _MIN_FIELDS_AT_EOF:
            raise RecordParseError(
                f"the record ends at the label {clean_spaces(last.label)!r} with no value "
                f"after only {len(stored)} field value(s); the file looks truncated"
            )
        if len(stored) < 3:
            raise RecordParseError(
                f"the file ends inside the label block after {len(stored)} field value(s); "
                "the record looks truncated"
            )
        if last is not None and last.value_start is None:
            self.warnings.append(
                f"the record ends at the label {clean_spaces(last.label)!r} without a value"
            )

    def _derive(self) -> None:
        f = self.fields
        start, end = f.get("start_date"), f.get("end_date")
        if start and end and end.value < start.value:
            self.warnings.append("the end date is before the start date")
        region = f.get("region")
        nuts = f.get("nuts2")
        if region is not None:
            code = nuts2_for_region(region.value)
            if nuts is None and code is not None:
                self._derived("nuts2", region.raw, code)
            elif nuts is not None and code is not None and nuts.value != code:
                self.warnings.append(
                    f"NUTS-2 code {nuts.value} does not match region {region.value!r}"
                )
            elif nuts is not None and region.value == NATIONAL_REGION:
                self.warnings.append("a national project with a regional NUTS-2 code")
        elif nuts is not None:
            self._derived("region", nuts.raw, NUTS2_REGION[nuts.value])
        area = f.get("programme_area")
        objective = f.get("specific_objective")
        if objective is not None and V.parse_objective(str(objective.value)) is not None:
            implied = V.area_of_objective(str(objective.value))
            if area is None:
                self._derived("programme_area", objective.raw, implied)
            elif area.value != implied:
                self.warnings.append(
                    f"specific objective {objective.value} does not belong to programme area "
                    f"{area.value}"
                )

    def _programme_period(self, period: str | None, dnr: str | None) -> None:
        stated = self.fields.get("programme_period")
        if period is not None:
            if stated is not None and stated.value != period:
                self.warnings.append(
                    f"stated programme period {stated.value} differs from {period} implied by "
                    "the layout/diarienummer; the latter was kept"
                )
                stated = None
            if stated is None:
                self._derived("programme_period", dnr or "glued-label layout", period)
        stated_period = self.fields.get("programme_period")
        if stated_period and stated_period.value == "2021-2027" and "fund" not in self.fields:
            self._derived("fund", stated_period.value, "ESF+")

    # -- description -----------------------------------------------------------------
    def _set_description(self, first: int, stop: int | None) -> None:
        body = [ln for ln in self.lines[first:stop] if not ln.blank]
        while body and is_noise(body[-1].text):
            body.pop()
            self.warnings.append("page text after the description skipped")
        while body and is_noise(body[0].text) and is_short(body[0].text):
            body.pop(0)
        if body:
            self._set_description_span(body[0].start, body[-1].end)

    def _set_description_span(self, start: int, end: int) -> None:
        raw = self.text[start:end]
        paragraphs = []
        for para in re.split(
            r"\n[ \t\u00a0\u202f\r]*\n", raw.replace("\r\n", "\n").replace("\r", "\n")
        ):
            kept = [clean_spaces(ln) for ln in para.split("\n")]
            kept = [ln for ln in kept if ln]
            if kept:
                paragraphs.append("\n".join(kept))
        value = unicodedata.normalize("NFC", self._value_text("\n\n".join(paragraphs)))
        if value:
            self.fields["description"] = FieldValue("description", raw, value, start, end, None)

    def _record(self, layout: str, identity: str) -> ProjectRecord:
        for name in [k for k, fv in self.fields.items() if fv.value is None or fv.value == ""]:
            del self.fields[name]  # empty is absent, never None or ""
        return ProjectRecord(
            layout=layout,
            identity=identity,
            fields=self.fields,
            persons=self.persons,
            warnings=self.warnings,
        )
