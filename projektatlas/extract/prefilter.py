"""Cheap pre-checks that let an extractor skip a regular expression that cannot match.

``Needs.of(pattern)`` reads a compiled pattern's syntax tree and finds literal text that
every match must contain (one of a few alternatives: ``"procent"`` for ``r"\\d+ procent"``,
``{"ungas", "ungdomar"}`` for ``"unga|ungdomar"``-like branches). ``needs.absent(view)``
is true only when none of them occurs in the text, so skipping the regex then never
changes a result. Case-insensitive patterns are checked against ``str.casefold()`` of
the text, which is exact for every text ``TextView`` marks as fold-safe; for other texts
the check always says "may match".
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache
from re import _constants as C  # noqa: N812
from re import _parser

_MAX_SET = 64  # largest set of exact strings kept while reading a pattern
_MAX_NEEDS = 24  # more alternatives than this cost more to test than they save
_ZERO_WIDTH = {C.AT, C.ASSERT, C.ASSERT_NOT}
_REPEATS = {C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT}


class TextView:
    """A text with its case-folded form, computed once for many pre-checks."""

    __slots__ = ("folded", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        folded = text.casefold()
        # ``re.IGNORECASE`` compares simple lower case; casefold may differ from it only
        # where it expands a character (İ, ß, ligatures) or for dotless ı (re: ı ~ i).
        # Such texts get no case-insensitive pre-check.
        self.folded = folded if len(folded) == len(text) and "ı" not in text else None


@lru_cache(maxsize=4)
def view(text: str) -> TextView:
    """The ``TextView`` of ``text`` (cached: the extractors of one document share it)."""
    return TextView(text)


@dataclass(frozen=True, slots=True)
class Needs:
    """Literal alternatives one of which every match contains (empty: no pre-check)."""

    alternatives: tuple[str, ...]
    folded: bool

    @classmethod
    def of(cls, pattern: re.Pattern[str]) -> Needs:
        ignorecase = bool(pattern.flags & re.IGNORECASE)
        try:
            tree = _parser.parse(pattern.pattern, pattern.flags)
        except Exception:  # noqa: BLE001 - an unreadable pattern simply gets no pre-check
            return cls((), ignorecase)
        _, need = _sequence(list(tree))
        if not need or not all(need) or len(need) > _MAX_NEEDS:
            return cls((), ignorecase)
        alts = tuple(sorted({a.casefold() for a in need} if ignorecase else set(need)))
        return cls(alts, ignorecase)

    def absent(self, tv: TextView) -> bool:
        """True when no match of the pattern can occur in the text."""
        if not self.alternatives:
            return False
        hay = tv.text
        if self.folded:
            hay = tv.folded
            if hay is None:
                return False
        return not any(a in hay for a in self.alternatives)


def _score(alts: frozenset[str] | set[str] | None) -> tuple[int, int]:
    if not alts or not all(alts):
        return (-1, 0)
    return (min(len(a) for a in alts), -len(alts))


def _item(op, av) -> tuple[set[str] | None, set[str] | None]:
    """(exact strings the item matches, or None; literals one of which it always contains)."""
    if op is C.LITERAL:
        s = {chr(av)}
        return s, s
    if op in _ZERO_WIDTH:
        return {""}, None
    if op is C.SUBPATTERN:
        _group, add_flags, del_flags, sub = av
        if add_flags or del_flags:
            return None, None
        return _sequence(list(sub))
    if op is C.BRANCH:
        exacts: set[str] | None = set()
        needs: set[str] | None = set()
        for branch in av[1]:
            exact, need = _sequence(list(branch))
            exacts = exacts | exact if exacts is not None and exact is not None else None
            needs = needs | need if needs is not None and need and all(need) else None
        if exacts is not None and len(exacts) > _MAX_SET:
            exacts = None
        return exacts, needs
    if op in _REPEATS:
        lo, hi, sub = av
        exact, need = _sequence(list(sub))
        if lo == 0 and hi == 1 and exact is not None:
            return exact | {""}, None
        if lo == hi == 1:
            return exact, need
        return None, need if lo >= 1 else None
    return None, None


def _sequence(items: list) -> tuple[set[str] | None, set[str] | None]:
    """Exact strings a sequence matches (or None) and its best literal requirement."""
    run: set[str] | None = {""}
    best: set[str] | None = None
    whole_exact = True

    def consider(candidate: set[str] | None) -> None:
        nonlocal best
        if _score(candidate) > _score(best):
            best = candidate

    for op, av in items:
        exact, need = _item(op, av)
        if exact is not None and run is not None and len(run) * len(exact) <= _MAX_SET:
            run = {a + b for a in run for b in exact}
            continue
        consider(run)
        consider(need)
        whole_exact = False
        run = set(exact) if exact is not None else {""}
    consider(run)
    return (run if whole_exact else None), best


# --------------------------------------------------------------------------- case expansion

# Characters besides upper and lower case that ``re.IGNORECASE`` equates with a letter
# (checked against every code point in tests/test_extract_speedsafe_prefilter.py).
CASE_EXTRA = {"i": "İı", "k": "\u212a", "s": "ſ", "å": "\u212b"}
# The letters whose classes that test checks; others get no class (no look-ahead).
VERIFIED_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzåäöéèüáíóúëñçà")


def letter_class(ch: str) -> str:
    """``[xX…]``: exactly the characters ``re.IGNORECASE`` lets the letter ``ch`` match."""
    low, up = ch.lower(), ch.upper()
    if low not in VERIFIED_LETTERS or len(up) != 1:
        raise ValueError(f"no single-character case pair for {ch!r}")
    return "[" + "".join(dict.fromkeys(low + up + CASE_EXTRA.get(low, ""))) + "]"


def case_expanded(fragment: str) -> str:
    """A plain alternation of words, made case-sensitive with explicit letter classes.

    ``"(?:cirka|ca\\.?)"`` → ``"(?-i:(?:[cC][iIİı]…|[cC][aA]\\.?))"``: inside an
    ``re.IGNORECASE`` pattern it matches exactly the same text, but ``re`` can skip a
    branch on its first character instead of trying each word in turn. Only letters,
    escapes, ``(?:``, ``|``, ``)``, ``?``, ``:``, ``.`` and spaces are allowed.
    """
    out: list[str] = []
    i = 0
    while i < len(fragment):
        ch = fragment[i]
        if ch == "\\":
            nxt = fragment[i + 1]
            if nxt.isalpha():
                raise ValueError(f"letter escape \\{nxt} in {fragment!r}")
            out.append(fragment[i : i + 2])
            i += 2
            continue
        if ch.isalpha():
            out.append(letter_class(ch))
        elif ch in "(?:|). ":
            out.append(ch)
        else:
            raise ValueError(f"unsupported character {ch!r} in {fragment!r}")
        i += 1
    return "(?-i:" + "".join(out) + ")"


# --------------------------------------------------------------------------- first characters

_CATEGORY_CLASS = {
    C.CATEGORY_DIGIT: r"\d",
    C.CATEGORY_NOT_DIGIT: r"\D",
    C.CATEGORY_SPACE: r"\s",
    C.CATEGORY_NOT_SPACE: r"\S",
    C.CATEGORY_WORD: r"\w",
    C.CATEGORY_NOT_WORD: r"\W",
}


def _class_parts(av) -> list[str] | None:
    parts: list[str] = []
    for op, a in av:
        if op is C.LITERAL:
            parts.append(re.escape(chr(a)))
        elif op is C.RANGE:
            parts.append(f"{re.escape(chr(a[0]))}-{re.escape(chr(a[1]))}")
        elif op is C.CATEGORY and a in _CATEGORY_CLASS:
            parts.append(_CATEGORY_CLASS[a])
        else:  # NEGATE, locale categories …: give up
            return None
    return parts


def _first_item(op, av) -> tuple[list[str] | None, bool]:
    """(class parts the item's first consumed character is in, or None; can it match empty?)."""
    if op is C.LITERAL:
        return [re.escape(chr(av))], False
    if op is C.IN:
        return _class_parts(av), False
    if op in _ZERO_WIDTH:
        return [], True
    if op is C.SUBPATTERN:
        _group, add_flags, del_flags, sub = av
        # A case-sensitive group read under the pattern's own flags gives a superset: fine.
        if add_flags & ~re.IGNORECASE or del_flags & ~re.IGNORECASE:
            return None, False
        parts, nullable = _first_sequence(list(sub))
        if add_flags and parts is not None:
            parts = _case_closed(parts)  # a (?i:…) group: both cases of its first letters
        return parts, nullable
    if op is C.BRANCH:
        parts: list[str] | None = []
        nullable = False
        for branch in av[1]:
            p, n = _first_sequence(list(branch))
            parts = parts + p if parts is not None and p is not None else None
            nullable = nullable or n
        return parts, nullable
    if op in _REPEATS:
        lo, _hi, sub = av
        p, n = _first_sequence(list(sub))
        return p, n or lo == 0
    return None, False


def _case_closed(parts: list[str]) -> list[str] | None:
    """Class parts widened to every character ``re.IGNORECASE`` equates with them."""
    out: list[str] = []
    for part in parts:
        if part.startswith("\\") and len(part) == 2 and not part[1].isalpha():
            out.append(part)  # an escaped punctuation character or a category like \\d
        elif part in (r"\d", r"\D", r"\s", r"\S", r"\w", r"\W"):
            out.append(part)
        elif len(part) == 1:
            if part.isalpha() and part.lower() not in VERIFIED_LETTERS:
                return None
            out.append(letter_class(part)[1:-1] if part.isalpha() else part)
        else:
            return None  # ranges and the rest: no look-ahead rather than a wrong one
    return out


def _first_sequence(items: list) -> tuple[list[str] | None, bool]:
    parts: list[str] = []
    for op, av in items:
        p, nullable = _first_item(op, av)
        if p is None:
            return None, False
        parts.extend(p)
        if not nullable:
            return parts, False
    return parts, True


def first_char_class(pattern: re.Pattern[str]) -> str | None:
    """A character class every match's first character is in (None: any, or unknown)."""
    try:
        tree = _parser.parse(pattern.pattern, pattern.flags)
    except Exception:  # noqa: BLE001
        return None
    parts, nullable = _first_sequence(list(tree))
    if parts is None or nullable or not parts:
        return None
    return "[" + "".join(dict.fromkeys(parts)) + "]"


def with_lookahead(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """The same pattern with a look-ahead on its possible first characters in front.

    ``re`` tries a pattern at every position; when a pattern starts with an optional part,
    a big alternation or a look-behind it cannot skip positions quickly. The look-ahead
    ``(?=[…])`` rejects a position with one class test and changes no match, span or group.
    """
    cls = first_char_class(pattern)
    if cls is None:
        return pattern
    tail = "\n)" if pattern.flags & re.VERBOSE else ")"
    try:
        return re.compile(f"(?={cls})(?:{pattern.pattern}{tail}", pattern.flags)
    except re.error:
        return pattern


def _leading_optional_group(source: str) -> tuple[str, str] | None:
    """``"(?:X)?Y"`` → ``("X", "Y")`` when the pattern starts with one greedy optional group."""
    if not source.startswith("(?:"):
        return None
    depth, i, in_class = 0, 0, False
    while i < len(source):
        ch = source[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
            if source[i + 1 : i + 2] == "]":
                i += 1
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                if source[i + 1 : i + 2] != "?" or source[i + 2 : i + 3] in ("?", "+"):
                    return None
                return source[3:i], source[i + 2 :]
        i += 1
    return None


@lru_cache(maxsize=32)
def _scanner(prefix: str, flags: int) -> re.Pattern[str]:
    """Zero-width matches at every position where ``prefix`` matches (shared by patterns)."""
    cls = first_char_class(re.compile(prefix, flags))
    gate = f"(?={cls})" if cls else ""
    return re.compile(f"{gate}(?=(?:{prefix}))", flags)


@lru_cache(maxsize=8)
def _starts(scanner: re.Pattern[str], text: str) -> tuple[int, ...]:
    """Every position in ``text`` where ``scanner``'s prefix matches."""
    return tuple(m.start() for m in scanner.finditer(text))


class _SplitOptional:
    """``(?:X)?Y`` run as two patterns, ``XY`` and ``Y``, merged as ``finditer`` would.

    At each position the original tries the group first, so its match there is ``XY``'s
    if that matches, else ``Y``'s; the leftmost such position wins. ``Y`` starts with
    fast-to-reject first characters, which the optional group hides; ``XY`` is tried only
    where ``X`` matches, found by one scan per text that every pattern with the same ``X``
    shares ("cirka", "drygt" … before amounts, shares, counts and durations). Named
    groups of ``X`` stay defined (and ``None``) in ``Y``'s matches, with the same numbers.
    """

    __slots__ = ("scanner", "with_prefix", "without")

    def __init__(self, prefix: str, rest: str, flags: int) -> None:
        self.with_prefix = re.compile(prefix + rest, flags)
        self.scanner = _scanner(prefix, flags)
        # Y keeps X's groups, never matching, in front: group numbers stay the original's.
        head = re.compile(prefix, flags)
        names = {i: name for name, i in head.groupindex.items()}
        never = "".join(
            f"(?P<{names[i]}>(?!))?" if i in names else "((?!))?" for i in range(1, head.groups + 1)
        )
        self.without = with_lookahead(re.compile(never + rest, flags))

    def _search_with_prefix(self, text: str, pos: int) -> re.Match[str] | None:
        starts = _starts(self.scanner, text)
        for s in starts[bisect_left(starts, pos) :]:
            m = self.with_prefix.match(text, s)
            if m is not None:
                return m
        return None

    def finditer(self, text: str, pos: int = 0):
        a = self._search_with_prefix(text, pos)
        b = self.without.search(text, pos)
        while a is not None or b is not None:
            m = a if a is not None and (b is None or a.start() <= b.start()) else b
            assert m is not None
            yield m
            end = m.end()
            if a is not None and a.start() < end:
                a = self._search_with_prefix(text, end)
            if b is not None and b.start() < end:
                b = self.without.search(text, end)


def _split(pattern: re.Pattern[str]) -> _SplitOptional | None:
    parts = _leading_optional_group(pattern.pattern)
    if parts is None or pattern.flags & re.VERBOSE:
        return None
    prefix, rest = parts
    try:
        first, nullable = _first_sequence(list(_parser.parse(rest, pattern.flags)))
        if first is None or nullable:
            return None  # a match could be empty: finditer's rules for those differ
        return _SplitOptional(prefix, rest, pattern.flags)
    except re.error:
        return None


class Guarded:
    """A compiled pattern whose ``finditer`` is faster and gives exactly the same matches.

    ``finditer`` first checks the literals every match needs; a pattern that starts with
    an optional group (``(?:cirka\\s+)?\\d+ kr``) is run as two patterns (see
    ``_SplitOptional``). Everything else (``search``, ``match``, ``sub``, ``groupindex``
    …) is the pattern's own, with a first-character look-ahead.
    """

    __slots__ = ("compiled", "needs", "original", "split")

    def __init__(self, pattern: re.Pattern[str], lookahead: bool = True) -> None:
        self.original = pattern
        self.compiled = with_lookahead(pattern) if lookahead else pattern
        self.needs = Needs.of(pattern)
        self.split = _split(pattern) if lookahead else None

    @property
    def pattern(self) -> str:
        return self.original.pattern

    def finditer(self, text: str, *args: int):
        if self.needs.alternatives and self.needs.absent(view(text)):
            return iter(())
        if self.split is not None and len(args) <= 1:
            return self.split.finditer(text, *args)
        return self.compiled.finditer(text, *args)

    def findall(self, text: str, *args: int):
        if self.needs.alternatives and self.needs.absent(view(text)):
            return []
        return self.compiled.findall(text, *args)

    def __getattr__(self, name: str):
        return getattr(self.compiled, name)


def fast(pattern: re.Pattern[str], lookahead: bool = True) -> Guarded:
    """``pattern`` with a literal pre-check on ``finditer`` and (optionally) a first-character
    look-ahead; matches, spans and groups are exactly the pattern's own."""
    return Guarded(pattern, lookahead)
