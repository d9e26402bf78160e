"""The data model that flows through every stage: a :class:`Document` and its :class:`Passage` s.

Extraction makes a Document once; segmentation fills its passages; classification and scoring
enrich passages through :attr:`Passage.labels`. Provenance is never lost: each passage knows its
file (through the document), page, and ``char_start``/``char_end`` into that page's text as stored
in :attr:`Document.pages`, so any label or quote can be traced back to the exact characters.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

PassageKind = Literal["heading", "bullet", "field", "sentence", "footnote"]
SectionKind = Literal[
    "summary",
    "background",
    "method",
    "findings",
    "results",
    "activities",
    "objectives",
    "target_group",
    "lessons",
    "recommendations",
    "conclusions",
    "annex",
    "other",
]
DocumentStatus = Literal["ok", "partial", "empty"]

PASSAGE_KINDS: tuple[str, ...] = ("heading", "bullet", "field", "sentence", "footnote")
SECTION_KINDS: tuple[str, ...] = SectionKind.__args__  # type: ignore[attr-defined]


@dataclass
class Passage:
    """One unit of text a reviewer would quote: a heading, bullet item, field or sentence.

    ``char_start``/``char_end`` index into ``Document.pages[page - 1]``; that slice is the
    passage's *source text* (line breaks, hyphens and bullet glyphs included) and ``text`` is its
    cleaned form.
    """

    doc_id: str
    index: int
    text: str
    page: int
    char_start: int
    char_end: int
    kind: str = "sentence"
    section: str | None = None
    section_kind: str = "other"
    lang: str | None = None
    field_label: str | None = None
    footnote_refs: tuple[int, ...] = ()
    labels: dict[str, Any] = field(default_factory=dict)

    def to_record(self) -> dict[str, Any]:
        record = asdict(self)
        labels = record.pop("labels")
        record["footnote_refs"] = list(self.footnote_refs)
        record.update(labels)
        return record


@dataclass
class Document:
    """A document as extracted: provenance, status, page texts and passages.

    Attributes:
        path: the source file as given.
        sha256: hash of the file's bytes; ``doc_id`` is its first 16 hex digits.
        format: ``pdf``, ``docx`` or ``text`` as detected from the bytes.
        pages: the extracted text of each page (line breaks normalised to ``\\n``); the
            coordinate system of every passage offset.
        status: ``ok``; ``partial`` when some pages failed or were recovered by the fallback
            engine; ``empty`` when there is no text and no sign of text (blank pages).
        warnings: human-readable notes on everything that was recovered, dropped or guessed.
    """

    path: str
    sha256: str
    format: str
    pages: list[str]
    language: str | None = None
    status: str = "ok"
    warnings: list[str] = field(default_factory=list)
    passages: list[Passage] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def doc_id(self) -> str:
        return self.sha256[:16]

    @property
    def page_count(self) -> int:
        return len(self.pages)

    @property
    def text(self) -> str:
        """The cleaned text of all non-footnote passages, one per line."""
        return "\n".join(p.text for p in self.passages if p.kind != "footnote")

    def source_text(self, passage: Passage) -> str:
        """The exact page characters a passage was made from."""
        return self.pages[passage.page - 1][passage.char_start : passage.char_end]

    def to_frame(self):  # -> pandas.DataFrame (pandas imported lazily)
        """One row per passage, with document provenance columns first."""
        import pandas as pd

        columns = [
            "doc_id", "path", "index", "page", "char_start", "char_end", "kind", "section",
            "section_kind", "field_label", "lang", "text",
        ]
        rows = []
        for p in self.passages:
            record = p.to_record()
            record["path"] = self.path
            rows.append(record)
        frame = pd.DataFrame(rows)
        if frame.empty:
            frame = pd.DataFrame(columns=[*columns, "footnote_refs"])
        extra = [c for c in frame.columns if c not in columns]
        return frame[columns + extra]

    def summary(self) -> dict[str, Any]:
        """One flat record describing the document (for document tables)."""
        words = sum(len(p.text.split()) for p in self.passages if p.kind != "footnote")
        return {
            "doc_id": self.doc_id,
            "path": self.path,
            "sha256": self.sha256,
            "format": self.format,
            "language": self.language,
            "pages": self.page_count,
            "passages": len(self.passages),
            "words": words,
            "status": self.status,
            "warnings": "; ".join(self.warnings),
        }
