"""The work on one file, run in an isolated child process: extract, classify, write its parts.

A child has a memory cap (``RLIMIT_AS``) and is killed by its parent at the per-file timeout; its
outputs are written to temporary files and renamed into place, so a killed child leaves nothing
half-written. The record it returns is what goes into ``manifest.jsonl``.
"""

from __future__ import annotations

import json
import os
import resource
import time
import traceback
from dataclasses import asdict, dataclass
from pathlib import Path

from ..errors import FindingsMinerError, LimitExceededError


@dataclass(frozen=True)
class Task:
    path: str
    sha256: str
    out_dir: str
    password: str | None = None
    model: str | None = None


def part_paths(out_dir: str | Path, sha256: str) -> tuple[Path, Path]:
    parts = Path(out_dir) / "parts"
    return parts / f"{sha256}.passages.parquet", parts / f"{sha256}.document.json"


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write to a temporary file in the same folder, fsync, then rename over the target."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(temporary, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)


def atomic_write_parquet(frame, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    frame.to_parquet(temporary, index=False)
    with open(temporary, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(temporary, path)


def apply_memory_cap(memory_mb: int) -> None:
    """Cap the address space of this process (Linux); a no-op where the limit cannot be set."""
    limit = int(memory_mb) * 1024 * 1024
    try:
        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ValueError, OSError):
        pass


def process_file(task: Task, settings) -> dict:
    """Extract and classify one file and write its parts; always returns a manifest record."""
    from ..analyze import analyze_document
    from ..classify import load_model
    from ..extract import extract

    timings = {"extract_s": 0.0, "classify_s": 0.0, "write_s": 0.0}
    record = {"sha256": task.sha256, "path": task.path, "pages": 0, "passages": 0, "error_code": None,
              "error_type": None, "message": None, "cause": None}
    started = time.perf_counter()
    try:
        document = extract(task.path, password=task.password, settings=settings)
        timings["extract_s"] = time.perf_counter() - started
        step = time.perf_counter()
        analysis = analyze_document(document, model=load_model(task.model))
        timings["classify_s"] = time.perf_counter() - step
        step = time.perf_counter()
        frame = analysis.frame.drop(columns=["footnote_refs"], errors="ignore")
        frame.insert(0, "sha256", document.sha256)
        passages_path, document_path = part_paths(task.out_dir, task.sha256)
        atomic_write_parquet(frame, passages_path)
        summary = {**document.summary(), "path": task.path}
        atomic_write_bytes(document_path, json.dumps(summary, ensure_ascii=False, sort_keys=True).encode())
        timings["write_s"] = time.perf_counter() - step
        record.update(status=document.status if document.status in ("ok", "partial") else "partial",
                      pages=document.page_count, passages=len(document.passages))
        if document.status == "empty":
            record.update(error_code="empty", message="; ".join(document.warnings))
    except FindingsMinerError as exc:
        exc.path = exc.path or task.path
        record.update(status="failed", **{k: v for k, v in exc.to_record().items() if k != "path"})
    except MemoryError as exc:
        error = LimitExceededError(f"memory cap exceeded while processing ({exc})", path=task.path)
        record.update(status="failed", **{k: v for k, v in error.to_record().items() if k != "path"})
    except Exception as exc:  # noqa: BLE001 - the batch goes on; the record keeps the cause
        record.update(status="failed", error_code="crashed", error_type=type(exc).__name__,
                      message=f"unexpected {type(exc).__name__}: {exc}",
                      cause=traceback.format_exc(limit=3)[-1000:])
    record.update(timings)
    record["seconds"] = round(time.perf_counter() - started, 4)
    record["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return record


def child_main(connection, task_dict: dict, settings_dict: dict) -> None:
    """Entry point of a per-file child: cap memory, process, send the record back."""
    from ..settings import Settings

    settings = Settings(**settings_dict)
    # parallelism comes from the children: a sentence-embedding engine in each of them would
    # otherwise start one OpenMP thread per core (and ~50 MB of address space per thread)
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    apply_memory_cap(settings.memory_mb)
    record = process_file(Task(**task_dict), settings)
    connection.send(record)
    connection.close()


def task_dict(task: Task) -> dict:
    return asdict(task)
