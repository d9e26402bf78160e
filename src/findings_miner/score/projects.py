"""Projects: documents grouped by a manifest or by folder; promised vs reported results.

A manifest is a CSV with a ``path`` column and optional ``project_id``, ``doc_type``, ``year``,
``partner``, ``country``, ``amount``. Without one, a document's project is its parent folder.

Promised vs reported: each planned output/outcome/impact statement of a project's application is
matched to the most similar achieved statement of its later reports and evaluations (cosine
similarity of character n-gram TF-IDF, robust to inflection and compounds); planned results with
no counterpart above the threshold are gaps a reviewer should ask about.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import InputError

MANIFEST_COLUMNS = ("path", "project_id", "doc_type", "year", "partner", "country", "amount")
MATCH_THRESHOLD = 0.3


def read_manifest(path: str | Path) -> pd.DataFrame:
    """Read a project manifest; paths are resolved relative to the manifest's folder.

    Raises:
        InputError: no ``path`` column, unknown doc types, or an unreadable file.
    """
    path = Path(path)
    try:
        frame = pd.read_csv(path, dtype={"project_id": str})
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot read manifest {path}: {exc}") from exc
    if "path" not in frame.columns:
        raise InputError(f"manifest {path} needs a 'path' column (has {list(frame.columns)})")
    for column in MANIFEST_COLUMNS:
        if column not in frame.columns:
            frame[column] = None
    allowed = {"application", "progress_report", "evaluation", "other"}
    bad = set(frame["doc_type"].dropna()) - allowed
    if bad:
        raise InputError(f"manifest {path}: unknown doc_type {sorted(bad)} (allowed: {sorted(allowed)})")
    base = path.parent
    frame["path"] = [str((base / p).resolve()) if not Path(p).is_absolute() else str(Path(p)) for p in frame["path"]]
    frame["project_id"] = frame["project_id"].fillna(frame["path"].map(lambda p: Path(p).parent.name))
    return frame


def assign_projects(paths: list[str], manifest: pd.DataFrame | None) -> pd.DataFrame:
    """One row per document path with project metadata (manifest first, else parent folder)."""
    rows = []
    by_path = {}
    if manifest is not None:
        by_path = {str(Path(p).resolve()): row for p, row in zip(manifest["path"], manifest.to_dict("records"), strict=True)}
    for path in paths:
        row = by_path.get(str(Path(path).resolve()))
        if row is None:
            row = {"project_id": Path(path).resolve().parent.name, "doc_type": None}
        rows.append({"path": path, **{c: row.get(c) for c in MANIFEST_COLUMNS if c != "path"}})
    return pd.DataFrame(rows, columns=list(MANIFEST_COLUMNS))


def promised_vs_reported(passages: pd.DataFrame, documents: pd.DataFrame,
                         threshold: float = MATCH_THRESHOLD) -> pd.DataFrame:
    """Planned results of each project's application matched to achieved statements of its later
    documents. Columns: project_id, planned (text, path, page), reported (text, path, page),
    similarity, matched."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    missing = [c for c in ("project_id", "doc_type") if c not in passages.columns]
    merged = passages.merge(documents[["doc_id", *missing]], on="doc_id", how="left") if missing else passages
    merged = merged[merged["classified"]]
    out = []
    for project, group in merged.groupby("project_id"):
        planned = group[(group["doc_type"] == "application") & (group["status"] == "planned")
                        & group["level"].isin(["output", "outcome", "impact"])]
        reported = group[(group["doc_type"] != "application") & group["status"].isin(["achieved", "not_achieved"])
                         & group["level"].isin(["output", "outcome", "impact"])]
        if planned.empty:
            continue
        if reported.empty:
            for row in planned.itertuples():
                out.append(_match_row(project, row, None, 0.0, threshold))
            continue
        vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True)
        vectorizer.fit(pd.concat([planned["text"], reported["text"]]))
        similarity = (vectorizer.transform(planned["text"]) @ vectorizer.transform(reported["text"]).T).toarray()
        best = similarity.argmax(axis=1)
        for i, row in enumerate(planned.itertuples()):
            match = reported.iloc[int(best[i])]
            out.append(_match_row(project, row, match, float(similarity[i, best[i]]), threshold))
    columns = ["project_id", "planned_text", "planned_level", "planned_path", "planned_page", "reported_text",
               "reported_status", "reported_path", "reported_page", "similarity", "matched"]
    return pd.DataFrame(out, columns=columns)


def _match_row(project, planned, reported, similarity: float, threshold: float) -> dict:
    matched = reported is not None and similarity >= threshold
    return {
        "project_id": project,
        "planned_text": planned.text, "planned_level": planned.level,
        "planned_path": planned.path, "planned_page": planned.page,
        "reported_text": reported["text"] if matched else None,
        "reported_status": reported["status"] if matched else None,
        "reported_path": reported["path"] if matched else None,
        "reported_page": reported["page"] if matched else None,
        "similarity": round(similarity, 3) if reported is not None else np.nan,
        "matched": bool(matched),
    }
