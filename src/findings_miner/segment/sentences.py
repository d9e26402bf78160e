"""Abbreviation-aware sentence splitting for English and Norwegian.

Works on raw page slices (line breaks and hyphenation still in place) and returns character
offsets, so that every sentence keeps its provenance. Abbreviations (``bl.a.``, ``f.eks.``,
``ca.``, ``jf.``, ``mill.``, ``kap.``, ``nr.``, ``e.g.``, ``i.e.``, ``No.``, ``et al.``, ``Dr.``),
initials, ordinals ("1. januar") and decimal numbers never end a sentence.
"""

from __future__ import annotations

import re

#: abbreviations without their final period, lower case
ABBREVIATIONS: frozenset[str] = frozenset(
    ["bl.a", "f.eks", "ca", "jf", "jfr", "mill", "mrd", "kap", "nr", "pkt", "evt", "inkl", "ekskl", "hhv", "iht", "ihht", "hht", "i.h.t", "dvs", "m.fl", "mv", "o.l", "osv", "etc", "bl.annet", "t.o.m", "f.o.m", "m.m", "m.v", "o.a", "ref", "red", "utg", "st.meld", "meld.st", "prop", "nou", "kl", "tlf", "adr", "e.g", "i.e", "eg", "ie", "al", "cf", "vs", "viz", "approx", "dr", "mr", "mrs", "ms", "prof", "no", "nos", "vol", "pp", "p", "fig", "figs", "para", "paras", "sec", "ch", "chap", "art", "rev", "gen", "inc", "ltd", "co", "corp", "dept", "est", "govt", "intl", "jr", "sr", "st", "u.s", "u.k", "u.n", "e.u", "mln", "bn", "n.d", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "okt", "nov", "dec", "des", "ibid", "op.cit", "resp", "ann", "min", "maks"]
)
#: abbreviations that can also end a sentence when a capitalised word follows
_SENTENCE_FINAL_ABBREVIATIONS = frozenset({"etc", "osv", "m.m", "mv", "m.fl", "o.l"})

_BOUNDARY_RE = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s)")
_NEXT_START_RE = re.compile(r"\s+(?=[\"'“‘(\[]?[A-ZÆØÅÄÖÜÉ0-9•\uf0b7])")
_TOKEN_BEFORE_RE = re.compile(r"(\S+)$")


def _is_abbreviation(token: str, next_word: str) -> bool:
    bare = token.rstrip(".").lstrip("(\"'“‘[").lower()
    if not bare:
        return False
    if bare in ABBREVIATIONS:
        return not (bare in _SENTENCE_FINAL_ABBREVIATIONS and next_word[:1].isupper())
    if len(bare) == 1 and bare.isalpha():
        return True  # an initial: "J. Smith", "a. b."
    # dotted abbreviations not in the list: "s.k", "o.s.v"
    return bool(re.fullmatch(r"(?:[a-zæøå]\.)+[a-zæøå]", bare))


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Split ``text[start:end]`` into sentences; returns ``(start, end)`` offsets into ``text``.

    Leading and trailing whitespace is excluded from every sentence; empty spans are dropped.
    """
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    sentence_start = start
    for match in _BOUNDARY_RE.finditer(text, start, end):
        boundary = match.end()
        following = _NEXT_START_RE.match(text, boundary, end)
        if not following:
            continue
        token_match = _TOKEN_BEFORE_RE.search(text, sentence_start, match.start() + 1)
        token = token_match.group(1) if token_match else ""
        next_word = text[following.end() : following.end() + 20].split(" ", 1)[0]
        if match.group(0).startswith(".") and len(match.group(0)) == 1:
            if _is_abbreviation(token, next_word):
                continue
            if token[:-1].isdigit() and len(token) <= 4 and not next_word[:1].isupper():
                continue  # ordinal "1. januar"
        spans.append((sentence_start, boundary))
        sentence_start = following.end()
    spans.append((sentence_start, end))
    return [_trim(text, s, e) for s, e in spans if text[s:e].strip()]


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
