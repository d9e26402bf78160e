"""End-to-end extraction of the real PDFs in ../shared/pdfs."""

from __future__ import annotations

import pypdfium2 as pdfium
import pytest

from findings_miner import extract
from findings_miner.extract.cleanup import clean_text
from findings_miner.segment.blocks import document_compounds

from ..conftest import shared_path

EXPECTED_LANGUAGE = {
    "eba_research_application_en.pdf": "en",
    "eba_sida_sustainability_meta_evaluation_sv.pdf": "sv",
    "norad_poverty_report_nb.pdf": "nb",
    "undp_icpe_liberia_evaluation_en.pdf": "en",
    "worldbank_pid_argentina_municipal_en.pdf": "en",
    "worldbank_pid_environmental_en.pdf": "en",
}


@pytest.fixture(scope="module", params=sorted(EXPECTED_LANGUAGE))
def pdf_document(request):
    path = shared_path("pdfs", request.param)
    return path, extract(path)


def test_page_count_matches_pdfium(pdf_document):
    path, document = pdf_document
    assert document.page_count == len(pdfium.PdfDocument(str(path)))
    assert document.format == "pdf" and document.status == "ok"
    assert len(document.sha256) == 64


def test_every_passage_slices_back_to_its_source(pdf_document):
    _, document = pdf_document
    compounds = document_compounds(document.pages)
    assert len(document.passages) > 50
    for passage in document.passages:
        assert 1 <= passage.page <= document.page_count
        page = document.pages[passage.page - 1]
        assert 0 <= passage.char_start < passage.char_end <= len(page)
        source = document.source_text(passage)
        assert source == page[passage.char_start : passage.char_end]
        assert source.strip() == source, "offsets exclude surrounding whitespace"
        assert clean_text(source, footnote_marks=passage.footnote_refs, compounds=compounds) == passage.text


def test_language_and_pages_of_passages(pdf_document):
    path, document = pdf_document
    assert document.language == EXPECTED_LANGUAGE[path.name]
    pages_with_passages = {p.page for p in document.passages}
    assert len(pages_with_passages) >= 0.7 * document.page_count
    frame = document.to_frame()
    assert list(frame.columns[:12]) == ["doc_id", "path", "index", "page", "char_start", "char_end", "kind",
                                        "section", "section_kind", "field_label", "lang", "text"]
    assert len(frame) == len(document.passages)


def test_norad_page_furniture_and_soft_hyphens():
    document = extract(shared_path("pdfs", "norad_poverty_report_nb.pdf"))
    texts = [p.text for p in document.passages]
    assert not any("\u00ad" in t or "\x02" in t for t in texts)
    joined = " ".join(texts)
    assert "inntektsnivået" in joined and "nasjonalinntekt" in joined
    # the page number "6" that opens page 6 is furniture, not a passage
    assert not any(p.text == "6" for p in document.passages if p.page == 6)
    assert document.meta["furniture_lines"] > 10


def test_known_page_text_is_on_the_right_page():
    document = extract(shared_path("pdfs", "norad_poverty_report_nb.pdf"))
    page6 = [p for p in document.passages if p.page == 6]
    assert any("Tabell 1 viser inntektsnivå" in p.text for p in page6)
