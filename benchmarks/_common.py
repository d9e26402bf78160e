"""Helpers shared by the benchmark scripts: the ../shared folder and peak-RSS measurement."""

from __future__ import annotations

import resource
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def require_shared(*parts: str) -> Path:
    """A path under ../shared, or exit with a clear message when it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        sys.exit(f"skipped: {path} is absent (benchmarks read ../shared beside the project)")
    return path


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far, in MB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def head_macro_f1(records, predicted) -> str:
    """Macro-F1 of level / learning / status of ``predicted`` (a dict of label lists by head) on ``records``."""
    from findings_miner.classify.evaluate import score_head
    from findings_miner.classify.model import HEADS

    return " / ".join(f"{score_head([getattr(r, head) for r in records], list(predicted[head]), classes).macro_f1:.3f}"
                      for head, classes in HEADS.items())
