"""Batch runs over many files: isolated children, resumable manifest, Parquet outputs, Dask."""

from __future__ import annotations

from .runner import BatchSummary, read_manifest, run_batch

__all__ = ["BatchSummary", "read_manifest", "run_batch"]
