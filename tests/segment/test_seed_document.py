"""The Norwegian document study in ../shared/seed: every PDF-export defect in one real text."""

from __future__ import annotations

import pytest

from findings_miner import extract
from findings_miner.extract.cleanup import clean_text
from findings_miner.segment.blocks import document_compounds

from ..conftest import shared_path


@pytest.fixture(scope="module")
def seed_document():
    return extract(shared_path("seed", "document_study_main_body_nb.txt"))


def test_language_and_format(seed_document):
    assert seed_document.format == "text"
    assert seed_document.language == "nb"
    assert seed_document.meta["encoding"] == "utf-8"


def test_bullets_whose_glyph_was_lost_are_bullets(seed_document):
    bullets = [p.text for p in seed_document.passages if p.kind == "bullet"]
    assert "Størst innsats mot Øst-Europa" in bullets
    assert "Ulovlig organhandel" in bullets
    assert "Det er viktig med gode partnere og godt samarbeid med myndighetene" in bullets


def test_wrapped_bullet_split_by_blank_line_is_rejoined(seed_document):
    bullets = [p for p in seed_document.passages if p.kind == "bullet"]
    joined = [p for p in bullets if p.text.startswith("Det er behov for økt fokus på rom-befolkningen")]
    assert len(joined) == 1
    assert joined[0].text.endswith("ytterligere spissing av sårbare grupper og samfunnsbasert omsorg")
    assert "\n\n" in seed_document.source_text(joined[0])  # it really was split by a blank line
    assert not any(p.text.startswith("grupper og samfunnsbasert") for p in seed_document.passages)


def test_footnotes_are_separate_passages_and_marks_are_removed(seed_document):
    footnotes = [p for p in seed_document.passages if p.kind == "footnote"]
    assert len(footnotes) >= 8
    assert footnotes[0].text == "1 Inkluderer Norad og ambassadene"
    assert any(p.text.startswith("3 Regjeringens handlingsplan mot handel med kvinner og barn") and
               p.text.endswith("”Stopp menneskehandelen”") for p in footnotes)
    body = [p for p in seed_document.passages if p.kind != "footnote"]
    first = next(p for p in body if p.text.startswith("Siden 2000 har Utenriksdepartementet"))
    assert "Utenriksdepartementet støttet" in first.text and first.footnote_refs == (1,)
    assert not any(p.text.startswith("1 Inkluderer") for p in body)


def test_sections_recognised(seed_document):
    headings = {p.text.rstrip(":"): p.section_kind for p in seed_document.passages if p.kind == "heading"}
    assert headings["Bakgrunn"] == "background"
    assert headings["Sammendrag"] == "summary"
    assert headings["Resultater"] == "results"
    assert headings["Læring og erfaringer"] == "lessons"
    assert headings["Konklusjon"] == "conclusions"
    assert headings["Metode"] == "method"
    lesson_bullets = [p for p in seed_document.passages if p.section_kind == "lessons" and p.kind == "bullet"]
    assert any("Identifisering av ofre" in p.text for p in lesson_bullets)


def test_offsets_reproduce_every_passage(seed_document):
    compounds = document_compounds(seed_document.pages)
    for passage in seed_document.passages:
        source = seed_document.source_text(passage)
        assert clean_text(source, footnote_marks=passage.footnote_refs, compounds=compounds) == passage.text


def test_abbreviations_in_the_seed_do_not_split(seed_document):
    texts = [p.text for p in seed_document.passages]
    assert not any(t.endswith((" f.eks.", " bl.a.", " ca.")) for t in texts)
