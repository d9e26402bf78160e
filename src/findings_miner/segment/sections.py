"""Map headings and field labels to a ``section_kind`` (English and Norwegian vocabulary).

Section kinds are what later stages use as evidence: a bullet under *Anbefalinger* is likely a
recommendation, a field ``Aktiviteter: …`` lists activities. Matching is on the normalised heading
(numbering, punctuation and case removed) and tries whole-heading patterns first, then keywords.
"""

from __future__ import annotations

import re

#: (section_kind, regex over the normalised heading). Order matters: first match wins.
_SECTION_PATTERNS: tuple[tuple[str, str], ...] = (
    ("lessons", r"\b(lessons?( learn[te]d)?|learning|l[æa]ring|erfaringer|l[æa]rdom(mer)?|key learnings?)\b"),
    ("recommendations", r"\b(recommendations?|anbefaling(er)?|rekommendation(er)?|suggestions? for|way forward|veien videre)\b"),
    ("summary", r"\b(executive summary|summary|sammendrag|sammanfattning|oppsummering|abstract|resum[eé])\b"),
    ("background", r"\b(background|bakgrunn|bakgrund|context|kontekst|introduction|innledning|inledning|problem (analysis|statement)|situasjonsanalyse|rationale)\b"),
    ("method", r"\b(method(ology|s)?|metode|metod|approach|tiln[æa]rming|data collection|datagrunnlag|limitations|begrensninger|evaluation (design|questions))\b"),
    ("target_group", r"\b(target (group|population)s?|beneficiar(y|ies)|m[åa]lgrupper?|m[åa]lgrupp)\b"),
    ("objectives", r"\b(overordnet m[åa]l|overall (goal|objective)|goals?|objectives?|purpose|aims?|delm[åa]l|m[åa]l(setting)?|form[åa]l|expected (outcomes?|results?)|forventede resultater|intended outcomes?|specific objectives?|theory of change|endringsteori|results framework|resultatrammeverk|logframe|logical framework|indicators?|indikatorer)\b"),
    ("activities", r"\b(activit(y|ies)|aktiviteter|aktivitet|tiltak|interventions?|implementation|gjennomf[øo]ring|work ?plan|arbeidsplan)\b"),
    ("results", r"\b(results?|resultater|resultat|achievements?|progress|outputs?|outcomes?|impact|effekter|m[åa]loppn[åa]else|fremdrift|accomplishments?|performance)\b"),
    ("findings", r"\b(findings?|funn|challenges|utfordringer|observations?|assessment|vurdering|analys[ei]s?|relevance|relevans|effectiveness|efficiency|sustainability|b[æa]rekraft|effektivitet|måloppnåelse)\b"),
    ("conclusions", r"\b(conclusions?|konklusjon(er)?|slutsats(er)?|concluding remarks|avslutning)\b"),
    ("annex", r"\b(annex(es)?|appendix|appendices|vedlegg|bilaga|bilag|references|referanser|litteratur(liste)?|bibliography|acronyms|abbreviations|forkortelser)\b"),
)
_COMPILED = tuple((kind, re.compile(pattern)) for kind, pattern in _SECTION_PATTERNS)
_NUMBERING_RE = re.compile(r"^\s*(?:\d+(?:\.\d+)*[.)]?|[ivxlcIVXLC]+[.)]|[a-zA-Z][.)])\s+")
_NON_WORD_RE = re.compile(r"[^\w\s/-]+")


def normalise_heading(heading: str) -> str:
    """Lower-case, numbering and punctuation removed: ``'3.2 Lessons learned:'`` → ``'lessons learned'``."""
    text = _NUMBERING_RE.sub("", heading.strip())
    text = _NON_WORD_RE.sub(" ", text.lower())
    return " ".join(text.split())


def section_kind(heading: str | None) -> str:
    """The section kind of a heading or field label; ``other`` when nothing matches."""
    if not heading:
        return "other"
    text = normalise_heading(heading)
    if not text:
        return "other"
    for kind, pattern in _COMPILED:
        if pattern.search(text):
            return kind
    return "other"


def is_section_heading(line: str, max_words: int = 8) -> bool:
    """True when a short line is recognisably a section heading by its vocabulary alone."""
    text = normalise_heading(line)
    return 0 < len(text.split()) <= max_words and section_kind(line) != "other"
