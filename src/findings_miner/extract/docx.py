"""DOCX with python-docx: paragraphs, list items, tables, headers/footers.

Word keeps no fixed pages; the page number of a passage is the one Word last rendered (explicit
and rendered page breaks start a new page). Paragraph styles tell headings and list items, and are
passed to segmentation as line hints. Zip bombs are refused before parsing; encrypted packages
(OLE ``EncryptedPackage``) raise :class:`EncryptedDocumentError` unless a password decrypts them.
External entities are never resolved (python-docx parses with ``resolve_entities=False``).
"""

from __future__ import annotations

import io
import logging
import zipfile
from dataclasses import dataclass, field

from ..errors import (
    CorruptDocumentError,
    EncryptedDocumentError,
    LimitExceededError,
    UnsupportedFormatError,
)
from ..settings import Settings
from .cleanup import normalize_page_text

logger = logging.getLogger(__name__)

_HEADING_STYLES = ("heading", "title", "overskrift", "tittel", "subtitle", "undertittel")


@dataclass
class DocxPages:
    pages: list[str]
    hints: list[dict[int, str]]
    warnings: list[str] = field(default_factory=list)
    meta: dict = field(default_factory=dict)


def check_zip_limits(data: bytes, settings: Settings, path: str) -> None:
    """Refuse zip bombs by the declared sizes, before anything is decompressed.

    Raises:
        CorruptDocumentError: not a readable zip package.
        LimitExceededError: uncompressed size or ratio above the settings' limits.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            infos = package.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise CorruptDocumentError(f"not a readable DOCX package: {exc}", path=path) from exc
    total = sum(info.file_size for info in infos)
    compressed = sum(info.compress_size for info in infos) or 1
    if total > settings.max_docx_uncompressed_mb * 1024 * 1024:
        raise LimitExceededError(f"DOCX unpacks to {total / 2**20:,.0f} MB; limit is "
                                 f"{settings.max_docx_uncompressed_mb:,.0f} MB", path=path)
    if total / compressed > settings.max_docx_ratio and total > 10 * 1024 * 1024:
        raise LimitExceededError(f"DOCX compression ratio {total / compressed:,.0f} exceeds "
                                 f"{settings.max_docx_ratio:,.0f} (zip bomb?)", path=path)


def decrypt_office(data: bytes, password: str | None, path: str) -> bytes:
    """Decrypt an encrypted Office package (OLE ``EncryptedPackage``).

    Raises:
        EncryptedDocumentError: no password, a wrong password, or an unsupported scheme.
        UnsupportedFormatError: an OLE file that is not an encrypted package (legacy .doc).
    """
    if b"E\x00n\x00c\x00r\x00y\x00p\x00t\x00e\x00d\x00P\x00a\x00c\x00k\x00a\x00g\x00e" not in data:
        raise UnsupportedFormatError("OLE compound file without an encrypted package (legacy .doc/.xls "
                                     "is not supported: save as DOCX)", path=path)
    if not password:
        raise EncryptedDocumentError("DOCX is encrypted: pass password=...", path=path)
    try:
        import msoffcrypto

        office = msoffcrypto.OfficeFile(io.BytesIO(data))
        office.load_key(password=password)
        out = io.BytesIO()
        office.decrypt(out)
    except Exception as exc:
        raise EncryptedDocumentError(f"cannot decrypt DOCX: {exc}", path=path) from exc
    return out.getvalue()


def read_docx(data: bytes, *, settings: Settings, path: str) -> DocxPages:
    """Page texts and line hints of a DOCX package.

    Raises:
        CorruptDocumentError: python-docx cannot parse the package.
        LimitExceededError: zip-bomb limits exceeded.
    """
    check_zip_limits(data, settings, path)
    try:
        import docx

        document = docx.Document(io.BytesIO(data))
        return _walk(document)
    except (LimitExceededError, EncryptedDocumentError):
        raise
    except Exception as exc:
        raise CorruptDocumentError(f"python-docx cannot read the package: {type(exc).__name__}: {exc}",
                                   path=path) from exc


class _PageWriter:
    def __init__(self) -> None:
        self.pages: list[list[str]] = [[]]
        self.hints: list[dict[int, str]] = [{}]

    def add(self, text: str, hint: str | None) -> None:
        text = " ".join(text.replace("\t", " ").split("\n")).strip()
        if not text:
            return
        lines = self.pages[-1]
        if lines:
            lines.append("")  # a blank line between paragraphs keeps them apart
        if hint:
            self.hints[-1][len(lines)] = hint
        lines.append(text)

    def new_page(self) -> None:
        if self.pages[-1]:
            self.pages.append([])
            self.hints.append({})


def _paragraph_hint(paragraph) -> str | None:
    style = (paragraph.style.name if paragraph.style is not None else "") or ""
    lowered = style.lower()
    if lowered.startswith(_HEADING_STYLES):
        return "heading"
    p_pr = paragraph._p.pPr
    if "list" in lowered or "liste" in lowered or (p_pr is not None and p_pr.numPr is not None):
        return "bullet"
    return None


def _walk_blocks(container, parent, writer: _PageWriter) -> None:
    """Paragraphs and tables in document order, descending into content controls (``w:sdt``)."""
    from docx.oxml.ns import qn
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for child in container.iterchildren():
        if child.tag == qn("w:p"):
            paragraph = Paragraph(child, parent)
            position = _page_break_position(paragraph)
            if position == "before":
                writer.new_page()
            writer.add(paragraph.text, _paragraph_hint(paragraph))
            if position == "after":
                writer.new_page()
        elif child.tag == qn("w:tbl"):
            _walk_table(Table(child, parent), writer)
        elif child.tag == qn("w:sdt"):
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                _walk_blocks(content, parent, writer)


def _walk_table(table, writer: _PageWriter) -> None:
    """Each cell once (a merged cell repeats in every grid position it spans); nested tables too."""
    seen: dict[int, object] = {}  # values keep the elements alive so ids stay unique
    for row in table.rows:
        for cell in row.cells:
            if id(cell._tc) in seen:
                continue
            seen[id(cell._tc)] = cell._tc
            writer.add(" ".join(p.text for p in cell.paragraphs), "cell")
            for nested in cell.tables:
                _walk_table(nested, writer)


def _page_break_position(paragraph) -> str | None:
    """Where a paragraph's page break falls: ``before`` its text, ``after`` it, or ``None``."""
    elements = paragraph._p.xpath('.//w:t | .//w:br[@w:type="page"] | .//w:lastRenderedPageBreak')
    if all(e.tag.endswith("}t") for e in elements):
        return None
    texts_before_break = 0
    for element in elements:
        if element.tag.endswith("}t"):
            texts_before_break += bool(element.text)
        else:
            break
    has_text_after = any(e.tag.endswith("}t") and e.text for e in elements[texts_before_break + 1 :])
    return "after" if texts_before_break and not has_text_after else "before"


def _walk(document) -> DocxPages:
    writer = _PageWriter()
    _walk_blocks(document.element.body, document, writer)
    running: list[str] = []
    for section in document.sections:
        for part in (section.header, section.footer):
            try:
                text = " ".join(p.text for p in part.paragraphs).strip()
            except Exception:  # noqa: BLE001 - a broken header part must not cost the body
                continue
            if text and text not in running:
                running.append(text)
    pages = [normalize_page_text("\n".join(lines)) for lines in writer.pages]
    meta = {"running_text": running}
    core = document.core_properties
    if core.title:
        meta["title"] = core.title
    return DocxPages(pages, writer.hints, meta=meta)
