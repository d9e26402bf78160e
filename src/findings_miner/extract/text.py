"""Plain text and Markdown: encoding detection, one page per form feed."""

from __future__ import annotations

import codecs
import logging

from ..errors import LimitExceededError
from ..settings import Settings
from .cleanup import normalize_page_text

logger = logging.getLogger(__name__)


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode text bytes; returns ``(text, encoding)``.

    BOMs first (UTF-8, UTF-16 LE/BE), then strict UTF-8, then UTF-16 without BOM when every other
    byte is zero, then cp1252, then charset-normalizer's guess, and latin-1 as the last resort (it
    decodes any byte string, so nothing is lost silently: the encoding used is reported).
    """
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        return data.decode("utf-16", errors="replace"), "utf-16"
    sample = data[:4096]
    if sample and b"\x00" in sample:
        zeros_odd, zeros_even = sample[1::2].count(0), sample[0::2].count(0)
        half = max(1, len(sample) // 2)
        if max(zeros_odd, zeros_even) / half > 0.3:  # every other byte zero: UTF-16 without BOM
            encoding = "utf-16-le" if zeros_odd > zeros_even else "utf-16-be"
            return data.decode(encoding, errors="replace"), encoding
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        # Western European text is by far the most common legacy encoding for our documents;
        # cp1252 fails only on its five undefined bytes
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        pass
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data[:200_000]).best()
        if best is not None and best.encoding not in ("utf_8", "ascii"):
            return data.decode(best.encoding, errors="replace"), best.encoding
    except Exception as exc:  # noqa: BLE001 - a guesser failing must not fail extraction
        logger.debug("charset guess failed: %s", exc)
    return data.decode("latin-1"), "latin-1"


def extract_text_pages(data: bytes, settings: Settings) -> tuple[list[str], dict]:
    """Pages of a text file (split on form feeds) and metadata.

    Raises:
        LimitExceededError: the decoded text is longer than ``settings.max_text_chars``.
    """
    text, encoding = decode_bytes(data)
    if len(text) > settings.max_text_chars:
        raise LimitExceededError(f"text has {len(text):,} characters; limit is {settings.max_text_chars:,}")
    pages = [normalize_page_text(page) for page in text.split("\f")]
    return pages, {"encoding": encoding}
