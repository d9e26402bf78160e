from __future__ import annotations

import os

import pytest

from findings_miner import extract
from findings_miner.errors import (
    CorruptDocumentError,
    EmptyDocumentError,
    InputError,
    UnsupportedFormatError,
)

TEXT = "Resultater\n\nProsjektet har økt bevisstheten blant ungdom. Det ble holdt 12 kurs på skolene.\n"


@pytest.mark.parametrize(("encoding", "expected"), [
    ("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("utf-16", "utf-16"), ("cp1252", None),
])
def test_encodings(tmp_path, encoding, expected):
    path = tmp_path / "report.txt"
    path.write_bytes(TEXT.encode(encoding))
    document = extract(path)
    assert document.format == "text"
    assert "Prosjektet har økt bevisstheten blant ungdom." in [p.text for p in document.passages]
    if expected:
        assert document.meta["encoding"] == expected
    else:
        assert document.meta["encoding"] not in ("utf-8", "utf-16")


def test_form_feeds_are_pages(tmp_path):
    path = tmp_path / "paged.txt"
    path.write_text("Første side med tekst.\fAndre side med tekst.", encoding="utf-8")
    document = extract(path)
    assert document.page_count == 2
    assert [p.page for p in document.passages] == [1, 2]


def test_typed_errors_for_bad_files(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with pytest.raises(EmptyDocumentError):
        extract(empty)
    noise = tmp_path / "noise.pdf"
    noise.write_bytes(os.urandom(4096).replace(b"%PDF", b"%PDX"))
    with pytest.raises(CorruptDocumentError):
        extract(noise)
    binary = tmp_path / "noise.bin"
    binary.write_bytes(bytes(range(256)) * 8)
    with pytest.raises(UnsupportedFormatError):
        extract(binary)
    with pytest.raises(InputError):
        extract(tmp_path / "missing.pdf")


def test_whitespace_only_text_is_empty_not_silent(tmp_path):
    path = tmp_path / "blank.txt"
    path.write_text("   \n\n  \n", encoding="utf-8")
    document = extract(path)
    assert document.status == "empty" and document.warnings
