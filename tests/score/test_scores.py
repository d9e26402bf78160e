from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from findings_miner.errors import InputError
from findings_miner.score import score
from findings_miner.score.metrics import aggregate, document_scores
from findings_miner.score.projects import read_manifest
from findings_miner.score.taxonomy import load_taxonomy

ROOT = Path(__file__).resolve().parents[2]
PORTFOLIO = ROOT / "examples" / "portfolio"


def _frame(levels, statuses=None, learning=None, indicators=None):
    n = len(levels)
    return pd.DataFrame({
        "text": ["word " * 10] * n, "kind": ["sentence"] * n, "classified": [True] * n, "level": levels,
        "status": statuses or ["achieved"] * n, "learning": learning or ["none"] * n,
        "has_indicator": indicators or [False] * n, "has_baseline": [False] * n, "has_target": [False] * n,
        "section": ["Results"] * n,
    })


def test_results_focus_index_definition():
    record = document_scores(_frame(["activity", "activity", "output", "outcome", "impact", "other"]), "evaluation")
    assert record["results_statements_n"] == 5
    assert record["results_focus_index"] == pytest.approx(2 / 5)
    assert record["activity_focus"] == pytest.approx(2 / 5)
    assert record["other_share"] == pytest.approx(1 / 6)
    only_activities = document_scores(_frame(["activity"] * 4), "progress_report")
    assert only_activities["results_focus_index"] == 0.0
    assert only_activities["activity_only_sections"] == "Results (4)"
    empty = document_scores(_frame(["other"] * 3), "other")
    assert math.isnan(empty["results_focus_index"]) and empty["results_statements_n"] == 0


def test_aggregate_recomputes_shares_from_counts_and_counts_failures():
    a = {**document_scores(_frame(["outcome"] * 9 + ["activity"]), "evaluation"), "status": "ok", "project_id": "A"}
    b = {**document_scores(_frame(["activity"] * 10), "application"), "status": "ok", "project_id": "A"}
    failed = {"status": "failed", "project_id": "A", "passages_n": 0, "words": 0}
    rows = pd.DataFrame([a, b, failed]).fillna({c: 0 for c in a if c.endswith("_n")})
    for column in ("indicator_coverage", "baseline_coverage", "target_coverage"):
        rows[column] = rows[column].fillna(0)
    table = aggregate(rows, by=["project_id"])
    assert table.loc[0, "documents_n"] == 3 and table.loc[0, "failed_n"] == 1
    assert table.loc[0, "results_focus_index"] == pytest.approx(9 / 20)


def test_manifest_and_taxonomy_errors(tmp_path):
    bad = tmp_path / "manifest.csv"
    bad.write_text("file,project\nx.pdf,1\n")
    with pytest.raises(InputError, match="path"):
        read_manifest(bad)
    bad.write_text("path,doc_type\nx.pdf,brochure\n")
    with pytest.raises(InputError, match="doc_type"):
        read_manifest(bad)
    taxonomy = tmp_path / "t.yaml"
    taxonomy.write_text("groups:\n  pillar:\n    prevention: {}\n")
    with pytest.raises(InputError, match="no terms"):
        load_taxonomy(taxonomy)


@pytest.fixture(scope="module")
def portfolio_scores(tmp_path_factory):
    broken = tmp_path_factory.mktemp("bad") / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4 truncated")
    paths = [*sorted(p for p in PORTFOLIO.iterdir() if p.suffix in (".pdf", ".docx")), broken]
    return score(paths, manifest=PORTFOLIO / "manifest.csv", taxonomy=ROOT / "examples" / "taxonomy_counter_trafficking.yaml")


def test_bundled_portfolio_scores(portfolio_scores):
    s = portfolio_scores
    assert len(s.documents) == 10 and (s.documents["status"] == "failed").sum() == 1
    assert s.portfolio.loc[0, "documents_n"] == 10 and s.portfolio.loc[0, "failed_n"] == 1
    assert {"P1", "P2", "P3"} <= set(s.projects["project_id"])
    ok = s.documents[s.documents["status"] == "ok"]
    assert set(ok["doc_type"]) == {"application", "progress_report", "evaluation"}
    # the detector agrees with the manifest on most documents of the bundled portfolio
    assert (ok["doc_type"] == ok["doc_type_detected"]).mean() >= 0.7
    # a proportion where defined; undefined (no results statement found) only for a short document
    defined = ok["results_focus_index"].dropna()
    assert defined.between(0, 1).all() and len(defined) >= len(ok) - 1
    assert len(s.errors) == 1 and s.errors.loc[0, "error_code"] == "corrupt"


def test_taxonomy_profile_reports_gaps(portfolio_scores):
    cover = portfolio_scores.taxonomy_coverage.set_index(["group", "category"])
    assert cover.loc[("pillar", "protection"), "projects"] == 3
    assert cover.loc[("form of trafficking", "organ removal"), "projects"] == 0
    assert bool(cover.loc[("form of trafficking", "organ removal"), "gap"])


def test_promised_vs_reported(portfolio_scores):
    table = portfolio_scores.promised_vs_reported
    assert set(table["project_id"]) <= {"P1", "P2", "P3"}
    assert table["matched"].any() and (~table["matched"]).any()
    matched = table[table["matched"]]
    assert (matched["similarity"] >= 0.3).all()
    assert matched["reported_text"].notna().all()
