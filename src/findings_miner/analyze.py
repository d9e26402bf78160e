"""Analysis = a Document plus its classified passage frame, with section context applied."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from .document import Document
from .settings import Settings

logger = logging.getLogger(__name__)

#: passage kinds that are classified; headings and footnotes are structure and references
CLASSIFIED_KINDS = ("sentence", "bullet", "field")


@dataclass
class Analysis:
    """A document and its passages with labels (``frame``), one row per passage.

    ``frame`` has the document's provenance columns (doc_id, path, page, char_start, char_end,
    section, section_kind, kind) and the classifier's columns; headings and footnotes keep empty
    labels (``classified`` is False for them).
    """

    document: Document
    frame: object  # pandas.DataFrame
    meta: dict = field(default_factory=dict)

    @property
    def labelled(self):
        """Only the classified rows."""
        return self.frame[self.frame["classified"]]


def analyze_document(document: Document, *, model=None) -> Analysis:
    """Classify a document's passages with section context; labels are also written back onto
    each passage's ``labels`` dict."""
    import pandas as pd

    from .classify import OUTPUT_COLUMNS, classify

    frame = document.to_frame()
    mask = frame["kind"].isin(CLASSIFIED_KINDS) if len(frame) else pd.Series([], dtype=bool)
    frame["classified"] = mask
    label_columns = [c for c in OUTPUT_COLUMNS if c not in ("text", "lang")]
    if mask.any():
        subset = frame[mask]
        labels = classify(subset["text"].tolist(), lang=None, model=model,
                          section_kinds=subset["section_kind"].tolist(),
                          field_labels=subset["field_label"].tolist())
        labels.index = subset.index
        for column in label_columns:
            frame[column] = labels[column]
        # labels are written back onto the passages too, so the Document carries them downstream
        positions = frame.loc[subset.index, "index"].astype(int).tolist()
        for position, values in zip(positions, labels[label_columns].to_dict("records"), strict=True):
            document.passages[position].labels.update(values)
    else:
        for column in label_columns:
            frame[column] = None
    return Analysis(document, frame, {"model": getattr(model, "meta_", {}).get("name") if model else None})


def analyze(path: str | Path, *, password: str | None = None, settings: Settings | None = None,
            model=None) -> Analysis:
    """Extract, segment and classify one file.

    Raises:
        FindingsMinerError: any typed extraction error (see :func:`findings_miner.extract`).
    """
    from .extract import extract

    return analyze_document(extract(path, password=password, settings=settings), model=model)
