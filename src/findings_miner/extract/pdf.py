"""PDF text with PDFium (pypdfium2) and pdfplumber, each the other's fallback and cross-check.

PDFium is the default engine: measured in ``benchmarks/extract_speed.py`` it is tens of times
faster than pdfplumber and recovers text from damaged files where pdfminer silently returns
nothing. pdfplumber re-reads pages where PDFium returns (almost) nothing although the page holds
text objects, and whole documents that PDFium refuses to open; every recovery is a warning and
makes the document ``partial``.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import (
    CorruptDocumentError,
    EmptyDocumentError,
    EncryptedDocumentError,
    LimitExceededError,
    NoTextLayerError,
)
from ..settings import Settings
from .cleanup import normalize_page_text

logger = logging.getLogger(__name__)

_MAX_PAGE_CHARS = 2_000_000
_SYMBOL_RE = re.compile(r"[^\w\s.,;:()/'’\-–…]|_")
_GARBLED_RE = re.compile("[\ufffd\ue000-\uf8ff\x00-\x08\x0e-\x1f]")


@dataclass
class PdfPages:
    pages: list[str]
    engines: list[str]
    warnings: list[str] = field(default_factory=list)
    partial: bool = False
    page_objects: dict[str, int] = field(default_factory=dict)
    meta: dict = field(default_factory=dict)


def _pdfium():
    import pypdfium2 as pdfium

    return pdfium


def _open_pdfium(path: Path, password: str | None):
    pdfium = _pdfium()
    import pypdfium2.raw as pdfium_c

    try:
        return pdfium.PdfDocument(str(path), password=password)
    except pdfium.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        if code == pdfium_c.FPDF_ERR_PASSWORD or "password" in str(exc).lower():
            if password:
                raise EncryptedDocumentError("wrong password for encrypted PDF", path=str(path)) from exc
            raise EncryptedDocumentError("PDF is encrypted: pass password=...", path=str(path)) from exc
        if code == pdfium_c.FPDF_ERR_SECURITY:
            raise EncryptedDocumentError("PDF uses an unsupported security handler", path=str(path)) from exc
        raise CorruptDocumentError(f"PDFium cannot open the file: {exc}", path=str(path)) from exc


def _object_counts(page) -> dict[str, int]:
    """Top-level page objects by type; forms are not entered (cycles in hostile files)."""
    import pypdfium2.raw as pdfium_c

    names = {
        pdfium_c.FPDF_PAGEOBJ_TEXT: "text",
        pdfium_c.FPDF_PAGEOBJ_IMAGE: "image",
        pdfium_c.FPDF_PAGEOBJ_PATH: "path",
        pdfium_c.FPDF_PAGEOBJ_FORM: "form",
        pdfium_c.FPDF_PAGEOBJ_SHADING: "shading",
    }
    counts: dict[str, int] = {}
    for i, obj in enumerate(page.get_objects(max_depth=1)):
        kind = names.get(obj.type, "other")
        counts[kind] = counts.get(kind, 0) + 1
        if i > 5000:
            break
    return counts


def _close_quietly(pdf) -> None:
    """Close a pdfplumber document; its ``close`` walks the pages and can raise on broken files."""
    if pdf is None:
        return
    try:
        pdf.close()
    except Exception:  # noqa: BLE001 - fall back to closing the file handle itself
        stream = getattr(pdf, "stream", None)
        if stream is not None:
            stream.close()


class _Plumber:
    """Lazily opened pdfplumber document for page-wise cross-checks."""

    def __init__(self, path: Path, password: str | None) -> None:
        self.path, self.password = path, password
        self._pdf = None
        self.failed: str | None = None

    def _open(self):
        if self._pdf is None and self.failed is None:
            import pdfplumber

            try:
                self._pdf = pdfplumber.open(str(self.path), password=self.password or "")
                _ = len(self._pdf.pages)
            except Exception as exc:  # noqa: BLE001 - any pdfminer failure means "no fallback"
                self.failed = f"{type(exc).__name__}: {exc}"
                _close_quietly(self._pdf)
                self._pdf = None
        return self._pdf

    def page_count(self) -> int | None:
        pdf = self._open()
        return None if pdf is None else len(pdf.pages)

    def page_text(self, index: int) -> str | None:
        pdf = self._open()
        if pdf is None:
            return None
        try:
            if index >= len(pdf.pages):
                return None
            page = pdf.pages[index]
        except Exception as exc:  # noqa: BLE001 - pdfminer fails in many ways on broken pages
            logger.debug("pdfplumber cannot load page %d: %s", index + 1, exc)
            return None
        try:
            return page.extract_text() or ""
        except Exception as exc:  # noqa: BLE001 - a failing fallback page is logged, not fatal
            logger.debug("pdfplumber page %d failed: %s", index + 1, exc)
            return None
        finally:
            page.close()

    def close(self) -> None:
        _close_quietly(self._pdf)
        self._pdf = None


_STREAM_RE = re.compile(rb"stream\r?\n")
_IMAGE_RE = re.compile(rb"/Subtype\s*/Image")


def check_stream_bombs(data: bytes, settings: Settings, path: str) -> None:
    """Refuse PDFs whose Flate streams inflate beyond the limits, before any parser inflates them.

    Streams are inflated in 1 MiB steps and discarded, so the check itself needs little memory; it
    stops at the first stream over the limit. Streams that are not Flate data, and image XObjects
    (never decoded for text), are skipped.

    Raises:
        LimitExceededError: inflated stream bytes exceed ``max_pdf_stream_ratio`` times the file
            size and 64 MiB.
    """
    import zlib

    budget = max(64 * 1024 * 1024, settings.max_pdf_stream_ratio * len(data))
    inflated = 0
    for count, match in enumerate(_STREAM_RE.finditer(data)):
        if count >= 20_000:
            break
        start = match.end()
        header = data[max(0, match.start() - 2048) : match.start()]
        header = header[header.rfind(b"obj") + 1 :] if b"obj" in header else header
        if _IMAGE_RE.search(header):
            continue  # images are only inflated to render pages, which text extraction never does
        end = data.find(b"endstream", start)
        if end < 0:
            end = len(data)
        inflater = zlib.decompressobj()
        chunk = data[start:end]
        try:
            out = inflater.decompress(chunk, 1 << 20)
            inflated += len(out)
            while inflater.unconsumed_tail and inflated <= budget:
                out = inflater.decompress(inflater.unconsumed_tail, 1 << 20)
                if not out:
                    break
                inflated += len(out)
        except zlib.error:
            continue
        if inflated > budget:
            raise LimitExceededError(
                f"PDF streams inflate to more than {budget / 2**20:,.0f} MiB "
                f"({settings.max_pdf_stream_ratio:g}x the file size): decompression bomb?", path=path)


def read_pdf(path: Path, *, password: str | None, settings: Settings, data: bytes | None = None) -> PdfPages:
    """Page texts of a PDF with engine choice, cross-check and typed errors.

    Raises:
        EncryptedDocumentError: encrypted and no or a wrong password.
        CorruptDocumentError: neither engine can open the file.
        EmptyDocumentError: the PDF has no pages.
        NoTextLayerError: pages hold images or drawings but no text (OCR needed).
        LimitExceededError: more pages than ``settings.max_pages``, or a decompression bomb.
    """
    check_stream_bombs(data if data is not None else path.read_bytes(), settings, str(path))
    plumber = _Plumber(path, password)
    try:
        if settings.pdf_engine == "pdfplumber":
            result = _read_with_plumber_first(path, plumber, password, settings)
        else:
            result = _read_with_pdfium_first(path, plumber, password, settings)
    finally:
        plumber.close()
    _check_text_layer(path, result)
    return result


def _read_with_pdfium_first(path: Path, plumber: _Plumber, password: str | None, settings: Settings) -> PdfPages:
    try:
        document = _open_pdfium(path, password)
    except CorruptDocumentError as exc:
        # PDFium refuses the file; pdfplumber's parser sometimes copes (broken metadata etc.)
        n = plumber.page_count()
        if not n:
            raise
        _check_pages(path, n, settings)
        pages = [normalize_page_text(plumber.page_text(i) or "") for i in range(n)]
        if not any(page.strip() for page in pages):
            raise  # pdfplumber opens it but finds nothing: still a file PDFium calls corrupt
        return PdfPages(pages, ["pdfplumber"] * n,
                        [f"PDFium could not open the file ({exc.__cause__}); text read with pdfplumber"],
                        partial=True)
    try:
        n = len(document)
        if n == 0:
            raise EmptyDocumentError("PDF has no pages", path=str(path))
        _check_pages(path, n, settings)
        result = PdfPages([], [], meta=_metadata(document))
        for index in range(n):
            text, counts = _pdfium_page(document, index, result)
            engine = "pdfium"
            if settings.cross_check and _suspicious(text, counts, settings):
                alt = plumber.page_text(index)
                if alt is not None and len(alt.strip()) > len(text.strip()):
                    result.warnings.append(
                        f"page {index + 1}: PDFium returned {len(text.strip())} characters, "
                        f"pdfplumber {len(alt.strip())}; pdfplumber text used"
                    )
                    result.partial = True
                    text, engine = alt, "pdfplumber"
            result.pages.append(normalize_page_text(text))
            result.engines.append(engine)
            if counts:
                for key, value in counts.items():
                    result.page_objects[key] = result.page_objects.get(key, 0) + value
        return result
    finally:
        document.close()


def _suspicious(text: str, counts: dict[str, int] | None, settings: Settings) -> bool:
    """A near-empty page whose text (or form) objects yielded fewer characters than objects:
    PDFium failed to read text that is there. Pages PDFium could not load count too."""
    chars = len(text.strip())
    if chars >= settings.min_page_chars:
        return False
    if counts is None:
        return True
    return chars < counts.get("text", 0) + counts.get("form", 0)


def _pdfium_page(document, index: int, result: PdfPages) -> tuple[str, dict[str, int] | None]:
    pdfium = _pdfium()
    try:
        page = document[index]
    except pdfium.PdfiumError as exc:
        result.warnings.append(f"page {index + 1}: PDFium cannot load the page ({exc})")
        result.partial = True
        return "", None
    try:
        textpage = page.get_textpage()
        try:
            text = textpage.get_text_range()
        finally:
            textpage.close()
        if len(text) > _MAX_PAGE_CHARS:
            raise LimitExceededError(f"page {index + 1} yields {len(text):,} characters")
        counts = _object_counts(page) if len(text.strip()) < 200 else {"text": 1}
        return text, counts
    except pdfium.PdfiumError as exc:
        result.warnings.append(f"page {index + 1}: PDFium failed ({exc})")
        result.partial = True
        return "", None
    finally:
        page.close()


def _read_with_plumber_first(path: Path, plumber: _Plumber, password: str | None, settings: Settings) -> PdfPages:
    n = plumber.page_count()
    if n is None:
        # fall back to PDFium for everything, with its typed errors
        return _read_with_pdfium_first(path, plumber, password, settings.replace(cross_check=False))
    if n == 0:
        raise EmptyDocumentError("PDF has no pages", path=str(path))
    _check_pages(path, n, settings)
    result = PdfPages([], [])
    document = None
    try:
        for index in range(n):
            text = plumber.page_text(index) or ""
            engine = "pdfplumber"
            if settings.cross_check and len(text.strip()) < settings.min_page_chars:
                if document is None:
                    document = _open_pdfium(path, password)
                alt, _counts = _pdfium_page(document, index, result)
                if len(alt.strip()) > len(text.strip()):
                    result.warnings.append(f"page {index + 1}: pdfplumber returned {len(text.strip())} "
                                           f"characters, PDFium {len(alt.strip())}; PDFium text used")
                    result.partial = True
                    text, engine = alt, "pdfium"
            result.pages.append(normalize_page_text(text))
            result.engines.append(engine)
        if not any(page.strip() for page in result.pages):
            # no text anywhere: count page objects (PDFium) so that scans are told from blank pages
            if document is None:
                document = _open_pdfium(path, password)
            for index in range(min(n, 20)):
                page = document[index]
                try:
                    for key, value in _object_counts(page).items():
                        result.page_objects[key] = result.page_objects.get(key, 0) + value
                finally:
                    page.close()
    finally:
        if document is not None:
            document.close()
    return result


def _check_pages(path: Path, n: int, settings: Settings) -> None:
    if n > settings.max_pages:
        raise LimitExceededError(f"PDF has {n:,} pages; limit is {settings.max_pages:,}", path=str(path))


def _metadata(document) -> dict:
    try:
        meta = document.get_metadata_dict(skip_empty=True)
    except Exception:  # noqa: BLE001 - broken /Info must not cost the text
        return {}
    return {k.lower(): v for k, v in meta.items() if isinstance(v, str)}


def _check_text_layer(path: Path, result: PdfPages) -> None:
    """No text anywhere: blank pages are an empty document; images or drawings need OCR."""
    if any(page.strip() for page in result.pages):
        garbled = sum(_garbled_share(p) > 0.3 for p in result.pages if p.strip())
        if garbled:
            result.warnings.append(f"{garbled} page(s) hold mostly unmappable glyphs (no Unicode map)")
            result.partial = True
        return
    objects = result.page_objects
    if objects.get("image") or objects.get("path") or objects.get("form") or objects.get("shading"):
        found = ", ".join(f"{v} {k}" for k, v in sorted(objects.items()))
        raise NoTextLayerError(f"no text layer: pages hold {found} objects but no text (needs OCR)",
                               path=str(path))
    if objects.get("text"):
        raise NoTextLayerError("text objects present but no extractable text", path=str(path))


def _garbled_share(text: str) -> float:
    text = text[:3000]  # a sample is enough to tell glyph soup from text
    visible = len("".join(text.split()))
    if visible <= 0:
        return 0.0
    bad = len(_GARBLED_RE.findall(text))
    if visible >= 5:
        # glyphs without a Unicode map come out as stray symbols: few letters, digits or
        # ordinary punctuation (dot leaders of a table of contents are ordinary)
        symbols = len(_SYMBOL_RE.findall(text))
        bad = max(bad, symbols) if symbols / visible > 0.6 else bad
    return bad / visible
