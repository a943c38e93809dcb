"""Dictionary-based splitting of Swedish compound words.

Lexicon: the ``hunspell-sv`` wheel (``sys.prefix/share/hunspell/sv_SE.dic`` + ``.aff``,
LGPL-3.0-only). Hunspell marks which entries may start (flag X), sit in the middle (U) or
end (Y) a compound, and ships suffix rules (flags v, f, z, g, y, h, x, w, u, i, t, s, r,
7, ...) that generate the *linking forms* ("samordning" -> "samordnings", "skola" ->
"skol"). We read the .dic and apply only those compound-form rules, so every linking form
maps back to its base word; capitalised-only entries give the proper nouns.

Parsing the .dic at run time measured 0.45 s on an idle machine but 1.5-2.5 s while
other jobs ran (2 cores), above the 1 s budget. So the parsed lexicon is written ONCE
to ``data/sv_compound_lexicon.txt`` (3.9 MB, LGPL-3.0 data, header says how it was made)
with ``python -m projektatlas.search.compounds --build``; loading that file takes
0.3-0.4 s under the same load. Without the file the .dic is parsed instead. The lexicon
loads lazily on the first split (call ``load_lexicon()`` at start-up to pay it early).

Choosing a split: every segmentation whose head parts are known begin/middle forms and
whose last part (inflected freely, e.g. "förbunden") is a known end word is a candidate;
the best maximises the geometric mean of the parts' ``wordfreq`` frequencies
(``zipf_frequency(base, "sv")``, read from wordfreq's dict directly), competing with the unsplit word (its own Zipf value +
``WHOLE_WORD_BONUS``), so lexicalised words stay whole. Particle heads (under, över,
genom, fort, ...) never split off: they form derived verbs, not compounds. Parts must
be at least ``MIN_PART`` letters and have a Zipf frequency of at least
``MIN_PART_ZIPF``, which keeps nonsense splits such as "kom|mun", "ung|domar" or
"värm|land" out; proper nouns ("Gävleborg") are not split. Splitting is recursive, so three- and four-part
compounds work ("arbetsmarknadsenheten" -> arbets|marknads|enheten).

Public API:
    split_compound(word) -> tuple[Part, ...]   # () when the word is not a compound
    Part(surface, base)                          # "samordnings" / "samordning"
    is_known_word(word) -> bool                  # a full (non-linking) dictionary entry
    is_proper_noun(word) -> bool                 # only known capitalised ("dalarna")
    load_lexicon() -> None; write_lexicon_file(path=None) -> Path
"""

from __future__ import annotations

import argparse
import functools
import math
import re
import sys
import time
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from wordfreq import get_frequency_dict

LEXICON_FILE = "sv_compound_lexicon.txt"
MIN_PART = 4
MIN_PART_ZIPF = 2.0
MIN_WORD = 6
MAX_WORD = 48
MAX_PARTS = 4
WHOLE_WORD_BONUS = 0.5
# Particle/preposition heads form derived verbs and adjectives, not compounds
# ("underlättar", "genomförda", "överlämnas", "fortsätta", "efterfrågan").
PARTICLES = frozenset(
    [
        "under",
        "över",
        "genom",
        "fort",
        "efter",
        "mellan",
        "inom",
        "utom",
        "utan",
        "bakom",
        "fram",
        "från",
        "till",
        "upp",
        "ner",
        "ned",
        "bort",
        "hem",
        "samman",
        "omkring",
        "emot",
    ]
)

_FOLD = str.maketrans("åäöéü", "aaoeu")
_FLAG_BEGIN = "X"
_FLAG_MIDDLE = "U"
_FLAG_END = "Y"
_FLAG_ONLY_IN_COMPOUND = "Z"

_END_INFLECTIONS = (
    "",
    "s",
    "en",
    "ens",
    "et",
    "ets",
    "n",
    "ns",
    "t",
    "ts",
    "na",
    "nas",
    "er",
    "ers",
    "erna",
    "ernas",
    "ar",
    "ars",
    "arna",
    "arnas",
    "or",
    "ors",
    "orna",
    "ornas",
    "r",
    "rs",
    "rna",
    "rnas",
    "a",
    "as",
    "e",
    "es",
    "ande",
    "ende",
    "ade",
    "at",
    "ad",
    "ts",
    "de",
    "te",
    "da",
    "ta",
    "re",
    "ste",
    "are",
    "ast",
    "aste",
)


@dataclass(frozen=True, slots=True)
class Part:
    """One compound part: the surface slice of the word and the dictionary base form."""

    surface: str
    base: str


@dataclass(slots=True)
class _Lexicon:
    words: set[str]  # full dictionary entries (not only-in-compound forms)
    begin: dict[str, str]  # begin form -> base word
    middle: dict[str, str]  # middle form -> base word
    end: set[str]  # words allowed to end a compound (base forms)
    proper: set[str]  # proper nouns (capitalised entries, lower-cased), e.g. "dalarna"
    proper_folded: set[str]  # the same, ASCII-folded ("gavle")


def dictionary_paths() -> tuple[Path, Path]:
    """Paths of the hunspell-sv .dic and .aff files inside the running environment."""
    base = Path(sys.prefix) / "share" / "hunspell"
    return base / "sv_SE.dic", base / "sv_SE.aff"


def _parse_compound_rules(aff_path: Path) -> dict[str, list[tuple[str, str, re.Pattern, str]]]:
    """Suffix rules whose result may take part in a compound: flag -> [(strip, add, cond, role)]."""
    rules: dict[str, list[tuple[str, str, re.Pattern, str]]] = {}
    for line in aff_path.read_text(encoding="utf-8").splitlines():
        fields = line.split()
        if len(fields) < 5 or fields[0] != "SFX":
            continue
        flag, strip, add, cond = fields[1], fields[2], fields[3], fields[4]
        add, _, cont = add.partition("/")
        if _FLAG_BEGIN in cont:
            role = _FLAG_BEGIN
        elif _FLAG_MIDDLE in cont:
            role = _FLAG_MIDDLE
        else:
            continue
        strip = "" if strip == "0" else strip
        add = "" if add == "0" else add
        if add == "-":  # hyphen compounds ("TV-") are handled by the tokeniser
            continue
        rules.setdefault(flag, []).append((strip, add, re.compile(f"(?:{cond})$"), role))
    return rules


def _linking_base(form: str, words: set[str]) -> str:
    """Best guess of the base word for a bare linking entry such as "arbets" or "långtids"."""
    for cand in (form[:-1] + "e", form[:-1], form[:-1] + "a", form + "a", form + "e"):
        if len(cand) >= MIN_PART and cand in words:
            return cand
    return form[:-1] if form.endswith("s") else form


def _parse_hunspell() -> _Lexicon:
    """Build the lexicon from the hunspell-sv .dic/.aff (slow: about 0.5-2.5 s)."""
    dic_path, aff_path = dictionary_paths()
    rules = _parse_compound_rules(aff_path)
    words: set[str] = set()
    begin: dict[str, str] = {}
    middle: dict[str, str] = {}
    end: set[str] = set()
    bare_linking: list[tuple[str, str]] = []
    capitalised: set[str] = set()
    common: set[str] = set()
    with dic_path.open(encoding="utf-8") as handle:
        next(handle)  # entry count
        for line in handle:
            word, _, flags = line.rstrip("\n").partition("/")
            if not word or not word.isalpha():
                continue
            if word[0].isupper():
                capitalised.add(word.lower())
            else:
                common.add(word)
            word = word.lower()
            if _FLAG_ONLY_IN_COMPOUND in flags:
                bare_linking.append((word, flags))
                continue
            words.add(word)
            if not flags:
                continue
            if _FLAG_BEGIN in flags:
                begin.setdefault(word, word)
            if _FLAG_MIDDLE in flags:
                middle.setdefault(word, word)
            if _FLAG_END in flags:
                end.add(word)
            for flag in flags:
                for strip, add, cond, role in rules.get(flag, ()):
                    if cond.search(word) and word.endswith(strip):
                        form = word[: len(word) - len(strip)] + add
                        target = begin if role == _FLAG_BEGIN else middle
                        target.setdefault(form, word)
                        if role == _FLAG_BEGIN:
                            # hunspell lets most begin forms also act as middle parts
                            middle.setdefault(form, word)
    for form, flags in bare_linking:
        base = _linking_base(form, words)
        if _FLAG_BEGIN in flags:
            begin.setdefault(form, base)
        if _FLAG_MIDDLE in flags or _FLAG_BEGIN in flags:
            middle.setdefault(form, base)
    for form, base in list(begin.items()):
        middle.setdefault(form, base)
    proper = {
        name
        for name in (capitalised - common) & words
        # "Kassan" is also the definite form of "kassa": treat such names as common words
        if not any(name.endswith(e) and name[: -len(e)] in common for e in ("n", "en", "et", "t"))
    }
    return _Lexicon(
        words=words,
        begin=begin,
        middle=middle,
        end=end,
        proper=proper,
        proper_folded={name.translate(_FOLD) for name in proper},
    )


def _lexicon_file() -> Path:
    return Path(__file__).with_name("data") / LEXICON_FILE


def write_lexicon_file(path: Path | None = None) -> Path:
    """Derive the compact lexicon file from hunspell-sv (run once, at build time)."""
    lex = _parse_hunspell()
    path = path or _lexicon_file()
    version = metadata.version("hunspell-sv")
    begin_self = sorted(f for f, b in lex.begin.items() if f == b)
    begin_link = sorted(f"{f}\t{b}" for f, b in lex.begin.items() if f != b)
    extra = {f: b for f, b in lex.middle.items() if lex.begin.get(f) != b}
    middle_self = sorted(f for f, b in extra.items() if f == b)
    middle_link = sorted(f"{f}\t{b}" for f, b in extra.items() if f != b)
    sections = {
        "plain": sorted(lex.words - lex.end - lex.proper),
        "end": sorted(lex.end),
        "proper": sorted(lex.proper),
        "begin_self": begin_self,
        "begin_link": begin_link,
        "middle_self": middle_self,
        "middle_link": middle_link,
    }
    header = [
        f"# Derived from the hunspell-sv {version} wheel (sv_SE.dic + sv_SE.aff,",
        "# LGPL-3.0-only, https://github.com/yeager/hunspell-sv) by",
        "#     python -m projektatlas.search.compounds --build",
        "# Lower-cased entries; sections: plain words, compound end words, proper nouns,",
        "# compound begin/middle forms (form or form<TAB>base word). Do not edit by hand.",
    ]
    body = [*header]
    for name, lines in sections.items():
        body.append(f"@{name}")
        body.extend(lines)
    path.write_text("\n".join(body) + "\n", encoding="utf-8")
    return path


def _read_lexicon_file(path: Path) -> _Lexicon:
    sections: dict[str, list[str]] = {}
    for chunk in path.read_text(encoding="utf-8").split("\n@")[1:]:
        name, _, rest = chunk.partition("\n")
        sections[name] = rest.split("\n") if rest.strip() else []
    for lines in sections.values():
        if lines and lines[-1] == "":
            lines.pop()
    end = set(sections["end"])
    proper = set(sections["proper"])
    words = set(sections["plain"]) | end | proper
    begin = dict(zip(sections["begin_self"], sections["begin_self"], strict=True))
    begin.update(line.split("\t", 1) for line in sections["begin_link"])
    middle = dict(begin)
    middle.update(zip(sections["middle_self"], sections["middle_self"], strict=True))
    middle.update(line.split("\t", 1) for line in sections["middle_link"])
    return _Lexicon(
        words=words,
        begin=begin,
        middle=middle,
        end=end,
        proper=proper,
        proper_folded={name.translate(_FOLD) for name in proper},
    )


@functools.cache
def _lexicon() -> _Lexicon:
    path = _lexicon_file()
    return _read_lexicon_file(path) if path.exists() else _parse_hunspell()


def load_lexicon() -> None:
    """Load the dictionary now (otherwise it loads on the first split)."""
    _lexicon()


def is_proper_noun(word: str) -> bool:
    """True when ``word`` (lower case) is only known as a proper noun ("dalarna", "gävle")."""
    lex = _lexicon()
    if word in lex.proper:
        return True
    # typed without diacritics ("gavle"): match the folded name unless it is a common word
    return word in lex.proper_folded and word not in lex.words


@functools.cache
def _folded_lexicon() -> _Lexicon:
    """The lexicon with å/ä/ö/é/ü folded, for words typed without diacritics (built lazily)."""
    lex = _lexicon()

    def fold_map(mapping: dict[str, str]) -> dict[str, str]:
        # folded form -> original base (keeps diacritics for frequencies and stems)
        out: dict[str, str] = {}
        for form, base in mapping.items():
            out.setdefault(form.translate(_FOLD), base)
        return out

    return _Lexicon(
        words={w.translate(_FOLD) for w in lex.words},
        begin=fold_map(lex.begin),
        middle=fold_map(lex.middle),
        end={w.translate(_FOLD) for w in lex.end},
        proper=lex.proper_folded,
        proper_folded=lex.proper_folded,
    )


def _no_diacritics(word: str) -> bool:
    return word.translate(_FOLD) == word


def is_known_word(word: str) -> bool:
    """True when ``word`` (lower case) is a full entry of the Swedish dictionary."""
    if word in _lexicon().words:
        return True
    # typed without diacritics ("forbund"): known if its folded form is
    return _no_diacritics(word) and word in _folded_lexicon().words


@functools.cache
def _folded_end() -> dict[str, str]:
    """Folded end word -> original end word."""
    out: dict[str, str] = {}
    for word in _lexicon().end:
        out.setdefault(word.translate(_FOLD), word)
    return out


@functools.cache
def _frequencies() -> dict[str, float]:
    """wordfreq's Swedish list (the one ``zipf_frequency(w, "sv")`` reads), as a dict."""
    return get_frequency_dict("sv", wordlist="best")


def _zipf(word: str) -> float:
    """Zipf frequency as ``wordfreq.zipf_frequency`` gives it, by a dict lookup (30x faster)."""
    freq = _frequencies().get(word)
    return round(math.log10(freq) + 9.0, 2) if freq else 0.0


@functools.lru_cache(maxsize=50_000)
def _end_base(tail: str, folded: bool = False) -> str | None:
    """Base word when ``tail`` is an end word, possibly inflected ("förbunden" -> "förbund")."""
    lex = _folded_lexicon() if folded else _lexicon()
    for ending in _END_INFLECTIONS:
        if ending and not tail.endswith(ending):
            continue
        stem = tail[: len(tail) - len(ending)] if ending else tail
        if len(stem) < MIN_PART:
            continue
        for cand in (stem, stem + "e", stem + "a"):
            if cand in lex.end:
                return _folded_end()[cand] if folded else cand
    return None


def _part_ok(base: str) -> bool:
    return len(base) >= MIN_PART and _zipf(base) >= MIN_PART_ZIPF


_Split = tuple[float, tuple[Part, ...]] | None


def _best(word: str, first: bool, folded: bool, memo: dict[tuple[str, bool], _Split]) -> _Split:
    """Best segmentation of ``word`` (score = sum of zipf, parts) or None.

    ``first`` tells whether the first part is at the start of the whole word (begin
    forms) or inside it (middle forms). A single part is allowed only for the last piece.
    ``memo`` caches sub-results for one top-level word (bounded memory).
    """
    key = (word, first)
    if key not in memo:
        memo[key] = _best_uncached(word, first, folded, memo)
    return memo[key]


def _best_uncached(
    word: str, first: bool, folded: bool, memo: dict[tuple[str, bool], _Split]
) -> _Split:
    lex = _folded_lexicon() if folded else _lexicon()
    candidates: list[tuple[float, tuple[Part, ...]]] = []
    end_base = _end_base(word, folded)
    if end_base is not None and _part_ok(end_base):
        candidates.append((_zipf(end_base), (Part(word, end_base),)))
    if first:
        whole = _zipf(word)
        if whole > 0:
            # a word that is common as written is lexicalised ("fortsätta", "psykologiska"):
            # its parts must be clearly more frequent to win
            candidates.append((whole + WHOLE_WORD_BONUS, (Part(word, end_base or word),)))
    heads = lex.begin if first else lex.middle
    for cut in range(MIN_PART, len(word) - MIN_PART + 1):
        head = word[:cut]
        if head in PARTICLES:
            continue
        base = heads.get(head)
        if base is None and head[-1] == "s":  # productive linking -s ("fond" -> "fonds")
            base = heads.get(head[:-1])
        if base is None or not _part_ok(base):
            continue
        rest = _best(word[cut:], False, folded, memo)
        if rest is None or len(rest[1]) + 1 > MAX_PARTS:
            continue
        candidates.append((_zipf(base) + rest[0], (Part(head, base), *rest[1])))
    if not candidates:
        return None
    return max(candidates, key=lambda c: (c[0] / len(c[1]), -len(c[1])))


@functools.lru_cache(maxsize=32_768)
def split_compound(word: str) -> tuple[Part, ...]:
    """Split a lower-case word into compound parts; ``()`` when it is not a compound.

    >>> [p.base for p in split_compound("samordningsförbunden")]
    ['samordning', 'förbund']
    """
    if not MIN_WORD <= len(word) <= MAX_WORD or not word.isalpha():
        return ()
    best = _best(word, True, False, {})
    if best is None and _no_diacritics(word):
        # typed without diacritics: "samordningsforbunden"
        best = _best(word, True, True, {})
    if best is None or len(best[1]) < 2:
        return ()
    return best[1]


def main(argv: list[str] | None = None) -> None:
    """``python -m projektatlas.search.compounds --build``: regenerate the lexicon file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", action="store_true", help="write data/" + LEXICON_FILE)
    args = parser.parse_args(argv)
    if args.build:
        start = time.perf_counter()
        path = write_lexicon_file()
        print(f"wrote {path} ({path.stat().st_size} bytes) in {time.perf_counter() - start:.1f} s")
    start = time.perf_counter()
    _read_lexicon_file(_lexicon_file())
    print(f"loading {LEXICON_FILE} takes {time.perf_counter() - start:.2f} s")


if __name__ == "__main__":
    main()
