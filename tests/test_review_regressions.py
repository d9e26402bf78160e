"""Regression tests for defects found in review (each failed before its fix)."""

from __future__ import annotations

import pandas as pd
import pytest

from findings_miner import extract, score
from findings_miner.digest import digest
from findings_miner.digest.plots import _labels
from findings_miner.digest.report import _excel_safe
from findings_miner.errors import InputError, UnsupportedFormatError
from findings_miner.segment.blocks import segment_pages


def test_acronym_digits_are_not_footnote_marks():
    page = ("Introduction\nThe programme reduced CO2 emissions in three provinces and the SDG5 targets were\n"
            "reported each year by the ministry.\nMore text here on the page to fill it.\n"
            "Another body line continues the paragraph.\n2 Results\nThe project trained 300 officers.\n"
            "3 Recommendations\nThe project should continue.")
    passages = segment_pages([page]).passages
    assert not any(p.kind == "footnote" for p in passages)
    assert any("CO2 emissions" in p.text for p in passages)
    assert [p.text for p in passages if p.kind == "heading"] == ["Introduction", "2 Results", "3 Recommendations"]


def test_utf16_without_bom_and_pdf_marker_in_prose(tmp_path):
    utf16 = tmp_path / "report.txt"
    utf16.write_bytes("Results\n\nThe project trained 40 teachers.\n".encode("utf-16-le"))
    document = extract(utf16)
    assert document.meta["encoding"] == "utf-16-le"
    assert "The project trained 40 teachers." in [p.text for p in document.passages]
    prose = tmp_path / "notes.md"
    prose.write_text("Notes on file formats: a PDF starts with %PDF-1.7 in its header.\n", encoding="utf-8")
    assert extract(prose).format == "text"


def test_legacy_ole_file_is_unsupported(tmp_path):
    legacy = tmp_path / "old.doc"
    legacy.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2048)
    with pytest.raises(UnsupportedFormatError):
        extract(legacy)


def test_excel_cells_never_become_formulas():
    frame = pd.DataFrame({"text": ['=HYPERLINK("http://x.example")', "+1", "@SUM(A1)", "plain", "- bullet"]})
    assert _excel_safe(frame)["text"].tolist() == ["'=HYPERLINK(\"http://x.example\")", "'+1", "'@SUM(A1)",
                                                   "plain", "- bullet"]


def test_plot_labels_keep_same_named_files_apart():
    assert _labels(["a/P1/report.pdf", "a/P2/report.pdf", "b/other.pdf"]) == [
        "P1/report.pdf", "P2/report.pdf", "other.pdf"]


def test_scores_of_empty_and_all_failed_portfolios(tmp_path):
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"oops")
    scores = score([str(broken)])
    assert scores.portfolio.loc[0, "documents_n"] == 1 and scores.portfolio.loc[0, "failed_n"] == 1
    assert len(digest([str(broken)]).to_html()) > 500
    assert score([]).documents.empty
    with pytest.raises(InputError):
        score(str(broken))


def test_same_bytes_under_two_paths_do_not_inflate_passages(tmp_path):
    for project in ("P1", "P2"):
        (tmp_path / project).mkdir()
        (tmp_path / project / "report.txt").write_text(
            "Lessons learned\n\nExperience shows that joint training works.\n", encoding="utf-8")
    scores = score([str(tmp_path / "P1" / "report.txt"), str(tmp_path / "P2" / "report.txt")])
    assert len(scores.passages) == 4  # two passages per copy, not four
