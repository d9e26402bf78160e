"""Scores per document, project, document type and portfolio; taxonomy profiles.

``score(paths_or_analyses, manifest=..., taxonomy=...)`` returns a :class:`Scores` object of
pandas DataFrames. Documents that failed to extract stay in every table as ``failed`` rows, so
each share can be read against the whole portfolio, not only what parsed.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from ..analyze import Analysis

logger = logging.getLogger(__name__)


@dataclass
class Portfolio:
    """Analysed documents and per-file error records of one run."""

    analyses: list[Analysis]
    errors: list[dict[str, Any]]
    paths: list[str]


def run_portfolio(paths: Sequence[str | Path], *, password: str | None = None, model=None,
                  progress: bool = False, settings=None) -> Portfolio:
    """Extract and classify every file; a failing file becomes an error record, never an exception.

    Raises:
        ModelError: the model cannot be loaded (checked once, before any file).
    """
    from tqdm import tqdm

    from ..analyze import analyze_document
    from ..classify import resolve_model
    from ..extract import extract_many

    # loaded once, up front: a bad model name fails here (ModelError), not on every file
    model = resolve_model(model)
    analyses, errors = [], []
    paths = [str(p) for p in paths]
    for result in tqdm(extract_many(paths, password=password, settings=settings), total=len(paths),
                       unit="file", disable=not progress):
        if result.document is None:
            errors.append(result.error_record())
        else:
            analyses.append(analyze_document(result.document, model=model))
    return Portfolio(analyses, errors, paths)


@dataclass
class Scores:
    """All score tables of a portfolio (pandas DataFrames)."""

    documents: pd.DataFrame
    projects: pd.DataFrame
    doc_types: pd.DataFrame
    portfolio: pd.DataFrame
    passages: pd.DataFrame
    errors: pd.DataFrame
    promised_vs_reported: pd.DataFrame
    taxonomy_hits: pd.DataFrame | None = None
    taxonomy_coverage: pd.DataFrame | None = None
    meta: dict = field(default_factory=dict)


def score(
    inputs: Portfolio | Iterable[Analysis] | Sequence[str | Path],
    *,
    manifest: str | Path | pd.DataFrame | None = None,
    taxonomy: str | Path | None = None,
    errors: Sequence[dict] | None = None,
    model=None,
    progress: bool = False,
) -> Scores:
    """Score a portfolio.

    Args:
        inputs: file paths (they are extracted and classified), analyses, or a :class:`Portfolio`.
        manifest: project manifest CSV (path, project_id, doc_type, year, partner, country, amount)
            or a DataFrame; without one, projects are parent folders.
        taxonomy: a YAML taxonomy for the portfolio profile.
        errors: error records of files that failed (when passing analyses).

    Raises:
        InputError: an unreadable manifest or taxonomy.
    """
    import pandas as pd

    from ..errors import InputError
    from .metrics import aggregate, document_scores
    from .projects import assign_projects, promised_vs_reported, read_manifest
    from .taxonomy import category_hits, coverage, load_taxonomy

    if isinstance(inputs, (str, Path)):
        raise InputError("score expects a sequence of paths or analyses, not a single path")
    if isinstance(inputs, Portfolio):
        portfolio = inputs
    else:
        items = list(inputs)
        if items and all(isinstance(i, (str, Path)) for i in items):
            portfolio = run_portfolio(items, model=model, progress=progress)
        else:
            portfolio = Portfolio(items, list(errors or []), [a.document.path for a in items])
    manifest_frame = read_manifest(manifest) if isinstance(manifest, (str, Path)) else manifest

    rows, frames = [], []
    for analysis in portfolio.analyses:
        document = analysis.document
        frame = analysis.frame.copy()
        frames.append(frame)
        rows.append({"doc_id": document.doc_id, "path": document.path, "status": document.status,
                     "language": document.language, "pages": document.page_count, **document_scores(frame)})
    for error in portfolio.errors:
        rows.append({"doc_id": None, "path": error["path"], "status": "failed", "error_code": error["error_code"],
                     "doc_type": None, "passages_n": 0, "words": 0})
    documents = pd.DataFrame(rows)
    projects_meta = assign_projects(documents["path"].tolist(), manifest_frame) if len(documents) else \
        pd.DataFrame(columns=["path", "project_id", "doc_type"])
    given_type = projects_meta["doc_type"].tolist() if len(projects_meta) else []
    documents["project_id"] = projects_meta["project_id"].tolist() if len(projects_meta) else []
    if len(documents):
        documents["doc_type_detected"] = documents["doc_type"]
        documents["doc_type"] = [g if isinstance(g, str) and g else d for g, d in zip(given_type, documents["doc_type"], strict=True)]
        for column in ("year", "partner", "country", "amount"):
            documents[column] = projects_meta[column].tolist()
    documents = _fill_counts(documents)
    passages = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    if len(passages):
        # joined on path too: the same bytes under two paths are two rows of documents
        keys = documents[["doc_id", "path", "project_id", "doc_type"]].dropna(subset=["doc_id"])
        passages = passages.merge(keys.drop_duplicates(["doc_id", "path"]), on=["doc_id", "path"], how="left")
    project_table = aggregate(documents, by=["project_id"]) if len(documents) else pd.DataFrame()
    type_table = aggregate(documents[documents["status"] != "failed"], by=["doc_type"]) if len(documents) else pd.DataFrame()
    portfolio_table = aggregate(documents) if len(documents) else pd.DataFrame()
    promised = promised_vs_reported(passages, documents) if len(passages) else pd.DataFrame()
    hits = cover = None
    if taxonomy is not None:
        compiled = load_taxonomy(taxonomy)
        hits = category_hits(passages, compiled) if len(passages) else pd.DataFrame(
            columns=["doc_id", "group", "category", "passages"])
        cover = coverage(hits, documents[documents["status"] != "failed"], compiled)
    error_frame = pd.DataFrame(portfolio.errors, columns=["path", "error_code", "error_type", "message", "cause"])
    return Scores(documents, project_table, type_table, portfolio_table, passages, error_frame, promised,
                  hits, cover, {"taxonomy": str(taxonomy) if taxonomy else None})


def _fill_counts(documents: pd.DataFrame) -> pd.DataFrame:
    """Failed documents get zero counts (they are part of the denominators, not of the numerators)."""
    from .metrics import LEVELS, STATUSES

    required = ["passages_n", "words", "results_statements_n", "results_n", "lessons_n", "recommendations_n",
                *(f"{level}_n" for level in LEVELS), *(f"{status}_n" for status in STATUSES)]
    for column in required:
        if column not in documents:
            documents[column] = 0
    for column in ("doc_id", "path", "status", "doc_type", "project_id", "activity_only_sections"):
        if column not in documents:
            documents[column] = None
    for column in documents.columns:
        if column.endswith("_n") or column == "words":
            documents[column] = documents[column].fillna(0).astype(int)
    for column in ("indicator_coverage", "baseline_coverage", "target_coverage"):
        if column not in documents:
            documents[column] = float("nan")
    if "results_n" not in documents:
        documents["results_n"] = 0
    return documents


__all__ = ["Portfolio", "Scores", "run_portfolio", "score"]
