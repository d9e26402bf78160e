"""How results-focused is it? Shares by level and status, the results-focus index, indicator,
baseline and target coverage, learning density and activity-only sections.

Results-focus index (RFI)
    Of the statements a document makes on the results chain (activity, output, outcome, impact;
    ``other`` excluded), the share at outcome or impact level:
    ``RFI = (outcome + impact) / (activity + output + outcome + impact)``.
    0 means a document that only reports what was done or delivered, 1 one that only reports
    changes. It answers the reviewer's question "does this document describe activities or
    results?" directly, is comparable across documents of any length, and its denominator (the
    number of results-chain statements) is reported beside it, so that an RFI from three
    statements is not read like one from three hundred. Outputs count against the index: a
    delivered product is not yet a change for anyone.

Every figure carries its denominator (``*_n`` columns), and portfolio tables count documents that
failed to parse.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pandas as pd

RESULTS_LEVELS = ("activity", "output", "outcome", "impact")
LEVELS = (*RESULTS_LEVELS, "other")
STATUSES = ("planned", "achieved", "not_achieved", "none")
DOC_TYPES = ("application", "progress_report", "evaluation", "other")

_EVALUATION_WORDS = re.compile(
    r"\b(evaluation|evaluator|evaluators|evaluation team|mid-term review|review team|findings|"
    r"evaluering\w*|evaluator\w*|gjennomgang\w*|funn)\b", re.IGNORECASE)
_APPLICATION_WORDS = re.compile(
    r"\b(application|proposal|we will|the project will|budget request|søknad\w*|prosjektet vil|vi vil|"
    r"søker om|planlagte)\b", re.IGNORECASE)
_REPORT_WORDS = re.compile(
    r"\b(progress report|annual report|reporting period|during the period|final report|"
    r"fremdriftsrapport\w*|årsrapport\w*|sluttrapport\w*|i rapporteringsperioden|i perioden)\b", re.IGNORECASE)


def _share(numerator: float, denominator: float) -> float:
    return float(numerator) / denominator if denominator else float("nan")


def detect_doc_type(passages: pd.DataFrame) -> str:
    """Application, progress report or evaluation, from what a document says and how.

    Evaluations carry lessons/recommendations and evaluation vocabulary; applications are mostly
    planned; progress reports mostly achieved. Vocabulary counts first, status mix breaks ties.
    """
    labelled = passages[passages.get("classified", True) == True] if len(passages) else passages  # noqa: E712
    if labelled.empty:
        return "other"
    text = " ".join(passages["text"].astype(str))
    evaluation = len(_EVALUATION_WORDS.findall(text))
    application = len(_APPLICATION_WORDS.findall(text))
    report = len(_REPORT_WORDS.findall(text))
    status = labelled["status"].value_counts(normalize=True)
    learning = (labelled["learning"] != "none").mean()
    planned, achieved = status.get("planned", 0.0), status.get("achieved", 0.0) + status.get("not_achieved", 0.0)
    scores = {
        "evaluation": evaluation + 20 * learning,
        "application": application + 10 * planned,
        "progress_report": report + 10 * achieved,
    }
    return max(scores, key=scores.get)


def document_scores(passages: pd.DataFrame, doc_type: str | None = None) -> dict:
    """Scores of one document from its analysed passage frame (rows of ``Analysis.frame``)."""
    labelled = passages[passages["classified"]] if "classified" in passages else passages
    n = len(labelled)
    words = int(passages.loc[passages["kind"] != "footnote", "text"].astype(str).str.split().str.len().sum()) \
        if len(passages) else 0
    levels = labelled["level"].value_counts()
    statuses = labelled["status"].value_counts()
    results_n = int(sum(levels.get(level, 0) for level in RESULTS_LEVELS))
    results = labelled[labelled["level"].isin(("output", "outcome", "impact"))]
    lessons = int((labelled["learning"] == "lesson").sum())
    recommendations = int((labelled["learning"] == "recommendation").sum())
    record = {
        "doc_type": doc_type or detect_doc_type(passages),
        "passages_n": n,
        "words": words,
        **{f"{level}_n": int(levels.get(level, 0)) for level in LEVELS},
        **{f"{level}_share": _share(levels.get(level, 0), n) for level in LEVELS},
        **{f"{status}_n": int(statuses.get(status, 0)) for status in STATUSES},
        **{f"{status}_share": _share(statuses.get(status, 0), n) for status in STATUSES},
        "results_statements_n": results_n,
        "results_focus_index": _share(levels.get("outcome", 0) + levels.get("impact", 0), results_n),
        "activity_focus": _share(levels.get("activity", 0), results_n),
        "results_n": len(results),
        "indicator_coverage": _share(results["has_indicator"].sum(), len(results)),
        "baseline_coverage": _share(results["has_baseline"].sum(), len(results)),
        "target_coverage": _share(results["has_target"].sum(), len(results)),
        "lessons_n": lessons,
        "recommendations_n": recommendations,
        "lessons_per_1000_words": _share(1000 * lessons, words),
        "recommendations_per_1000_words": _share(1000 * recommendations, words),
        "activity_only_sections": "; ".join(activity_only_sections(labelled)),
    }
    return record


def activity_only_sections(labelled: pd.DataFrame, min_statements: int = 3) -> list[str]:
    """Sections whose results-chain statements (at least ``min_statements``) are all activities."""
    found = []
    chain = labelled[labelled["level"].isin(RESULTS_LEVELS)]
    for section, group in chain.groupby(chain["section"].fillna("(no heading)"), sort=False):
        if len(group) >= min_statements and (group["level"] == "activity").all():
            found.append(f"{section} ({len(group)})")
    return found


def aggregate(rows: pd.DataFrame, by: Sequence[str] | None = None) -> pd.DataFrame:
    """Sum counts and recompute shares over groups of documents (or all when ``by`` is empty).

    Shares are recomputed from summed counts (not averaged), so a long document weighs by its
    statements; ``documents_n`` and ``failed_n`` give the document denominators.
    """
    count_columns = [c for c in rows.columns if c.endswith("_n") and c not in ("failed_n",)]
    frame = rows.copy()
    frame["documents_n"] = 1
    frame["failed_n"] = (frame.get("status", pd.Series(["ok"] * len(frame))) == "failed").astype(int)
    frame["words"] = frame.get("words", 0)
    for column in ("indicator", "baseline", "target"):
        frame[f"_{column}_hits"] = (frame[f"{column}_coverage"].fillna(0) * frame["results_n"]).round()
    sums = ["documents_n", "failed_n", "words", *count_columns,
            "_indicator_hits", "_baseline_hits", "_target_hits"]
    grouped = frame.groupby(list(by))[sums].sum().reset_index() if by else frame[sums].sum().to_frame().T
    out = grouped.copy()
    for level in LEVELS:
        out[f"{level}_share"] = out[f"{level}_n"] / out["passages_n"].replace(0, np.nan)
    for status in STATUSES:
        out[f"{status}_share"] = out[f"{status}_n"] / out["passages_n"].replace(0, np.nan)
    out["results_focus_index"] = (out["outcome_n"] + out["impact_n"]) / out["results_statements_n"].replace(0, np.nan)
    out["activity_focus"] = out["activity_n"] / out["results_statements_n"].replace(0, np.nan)
    for column in ("indicator", "baseline", "target"):
        out[f"{column}_coverage"] = out[f"_{column}_hits"] / out["results_n"].replace(0, np.nan)
    out["lessons_per_1000_words"] = 1000 * out["lessons_n"] / out["words"].replace(0, np.nan)
    out["recommendations_per_1000_words"] = 1000 * out["recommendations_n"] / out["words"].replace(0, np.nan)
    return out.drop(columns=["_indicator_hits", "_baseline_hits", "_target_hits"])
