"""Extraction: any supported file in, one :class:`~findings_miner.document.Document` out.

``extract`` sniffs the format from the bytes, reads pages with the right engine, segments them
into passages with provenance and detects the language. It raises typed errors;
``extract_many`` wraps each file in an :class:`ExtractionResult` so batches never stop.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..document import Document
from ..errors import (
    CorruptDocumentError,
    EmptyDocumentError,
    FindingsMinerError,
    InputError,
    LimitExceededError,
    UnsupportedFormatError,
)
from ..settings import Settings
from .sniff import sniff_format

logger = logging.getLogger(__name__)

_BINARY_SUFFIXES = {".pdf": "PDF", ".docx": "DOCX", ".doc": "Word", ".xlsx": "Excel", ".pptx": "PowerPoint"}


def extract(path: str | Path, *, password: str | None = None, settings: Settings | None = None) -> Document:
    """Extract a PDF, DOCX or plain-text file into a segmented :class:`Document`.

    Args:
        path: the file; its format is detected from the bytes, not the name.
        password: for encrypted PDF or DOCX files.
        settings: limits and engine options (default: ``Settings.from_env()``).

    Raises:
        InputError: the path does not exist or is not a file.
        UnsupportedFormatError: bytes of a format findings_miner does not read.
        EncryptedDocumentError: encrypted and no or a wrong password.
        CorruptDocumentError: the file claims a format but cannot be parsed.
        EmptyDocumentError: zero bytes or no pages.
        NoTextLayerError: image-only or vector-only pages (OCR needed).
        LimitExceededError: size, page or decompression limits exceeded.
    """
    from ..segment import segment_document

    settings = settings or Settings.from_env()
    path = Path(path)
    if not path.is_file():
        raise InputError(f"no such file: {path}", path=str(path))
    size = path.stat().st_size
    if size > settings.max_file_mb * 1024 * 1024:
        raise LimitExceededError(f"file is {size / 2**20:,.1f} MB; limit is {settings.max_file_mb:,.0f} MB",
                                 path=str(path))
    if size == 0:
        raise EmptyDocumentError("file is empty (0 bytes)", path=str(path))
    data = path.read_bytes()
    sha256 = hashlib.sha256(data).hexdigest()
    fmt = sniff_format(data[:8192], path)
    suffix = path.suffix.lower()
    hints = None
    warnings: list[str] = []
    partial = False
    meta: dict = {}

    if fmt in ("text", "binary") and suffix in _BINARY_SUFFIXES:
        raise CorruptDocumentError(f"file is named {suffix} but its bytes are not a {_BINARY_SUFFIXES[suffix]} file",
                                   path=str(path))
    if fmt == "broken_docx" or (fmt == "zip" and suffix == ".docx"):
        raise CorruptDocumentError("DOCX package is truncated or lacks word/document.xml", path=str(path))
    if fmt == "pdf":
        from .pdf import read_pdf

        result = read_pdf(path, password=password, settings=settings, data=data)
        pages, warnings, partial = result.pages, result.warnings, result.partial
        meta = {**result.meta, "engines": _engine_summary(result.engines)}
    elif fmt in ("docx", "ole"):
        from .docx import decrypt_office, read_docx

        if fmt == "ole":
            data = decrypt_office(data, password, str(path))
        result = read_docx(data, settings=settings, path=str(path))
        pages, hints, warnings, meta = result.pages, result.hints, result.warnings, result.meta
        fmt = "docx"
    elif fmt == "text":
        from .text import extract_text_pages

        pages, meta = extract_text_pages(data, settings)
    else:
        raise UnsupportedFormatError(f"unsupported format ({fmt}); findings_miner reads PDF, DOCX and text",
                                     path=str(path))

    document = Document(path=str(path), sha256=sha256, format=fmt, pages=pages, warnings=list(warnings),
                        meta=meta)
    segment_document(document, hints=hints)
    if not document.passages:
        document.status = "empty"
        document.warnings.append("no text found on any page")
    elif partial:
        document.status = "partial"
    return document


def _engine_summary(engines: list[str]) -> dict[str, int]:
    summary: dict[str, int] = {}
    for engine in engines:
        summary[engine] = summary.get(engine, 0) + 1
    return summary


@dataclass
class ExtractionResult:
    """The outcome of extracting one file: a document or an error record, never an exception."""

    path: str
    status: str  # ok | partial | empty | failed
    document: Document | None = None
    error: FindingsMinerError | None = None
    seconds: float = 0.0

    def error_record(self) -> dict | None:
        return None if self.error is None else self.error.to_record()


def extract_safe(path: str | Path, *, password: str | None = None, settings: Settings | None = None) -> ExtractionResult:
    """Like :func:`extract`, but every failure becomes a typed error record.

    Unexpected third-party exceptions are wrapped in :class:`CorruptDocumentError` with their cause.
    """
    started = time.perf_counter()
    try:
        document = extract(path, password=password, settings=settings)
        return ExtractionResult(str(path), document.status, document, None, time.perf_counter() - started)
    except FindingsMinerError as exc:
        exc.path = exc.path or str(path)
        return ExtractionResult(str(path), "failed", None, exc, time.perf_counter() - started)
    except Exception as exc:  # noqa: BLE001 - the batch goes on; the cause is kept
        wrapped = CorruptDocumentError(f"unexpected {type(exc).__name__} while extracting: {exc}", path=str(path))
        wrapped.__cause__ = exc
        logger.warning("unexpected error on %s: %r", path, exc)
        return ExtractionResult(str(path), "failed", None, wrapped, time.perf_counter() - started)


def extract_many(paths: Iterable[str | Path], *, password: str | None = None,
                 settings: Settings | None = None) -> Iterator[ExtractionResult]:
    """Extract files one after another; each yields a result, failures included."""
    settings = settings or Settings.from_env()
    for path in paths:
        yield extract_safe(path, password=password, settings=settings)


__all__ = ["ExtractionResult", "extract", "extract_many", "extract_safe"]
