"""User query language -> AST -> SQLite FTS5 MATCH text / PostgreSQL tsquery text.

Grammar (case of the operators matters; lower-case "och"/"eller"/"inte" are words)::

    query   := or_expr
    or_expr := and_expr (("OR" | "ELLER" | "|") and_expr)*
    and_expr:= unary (("AND" | "OCH" | "&")? unary)*        -- AND is implicit
    unary   := ("NOT" | "INTE" | "-" | "!") unary | primary
    primary := "(" or_expr ")" | '"' phrase words '"' | word | word"*"

Robustness: every string parses. Unbalanced quotes close at the end, unbalanced
parentheses are closed or ignored, lone operators are dropped, nesting deeper than
``MAX_DEPTH`` is flattened, at most ``MAX_LEAVES`` words are kept. A raw word that the
tokeniser splits in pieces ("NEAR(a", "col:term", "1,4") becomes a phrase of its pieces.
Stop words are removed. Negation needs a positive partner (``a -b``); a query that is only
negative, or only stop words, is empty (``Query.is_empty``): callers then skip the search.

Matching a word (see ``analysis.WordForms``): its stem OR its derivational root OR all of
its compound part stems (AND). Words typed without å/ä/ö/é/ü also match the folded
columns. Phrases match the stems stream. Prefixes (``kompet*``) are not stemmed.

Output:
    to_fts5(query, columns=None, folded_columns=None) -> str
        Every term is double-quoted; no user text reaches FTS5 syntax. With ``columns``
        (and ``folded_columns``) given, terms are restricted with ``{col ...} :`` filters;
        by default all columns are searched (the recommended layout in ``analysis``).
        Returns "" for an empty query.
    to_tsquery(query) -> str
        Text for ``to_tsquery('simple', %s)`` (a bound parameter): quoted lexemes,
        ``&``, ``|``, ``!``, ``<->`` for phrases, ``:*`` for prefixes. "" when empty.
    Query.terms() -> list[str]: analysed terms for highlighting.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from projektatlas.search.analysis import (
    TOKEN_RE,
    WordForms,
    fold,
    has_diacritics,
    query_word_forms,
    to_alphabet,
)

MAX_DEPTH = 32
MAX_LEAVES = 64
MAX_QUERY_CHARS = 2_000

_OR = frozenset({"OR", "ELLER", "|"})
_AND = frozenset({"AND", "OCH", "&", "&&"})
_NOT = frozenset({"NOT", "INTE"})
_COLUMN_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_LEX_RE = re.compile(r'\s+|"[^"]*"?|\(|\)|[^\s"()]+')


@dataclass(frozen=True, slots=True)
class Word:
    """A query word as typed and its analysed forms."""

    text: str
    forms: WordForms


@dataclass(frozen=True, slots=True)
class Prefix:
    """A prefix search ``text*``; ``term`` is lower-cased and mapped, not stemmed."""

    text: str
    term: str
    folded: bool


@dataclass(frozen=True, slots=True)
class Phrase:
    """Consecutive words ("unga som varken arbetar"); stop words already removed."""

    text: str
    words: tuple[Word, ...]


@dataclass(frozen=True, slots=True)
class And:
    items: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Or:
    items: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Not:
    item: Node


Node = Word | Prefix | Phrase | And | Or | Not


@dataclass(frozen=True, slots=True)
class Query:
    """A parsed query; ``root`` is None when nothing searchable is left."""

    raw: str
    root: Node | None

    @property
    def is_empty(self) -> bool:
        return self.root is None

    def leaves(self, include_negated: bool = False) -> Iterator[Word | Prefix | Phrase]:
        """Words, prefixes and phrases of the query (negated ones only if asked)."""
        if self.root is not None:
            yield from _leaves(self.root, include_negated)

    def terms(self) -> list[str]:
        """Analysed terms of the positive part of the query (for highlighting)."""
        out: dict[str, None] = {}
        for leaf in self.leaves():
            if isinstance(leaf, Word):
                out.update(dict.fromkeys(leaf.forms.all_terms()))
            elif isinstance(leaf, Phrase):
                for word in leaf.words:
                    out.update(dict.fromkeys(word.forms.all_terms()))
            else:
                out[leaf.term] = None
        return list(out)


def _leaves(node: Node, include_negated: bool) -> Iterator[Word | Prefix | Phrase]:
    if isinstance(node, And | Or):
        for item in node.items:
            yield from _leaves(item, include_negated)
    elif isinstance(node, Not):
        if include_negated:
            yield from _leaves(node.item, include_negated)
    else:
        yield node


# --------------------------------------------------------------------------- parsing


def _lex(q: str) -> list[tuple[str, str]]:
    """Tokens as (kind, text): kind is one of ( ) OR AND NOT PHRASE WORD."""
    out: list[tuple[str, str]] = []
    for match in _LEX_RE.finditer(q):
        text = match.group()
        if text.isspace():
            continue
        if text[0] == '"':
            out.append(("PHRASE", text.strip('"')))
        elif text in ("(", ")"):
            out.append((text, text))
        elif text in _OR:
            out.append(("OR", text))
        elif text in _AND:
            out.append(("AND", text))
        elif text in _NOT:
            out.append(("NOT", text))
        else:
            while text[:1] in ("-", "!") and len(text) > 1:
                out.append(("NOT", text[0]))
                text = text[1:]
            if text in ("-", "!"):
                # a lone dash is punctuation, unless glued to "(" or a quote: -(a OR b)
                if q[match.end() : match.end() + 1] in ("(", '"'):
                    out.append(("NOT", text))
                continue
            out.append(("WORD", text))
    return out


def _word(text: str) -> Word | None:
    forms = query_word_forms(text)
    return Word(text, forms) if forms is not None else None


def _phrase(text: str) -> Node | None:
    words = tuple(w for w in (_word(t) for t in TOKEN_RE.findall(text)) if w is not None)
    if not words:
        return None
    if len(words) == 1:
        return words[0]
    return Phrase(text, words)


def _leaf(text: str) -> Node | None:
    """A raw WORD token: a word, a prefix, or a phrase of its pieces."""
    star = text.endswith("*")
    pieces = TOKEN_RE.findall(text)
    if not pieces:
        return None
    if star:
        last = pieces[-1]
        lowered = last.lower()
        if lowered[:1].isdigit() and ("-" in lowered or "/" in lowered):
            term = re.sub(r"[/\-]", "_", lowered)  # identifier prefix: "2020/007*"
        else:
            term = to_alphabet(lowered.replace("-", ""))  # "ESF-r*" like the joined "esfråd"
        prefix = Prefix(last, term, not has_diacritics(lowered)) if len(term) >= 2 else None
        head = _phrase(" ".join(pieces[:-1])) if len(pieces) > 1 else None
        if head is None:
            return prefix
        return And((head, prefix)) if prefix is not None else head
    if len(pieces) == 1:
        return _word(pieces[0])
    return _phrase(" ".join(pieces))


class _Parser:
    def __init__(self, tokens: list[tuple[str, str]]) -> None:
        self.tokens = tokens
        self.pos = 0
        self.depth = 0
        self.leaves = 0

    def peek(self) -> str | None:
        return self.tokens[self.pos][0] if self.pos < len(self.tokens) else None

    def parse(self) -> Node | None:
        items: list[Node] = []
        while self.pos < len(self.tokens):
            node = self.parse_or()
            if node is not None:
                items.append(node)
            if self.peek() == ")":  # unbalanced closing parenthesis: ignore it
                self.pos += 1
        return _and(items)

    def parse_or(self) -> Node | None:
        items = [self.parse_and()]
        while self.peek() == "OR":
            self.pos += 1
            items.append(self.parse_and())
        kept = [i for i in items if i is not None]
        if not kept:
            return None
        return kept[0] if len(kept) == 1 else Or(tuple(kept))

    def parse_and(self) -> Node | None:
        items: list[Node] = []
        while True:
            kind = self.peek()
            if kind is None or kind == "OR" or (kind == ")" and self.depth > 0):
                break
            if kind in ("AND", ")"):
                self.pos += 1
                continue
            node = self.parse_unary()
            if node is not None:
                items.append(node)
        return _and(items)

    def parse_unary(self) -> Node | None:
        negations = 0
        while self.peek() == "NOT":
            self.pos += 1
            negations += 1
        if self.peek() in (None, "OR", "AND", ")"):
            return None
        node = self.parse_primary()
        if node is None or negations % 2 == 0:
            return node
        return Not(node)

    def parse_primary(self) -> Node | None:
        kind, text = self.tokens[self.pos]
        self.pos += 1
        if kind == "(":
            if self.depth >= MAX_DEPTH:
                return None  # too deep: the parenthesis is ignored, contents join the parent
            self.depth += 1
            node = self.parse_or()
            self.depth -= 1
            if self.peek() == ")":
                self.pos += 1
            return node
        if self.leaves >= MAX_LEAVES:
            return None
        node = _phrase(text) if kind == "PHRASE" else _leaf(text)
        if node is not None:
            self.leaves += 1
        return node


def _and(items: list[Node]) -> Node | None:
    if not items:
        return None
    return items[0] if len(items) == 1 else And(tuple(items))


def _normalise(node: Node | None) -> Node | None:
    """Drop unsearchable parts: bare negations, empty groups; flatten nesting."""
    if node is None or isinstance(node, Word | Prefix | Phrase):
        return node
    if isinstance(node, Not):
        inner = _normalise(node.item)
        if inner is None:
            return None
        return inner.item if isinstance(inner, Not) else Not(inner)
    kind = type(node)
    items: list[Node] = []
    for item in node.items:
        item = _normalise(item)
        if item is None:
            continue
        if isinstance(item, kind):
            items.extend(item.items)
        else:
            items.append(item)
    if isinstance(node, Or):
        items = [i for i in items if not isinstance(i, Not)]
        if not items:
            return None
        return items[0] if len(items) == 1 else Or(tuple(items))
    if not any(not isinstance(i, Not) for i in items):
        return None
    return items[0] if len(items) == 1 else And(tuple(items))


def parse_query(q: str) -> Query:
    """Parse any user string into a Query (never raises)."""
    if not isinstance(q, str):
        q = str(q)
    q = q[:MAX_QUERY_CHARS].replace("\x00", " ")
    root = _normalise(_Parser(_lex(q)).parse())
    if isinstance(root, Not):  # a purely negative query cannot be answered by FTS
        root = None
    return Query(raw=q, root=root)


# --------------------------------------------------------------------------- FTS5


def _fts_quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _colspec(columns: Sequence[str]) -> str:
    for col in columns:
        if not _COLUMN_RE.fullmatch(col):
            raise ValueError(f"invalid FTS5 column name: {col!r}")
    return "{" + " ".join(columns) + "}"


def _fts_word_body(forms: WordForms, folded: bool) -> str:
    conv = fold if folded else str
    alts = [_fts_quote(conv(t)) for t in dict.fromkeys(forms.alternatives)]
    if len(forms.part_group) > 1:
        alts.append("(" + " AND ".join(_fts_quote(conv(t)) for t in forms.part_group) + ")")
    return alts[0] if len(alts) == 1 else "(" + " OR ".join(alts) + ")"


def _fts_phrase_body(words: tuple[Word, ...], folded: bool) -> str:
    conv = fold if folded else str
    return _fts_quote(" ".join(conv(w.forms.alternatives[0]) for w in words))


def _fts_scoped(
    body_exact: str, body_folded: str, folded: bool, cols, fcols, match_only: bool = False
) -> str:
    if match_only and folded and cols is not None and fcols is not None:
        # the folded stream is the term-by-term fold of the exact one, so a folded match
        # includes every exact match: the same set, half the work (scores need both)
        return f"({fcols} : {body_folded})"
    if cols is None:
        if folded and body_folded != body_exact:
            return f"({body_exact} OR {body_folded})"
        return body_exact
    exact = f"({cols} : {body_exact})"
    if folded and fcols is not None:
        return f"({exact} OR ({fcols} : {body_folded}))"
    return exact


def _fts(node: Node, cols: str | None, fcols: str | None, match_only: bool = False) -> str:
    if isinstance(node, Word):
        folded = node.forms.folded
        return _fts_scoped(
            _fts_word_body(node.forms, False),
            _fts_word_body(node.forms, True),
            folded,
            cols,
            fcols,
            match_only,
        )
    if isinstance(node, Phrase):
        folded = all(w.forms.folded for w in node.words)
        return _fts_scoped(
            _fts_phrase_body(node.words, False),
            _fts_phrase_body(node.words, True),
            folded,
            cols,
            fcols,
            match_only,
        )
    if isinstance(node, Prefix):
        body = _fts_quote(node.term) + "*"
        folded_body = _fts_quote(fold(node.term)) + "*"
        return _fts_scoped(body, folded_body, node.folded, cols, fcols, match_only)
    if isinstance(node, Or):
        return "(" + " OR ".join(_fts(i, cols, fcols, match_only) for i in node.items) + ")"
    if isinstance(node, And):
        positives = [_fts(i, cols, fcols, match_only) for i in node.items if not isinstance(i, Not)]
        negatives = [
            _fts(i.item, cols, fcols, match_only) for i in node.items if isinstance(i, Not)
        ]
        expr = "(" + " AND ".join(positives) + ")"
        for neg in negatives:
            expr = f"({expr} NOT {neg})"
        return expr
    raise TypeError(f"unexpected node {node!r}")  # Not is only reachable inside And


def to_fts5(
    query: Query,
    columns: Sequence[str] | None = None,
    folded_columns: Sequence[str] | None = None,
    match_only: bool = False,
) -> str:
    """FTS5 MATCH expression for ``query`` ("" when the query is empty).

    ``match_only``: the same match set, but words typed without diacritics search the
    folded columns only (cheaper; for fetching match ids, not for bm25 scores).
    """
    if query.root is None:
        return ""
    cols = _colspec(columns) if columns else None
    fcols = _colspec(folded_columns) if folded_columns else None
    return _fts(query.root, cols, fcols, match_only)


# --------------------------------------------------------------------------- tsquery


def _ts_quote(term: str) -> str:
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"


def _ts_word(forms: WordForms, folded: bool) -> str:
    terms = dict.fromkeys(forms.alternatives)
    if folded:
        terms.update(dict.fromkeys(fold(t) for t in forms.alternatives))
    alts = [_ts_quote(t) for t in terms]
    if len(forms.part_group) > 1:
        alts.append("(" + " & ".join(_ts_quote(t) for t in forms.part_group) + ")")
        if folded and any(fold(t) != t for t in forms.part_group):
            alts.append("(" + " & ".join(_ts_quote(fold(t)) for t in forms.part_group) + ")")
    return alts[0] if len(alts) == 1 else "(" + " | ".join(alts) + ")"


def _ts(node: Node) -> str:
    if isinstance(node, Word):
        return _ts_word(node.forms, node.forms.folded)
    if isinstance(node, Phrase):
        exact = "(" + " <-> ".join(_ts_quote(w.forms.alternatives[0]) for w in node.words) + ")"
        if all(w.forms.folded for w in node.words):
            folded = (
                "("
                + " <-> ".join(_ts_quote(fold(w.forms.alternatives[0])) for w in node.words)
                + ")"
            )
            if folded != exact:
                return f"({exact} | {folded})"
        return exact
    if isinstance(node, Prefix):
        return _ts_quote(node.term) + ":*"
    if isinstance(node, Or):
        return "(" + " | ".join(_ts(i) for i in node.items) + ")"
    if isinstance(node, And):
        parts = [_ts(i) if not isinstance(i, Not) else "!" + _ts(i.item) for i in node.items]
        return "(" + " & ".join(parts) + ")"
    raise TypeError(f"unexpected node {node!r}")


def to_tsquery(query: Query) -> str:
    """Text for PostgreSQL ``to_tsquery('simple', %s)`` ("" when the query is empty)."""
    if query.root is None:
        return ""
    return _ts(query.root)


__all__ = [
    "And",
    "Node",
    "Not",
    "Or",
    "Phrase",
    "Prefix",
    "Query",
    "Word",
    "parse_query",
    "to_fts5",
    "to_tsquery",
]
