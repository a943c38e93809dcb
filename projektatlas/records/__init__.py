"""Project-bank record parsers: ``parse_record(text) -> ProjectRecord``.

Layouts: "2021-2027" and "2014-2020" ("Label:" then value), "2014-2020-web" (labels without
colons), "2007-2013" (labels glued to values, no diarienummer) and "2021-2027-title-only"
("25-023-S02 - Arbetscoacher" and a description). Callers pass NFC text (the sources layer
NFC-normalises); spans in the result index that exact string.
"""

from projektatlas.records.errors import NotARecord, RecordParseError
from projektatlas.records.parser import parse_record, slug

__all__ = ["NotARecord", "RecordParseError", "parse_record", "slug"]
