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

import re
import unicodedata
from dataclasses import dataclass, field

from projektatlas.search.analysis import Token, analyze_tokens, fold
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


def _prefix_matches(prefix: Prefix, token: Token) -> bool:
    candidates = (token.text.lower(), token.stem)
    if prefix.folded:
        return any(fold(c).startswith(fold(prefix.term)) for c in candidates)
    return any(c.startswith(prefix.term) for c in candidates)


def _find_matches(tokens: list[Token], query: Query) -> list[tuple[int, int]]:
    """(token index, leaf id) for every matching token."""
    hits: list[tuple[int, int]] = []
    forms = [t.forms for t in tokens]
    both = [f | {fold(t) for t in f} for f in forms]  # exact and folded forms
    for leaf_id, leaf in enumerate(query.leaves()):
        if isinstance(leaf, Phrase):
            matchers = [_WordMatcher(w) for w in leaf.words]
            n = len(matchers)
            for i in range(len(tokens) - n + 1):
                if all(m(forms[i + k], both[i + k]) for k, m in enumerate(matchers)):
                    hits.extend((i + k, leaf_id) for k in range(n))
        elif isinstance(leaf, Prefix):
            hits.extend((i, leaf_id) for i, t in enumerate(tokens) if _prefix_matches(leaf, t))
        else:
            matcher = _WordMatcher(leaf)
            hits.extend((i, leaf_id) for i in range(len(tokens)) if matcher(forms[i], both[i]))
    return sorted(set(hits))


def _best_window(
    tokens: list[Token], hits: list[tuple[int, int]], budget: int
) -> tuple[int, int] | None:
    """Character span [first match start, last match end] of the best window."""
    best: tuple[tuple[int, int, int], tuple[int, int]] | None = None
    for a, (ia, _) in enumerate(hits):
        start = tokens[ia].start
        leaves: set[int] = set()
        count = 0
        end = tokens[ia].end
        for ib, leaf in hits[a:]:
            if tokens[ib].end - start > budget:
                break
            leaves.add(leaf)
            count += 1
            end = tokens[ib].end
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


def snippet(text: str, query: Query, max_chars: int = 240) -> Snippet:
    """The best ``max_chars`` window of ``text`` for ``query`` with highlighted matches."""
    text = unicodedata.normalize("NFC", text or "")
    tokens = analyze_tokens(text)
    hits = _find_matches(tokens, query) if not query.is_empty else []
    budget = max(20, max_chars - 2 * len(ELLIPSIS))
    window = _best_window(tokens, hits, budget)
    if window is None:
        begin, end = _cut(text, 0, 0, budget)
    else:
        begin, end = _cut(text, window[0], window[1], budget)
    marked = sorted(
        {(tokens[i].start, tokens[i].end) for i, _ in hits if begin <= tokens[i].start < end}
    )
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
        seen.setdefault(tokens[i].text.lower(), tokens[i].text)
    plain = "".join(s for s, _ in segments)
    return Snippet(segments=segments, text_plain=plain, matched_terms=list(seen.values()))
