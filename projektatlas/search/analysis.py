"""Swedish text analysis shared by indexing and querying.

Pipeline per text: NFC -> tokenise -> lower case -> stop words -> term alphabet ->
compound-aware Snowball stem (+ derived forms). The same functions run at index and at
query time, so a query word and a text word meet in the same term.

Tokens
    * words: runs of Unicode letters/digits; hyphenated words ("ESF-rådet") give one
      token whose term is the joined word ("esfråd") and whose parts are the pieces.
    * identifiers: digits followed by ``/`` or ``-`` groups ("2020/00701", "23-001-S01",
      "2021-02-01") stay one token; the separators become ``_`` ("23_001_s01").
      SQLite's ``unicode61`` and PostgreSQL's default parser split at ``_`` on both the
      index and the query side, so such a term matches as a phrase of its pieces.
    * stop words (data/stopwords_sv.txt, Snowball list, trimmed) are dropped.

Term alphabet: ``[a-z0-9åäöéü_]`` only (never spaces, quotes or FTS5 operators). Other
letters are mapped: æ->ä, ø->ö, ß->ss, accents stripped (è->e, ñ->n), and characters of
other scripts become ``x<hex code point>`` so that they still match themselves.

Stems: Snowball Swedish (pystemmer); proper nouns of the dictionary ("Dalarna", "Gävle")
are kept whole (minus a genitive -s). Dictionary checks repair Snowball's worst
inconsistencies ("förbundet"->"förbund", "kassan"->"kass" like "kassa", "insats" and
"marknad" kept like "insatser"/"marknaden"). For a compound the stem is the surface of
the head parts plus the stem of the last part ("arbetsmarknadsenheten" ->
"arbetsmarknadsenhet").

Derived forms ("parts"), emitted in a second stream:
    * the stems of the compound parts, of their left joins ("arbetsmarknad") and right
      joins ("marknadsenhet"); hyphen pieces;
    * a derivational root for -ning/-ing nouns when the verb exists ("kompetenshöjning"
      -> "kompetenshöj", the stem of "kompetenshöjande"; "samordning" -> "samordn").

Index layout (recommended, SQLite FTS5; PostgreSQL analogous with setweight A/B/C/D)::

    doc = analyze_for_index(text)
    CREATE VIRTUAL TABLE fts USING fts5(stems, parts, stems_folded, parts_folded,
        tokenize="unicode61 remove_diacritics 0");
    INSERT ... VALUES (' '.join(doc.stems), ' '.join(doc.parts),
                       ' '.join(folded_terms(doc.stems)), ' '.join(folded_terms(doc.parts)))
    ORDER BY bm25(fts, 4.0, 1.0, 2.0, 0.5)       -- exact stems rank above part matches

``stems`` keeps one term per token in text order, so phrase queries work on it.
PostgreSQL: ``setweight(to_tsvector('simple', stems), 'A') || setweight(to_tsvector(
'simple', parts), 'C') || ...`` and ``to_tsquery('simple', %s)`` with
``query.to_tsquery(parse_query(q))`` as the bound parameter.

Single-column alternative: ``index_terms(text)`` = stems, then parts, then the stems once
more (an exact match counts twice, a part match once; phrases still work in the first
section). ``folded_terms(index_terms(text))`` is the matching ASCII-folded stream.

Public API:
    index_terms(text) -> list[str]          single-column stream (stems, parts, stems)
    analyze_for_index(text) -> IndexedText  .stems / .parts for the column layout
    folded_terms(terms) -> list[str]        ASCII-folded stream, same order
    query_terms(word) -> list[str]          [stem, *derived forms] of one query word
    query_word_forms(word) -> WordForms     structured: alternatives / part_group / folded
    analyze_tokens(text) -> list[Token]     Token(text, start, end, stem, parts)
    fold(term), stop_words(), stem_word(word), bench_tokens_per_second(text)

Speed (``bench_tokens_per_second``; 1 MB of Swedish text = seeds + sentences sampled from
wordfreq's Swedish list, 184 000 tokens, 18 500 distinct words; 2 cores shared with
other jobs, load average 3-6): warm cache 0.4-1.8 million tokens/s (about 0.7 M typical),
cold cache (first pass) 0.06-0.3 million tokens/s. Word-level results are cached with
``functools.lru_cache`` (131 072 words; about 100 MB when full). The compound lexicon loads in 0.3-0.4 s on first use.

Known limits: Snowball over-stems some words ("projekt" -> "projek", "Sverige" ->
"sver"); consistent at index and query time, so matching still works. Words typed without
diacritics are not compound-split unless the split exists without diacritics.
"""

from __future__ import annotations

import functools
import re
import time
import unicodedata
from dataclasses import dataclass
from importlib import resources

import Stemmer

from projektatlas.search.compounds import is_known_word, is_proper_noun, split_compound

MAX_TERM_CHARS = 64
TERM_ALPHABET = frozenset("abcdefghijklmnopqrstuvwxyz0123456789åäöéü_")
_FOLD_TABLE = str.maketrans({"å": "a", "ä": "a", "ö": "o", "é": "e", "ü": "u"})
_SPECIAL = {"æ": "ä", "ø": "ö", "ß": "ss", "œ": "oe", "đ": "d", "ł": "l", "þ": "th", "ı": "i"}
_DIACRITICS = frozenset("åäöéü")

_IDENT = r"\d+(?:[/\-][^\W_]+)+"
_WORD = r"[^\W_]+(?:-[^\W_]+)*"
TOKEN_RE = re.compile(f"(?:{_IDENT})|(?:{_WORD})")
_CLEAN_RE = re.compile(r"[a-z0-9åäöéü]+")
_ID_RE = re.compile(_IDENT)

_BASE_ENDINGS_KEPT = frozenset({"s", "ens", "ad", "as", "es"})

_stemmer = Stemmer.Stemmer("swedish")
_stem = _stemmer.stemWord


@dataclass(frozen=True, slots=True)
class Token:
    """One analysed word: its span in the NFC text, its stem and its derived forms."""

    text: str
    start: int
    end: int
    stem: str
    parts: tuple[str, ...]

    @property
    def forms(self) -> frozenset[str]:
        """Every term this token is indexed under (stem and derived forms)."""
        return frozenset((self.stem, *self.parts))


@dataclass(frozen=True, slots=True)
class IndexedText:
    """The two term streams of a text (see module docstring for the column layout)."""

    stems: list[str]
    parts: list[str]


@functools.cache
def stop_words() -> frozenset[str]:
    """The Swedish stop word set (data/stopwords_sv.txt)."""
    text = (
        resources.files("projektatlas.search")
        .joinpath("data/stopwords_sv.txt")
        .read_text(encoding="utf-8")
    )
    return frozenset(
        line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


def fold(term: str) -> str:
    """ASCII-fold a term: å->a, ä->a, ö->o, é->e, ü->u."""
    return term.translate(_FOLD_TABLE)


def has_diacritics(word: str) -> bool:
    """True if the (lower-case) word contains å, ä, ö, é or ü."""
    return any(ch in _DIACRITICS for ch in word)


@functools.lru_cache(maxsize=32_768)
def to_alphabet(word: str) -> str:
    """Map a lower-case word onto the term alphabet (see module docstring)."""
    if _CLEAN_RE.fullmatch(word):
        return word
    out: list[str] = []
    for ch in word:
        if ch in TERM_ALPHABET:
            out.append(ch)
        elif ch in _SPECIAL:
            out.append(_SPECIAL[ch])
        else:
            kept = [c for c in unicodedata.normalize("NFKD", ch) if c in TERM_ALPHABET]
            if kept:
                out.extend(kept)
            elif ch.isalnum():
                out.append(f"x{ord(ch):x}")
    return "".join(out)


@functools.lru_cache(maxsize=32_768)
def stem_word(word: str) -> str:
    """Snowball stem of a simple (non-compound) lower-case word, with dictionary repairs."""
    if len(word) < 3 or not word.isalpha():
        return word
    if is_proper_noun(word):
        return word  # "dalarna", "gävle": names are not inflected like nouns
    if word[-1] == "s" and is_proper_noun(word[:-1]):
        return word[:-1]  # genitive "dalarnas"
    stem = _stem(word)
    removed = word[len(stem) :] if word.startswith(stem) else ""
    if removed in _BASE_ENDINGS_KEPT and is_known_word(word):
        # "insats", "kompetens", "marknad" are base forms: keep them like their plurals
        return word
    if stem.endswith("an") and len(stem) >= 5 and is_known_word(stem[:-1]):
        return stem_word(stem[:-1])  # "kassan" -> "kass" like "kassa"; "samverkan"
    if word.endswith(("et", "ets")) and stem.endswith("et") and len(stem) >= 6:
        root = stem[:-2]
        if is_known_word(root):
            return stem_word(root)  # "förbundet" -> "förbund"
        if is_known_word(root + "e"):
            return stem_word(root + "e")  # "arbetet" -> "arbet", "samhället" -> "samhäll"
    return stem


@functools.lru_cache(maxsize=32_768)
def derived_root(stem: str) -> str | None:
    """Verb root of an -ning/-ing noun stem when the verb is known ("höjning" -> "höj")."""
    if len(stem) < 6 or not stem.endswith("ing"):
        return None
    if stem.endswith("ning") and is_known_word(stem[:-4] + "a"):
        return stem[:-4]
    if is_known_word(stem[:-3] + "a"):
        return stem[:-3]
    return None


def _compound_root(stem: str, head: str, last_stem: str) -> str | None:
    root = derived_root(last_stem)
    if root is None:
        return derived_root(stem)
    return head + root


@functools.lru_cache(maxsize=32_768)
def _analyse_simple(word: str) -> tuple[str, tuple[str, ...]]:
    """Stem and derived forms of one alphabet-mapped word without hyphens."""
    if not word.isalpha():
        return word, ()
    parts = () if is_proper_noun(word) else split_compound(word)
    if not parts:
        stem = stem_word(word)
        root = derived_root(stem)
        return stem, (root,) if root else ()
    head = "".join(p.surface for p in parts[:-1])
    last_stem = stem_word(parts[-1].surface)
    stem = head + last_stem
    extra: list[str] = []
    root = _compound_root(stem, head, last_stem)
    if root:
        extra.append(root)
    for part in parts[:-1]:
        part_stem = stem_word(part.base)
        extra.append(part_stem)
        part_root = derived_root(part_stem)
        if part_root:
            extra.append(part_root)
    extra.append(last_stem)
    last_root = derived_root(last_stem)
    if last_root:
        extra.append(last_root)
    n = len(parts)
    for k in range(2, n):  # left joins: "arbets"+"marknad"
        joined = "".join(p.surface for p in parts[: k - 1]) + parts[k - 1].base
        extra.append(_analyse_simple(joined)[0])
    for k in range(1, n - 1):  # right joins: "marknads"+"enheten"
        extra.append(_analyse_simple("".join(p.surface for p in parts[k:]))[0])
    seen = {stem}
    uniq = tuple(t for t in extra if t and len(t) > 1 and not (t in seen or seen.add(t)))
    return stem, uniq


@functools.lru_cache(maxsize=131_072)
def analyse_word(word: str) -> tuple[str, tuple[str, ...]] | None:
    """(stem, derived forms) of one lower-case token, or None for stop words/empty ones.

    Terms are cut to ``MAX_TERM_CHARS`` (the same cut at index and query time).
    """
    result = _analyse_word(word)
    if result is None or (len(result[0]) <= MAX_TERM_CHARS and not result[1]):
        return result
    stem, extra = result
    return stem[:MAX_TERM_CHARS], tuple(t[:MAX_TERM_CHARS] for t in extra)


def _analyse_word(word: str) -> tuple[str, tuple[str, ...]] | None:
    if word in stop_words():
        return None
    if _ID_RE.fullmatch(word):
        return re.sub(r"[/\-]", "_", word), ()
    if "-" in word:
        pieces = [to_alphabet(p) for p in word.split("-") if p not in stop_words()]
        pieces = [p for p in pieces if p]
        if not pieces:
            return None
        if len(pieces) == 1:
            return _analyse_simple(pieces[0])
        stem, _ = _analyse_simple("".join(pieces))
        extra: list[str] = []
        for piece in pieces:
            piece_stem, piece_extra = _analyse_simple(piece)
            extra.append(piece_stem)
            extra.extend(piece_extra)
        seen = {stem}
        return stem, tuple(t for t in extra if not (t in seen or seen.add(t)))
    mapped = to_alphabet(word)
    if not mapped:
        return None
    return _analyse_simple(mapped)


def _nfc(text: str) -> str:
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


def analyze_for_index(text: str) -> IndexedText:
    """Both term streams of a text: one stem per kept token, and the derived forms."""
    stems: list[str] = []
    parts: list[str] = []
    add_stem, add_parts = stems.append, parts.extend
    for result in map(analyse_word, TOKEN_RE.findall(_nfc(text).lower())):
        if result is not None:
            add_stem(result[0])
            if result[1]:
                add_parts(result[1])
    return IndexedText(stems=stems, parts=parts)


def index_terms(text: str) -> list[str]:
    """Single-column term list: stems (in text order), derived forms, the stems again.

    Join with spaces for FTS5 / ``to_tsvector('simple', ...)``. Phrases match in the
    first section; exact stems count twice, compound parts and roots once.
    """
    doc = analyze_for_index(text)
    return [*doc.stems, *doc.parts, *doc.stems]


def folded_terms(terms: list[str]) -> list[str]:
    """The ASCII-folded stream for a list of terms (same length and order)."""
    if not terms:
        return []
    return " ".join(terms).translate(_FOLD_TABLE).split(" ")  # terms never contain spaces


def query_terms(word: str) -> list[str]:
    """Analysed forms of one query word: [stem, *derived forms]; [] for stop words.

    A text word matches the query word if any of these terms is among its index terms.
    """
    words = TOKEN_RE.findall(_nfc(word).lower())
    if len(words) != 1:
        return [t for w in words for t in query_terms(w)]
    result = analyse_word(words[0])
    if result is None:
        return []
    return [result[0], *result[1]]


def analyze_tokens(text: str) -> list[Token]:
    """Tokens with character offsets into ``NFC(text)`` (for snippets and highlighting)."""
    text = _nfc(text)
    tokens: list[Token] = []
    for match in TOKEN_RE.finditer(text):
        result = analyse_word(match.group().lower())
        if result is None:
            continue
        tokens.append(Token(match.group(), match.start(), match.end(), result[0], result[1]))
    return tokens


def bench_tokens_per_second(text: str, rounds: int = 3) -> float:
    """Warm-cache throughput of ``index_terms`` on ``text`` in tokens per second."""
    index_terms(text)
    n_tokens = len(TOKEN_RE.findall(text))
    start = time.perf_counter()
    for _ in range(rounds):
        index_terms(text)
    return n_tokens * rounds / (time.perf_counter() - start)


@dataclass(frozen=True, slots=True)
class WordForms:
    """How one query word matches: any of ``alternatives``, or all of ``part_group``.

    ``alternatives`` holds the stem and its derivational root; ``part_group`` holds the
    stems of the compound parts or hyphen pieces (empty for a simple word). ``folded`` is
    True when the user typed no å/ä/ö/é/ü, so the folded stream should be searched too.
    """

    alternatives: tuple[str, ...]
    part_group: tuple[str, ...]
    folded: bool

    def all_terms(self) -> tuple[str, ...]:
        """Every analysed term of this word (for highlighting)."""
        return tuple(dict.fromkeys((*self.alternatives, *self.part_group)))


@functools.lru_cache(maxsize=100_000)
def query_word_forms(word: str) -> WordForms | None:
    """Structured analysis of one query token; None for stop words and empty tokens."""
    lowered = _nfc(word).lower()
    result = analyse_word(lowered)
    if result is None:
        return None
    stem = result[0]
    folded = not has_diacritics(lowered)
    if _ID_RE.fullmatch(lowered):
        return WordForms((stem,), (), folded)
    if "-" in lowered:
        pieces = [to_alphabet(p) for p in lowered.split("-") if p not in stop_words()]
        group = tuple(_analyse_simple(p)[0] for p in pieces if p)
        return WordForms((stem,), group if len(group) > 1 else (), folded)
    mapped = to_alphabet(lowered)
    parts = split_compound(mapped) if mapped.isalpha() and not is_proper_noun(mapped) else ()
    if parts:
        head = "".join(p.surface for p in parts[:-1])
        last_stem = stem_word(parts[-1].surface)
        root = _compound_root(stem, head, last_stem)
        group = (*(stem_word(p.base) for p in parts[:-1]), last_stem)
    else:
        root = derived_root(stem) if mapped.isalpha() else None
        group = ()
    alternatives = (stem, root) if root and root != stem else (stem,)
    return WordForms(alternatives, group, folded)
