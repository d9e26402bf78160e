"""Property-based tests: clean-up and segmentation never raise, offsets always slice back."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from findings_miner.extract.cleanup import clean_text, normalize_page_text
from findings_miner.segment.blocks import document_compounds, segment_pages
from findings_miner.segment.sentences import split_sentences

# text with the characters that matter here: line breaks, bullets, hyphens, digits, colons
_ALPHABET = st.sampled_from(list("abcæøå ABCÆØÅ.,:;-–•\uf0b7\u00ad\x02\n\n\t 0123456789()ﬁ\r"))
pages_strategy = st.lists(st.text(_ALPHABET, max_size=400), min_size=1, max_size=4)
any_text = st.text(max_size=300)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pages_strategy)
def test_segmentation_offsets_slice_back_and_are_deterministic(raw_pages):
    pages = [normalize_page_text(p) for p in raw_pages]
    result = segment_pages(pages, doc_id="x")
    compounds = document_compounds(pages)
    for passage in result.passages:
        page = pages[passage.page - 1]
        assert 0 <= passage.char_start < passage.char_end <= len(page)
        source = page[passage.char_start : passage.char_end]
        assert passage.text == clean_text(source, footnote_marks=passage.footnote_refs, compounds=compounds)
        assert passage.text and passage.text == passage.text.strip()
    again = segment_pages(pages, doc_id="x")
    assert [(p.text, p.char_start, p.kind) for p in again.passages] == [
        (p.text, p.char_start, p.kind) for p in result.passages
    ]


@settings(max_examples=300, deadline=None)
@given(any_text)
def test_arbitrary_unicode_never_raises(text):
    clean_text(text)
    for start, end in split_sentences(text):
        assert 0 <= start < end <= len(text)
    segment_pages([normalize_page_text(text)])


@settings(max_examples=200, deadline=None)
@given(any_text)
def test_clean_text_is_idempotent_on_its_output(text):
    once = clean_text(text)
    assert clean_text(once) == once
    assert "\n" not in once and "  " not in once
