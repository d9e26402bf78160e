"""Portfolio-scale runs that lose nothing: isolation, an append-only manifest, resume, Parquet.

Every input file is hashed (sha256); duplicates are processed once. Each file runs in its own
child process (forked from a preloaded forkserver, so children start warm) with a memory cap and a
wall-clock timeout. The child writes its parts atomically and returns a record that the parent
appends to ``manifest.jsonl`` (one JSON object per line, flushed and fsynced). ``--resume`` reads
the manifest and skips what is done, so a killed run continues without losing or duplicating work.
At the end the parts are combined, in input order, into ``documents.parquet``,
``passages.parquet`` and ``errors.parquet`` (each written to a temporary file, then renamed).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import multiprocessing as mp
import os
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import wait
from pathlib import Path

from ..errors import InputError, LimitExceededError, ModelError
from ..settings import Settings
from .worker import Task, atomic_write_parquet, child_main, part_paths, task_dict

logger = logging.getLogger(__name__)

MANIFEST = "manifest.jsonl"
FINAL_STATUSES = ("ok", "partial", "skipped")


@dataclass
class BatchSummary:
    """Counts that account for every input: inputs = ok + partial + failed + skipped."""

    inputs: int
    ok: int = 0
    partial: int = 0
    failed: int = 0
    skipped: int = 0
    resumed: int = 0
    seconds: float = 0.0
    timings: dict = field(default_factory=dict)
    out_dir: str = ""

    def line(self) -> str:
        return (f"{self.inputs} inputs = {self.ok} ok + {self.partial} partial + {self.failed} failed + "
                f"{self.skipped} skipped ({self.resumed} already done before this run) in {self.seconds:.1f} s")

    @property
    def balanced(self) -> bool:
        return self.inputs == self.ok + self.partial + self.failed + self.skipped


def file_sha256(path: str | Path, chunk: int = 1 << 20) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def read_manifest(out_dir: str | Path) -> list[dict]:
    """Manifest records; a last line cut by a crash is ignored (it was never acknowledged)."""
    path = Path(out_dir) / MANIFEST
    if not path.exists():
        return []
    records = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError:
            logger.warning("ignoring a truncated manifest line in %s", path)
    return records


class ManifestWriter:
    """Append-only, one record per line, flushed and fsynced before the next file starts."""

    def __init__(self, out_dir: Path) -> None:
        self.path = out_dir / MANIFEST
        self.handle = open(self.path, "a", encoding="utf-8")  # noqa: SIM115 - closed in close()

    def append(self, record: dict) -> None:
        self.handle.write(json.dumps(record, ensure_ascii=False, sort_keys=True, default=str) + "\n")
        self.handle.flush()
        os.fsync(self.handle.fileno())

    def close(self) -> None:
        self.handle.close()


@dataclass
class _Planned:
    tasks: list[Task]
    records_first: list[dict]  # duplicates and unreadable inputs, recorded before processing
    order: list[tuple[str, str]]  # (path, sha256) in input order
    duplicate_positions: set[int] = field(default_factory=set)


def plan(paths: Sequence[str | Path], out_dir: Path, settings: Settings, password: str | None,
         model: str | None) -> _Planned:
    tasks, first, order = [], [], []
    duplicates: set[int] = set()
    seen: dict[str, str] = {}
    for raw in paths:
        path = str(raw)
        try:
            size = os.path.getsize(path)
            if size > settings.max_file_mb * 1024 * 1024:
                raise LimitExceededError(f"file is {size / 2**20:,.1f} MB; limit is {settings.max_file_mb:,.0f} MB")
            sha = file_sha256(path)
        except (OSError, LimitExceededError) as exc:
            code = exc.code if isinstance(exc, LimitExceededError) else "unreadable"
            sha = hashlib.sha256(f"unreadable:{path}".encode()).hexdigest()
            first.append({"sha256": sha, "path": path, "status": "failed", "error_code": code,
                          "error_type": type(exc).__name__, "message": str(exc), "pages": 0, "passages": 0})
            order.append((path, sha))
            continue
        order.append((path, sha))
        if sha in seen:
            duplicates.add(len(order) - 1)
            first.append({"sha256": sha, "path": path, "status": "skipped", "error_code": "duplicate",
                          "message": f"same bytes as {seen[sha]}", "pages": 0, "passages": 0})
            continue
        seen[sha] = path
        tasks.append(Task(path=path, sha256=sha, out_dir=str(out_dir), password=password, model=model))
    return _Planned(tasks, first, order, duplicates)


def _is_finished(record: dict, out_dir: Path, retry_failed: bool) -> bool:
    """Done on an earlier run: ok/partial with its parts still on disk (vanished parts are redone),
    or failed unless failures are to be retried."""
    if record["status"] in ("ok", "partial"):
        return part_paths(out_dir, record["sha256"])[0].exists()
    return record["status"] in FINAL_STATUSES or (record["status"] == "failed" and not retry_failed)


PRELOAD_MODEL_ENV = "FINDINGS_MINER_BATCH_MODEL"


def _checked_model(model: str | None) -> str:
    """The model every task will load, named explicitly (so that children never fall back on an
    environment they inherited) and loaded once here, so that a bad model stops the run at once
    instead of failing every file.

    Raises:
        ModelError: the model is missing, fails its checks, or needs a package that is not installed.
    """
    from ..classify import load_model, model_name

    # a name stays a name: Dask workers resolve it under their own models/ folder
    model = model_name(model)
    try:
        load_model(model)
    except ModelError as error:
        raise ModelError(f"batch not started: {error}") from error
    return model


def _context():
    context = mp.get_context("forkserver")
    context.set_forkserver_preload(["findings_miner.batch._preload"])
    return context


def run_local(tasks: list[Task], settings: Settings, jobs: int,
              on_record: Callable[[dict], None]) -> None:
    """Run tasks in isolated children, at most ``jobs`` at a time, killing any that time out."""
    context = _context()
    settings_dict = dataclasses.asdict(settings)
    # read by the forkserver's preload if this run starts it; every task names its model anyway
    previous_hint = os.environ.get(PRELOAD_MODEL_ENV)
    if tasks and tasks[0].model:
        os.environ[PRELOAD_MODEL_ENV] = tasks[0].model
    try:
        _run_children(context, tasks, settings, settings_dict, jobs, on_record)
    finally:
        if previous_hint is None:
            os.environ.pop(PRELOAD_MODEL_ENV, None)
        else:
            os.environ[PRELOAD_MODEL_ENV] = previous_hint


def _run_children(context, tasks: list[Task], settings: Settings, settings_dict: dict, jobs: int,
                  on_record: Callable[[dict], None]) -> None:
    pending = list(tasks)
    running: dict = {}  # connection -> (process, task, started)
    while pending or running:
        while pending and len(running) < max(1, jobs):
            task = pending.pop(0)
            parent, child = context.Pipe(duplex=False)
            process = context.Process(target=child_main, args=(child, task_dict(task), settings_dict), daemon=True)
            process.start()
            child.close()
            running[parent] = (process, task, time.monotonic())
        ready = wait(list(running), timeout=0.2)
        for connection in ready:
            process, task, started = running.pop(connection)
            try:
                record = connection.recv()
            except (EOFError, OSError):
                process.join(5)
                record = _crash_record(task, process.exitcode, settings)
            connection.close()
            process.join(5)
            if process.is_alive():  # it sent its record but hangs on exit: do not leave it behind
                process.kill()
                process.join(5)
            on_record(record)
        now = time.monotonic()
        for connection, (process, task, started) in list(running.items()):
            if now - started > settings.timeout_s:
                process.kill()
                process.join(5)
                running.pop(connection)
                connection.close()
                on_record({"sha256": task.sha256, "path": task.path, "status": "failed",
                           "error_code": "limit_exceeded", "error_type": "Timeout",
                           "message": f"killed after the per-file timeout of {settings.timeout_s:g} s",
                           "pages": 0, "passages": 0, "seconds": round(now - started, 3)})


def _crash_record(task: Task, exitcode: int | None, settings: Settings) -> dict:
    if exitcode is not None and exitcode < 0:
        reason = f"child killed by signal {-exitcode} (memory cap {settings.memory_mb} MB or a crash in a parser)"
    else:
        reason = f"child exited with code {exitcode} without a result"
    return {"sha256": task.sha256, "path": task.path, "status": "failed", "error_code": "crashed",
            "error_type": "ChildProcessError", "message": reason, "pages": 0, "passages": 0}


def combine(out_dir: Path, order: list[tuple[str, str]], records: dict[str, dict]) -> None:
    """Write documents/passages/errors Parquet from the parts, in input order, atomically."""
    import pandas as pd

    passages, documents, errors = [], [], []
    seen: set[str] = set()
    for _path, sha in order:
        record = records.get(sha)
        if record is None or sha in seen:
            continue
        seen.add(sha)
        status = record["status"]
        passages_path, document_path = part_paths(out_dir, sha)
        if status in ("ok", "partial") and passages_path.exists():
            passages.append(pd.read_parquet(passages_path))
            documents.append({**json.loads(document_path.read_text(encoding="utf-8")), "status": status,
                              "error_code": record.get("error_code")})
        else:
            documents.append({"sha256": sha, "path": record["path"], "status": "failed",
                              "error_code": record.get("error_code")})
            errors.append({k: record.get(k) for k in ("sha256", "path", "error_code", "error_type", "message", "cause")})
    passage_frame = pd.concat(passages, ignore_index=True) if passages else pd.DataFrame()
    atomic_write_parquet(passage_frame, out_dir / "passages.parquet")
    atomic_write_parquet(pd.DataFrame(documents), out_dir / "documents.parquet")
    atomic_write_parquet(pd.DataFrame(errors, columns=["sha256", "path", "error_code", "error_type", "message",
                                                       "cause"]), out_dir / "errors.parquet")


def run_batch(
    paths: Iterable[str | Path],
    out_dir: str | Path,
    *,
    jobs: int = 1,
    resume: bool = False,
    retry_failed: bool = False,
    settings: Settings | None = None,
    password: str | None = None,
    model: str | None = None,
    dask_scheduler: str | None = None,
    progress: bool = False,
) -> BatchSummary:
    """Process files into ``out_dir`` (manifest.jsonl, parts/, documents/passages/errors.parquet).

    Raises:
        InputError: ``out_dir`` already holds a manifest and ``resume`` is False.
        ModelError: the model (``model``, else ``$FINDINGS_MINER_MODEL``, else the shipped one)
            cannot be loaded: checked once, before any file is touched.
    """
    from tqdm import tqdm

    settings = settings or Settings.from_env()
    model = _checked_model(model)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    previous = read_manifest(out_dir)
    if previous and not resume:
        raise InputError(f"{out_dir} already holds {MANIFEST}; pass resume=True (--resume) or use a new folder")
    started = time.perf_counter()
    paths = [str(p) for p in paths]
    planned = plan(paths, out_dir, settings, password, model)
    done: dict[str, dict] = {}
    for record in previous:
        if record.get("error_code") == "duplicate":
            continue  # a duplicate's record says nothing about whether the original was processed
        done[record["sha256"]] = record  # the last record of a file wins (retries append)
    finished = {sha for sha, r in done.items() if _is_finished(r, out_dir, retry_failed)}
    tasks = [t for t in planned.tasks if t.sha256 not in finished]
    resumed = len({t.sha256 for t in planned.tasks} & finished)

    writer = ManifestWriter(out_dir)
    records: dict[str, dict] = {sha: done[sha] for sha in finished}
    bar = tqdm(total=len(tasks), unit="file", disable=not progress)

    def on_record(record: dict) -> None:
        records[record["sha256"]] = record
        writer.append(record)
        bar.update(1)

    try:
        for record in planned.records_first:
            if record["status"] == "failed" and record["sha256"] not in finished:
                writer.append(record)
                records[record["sha256"]] = record
            elif record["status"] == "skipped" and not resume:
                writer.append(record)  # duplicates are logged once, by the first run
        if dask_scheduler:
            from .dask_backend import run_dask

            run_dask(tasks, settings, dask_scheduler, on_record)
        else:
            run_local(tasks, settings, jobs, on_record)
    finally:
        bar.close()
        writer.close()
    combine(out_dir, planned.order, records)

    summary = BatchSummary(inputs=len(paths), resumed=resumed, out_dir=str(out_dir))
    for position, (_path, sha) in enumerate(planned.order):
        if position in planned.duplicate_positions:
            summary.skipped += 1
            continue
        status = records.get(sha, {}).get("status", "failed")
        setattr(summary, status, getattr(summary, status) + 1)
    for key in ("extract_s", "classify_s", "write_s"):
        summary.timings[key] = round(sum(r.get(key, 0.0) or 0.0 for r in records.values()), 3)
    summary.seconds = time.perf_counter() - started
    return summary
