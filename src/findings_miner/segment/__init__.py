"""Segmentation: page texts → passages with section context and language."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ..document import Document
from .blocks import segment_pages
from .language import detect_language, passage_language
from .sections import section_kind
from .sentences import split_sentences


def segment_document(document: Document, *, hints: Sequence[Mapping[int, str]] | None = None) -> Document:
    """Fill ``document.passages`` and the document/passage languages (in place; returns it)."""
    result = segment_pages(document.pages, doc_id=document.doc_id, hints=hints)
    document.passages = result.passages
    document.meta["furniture_lines"] = result.furniture_lines
    document.meta["footnotes"] = result.footnotes
    body = " ".join(p.text for p in result.passages if p.kind in ("sentence", "bullet", "field"))
    document.language = detect_language(body)
    for passage in document.passages:
        passage.lang = passage_language(passage.text, document.language)
    return document


__all__ = ["detect_language", "passage_language", "section_kind", "segment_document", "split_sentences"]
