"""One exception hierarchy for everything findings_miner raises on purpose.

Every error a user can meet derives from :class:`FindingsMinerError` and carries a short
machine-readable ``code`` so that batch runs can write it into an error record. Errors raised by
third-party parsers are wrapped (``raise ... from exc``) so the cause stays visible.
"""

from __future__ import annotations


class FindingsMinerError(Exception):
    """Root of all findings_miner errors."""

    code: str = "error"

    def __init__(self, message: str, *, path: str | None = None) -> None:
        super().__init__(message)
        self.path = path

    def to_record(self) -> dict[str, str | None]:
        """A flat dict for error tables and manifests."""
        cause = self.__cause__
        return {
            "path": self.path,
            "error_code": self.code,
            "error_type": type(self).__name__,
            "message": str(self),
            "cause": f"{type(cause).__name__}: {cause}" if cause is not None else None,
        }


class UnsupportedFormatError(FindingsMinerError):
    """The bytes are not a format findings_miner reads (PDF, DOCX, plain text)."""

    code = "unsupported_format"


class EncryptedDocumentError(FindingsMinerError):
    """The document is encrypted and no (or a wrong) password was given."""

    code = "encrypted"


class CorruptDocumentError(FindingsMinerError):
    """The file claims a format but its structure cannot be parsed."""

    code = "corrupt"


class EmptyDocumentError(FindingsMinerError):
    """The file holds no content at all (zero bytes, no pages)."""

    code = "empty"


class NoTextLayerError(FindingsMinerError):
    """Pages hold images or vector drawings but no extractable text: OCR would be needed."""

    code = "no_text_layer"


class LimitExceededError(FindingsMinerError):
    """A configured limit (size, pages, decompression ratio, time, memory) was exceeded."""

    code = "limit_exceeded"


class ModelError(FindingsMinerError):
    """A model directory is missing, incomplete or fails its integrity checks."""

    code = "model"


class InputError(FindingsMinerError):
    """Invalid arguments or input data (e.g. a malformed corpus or manifest)."""

    code = "input"


__all__ = [
    "CorruptDocumentError",
    "EmptyDocumentError",
    "EncryptedDocumentError",
    "FindingsMinerError",
    "InputError",
    "LimitExceededError",
    "ModelError",
    "NoTextLayerError",
    "UnsupportedFormatError",
]
