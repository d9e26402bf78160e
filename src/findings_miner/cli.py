"""Command-line interface: ``findings-miner extract|classify|analyze|score|digest|train|evaluate``."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Annotated

import typer

from .classify.train import (
    DEFAULT_IATI_CSV,
    DEFAULT_IATI_WEIGHT,
    DEFAULT_REFERENCE_WEIGHT,
)
from .corpus import DEFAULT_SHARED_DIR
from .errors import FindingsMinerError

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Mine aid-project documents for results, indicators, lessons and recommendations.")
logger = logging.getLogger(__name__)

@app.callback()
def _root(
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="log progress details")] = False,
) -> None:
    """findings_miner command line."""
    if verbose:
        logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")


_SUPPORTED_SUFFIXES = {".pdf", ".docx", ".txt", ".md", ".text"}


def expand_paths(paths: list[Path]) -> list[Path]:
    """Files given, plus supported files found under given folders (sorted, so runs are stable)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in _SUPPORTED_SUFFIXES))
        else:
            found.append(path)
    return found


def write_frame(frame, out: Path | None, fmt: str) -> None:
    """Write a DataFrame as jsonl, csv or parquet to a file, or jsonl/csv to stdout."""
    if fmt not in ("jsonl", "csv", "parquet"):
        raise typer.BadParameter(f"unknown format {fmt!r}")
    if out is None:
        if fmt == "parquet":
            raise typer.BadParameter("parquet needs -o FILE")
        if fmt == "csv":
            frame.to_csv(sys.stdout, index=False)
        else:
            for record in frame.to_dict(orient="records"):
                sys.stdout.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "csv":
        frame.to_csv(out, index=False)
    elif fmt == "parquet":
        frame.to_parquet(out, index=False)
    else:
        frame.to_json(out, orient="records", lines=True, force_ascii=False)


@app.command()
def extract(
    files: Annotated[list[Path], typer.Argument(help="PDF, DOCX or text files, or folders")],
    out: Annotated[Path | None, typer.Option("-o", "--out", help="output file (default: stdout)")] = None,
    fmt: Annotated[str, typer.Option("--format", help="jsonl, csv or parquet")] = "jsonl",
    password: Annotated[str | None, typer.Option(help="password for encrypted files")] = None,
    progress: Annotated[bool, typer.Option(help="show a progress bar")] = True,
) -> None:
    """Extract and segment documents into passages (one row a passage, with provenance)."""
    import pandas as pd
    from tqdm import tqdm

    from .extract import extract_many

    paths = expand_paths(files)
    frames, errors, counts = [], [], {"ok": 0, "partial": 0, "empty": 0, "failed": 0}
    results = extract_many(paths, password=password)
    for result in tqdm(results, total=len(paths), unit="file", disable=not progress, file=sys.stderr):
        counts[result.status] += 1
        if result.document is not None:
            frames.append(result.document.to_frame())
        else:
            errors.append(result.error_record())
    frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    write_frame(frame, out, fmt)
    if errors:
        error_frame = pd.DataFrame(errors)
        if out is not None:
            error_out = out.with_name(out.stem + ".errors" + out.suffix)
            write_frame(error_frame, error_out, fmt)
        for record in errors:
            typer.echo(f"failed: {record['path']}: [{record['error_code']}] {record['message']}", err=True)
    summary = ", ".join(f"{k} {v}" for k, v in counts.items())
    typer.echo(f"{len(paths)} files: {summary}; {len(frame)} passages", err=True)


def _read_table(path: Path):
    import pandas as pd

    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        return pd.read_json(path, lines=True)
    if suffix == ".parquet":
        return pd.read_parquet(path)
    if suffix in (".csv", ".tsv"):
        return pd.read_csv(path, sep="\t" if suffix == ".tsv" else ",")
    raise typer.BadParameter(f"{path}: expected .csv, .tsv, .jsonl or .parquet")


@app.command()
def classify(
    inputs: Annotated[list[Path], typer.Argument(help="reports (PDF/DOCX/TXT, folders) or a table with --column")],
    out: Annotated[Path | None, typer.Option("-o", "--out", help="output file (default: stdout)")] = None,
    fmt: Annotated[str, typer.Option("--format", help="jsonl, csv or parquet")] = "jsonl",
    column: Annotated[str | None, typer.Option(help="classify this text column of a CSV/JSONL/Parquet table")] = None,
    model: Annotated[str | None, typer.Option(help="model name under models/ or a model directory")] = None,
    progress: Annotated[bool, typer.Option(help="show a progress bar")] = True,
) -> None:
    """Label passages: results-chain level, lesson/recommendation, planned/achieved, indicators."""
    import pandas as pd
    from tqdm import tqdm

    from .analyze import analyze_document
    from .classify import classify as classify_texts
    from .classify import load_model
    from .extract import extract_many

    loaded = load_model(model)
    if column:
        frames = []
        for path in inputs:
            table = _read_table(path)
            if column not in table.columns:
                raise typer.BadParameter(f"{path} has no column {column!r}")
            labels = classify_texts(table[column].fillna("").astype(str).tolist(), model=loaded)
            kept = table.drop(columns=[column]).reset_index(drop=True)
            # input columns named like an output column (a gold "level", say) keep a prefix
            kept = kept.rename(columns={c: f"input_{c}" for c in kept.columns if c in labels.columns})
            frames.append(pd.concat([kept, labels.reset_index(drop=True)], axis=1))
        write_frame(pd.concat(frames, ignore_index=True), out, fmt)
        return
    paths = expand_paths(inputs)
    frames, failures = [], 0
    for result in tqdm(extract_many(paths), total=len(paths), unit="file", disable=not progress, file=sys.stderr):
        if result.document is None:
            failures += 1
            record = result.error_record()
            typer.echo(f"failed: {record['path']}: [{record['error_code']}] {record['message']}", err=True)
            continue
        frames.append(analyze_document(result.document, model=loaded).frame)
    frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    write_frame(frame, out, fmt)
    typer.echo(f"{len(paths)} files: {len(paths) - failures} classified, {failures} failed; "
               f"{int(frame['classified'].sum()) if len(frame) else 0} passages labelled", err=True)


@app.command()
def train(
    corpus: Annotated[Path, typer.Option(help="folder of annotated *.jsonl files")] = Path("corpus"),
    out: Annotated[Path | None, typer.Option("-o", "--out", help="model directory (default: models/results_chain, "
                                                                 "or models/results_chain_e5 with --embeddings e5-small)")] = None,
    iati: Annotated[Path | None, typer.Option(help="IATI results CSV used as weak level labels")] = DEFAULT_IATI_CSV,
    iati_weight: Annotated[float, typer.Option(help="sample weight of IATI rows (0 disables)")] = DEFAULT_IATI_WEIGHT,
    shared: Annotated[Path | None, typer.Option(help="folder the real references of corpus/references resolve from")] = DEFAULT_SHARED_DIR,
    reference_weight: Annotated[float, typer.Option(help="sample weight of labelled real passages in corpus/references")] = DEFAULT_REFERENCE_WEIGHT,
    reference_learning_weight: Annotated[float | None, typer.Option(help="their weight for the learning head (default: the same)")] = None,
    embeddings: Annotated[str | None, typer.Option(help="append sentence embeddings ('e5-small', needs findings-miner[embeddings]); "
                                                        "the shipped models/results_chain_e5 uses e5-small")] = None,
    embedding_cache: Annotated[Path | None, typer.Option(help="with --embeddings: .npz file keeping passage vectors between "
                                                              "runs (only new passages are embedded; same model)")] = None,
) -> None:
    """Rebuild the model from the corpus (fixed seeds: the same data gives the same model)."""
    from .classify.train import train_model

    params = {"sentence_embeddings": embeddings} if embeddings else None
    if embedding_cache and not embeddings:
        raise typer.BadParameter("--embedding-cache needs --embeddings")
    if out is None:
        if embeddings not in (None, "e5-small"):
            raise typer.BadParameter("give -o/--out for a model with another embedder")
        out = Path("models/results_chain_e5" if embeddings else "models/results_chain")
    meta = train_model(corpus, out, iati_csv=iati, iati_weight=iati_weight, shared_dir=shared,
                       reference_weight=reference_weight, reference_learning_weight=reference_learning_weight,
                       model_params=params, embedding_cache=embedding_cache)
    refs = meta["references"]["references"]
    typer.echo(f"real references: {refs['resolved']} resolved, {refs['missing']} missing, {refs['mismatched']} mismatched")
    typer.echo(f"model written to {out}")
    for lang, heads in meta["metrics_held_out"].items():
        scores = ", ".join(f"{head} macro-F1 {m['macro_f1']:.3f} (ECE {m['ece']:.3f})" for head, m in heads.items())
        typer.echo(f"held-out {lang}: {scores}")


@app.command()
def evaluate(
    gold: Annotated[Path, typer.Argument(help="CSV/JSONL/Parquet with a text column and gold labels")],
    head: Annotated[str, typer.Option(help="level, learning or status")] = "level",
    text_column: Annotated[str, typer.Option(help="column with the texts")] = "text",
    label_column: Annotated[str | None, typer.Option(help="gold label column (default: the head name)")] = None,
    labels: Annotated[str | None, typer.Option(help="comma-separated labels to score (others ignored)")] = None,
    model: Annotated[str | None, typer.Option(help="model name or directory")] = None,
    json_out: Annotated[Path | None, typer.Option("--json", help="also write the report as JSON")] = None,
) -> None:
    """Score the model on a gold file: per-label P/R/F1, macro-F1, confusion matrix, ECE."""
    from .classify import HEADS, load_model
    from .classify.evaluate import score_head

    if head not in HEADS:
        raise typer.BadParameter(f"head must be one of {sorted(HEADS)}")
    table = _read_table(gold)
    label_column = label_column or head
    for name in (text_column, label_column):
        if name not in table.columns:
            raise typer.BadParameter(f"{gold} has no column {name!r}")
    loaded = load_model(model)
    classes = loaded.classes_[head]
    scored = labels.split(",") if labels else list(classes)
    texts = table[text_column].fillna("").astype(str).tolist()
    probabilities = loaded.predict_proba(texts)[head]
    # restrict the decision to the scored labels (e.g. output vs outcome only)
    allowed = [classes.index(label) for label in scored if label in classes]
    restricted = probabilities[:, allowed] / probabilities[:, allowed].sum(axis=1, keepdims=True)
    predicted = [scored[i] for i in restricted.argmax(axis=1)]
    report = score_head(table[label_column].astype(str).tolist(), predicted, scored, restricted, scored)
    typer.echo(report.to_text(f"{gold.name} [{head}]"))
    if json_out:
        json_out.write_text(json.dumps(report.to_dict(), indent=2), encoding="utf-8")


@app.command()
def score(
    inputs: Annotated[list[Path], typer.Argument(help="reports (PDF/DOCX/TXT) or folders")],
    out: Annotated[Path | None, typer.Option("-o", "--out", help="document scores file (default: stdout)")] = None,
    fmt: Annotated[str, typer.Option("--format", help="jsonl, csv or parquet")] = "csv",
    projects: Annotated[Path | None, typer.Option(help="project manifest CSV")] = None,
    taxonomy: Annotated[Path | None, typer.Option(help="YAML taxonomy for the portfolio profile")] = None,
    level: Annotated[str, typer.Option(help="document, project, doc_type or portfolio")] = "document",
    model: Annotated[str | None, typer.Option(help="model name under models/ (e.g. results_chain_e5) or a model directory")] = None,
    progress: Annotated[bool, typer.Option(help="show a progress bar")] = True,
) -> None:
    """How results-focused is it? Scores per document, project, document type or portfolio."""
    from .score import score as score_portfolio

    scores = score_portfolio(expand_paths(inputs), manifest=projects, taxonomy=taxonomy, model=model,
                             progress=progress)
    tables = {"document": scores.documents, "project": scores.projects, "doc_type": scores.doc_types,
              "portfolio": scores.portfolio}
    if level not in tables:
        raise typer.BadParameter(f"level must be one of {sorted(tables)}")
    write_frame(tables[level], out, fmt)
    p = scores.portfolio.iloc[0]
    typer.echo(f"{int(p['documents_n'])} documents ({int(p['failed_n'])} failed); results-focus index "
               f"{p['results_focus_index']:.2f} over {int(p['results_statements_n'])} results-chain statements", err=True)


@app.command()
def digest(
    inputs: Annotated[list[Path], typer.Argument(help="reports (PDF/DOCX/TXT) or folders")],
    out: Annotated[Path, typer.Option("-o", "--out", help="digest.html, digest.md or digest.xlsx")],
    projects: Annotated[Path | None, typer.Option(help="project manifest CSV")] = None,
    taxonomy: Annotated[Path | None, typer.Option(help="YAML taxonomy for the portfolio profile")] = None,
    title: Annotated[str | None, typer.Option(help="report title")] = None,
    themes: Annotated[int | None, typer.Option(help="number of themes (default: from the number of lessons)")] = None,
    model: Annotated[str | None, typer.Option(help="model name under models/ (e.g. results_chain_e5) or a model directory")] = None,
    progress: Annotated[bool, typer.Option(help="show a progress bar")] = True,
) -> None:
    """Lessons-learned digest of a portfolio: scores, themes and traced quotes (HTML, Markdown, Excel)."""
    from .digest import digest as make_digest

    if out.suffix.lower() not in (".html", ".htm", ".md", ".markdown", ".xlsx"):
        raise typer.BadParameter(f"-o must end in .html, .md or .xlsx, not {out.suffix!r}")
    paths = expand_paths(inputs)
    result = make_digest(paths, manifest=projects, taxonomy=taxonomy, title=title, n_themes=themes,
                         model=model, progress=progress)
    result.save(out)
    typer.echo(f"digest of {len(paths)} files written to {out} ({len(result.themes)} themes, "
               f"{len(result.lessons)} lessons and recommendations, {len(result.errors)} files failed)", err=True)


@app.command()
def analyze(
    inputs: Annotated[list[Path], typer.Argument(help="reports (PDF/DOCX/TXT) or folders")],
    out: Annotated[Path, typer.Option("-o", "--out", help="output folder (manifest.jsonl, *.parquet)")],
    jobs: Annotated[int, typer.Option("--jobs", "-j", help="files processed in parallel")] = 1,
    resume: Annotated[bool, typer.Option(help="continue a run in OUT, skipping finished files")] = False,
    retry_failed: Annotated[bool, typer.Option(help="with --resume: process failed files again")] = False,
    dask: Annotated[str | None, typer.Option(help="run on dask.distributed: 'local' or a scheduler address")] = None,
    timeout: Annotated[float | None, typer.Option(help="per-file timeout in seconds")] = None,
    memory_mb: Annotated[int | None, typer.Option(help="per-file memory cap in MB")] = None,
    max_pages: Annotated[int | None, typer.Option(help="refuse PDFs with more pages")] = None,
    max_file_mb: Annotated[float | None, typer.Option(help="refuse larger files")] = None,
    password: Annotated[str | None, typer.Option(help="password for encrypted files")] = None,
    model: Annotated[str | None, typer.Option(help="model name under models/ (e.g. results_chain_e5) or a model directory")] = None,
    progress: Annotated[bool, typer.Option(help="show a progress bar")] = True,
) -> None:
    """Batch run that loses nothing: isolated per-file processes, resumable manifest, Parquet outputs."""
    from .batch import run_batch
    from .settings import Settings

    settings = Settings.from_env(timeout_s=timeout, memory_mb=memory_mb, max_pages=max_pages,
                                 max_file_mb=max_file_mb)
    summary = run_batch(expand_paths(inputs), out, jobs=jobs, resume=resume, retry_failed=retry_failed,
                        settings=settings, password=password, dask_scheduler=dask, model=model,
                        progress=progress)
    typer.echo(summary.line())
    if not summary.balanced:  # pragma: no cover - a bug guard: every input must be accounted for
        raise typer.Exit(3)


def main() -> None:  # pragma: no cover - console entry point
    try:
        app()
    except FindingsMinerError as exc:
        typer.echo(f"error: [{exc.code}] {exc}", err=True)
        raise SystemExit(2) from exc


if __name__ == "__main__":  # pragma: no cover
    main()
