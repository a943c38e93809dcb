"""Query-dependent text snippets with highlighted matches (plain data, not HTML).

    snippet(text, query, max_chars=240) -> Snippet
    Snippet.segments      list[(text, highlighted)] — the web layer escapes and wraps marks
    Snippet.text_plain    the snippet as plain text ("…" marks cut ends)
    Snippet.matched_terms the words as written in ``text`` that matched (first occurrence
                          order, case-insensitive unique), for a "why this hit" display

A text token matches a query word when they share an analysed term (stem, derivational
root, or all compound parts), compared ASCII-folded when the user typed no diacritics;
prefixes compare with the token's lower-cased text and stem; phrases must match on
consecutive (non-stop-word) tokens. The window with the most distinct matched query
words wins (ties: more matches, then earlier); it is cut at word boundaries and runs of
white space are shown as one space, so ``len(text_plain) <= max(max_chars, 22)``
(ellipses included; a single over-long word is cut hard). Offsets are on ``NFC(text)``.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field

from projektatlas.search.analysis import TOKEN_RE, analyse_word, fold
from projektatlas.search.query import Phrase, Prefix, Query, Word

ELLIPSIS = "…"
_SPACE_RE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Snippet:
    segments: list[tuple[str, bool]]
    text_plain: str
    matched_terms: list[str] = field(default_factory=list)


class _WordMatcher:
    """Pre-computed term sets of one query word, compared with each token's forms."""

    __slots__ = ("alternatives", "folded", "group")

    def __init__(self, word: Word) -> None:
        forms = word.forms
        self.folded = forms.folded
        if forms.folded:
            self.alternatives = {fold(t) for t in forms.alternatives} | set(forms.alternatives)
            self.group = tuple(fold(t) for t in forms.part_group)
        else:
            self.alternatives = set(forms.alternatives)
            self.group = forms.part_group

    def __call__(self, forms: frozenset[str], folded_forms: frozenset[str]) -> bool:
        if self.folded:
            forms = folded_forms
        if not self.alternatives.isdisjoint(forms):
            return True
        return len(self.group) > 1 and all(t in forms for t in self.group)


def _prefix_matches(prefix: Prefix, lowered: str, stem: str) -> bool:
    candidates = (lowered, stem)
    if prefix.folded:
        return any(fold(c).startswith(fold(prefix.term)) for c in candidates)
    return any(c.startswith(prefix.term) for c in candidates)


_STOP = None  # memo value of a stop word (not a token)


@functools.lru_cache(maxsize=65_536)
def _word_forms(lowered: str) -> tuple[str, frozenset[str], frozenset[str]] | None:
    """(stem, analysed forms, forms plus their folds) of a lower-case word; None: stop word."""
    result = analyse_word(lowered)
    if result is None:
        return None
    forms = frozenset((result[0], *result[1]))
    return result[0], forms, forms | {fold(t) for t in forms}


class QueryMatcher:
    """Which query leaves a text word matches, memoised per lower-cased word.

    Whether a token matches depends only on its lower-cased text, so one matcher serves all
    snippets of a result page: each distinct word is analysed and compared once.
    """

    __slots__ = ("_memo", "_phrases", "_simple")

    def __init__(self, query: Query) -> None:
        self._simple: list[tuple[int, _WordMatcher | Prefix]] = []
        self._phrases: list[tuple[int, list[_WordMatcher]]] = []
        for leaf_id, leaf in enumerate(query.leaves()):
            if isinstance(leaf, Phrase):
                self._phrases.append((leaf_id, [_WordMatcher(w) for w in leaf.words]))
            elif isinstance(leaf, Prefix):
                self._simple.append((leaf_id, leaf))
            else:
                self._simple.append((leaf_id, _WordMatcher(leaf)))
        self._memo: dict[str, tuple[tuple[int, ...], frozenset[tuple[int, int]]] | None] = {}

    def word(self, lowered: str) -> tuple[tuple[int, ...], frozenset[tuple[int, int]]] | None:
        """(leaf ids matched, (phrase leaf id, word index) pairs matched); None: stop word."""
        try:
            return self._memo[lowered]
        except KeyError:
            pass
        analysed = _word_forms(lowered)
        if analysed is None:
            self._memo[lowered] = _STOP
            return _STOP
        stem, forms, both = analysed
        leaves = tuple(
            leaf_id
            for leaf_id, m in self._simple
            if (_prefix_matches(m, lowered, stem) if isinstance(m, Prefix) else m(forms, both))
        )
        in_phrases = frozenset(
            (leaf_id, k)
            for leaf_id, matchers in self._phrases
            for k, m in enumerate(matchers)
            if m(forms, both)
        )
        value = (leaves, in_phrases)
        self._memo[lowered] = value
        return value

    def tokens_and_hits(
        self, text: str
    ) -> tuple[list[tuple[int, int, str]], list[tuple[int, int]]]:
        """Tokens (start, end, text) of NFC ``text`` and the sorted, unique (token index,
        leaf id) matches. Without phrases only the matching tokens are listed (nothing else
        needs them); with phrases every non-stop-word token (adjacency matters)."""
        if not self._phrases:
            lowered = text.lower()
            if len(lowered) == len(text):  # offsets in the lower-cased text are valid
                return self._matching_tokens(text, lowered)
        tokens: list[tuple[int, int, str]] = []
        hits: set[tuple[int, int]] = set()
        phrase_marks: list[frozenset[tuple[int, int]]] = []
        word, memo = self.word, self._memo
        for match in TOKEN_RE.finditer(text):
            token = match.group()
            lowered = token.lower()
            info = memo[lowered] if lowered in memo else word(lowered)
            if info is None:
                continue
            i = len(tokens)
            tokens.append((match.start(), match.end(), token))
            for leaf_id in info[0]:
                hits.add((i, leaf_id))
            if self._phrases:
                phrase_marks.append(info[1])
        for leaf_id, matchers in self._phrases:
            n = len(matchers)
            for i in range(len(tokens) - n + 1):
                if all((leaf_id, k) in phrase_marks[i + k] for k in range(n)):
                    hits.update((i + k, leaf_id) for k in range(n))
        return tokens, sorted(hits)

    def _matching_tokens(
        self, text: str, lowered: str
    ) -> tuple[list[tuple[int, int, str]], list[tuple[int, int]]]:
        memo, word = self._memo, self.word
        leaves_of: dict[str, tuple[int, ...]] = {}
        for candidate in set(TOKEN_RE.findall(lowered)):
            info = memo[candidate] if candidate in memo else word(candidate)
            if info is not None and info[0]:
                leaves_of[candidate] = info[0]
        tokens: list[tuple[int, int, str]] = []
        hits: list[tuple[int, int]] = []
        if not leaves_of:
            return tokens, hits
        for match in TOKEN_RE.finditer(lowered):
            leaves = leaves_of.get(match.group())
            if leaves:
                start, end = match.span()
                hits.extend((len(tokens), leaf_id) for leaf_id in leaves)
                tokens.append((start, end, text[start:end]))
        return tokens, hits


def _best_window(
    tokens: list[tuple[int, int, str]], hits: list[tuple[int, int]], budget: int
) -> tuple[int, int] | None:
    """Character span [first match start, last match end] of the best window."""
    best: tuple[tuple[int, int, int], tuple[int, int]] | None = None
    for a, (ia, _) in enumerate(hits):
        start = tokens[ia][0]
        leaves: set[int] = set()
        count = 0
        end = tokens[ia][1]
        for ib, leaf in hits[a:]:
            if tokens[ib][1] - start > budget:
                break
            leaves.add(leaf)
            count += 1
            end = tokens[ib][1]
        key = (len(leaves), count, -start)
        if best is None or key > best[0]:
            best = (key, (start, end))
    return best[1] if best else None


def _cut(text: str, first: int, last: int, budget: int) -> tuple[int, int]:
    """Expand [first, last] to about ``budget`` characters, snapping to word boundaries."""
    spare = max(0, budget - (last - first))
    begin = max(0, first - spare // 3)
    end = min(len(text), begin + budget)
    begin = max(0, min(begin, end - budget))
    if begin > 0 and not text[begin - 1].isspace():
        space = text.find(" ", begin, first)
        begin = space + 1 if space != -1 else first
    if end < len(text) and not text[end].isspace():
        space = text.rfind(" ", last, end)
        end = space if space != -1 else max(last, end)
    return begin, min(end, begin + budget)  # a single over-long word is cut hard


def snippet(
    text: str, query: Query, max_chars: int = 240, matcher: QueryMatcher | None = None
) -> Snippet:
    """The best ``max_chars`` window of ``text`` for ``query`` with highlighted matches.

    ``matcher`` (a `QueryMatcher` of the same query) may be shared by the snippets of one
    result page, so each distinct word is analysed once.
    """
    text = text or ""
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if query.is_empty:
        tokens: list[tuple[int, int, str]] = []
        hits: list[tuple[int, int]] = []
    else:
        tokens, hits = (matcher or QueryMatcher(query)).tokens_and_hits(text)
    budget = max(20, max_chars - 2 * len(ELLIPSIS))
    window = _best_window(tokens, hits, budget)
    if window is None:
        begin, end = _cut(text, 0, 0, budget)
    else:
        begin, end = _cut(text, window[0], window[1], budget)
    marked = sorted({tokens[i][:2] for i, _ in hits if begin <= tokens[i][0] < end})
    segments: list[tuple[str, bool]] = []

    def add(piece: str, highlighted: bool) -> None:
        piece = _SPACE_RE.sub(" ", piece)
        if not piece:
            return
        if segments and segments[-1][1] == highlighted:
            segments[-1] = (segments[-1][0] + piece, highlighted)
        else:
            segments.append((piece, highlighted))

    pos = begin
    if begin > 0:
        add(ELLIPSIS, False)
    for start, stop in marked:
        stop = min(stop, end)
        add(text[pos:start], False)
        add(text[start:stop], True)
        pos = stop
    add(text[pos:end], False)
    if end < len(text):
        add(ELLIPSIS, False)
    if segments and not segments[0][1]:
        segments[0] = (segments[0][0].lstrip(), False)
    if segments and not segments[-1][1]:
        segments[-1] = (segments[-1][0].rstrip(), False)
    segments = [s for s in segments if s[0]]
    seen: dict[str, str] = {}
    for i, _ in hits:
        seen.setdefault(tokens[i][2].lower(), tokens[i][2])
    plain = "".join(s for s, _ in segments)
    return Snippet(segments=segments, text_plain=plain, matched_terms=list(seen.values()))
