"""Command-line interface: ``findings-miner extract|classify|analyze|score|digest|train|evaluate``."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Annotated

import typer

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


def main() -> None:  # pragma: no cover - console entry point
    try:
        app()
    except FindingsMinerError as exc:
        typer.echo(f"error: [{exc.code}] {exc}", err=True)
        raise SystemExit(2) from exc
