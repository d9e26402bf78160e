from __future__ import annotations

import zipfile

import docx
import pytest
from docx.enum.text import WD_BREAK

from findings_miner import extract
from findings_miner.errors import CorruptDocumentError, LimitExceededError
from findings_miner.settings import Settings


@pytest.fixture()
def report_docx(tmp_path):
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "Fremdriftsrapport 2024 – Prosjekt Trygg Retur"
    document.add_heading("Resultater", level=1)
    document.add_paragraph("Prosjektet har gitt opplæring til 120 politibetjenter. Flere ofre ble henvist.")
    document.add_paragraph("Drift av krisesenter", style="List Bullet")
    document.add_paragraph("Økt samarbeid med myndighetene", style="List Bullet")
    paragraph = document.add_paragraph("Aktiviteter: informasjonskampanjer i skoler")
    paragraph.add_run().add_break(WD_BREAK.PAGE)
    document.add_heading("Anbefalinger", level=1)
    document.add_paragraph("Prosjektet bør videreføres.")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Output 1.1"
    table.cell(0, 1).text = "300 officers trained in victim identification"
    table.cell(1, 0).merge(table.cell(1, 1)).text = "Merged cell text"
    path = tmp_path / "rapport.docx"
    document.save(path)
    return path


def test_docx_structure(report_docx):
    document = extract(report_docx)
    assert document.format == "docx" and document.language == "nb"
    kinds = {p.text: (p.kind, p.section_kind, p.page) for p in document.passages}
    assert kinds["Resultater"][:2] == ("heading", "results")
    assert kinds["Drift av krisesenter"][:2] == ("bullet", "results")
    assert kinds["Aktiviteter: informasjonskampanjer i skoler"][:2] == ("field", "activities")
    assert kinds["Prosjektet bør videreføres."] == ("sentence", "recommendations", 2)
    assert kinds["300 officers trained in victim identification"][1] == "recommendations"
    assert [p.text for p in document.passages].count("Merged cell text") == 1
    assert document.meta["running_text"] == ["Fremdriftsrapport 2024 – Prosjekt Trygg Retur"]
    assert document.page_count == 2


def test_docx_named_pdf_is_read_by_its_bytes(report_docx, tmp_path):
    renamed = tmp_path / "really_a_docx.pdf"
    renamed.write_bytes(report_docx.read_bytes())
    assert extract(renamed).format == "docx"


def test_zip_bomb_docx_refused(tmp_path):
    bomb = tmp_path / "bomb.docx"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("word/document.xml", b"<w:document>" + b" " * (60 * 1024 * 1024) + b"</w:document>")
    with pytest.raises(LimitExceededError, match=r"ratio|unpacks"):
        extract(bomb, settings=Settings(max_docx_uncompressed_mb=500, max_docx_ratio=100))
    with pytest.raises(LimitExceededError):
        extract(bomb, settings=Settings(max_docx_uncompressed_mb=10))


def test_truncated_docx_is_corrupt(report_docx, tmp_path):
    truncated = tmp_path / "truncated.docx"
    truncated.write_bytes(report_docx.read_bytes()[:3000])
    with pytest.raises(CorruptDocumentError):
        extract(truncated)
