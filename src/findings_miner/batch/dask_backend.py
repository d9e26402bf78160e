"""The same per-file tasks on ``dask.distributed``.

Each Dask task runs the file in an isolated child process of its worker (same memory cap and
timeout as local runs) and returns the manifest record; the parent appends records and combines
parts exactly as a local run does, so both give identical tables. Workers write parts into the
output folder, which must therefore be on storage every worker can reach (a shared file system)
when the cluster spans machines.

``scheduler`` is ``"local"`` (a ``LocalCluster`` on this machine) or the address of a running
scheduler, e.g. ``tcp://scheduler-host:8786``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from ..settings import Settings
from .worker import Task


def run_isolated(task: Task, settings_dict: dict) -> dict:
    """Run one task in a child process of this (Dask worker) process, with timeout and cap.

    Workers must be non-daemonic to have children (``distributed.worker.daemon: false``, set for
    the local cluster here; set it in the worker configuration of a real cluster). On a daemonic
    worker the task runs in the worker process itself, without the per-file cap and timeout.
    """
    import multiprocessing

    from .runner import run_local
    from .worker import process_file

    if multiprocessing.current_process().daemon:
        record = process_file(task, Settings(**settings_dict))
        record["isolation"] = "in-process (daemonic Dask worker)"
        return record
    records: list[dict] = []
    run_local([task], Settings(**settings_dict), 1, records.append)
    return records[0]


def run_dask(tasks: list[Task], settings: Settings, scheduler: str, on_record: Callable[[dict], None],
             n_workers: int = 2) -> None:
    """Submit every task to a Dask cluster and hand each record back as it completes."""
    import dask
    from dask.distributed import Client, LocalCluster, as_completed

    cluster = None
    if scheduler == "local":
        with dask.config.set({"distributed.worker.daemon": False}):
            cluster = LocalCluster(n_workers=n_workers, threads_per_worker=1, processes=True,
                                   dashboard_address=None)
        client = Client(cluster)
    else:
        client = Client(scheduler)
    try:
        settings_dict = dataclasses.asdict(settings)
        futures = [client.submit(run_isolated, task, settings_dict, key=f"findings-miner-{task.sha256}", pure=False)
                   for task in tasks]
        for future in as_completed(futures):
            try:
                on_record(future.result())
            except Exception as exc:  # noqa: BLE001 - a lost worker must not stop the run
                task = tasks[futures.index(future)]
                on_record({"sha256": task.sha256, "path": task.path, "status": "failed", "error_code": "crashed",
                           "error_type": type(exc).__name__, "message": f"Dask task failed: {exc}",
                           "pages": 0, "passages": 0})
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
