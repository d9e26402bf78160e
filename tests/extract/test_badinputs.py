"""Every file in ../shared/badinputs gives a Document or the typed error its category expects."""

from __future__ import annotations

import csv
import re

import pytest

from findings_miner import Document, FindingsMinerError, extract
from findings_miner.errors import (
    CorruptDocumentError,
    EmptyDocumentError,
    EncryptedDocumentError,
    NoTextLayerError,
)
from findings_miner.extract import extract_safe

from ..conftest import SHARED, shared_path

MANIFEST = SHARED / "badinputs" / "MANIFEST.csv"
ROWS = list(csv.DictReader(MANIFEST.open(encoding="utf-8"))) if MANIFEST.exists() else []

#: category → typed errors that are acceptable (None: a Document is acceptable)
ACCEPTED: dict[str, tuple] = {
    "not_pdf": (CorruptDocumentError,),
    "corrupt": (None, CorruptDocumentError),
    "loop": (None, CorruptDocumentError, NoTextLayerError),
    "fuzzed": (None, CorruptDocumentError, NoTextLayerError),
    "normal_control": (None,),
    "encrypted": (EncryptedDocumentError, NoTextLayerError),
    "empty": (None, EmptyDocumentError, CorruptDocumentError),
    "image_only": (NoTextLayerError,),
    "no_text_layer": (NoTextLayerError,),
    "no_unicode_map": (None,),
    "huge_page": (None, NoTextLayerError),
    "bomb": (None, NoTextLayerError, CorruptDocumentError),
    "truncated": (CorruptDocumentError,),
    "corrupt_metadata": (None,),
    "docx_corrupt": (CorruptDocumentError,),
    "docx_fuzzed": (None, CorruptDocumentError),
    "docx_edge": (None,),
    "docx_xxe": (None,),
    "docx_encrypted": (EncryptedDocumentError,),
}


def _ids(rows):
    return [row["file"] for row in rows]


@pytest.mark.skipif(not ROWS, reason="../shared/badinputs is absent")
@pytest.mark.parametrize("row", ROWS, ids=_ids(ROWS))
def test_typed_outcome_per_category(row):
    path = shared_path("badinputs", row["file"])
    result = extract_safe(path)
    accepted = ACCEPTED[row["category"]]
    if result.document is not None:
        assert None in accepted, f"expected a typed error {accepted}, got a document"
        assert isinstance(result.document, Document)
        assert result.status in ("ok", "partial", "empty")
    else:
        assert isinstance(result.error, FindingsMinerError)
        assert isinstance(result.error, tuple(a for a in accepted if a is not None)), repr(result.error)
        record = result.error_record()
        assert record["error_code"] == result.error.code and record["path"] == str(path)


def _passwords(row) -> list[str]:
    text = row["password"] or ""
    users = re.findall(r"user=(\S+)", text)
    if users:
        return users
    return [text] if text and "=" not in text and "(" not in text else []


ENCRYPTED = [row for row in ROWS if row["category"] in ("encrypted", "docx_encrypted") and _passwords(row)]


#: files whose encryption msoffcrypto-tool cannot undo: the right password still gives a typed error
KNOWN_UNDECRYPTABLE = {"poi__bug53475-password-is-pass.docx": "AES with a 160-bit key (POI bug 53475)"}


@pytest.mark.parametrize("row", ENCRYPTED, ids=_ids(ENCRYPTED))
def test_password_opens_encrypted_files(row):
    path = shared_path("badinputs", row["file"])
    with pytest.raises(EncryptedDocumentError):
        extract(path, password="definitely-wrong")
    if row["file"] in KNOWN_UNDECRYPTABLE:
        with pytest.raises(EncryptedDocumentError, match="cannot decrypt"):
            extract(path, password=_passwords(row)[0])
        return
    document = extract(path, password=_passwords(row)[0])
    assert document.page_count >= 1


def test_pdfplumber_silent_failures_are_recovered_by_pdfium():
    """Files where pdfplumber returns no text without an error but PDFium finds it."""
    silent = [
        row for row in ROWS
        if row["pdfplumber_outcome"] == "ok" and row["chars"] in ("0", "0.0")
        and row["pdfium_cross_check"].startswith("ok") and "chars=0 " not in row["pdfium_cross_check"]
    ]
    if not ROWS:
        pytest.skip("../shared/badinputs is absent")
    assert len(silent) >= 4
    for row in silent:
        expected_chars = int(re.search(r"chars=(\d+)", row["pdfium_cross_check"]).group(1))
        document = extract(shared_path("badinputs", row["file"]))
        found = sum(len(p.text.replace(" ", "")) for p in document.passages)
        assert found >= min(expected_chars, 2), row["file"]


def test_qpdf_potato_recovered():
    document = extract(shared_path("badinputs", "qpdf__bad3.pdf"))
    assert document.text == "Potato"


def test_xxe_docx_does_not_resolve_entity():
    document = extract(shared_path("badinputs", "poi__ExternalEntityInText.docx"))
    assert "root:" not in document.text  # /etc/passwd would start with root:
