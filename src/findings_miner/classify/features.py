"""Linguistic cue features for English and Norwegian.

Cues are named, human-readable signals — a modal of obligation, a change verb, a quantity, an
infinitive that opens a plan — that the model uses next to its n-grams and that ``classify``
reports in its ``cues`` column, so a reviewer sees *why* a passage got its labels. Each cue is a
regular expression over the lower-cased passage; they are cheap enough for thousands of passages
per second.
"""

from __future__ import annotations

import re
from functools import lru_cache

_B = r"(?<![\w-])"  # word start
_E = r"(?![\w-])"  # word end

_HELD_DETERMINER = (r"((the|relevant|necessary|adequate|sufficient|basic|appropriate|up-to-date|good|"
                    r"nødvendig\w*|relevant\w*|tilstrekkelig\w*|god\w*) ){0,2}")
# nouns of capacity, not of capacity building ("has capacity building", "har kompetanseheving")
_HELD_NOUN = (r"(knowledge|skills|tools|resources|(capacity|capacities)(?! (building|development|strengthening))|"
              r"guidance|equipment|kunnskap(en|er)?|kompetanse(n)?|ferdighet(en|er|ene)?|kapasitet(en|er)?|"
              r"verktøy(et|ene)?|ressurs(er|ene)?|utstyr(et)?|veiledning(en)?)")
_HELD_ADVERB = "(now |fully |well |adequately |also |nå |godt )?"
# every alternative opens with its own word, so the cue keeps the cheap opening-letter pre-check
_CAPACITY_HELD = _B + "(" + "|".join(
    [f"{verb} {_HELD_DETERMINER}{_HELD_NOUN}"
     for verb in ("have", "has", "had", r"possess\w*", "har", "hadde", "ha")]
    + [f"{verb} {_HELD_ADVERB}(equipped|informed(?! by)|utstyrt|informert)"
       for verb in ("are", "is", "were", "was", "be", "er", "ble", "blir", "være")]
    + ["in place(?! of)", "på plass"]) + ")"

#: cue name → pattern (EN and NB alternatives in one expression)
CUE_PATTERNS: dict[str, str] = {
    # learning
    "recommend": rf"{_B}(recommend\w*|anbefal\w*|suggest\w*|advis\w*|foresl\w*|tilr[åa]d\w*|urge[sd]?|it is proposed|consider (?:\w+ing)|bør vurdere)",
    "modal_should": rf"{_B}(should|ought to|must|need to|needs to|has to|have to|bør|burde|må|skal sikre|er nødvendig å|det er behov for)",
    # markers of an insight, not the topic words ("erfaringer", "learning") that merely mention one
    "lesson": rf"{_B}(lessons? learn[et]d?|(?:we|they|the team|staff) learn(ed|t)|experience (shows|has shown|suggests|indicates)|proved|proven|turned out|showed that|shows that|demonstrated that|key (insight|lesson)|erfaring(en|ene) (viser|tilsier|har vist|er at)|lærdom(men|mer)?|l[æe]rte|har vist seg|viste seg|viser at|det har vist seg)",
    "hindsight": rf"{_B}(would have|could have|should have|hadde vært|ville ha|kunne ha|burde ha|in hindsight|i ettertid)",
    "challenge": rf"{_B}(challeng\w*|difficult\w*|delay\w*|constrain\w*|obstacle\w*|utfordring\w*|vanskelig\w*|forsink\w*|hinder\w*|problem\w*)",
    # results chain
    "change_up": rf"{_B}(increas\w*|improv\w*|strengthen\w*|enhanc\w*|higher|more|greater|better|rose|risen|grew|expand\w*|økt\w*|øke\w*|forbedr\w*|bedre|styrke\w*|høyere|flere|mer|større)",
    "change_down": rf"{_B}(reduc\w*|decreas\w*|declin\w*|fewer|lower|less|fell|dropped|redus\w*|nedgang|færre|lavere|mindre|sank)",
    "behaviour": rf"{_B}(now|apply|applies|applied|use[sd]?|using|adopt\w*|practi[cs]\w*|refer\w*|behaviou?r\w*|attitude\w*|awareness|knowledge|capacity|access|income|employ\w*|bevissthet\w*|kunnskap\w*|kapasitet\w*|tilgang\w*|inntekt\w*|henvis\w*|holdning\w*|praksis|anvend\w*|bruker|tar i bruk|nå)",
    "impact_goal": rf"{_B}(contribut\w* to|long[- ]term|overall (goal|objective)|poverty|well-?being|eliminat\w*|eradicat\w*|sustainable development|society|bidra\w* til|langsiktig\w*|overordnet|fattigdom\w*|samfunn\w*|utrydd\w*|bekjemp\w*)",
    # guideline rule 2a: capacity held ("have the knowledge and tools to", "in place") is an output;
    # a change word between the verb and the noun ("have improved skills") is not held but changed
    "capacity_held": _CAPACITY_HELD,
    "able_to": rf"{_B}(able to|capable of|i stand til|evne til å)",
    "deliver": rf"{_B}(trained|established|produced|developed|distributed|constructed|built|rehabilitated|provided|delivered|set up|printed|published|equipped|reached|assisted|received|etablert|utarbeidet|produsert|distribuert|bygget|levert|opprettet|mottatt|mottok|fått|nådd|gitt)",
    "process": rf"{_B}(training|trainings|workshops?|seminars?|campaigns?|meetings?|sessions?|courses?|conduct\w*|organi[sz]\w*|hold|held|facilitat\w*|coordinat\w*|implement\w*|support(ing)?|operat(e|ion|ing)|running|opplæring|kurs|seminar\w*|kampanje\w*|møte\w*|samling\w*|drift|gjennomf[øo]r\w*|arranger\w*|avhold\w*|koordiner\w*)",
    "metric": rf"{_B}(number of|no\. of|# of|% of|percentage of|proportion of|share of|rate of|antall|andel|prosent\w*|prosentandel)",
    "quantity": r"\d",
    "percent": r"\d\s?%|\bper ?cent\b|\bprosent\b",
    "baseline": rf"{_B}(baseline|base line|utgangspunkt\w*|nullpunkt\w*|grunnlinje\w*|utgangsverdi\w*|startverdi\w*)",
    "target": rf"{_B}(targets?|målverdi\w*|mål for \d{{4}}|by (?:end of |the end of )?\d{{4}}|innen \d{{4}}|within \d+ (?:years?|months?))",
    # status
    "future": rf"{_B}(will|shall|is expected|are expected|expected to|aims? to|intends? to|plan(s|ned)? to|to be|going to|skal|vil|planlegg\w*|forvent(?:es|er|ede|ning\w*)|forventet å|tar sikte på|har som mål)",
    "past": rf"{_B}(was|were|has been|have been|had|did|completed|achieved|ble|var|har blitt|har vært|gjennomført\w*|oppnådd\w*|ferdigstilt)",
    "perfect_nb": rf"{_B}(har|hadde) (\w+ ){{0,3}}?\w+(et|t|dd)\b",
    "negation": rf"{_B}(not|no|never|failed to|unable|lack\w*|did not|didn't|was not|were not|has not|have not|ikke|ingen|aldri|mangl\w*|uten)",
    "hedge": rf"{_B}(may|might|appears?|seems?|likely|possibly|perhaps|kan ha|trolig|sannsynligvis|ser ut til|muligens|antakelig)",
    "objective_label": r"^(overall )?(goal|objective|purpose|aim|expected (outcome|result)s?|outcome \d|output \d|impact|overordnet mål|delmål|mål|formål|hovedmål|forventede? resultat\w*|resultatmål)\b",
    "activity_label": r"^(activit(y|ies)( \d[\d.]*)?|aktivitet(er)?( \d[\d.]*)?|tiltak)\s*:",
    "context": rf"{_B}(is (one|a|an|the)|are (among|the)|has (a|an) population|according to|context|background|bakgrunn|kontekst|budget\w*|budsjett\w*|methodolog\w*|metode\w*|interview\w*|intervju\w*)",
}

_INFINITIVE_START_EN = re.compile(
    r"^(to )?(train|conduct|organi[sz]e|hold|provide|support|develop|establish|build|strengthen|"
    r"facilitate|carry out|undertake|distribute|produce|deliver|set up|run|operate|coordinate|"
    r"implement|raise|promote|advocate|mobili[sz]e|procure|rehabilitate|construct|identify|map|"
    r"assess|monitor|review|prepare|design|launch|create|ensure|improve|increase|reduce)\b"
)
_INFINITIVE_START_NB = re.compile(
    r"^(å )?(gjennomføre|arrangere|holde|gi|etablere|bygge|styrke|utvikle|utarbeide|distribuere|"
    r"produsere|drive|koordinere|fremme|mobilisere|kartlegge|sikre|bidra|øke|redusere|forbedre|"
    r"tilby|organisere|lære opp|trene|støtte)\b"
)
_NOMINAL_PROCESS_START = re.compile(
    r"^(training|provision|organi[sz]ation|establishment|development|capacity building|operation|"
    r"support|distribution|production|conduct|delivery|running|drift|opplæring|etablering|"
    r"gjennomføring|utvikling|kapasitetsbygging|støtte|utarbeidelse|distribusjon|produksjon|"
    r"arrangering|avholdelse)\b( of| av| til| for)?"
)


@lru_cache(maxsize=1)
def _compiled() -> tuple[tuple[str, re.Pattern[str]], ...]:
    # every alternative must end at a word end: "no" must not match "now"
    return tuple((name, re.compile(pattern if name in ("quantity", "percent") else pattern + _E))
                 for name, pattern in CUE_PATTERNS.items())


_WORD_START_LETTERS_RE = re.compile(r"(?<![\w-])[^\W\d_]+")


def _split_alternatives(body: str) -> list[str]:
    parts, depth, current, i = [], 0, "", 0
    while i < len(body):
        char = body[i]
        if char == "\\":
            current += body[i:i + 2]
            i += 2
            continue
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "|" and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
        i += 1
    return [*parts, current]


def cue_prefixes(pattern: str) -> frozenset[str] | None:
    """The 1-3-letter openings one of which any match of a word-start cue must begin with.

    Only for patterns of the form ``_B(alt|alt|…)`` whose every alternative opens with letters;
    ``None`` (no pre-check) otherwise. A letter followed by ``?``/``*``/``{`` is not required.
    """
    if not pattern.startswith(_B + "("):
        return None
    body, depth, end = pattern[len(_B) + 1:], 1, None
    i = 0
    while i < len(body):
        if body[i] == "\\":
            i += 2
            continue
        depth += {"(": 1, ")": -1}.get(body[i], 0)
        if depth == 0:
            end = i
            break
        i += 1
    if end is None or body[end + 1:]:
        return None
    prefixes = set()
    for alternative in _split_alternatives(body[:end]):
        run = re.match(r"[a-zæøåéäöü]+", alternative)
        if not run:
            return None
        prefix = run.group()[:3]
        if len(run.group()) <= 3 and alternative[len(run.group()):len(run.group()) + 1] in ("?", "*", "{"):
            prefix = prefix[:-1]
        if not prefix:
            return None
        prefixes.add(prefix)
    return frozenset(prefixes)


@lru_cache(maxsize=1)
def _compiled_with_prefixes() -> tuple[tuple[str, re.Pattern[str], frozenset[str] | None], ...]:
    return tuple((name, pattern, cue_prefixes(CUE_PATTERNS[name])) for name, pattern in _compiled())


def find_cues(text: str) -> list[str]:
    """Names of the cues present in a passage (stable order).

    One ``search`` per cue, skipped when no word of the passage opens with one of the letters any
    match of that cue must open with (exact: a pre-check, not an approximation; most passages rule
    out most cues this way, which halves the cost of cue finding).
    """
    lowered = text.lower().strip()
    openings: set[str] = set()
    for word in _WORD_START_LETTERS_RE.findall(lowered):
        openings.update((word[:1], word[:2], word[:3]))
    found = [name for name, pattern, prefixes in _compiled_with_prefixes()
             if (prefixes is None or not prefixes.isdisjoint(openings)) and pattern.search(lowered)]
    if _INFINITIVE_START_EN.match(lowered) or _INFINITIVE_START_NB.match(lowered):
        found.append("opens_with_infinitive")
    if _NOMINAL_PROCESS_START.match(lowered):
        found.append("opens_with_process_noun")
    words = len(lowered.split())
    if words <= 6:
        found.append("short")
    elif words >= 30:
        found.append("long")
    if not re.search(r"[.!?]$", lowered):
        found.append("no_final_period")
    return found


def cue_tokens(text: str) -> str:
    """Cues as pseudo-words (``__cue_lesson__``) to append to the text for the n-gram model."""
    return " ".join(f"__cue_{name}__" for name in find_cues(text))
