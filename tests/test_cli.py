from __future__ import annotations

import json

from typer.testing import CliRunner

from findings_miner.cli import app

runner = CliRunner()


def test_extract_jsonl_and_error_record(tmp_path):
    good = tmp_path / "report.txt"
    good.write_text("Resultater\n\nProsjektet har gitt opplæring til 120 lærere.\n", encoding="utf-8")
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"oops")
    out = tmp_path / "passages.jsonl"
    result = runner.invoke(app, ["extract", str(good), str(bad), "-o", str(out), "--no-progress"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["text"] for r in rows] == ["Resultater", "Prosjektet har gitt opplæring til 120 lærere."]
    assert rows[1]["section_kind"] == "results" and rows[1]["page"] == 1
    errors = [json.loads(line) for line in (tmp_path / "passages.errors.jsonl").read_text().splitlines()]
    assert errors[0]["error_code"] == "corrupt" and errors[0]["path"] == str(bad)
    assert "2 files: ok 1, partial 0, empty 0, failed 1" in result.output


def test_extract_csv_and_parquet_from_folder(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.txt").write_text("Lessons learned\n\nEarly engagement of police proved crucial.\n", encoding="utf-8")
    (folder / "b.md").write_text("Recommendations\n\nThe project should continue.\n", encoding="utf-8")
    import pandas as pd

    for fmt in ("csv", "parquet"):
        out = tmp_path / f"out.{fmt}"
        result = runner.invoke(app, ["extract", str(folder), "-o", str(out), "--format", fmt, "--no-progress"])
        assert result.exit_code == 0, result.output
        frame = pd.read_csv(out) if fmt == "csv" else pd.read_parquet(out)
        assert set(frame["section_kind"]) == {"lessons", "recommendations"}
        assert len(frame) == 4


ROOT = __import__("pathlib").Path(__file__).resolve().parents[1]
PORTFOLIO = ROOT / "examples" / "portfolio"


def test_classify_table_column(tmp_path):
    import pandas as pd

    table = tmp_path / "texts.csv"
    pd.DataFrame({"id": [1, 2], "text": ["Prosjektet bør videreføres.", "300 officers trained."]}).to_csv(table,
                                                                                                     index=False)
    out = tmp_path / "labels.csv"
    result = runner.invoke(app, ["classify", str(table), "--column", "text", "-o", str(out), "--format", "csv"])
    assert result.exit_code == 0, result.output
    frame = pd.read_csv(out)
    assert list(frame["id"]) == [1, 2]
    assert frame.loc[0, "learning"] == "recommendation"
    assert {"level", "p_outcome", "status", "cues"} <= set(frame.columns)
    missing = runner.invoke(app, ["classify", str(table), "--column", "body"])
    assert missing.exit_code != 0


def test_score_and_digest_commands(tmp_path):
    import pandas as pd

    scores = tmp_path / "projects.csv"
    result = runner.invoke(app, ["score", str(PORTFOLIO), "--projects", str(PORTFOLIO / "manifest.csv"),
                                 "--level", "project", "-o", str(scores), "--no-progress"])
    assert result.exit_code == 0, result.output
    assert set(pd.read_csv(scores)["project_id"]) == {"P1", "P2", "P3"}
    for suffix in ("md", "xlsx"):
        out = tmp_path / f"digest.{suffix}"
        result = runner.invoke(app, ["digest", str(PORTFOLIO), "-o", str(out), "--no-progress"])
        assert result.exit_code == 0, result.output
        assert out.stat().st_size > 1000
    bad = runner.invoke(app, ["digest", str(PORTFOLIO), "-o", str(tmp_path / "digest.pdf"), "--no-progress"])
    assert bad.exit_code != 0


def test_classify_column_keeps_gold_columns_apart(tmp_path):
    import pandas as pd

    table = tmp_path / "gold.csv"
    pd.DataFrame({"text": ["300 officers trained."], "level": ["output"]}).to_csv(table, index=False)
    out = tmp_path / "labels.parquet"
    result = runner.invoke(app, ["classify", str(table), "--column", "text", "-o", str(out), "--format", "parquet"])
    assert result.exit_code == 0, result.output
    frame = pd.read_parquet(out)
    assert frame.loc[0, "input_level"] == "output" and "level" in frame.columns


def test_model_option_reaches_score_and_train_keeps_the_default_model(tmp_path):
    report = tmp_path / "report.txt"
    report.write_text("Results\n\n300 officers were trained.\n", encoding="utf-8")
    result = runner.invoke(app, ["score", str(report), "--model", "no_such_model", "--no-progress"])
    assert result.exit_code != 0 and "no_such_model" in str(result.exception)
    # an embedder other than e5-small needs an explicit output folder (never models/results_chain)
    result = runner.invoke(app, ["train", "--embeddings", "other-embedder", "--corpus", str(tmp_path)])
    assert result.exit_code != 0 and "--out" in result.output
    result = runner.invoke(app, ["train", "--embedding-cache", str(tmp_path / "v.npz"), "--corpus", str(tmp_path)])
    assert result.exit_code != 0 and "--embeddings" in result.output
