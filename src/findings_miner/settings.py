"""Limits and options in one typed object.

Every limit that protects a run against hostile or huge inputs lives here, so that the CLI, the
batch runner and the library read the same values. Each field can be set from the environment as
``FINDINGS_MINER_<FIELD>`` (upper case), e.g. ``FINDINGS_MINER_MAX_PAGES=500``.
"""

from __future__ import annotations

import dataclasses
import math
import os
from dataclasses import dataclass, fields
from typing import Any, Literal

from .errors import InputError

ENV_PREFIX = "FINDINGS_MINER_"


@dataclass(frozen=True)
class Settings:
    """Limits and extraction options.

    Attributes:
        max_file_mb: refuse files larger than this.
        max_pages: refuse PDFs with more pages than this.
        timeout_s: per-file wall-clock limit in batch runs (child processes).
        memory_mb: per-file address-space cap in batch runs (child processes).
        max_docx_ratio: refuse DOCX whose uncompressed/compressed size ratio exceeds this (zip bomb).
        max_docx_uncompressed_mb: refuse DOCX whose members unpack to more than this.
        max_pdf_stream_ratio: refuse PDFs whose page text is implausibly large for the file size.
        max_text_chars: refuse plain-text files with more characters (20 million is about 8,000
            pages: a single line of 50 MB is a data dump, not a report).
        pdf_engine: primary PDF engine; the other is the fallback and cross-check.
        cross_check: re-read near-empty pages with the other engine.
        min_page_chars: a page with fewer characters than this is cross-checked.
    """

    max_file_mb: float = 250.0
    max_pages: int = 3000
    timeout_s: float = 300.0
    memory_mb: int = 3072
    max_docx_ratio: float = 200.0
    max_docx_uncompressed_mb: float = 500.0
    max_pdf_stream_ratio: float = 200.0
    max_text_chars: int = 20_000_000
    pdf_engine: Literal["pdfium", "pdfplumber"] = "pdfium"
    cross_check: bool = True
    min_page_chars: int = 20

    def __post_init__(self) -> None:
        if self.pdf_engine not in ("pdfium", "pdfplumber"):
            raise InputError(f"pdf_engine must be 'pdfium' or 'pdfplumber', not {self.pdf_engine!r}")
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, (int, float)) and not isinstance(value, bool) and not (
                math.isfinite(value) and value > 0
            ):
                raise InputError(f"setting {f.name} must be a positive finite number, got {value!r}")

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None, **overrides: Any) -> Settings:
        """Build settings from ``FINDINGS_MINER_*`` variables, then explicit overrides.

        Raises:
            InputError: a variable cannot be converted to the field's type.
        """
        env = os.environ if env is None else env
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = env.get(ENV_PREFIX + f.name.upper())
            if raw is None:
                continue
            values[f.name] = _convert(f.name, f.type, raw)
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)

    def replace(self, **changes: Any) -> Settings:
        return dataclasses.replace(self, **changes)


def _convert(name: str, type_name: Any, raw: str) -> Any:
    type_text = str(type_name)
    try:
        if type_text == "bool":
            if raw.lower() in ("1", "true", "yes", "on"):
                return True
            if raw.lower() in ("0", "false", "no", "off"):
                return False
            raise ValueError(raw)
        if type_text == "int":
            return int(raw)
        if type_text == "float":
            return float(raw)
    except ValueError as exc:
        raise InputError(f"{ENV_PREFIX}{name.upper()}={raw!r} is not a valid {type_text}") from exc
    return raw
