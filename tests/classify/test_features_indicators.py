import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from findings_miner.classify.features import find_cues
from findings_miner.classify.indicators import detect_indicators


@pytest.mark.parametrize(("text", "cue"), [
    ("The project should continue.", "modal_should"),
    ("Prosjektet bør videreføres.", "modal_should"),
    ("Det anbefales at UD styrker oppfølgingen.", "recommend"),
    ("Experience shows that joint training works.", "lesson"),
    ("Erfaringen viser at oppfølging er avgjørende.", "lesson"),
    ("Household income increased by 20 %.", "change_up"),
    ("Færre unge migrerer irregulært.", "change_down"),
    ("Train 40 teachers in child protection.", "opens_with_infinitive"),
    ("Opplæring av lærere", "opens_with_process_noun"),
    ("The project did not reach youth at risk.", "negation"),
    ("Number of victims assisted", "metric"),
])
def test_cues_en_nb(text, cue):
    assert cue in find_cues(text)


@pytest.mark.parametrize(("text", "held"), [
    ("Labour inspectors have the knowledge and tools to identify forced labour.", True),
    ("Kommunene har nødvendig kompetanse til å følge opp ofre.", True),
    ("Health workers are equipped with rapid test kits.", True),
    ("A referral mechanism is in place in all four districts.", True),
    ("Rutiner for varsling er på plass.", True),
    # a change word between verb and noun is capacity changed, not held (guideline rule 2a)
    ("Labour inspectors have improved knowledge of forced labour.", False),
    ("Health workers are better equipped to treat cholera.", False),
    ("Governments have the necessary skills to manage borders.", True),
    ("The project has a budget of 3 million.", False),
    # look-alikes that state no capacity held
    ("The new form is used in place of the old one.", False),
    ("The design was informed by the baseline survey.", False),
    ("The partner has capacity building plans for 2026.", False),
    ("Prosjektet har kompetanseheving som hovedmål.", False),
])
def test_capacity_held_cue_follows_rule_2a(text, held):
    assert ("capacity_held" in find_cues(text)) is held


def test_able_to_marks_performance():
    assert "able_to" in find_cues("Border authorities are able to identify victims.")
    assert "able_to" in find_cues("Kommunene er i stand til å drive senteret selv.")
    assert "able_to" not in find_cues("Border authorities have the tools to identify victims.")
    assert "able_to" not in find_cues("Border authorities were unable to identify victims.")


def test_cues_respect_word_ends():
    assert "negation" not in find_cues("Officers now apply the guidelines")
    assert "modal_should" not in find_cues("The mustard seed project")


@pytest.mark.parametrize(("text", "indicator", "baseline", "target"), [
    ("Number of victims referred to assistance", True, False, False),
    ("% of households with income above the poverty line (baseline 2021: 18 %, target 2024: 60 %)", True, True, True),
    ("Andel kvinner med egen inntekt økte fra 10 til 47 prosent", True, True, False),
    ("Antall kvinner med startkapital (målverdi: 300)", True, False, True),
    ("Utgangspunkt: 12 saker per år; mål for 2026: 40 saker", True, True, True),
    ("Reduce child mortality by 2030", False, False, True),
    ("Prosjektet bør videreføres.", False, False, False),
    ("In 2024 the project ended.", False, False, False),
])
def test_indicator_baseline_target(text, indicator, baseline, target):
    flags = detect_indicators(text)
    assert (flags.has_indicator, flags.has_baseline, flags.has_target) == (indicator, baseline, target)


def test_opening_tokens_and_their_readable_names():
    from findings_miner.classify.model import _readable_feature, opening_tokens

    assert opening_tokens("Number of officers trained") == " __first_number__ __first2_number_of__"
    assert opening_tokens("1.2 Økt bevissthet") == " __first_økt__ __first2_økt_bevissthet__"
    assert opening_tokens("  42 % ") == ""
    assert _readable_feature("__first2_number_of__") == "opens:'number of'"
    assert _readable_feature("__first_økt__") == "opens:'økt'"
    assert _readable_feature("__cue_lesson__") == "cue:lesson"
    assert _readable_feature("__first_number__ number") is None


def _plain_cues(text: str) -> list[str]:
    from findings_miner.classify.features import _compiled

    lowered = text.lower().strip()
    return [name for name, pattern in _compiled() if pattern.search(lowered)]


def test_cue_prefilter_is_exact_on_the_corpus():
    """The opening-letter pre-check may only skip searches that cannot match."""
    from findings_miner.classify.features import CUE_PATTERNS, find_cues
    from findings_miner.corpus import corpus_files, read_corpus

    from ..conftest import ROOT

    for record in read_corpus(corpus_files(ROOT / "corpus")):
        assert [c for c in find_cues(record.text) if c in CUE_PATTERNS] == _plain_cues(record.text), record.text


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["should", "bør", "not", "no", "now", "increased", "økt", "fewer", "% of", "#",
                                 "number of", "it is proposed", "l", "i", "in", "hindsight", "long-term",
                                 "-", "x", "3rd", "mål for 2025", "har", "gjennomført", "we learned", "Å"]),
                max_size=12))
def test_cue_prefilter_is_exact_on_word_salad(words):
    from findings_miner.classify.features import CUE_PATTERNS, find_cues

    text = " ".join(words)
    assert [c for c in find_cues(text) if c in CUE_PATTERNS] == _plain_cues(text)


@pytest.mark.parametrize(("text", "future"), [
    ("Opplæringen ga bedre oppfølging enn forventet.", False),  # "than expected": a result, not a plan
    ("Resultatene ble som forventet.", False),
    ("Prosjektet forventes å nå 300 kvinner.", True),
    ("Forventede resultater: økt kunnskap.", True),
    ("The shelter is expected to open in May.", True),
])
def test_future_cue_and_expected(text, future):
    assert ("future" in find_cues(text)) is future
