"""Detect a file's format from its bytes, never from its name."""

from __future__ import annotations

import zipfile
from pathlib import Path

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def sniff_format(head: bytes, path: Path) -> str:
    """Return ``pdf``, ``docx``, ``broken_docx``, ``ole`` (legacy or encrypted Office), ``zip``,
    ``text`` or ``binary``.

    ``head`` is the first few KiB of the file. PDF headers may be preceded by junk (the spec
    allows 1 KiB); DOCX is a zip package holding ``word/document.xml``.
    """
    position = head.find(b"%PDF-", 0, 1024)
    if position == 0 or (position > 0 and not _looks_like_text(head[:position].strip())):
        return "pdf"  # the header may follow junk bytes (the spec allows it), not prose
    if head.startswith(OLE_MAGIC):
        return "ole"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        try:
            with zipfile.ZipFile(path) as package:
                names = set(package.namelist())
        except (zipfile.BadZipFile, OSError, ValueError, EOFError):
            return "broken_docx" if b"word/" in head or path.suffix.lower() == ".docx" else "zip"
        if "word/document.xml" in names:
            return "docx"
        return "broken_docx" if any(n.startswith("word/") for n in names) else "zip"
    if _looks_like_text(head):
        return "text"
    return "binary"


def _looks_like_text(head: bytes) -> bool:
    if not head:
        return False
    if head.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return True
    sample = head[:4096]
    if b"\x00" in sample:
        # UTF-16 without BOM: every other byte zero
        zeros_even = sample[0::2].count(0)
        zeros_odd = sample[1::2].count(0)
        half = max(1, len(sample) // 2)
        return max(zeros_even, zeros_odd) / half > 0.3 and min(zeros_even, zeros_odd) / half < 0.05
    control = sum(b < 9 or 13 < b < 32 for b in sample)
    return control / len(sample) < 0.02
