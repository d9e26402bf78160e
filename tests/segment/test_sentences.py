import pytest

from findings_miner.segment.sentences import split_sentences


def _split(text):
    return [text[a:b] for a, b in split_sentences(text)]


@pytest.mark.parametrize(
    "abbreviation",
    ["bl.a.", "f.eks.", "ca.", "jf.", "mill.", "kap.", "nr.", "e.g.", "i.e.", "No.", "et al.", "Dr."],
)
def test_abbreviations_do_not_split(abbreviation):
    text = f"Prosjektet viste {abbreviation} Stor framgang i Oslo. Neste setning."
    assert _split(text) == [f"Prosjektet viste {abbreviation} Stor framgang i Oslo.", "Neste setning."]


def test_ordinals_decimals_and_real_boundaries():
    text = "Avtalen ble signert 1. januar 2008. Budsjettet var 3.5 mill. kroner! Was it enough? Yes."
    assert _split(text) == [
        "Avtalen ble signert 1. januar 2008.",
        "Budsjettet var 3.5 mill. kroner!",
        "Was it enough?",
        "Yes.",
    ]


def test_offsets_are_into_the_original_text_with_line_breaks():
    text = "  Først en setning\nover to linjer. 25 prosjekter ble\nvurdert.  "
    spans = split_sentences(text)
    assert [text[a:b] for a, b in spans] == ["Først en setning\nover to linjer.", "25 prosjekter ble\nvurdert."]
