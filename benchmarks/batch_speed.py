"""Batch throughput: documents/s and pages/s with 1 and 2 workers in the same run.

The PDFs of ../shared/pdfs are copied to >= 200 distinct files (a comment appended after %%EOF
makes each copy's bytes, and so its sha256, unique; readers ignore it), then
``findings_miner.batch.run_batch`` processes them with ``--jobs 1`` and ``--jobs 2``. Printed:
documents/s, pages/s, the speed-up of 2 workers over 1 (goal: >= 1.8), peak RSS per worker
(child process) and the share of time spent in extraction, classification and writing.

Run: ``python benchmarks/batch_speed.py [--files 204]``.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import require_shared


def make_inputs(folder: Path, n_files: int) -> list[str]:
    sources = sorted(require_shared("pdfs").glob("*.pdf"))
    paths = []
    for i in range(n_files):
        source = sources[i % len(sources)]
        target = folder / f"{i:04d}_{source.name}"
        target.write_bytes(source.read_bytes() + f"\n% copy {i}\n".encode())
        paths.append(str(target))
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=204)
    args = parser.parse_args()
    from findings_miner.batch import read_manifest, run_batch

    work = Path(tempfile.mkdtemp(prefix="fm-batch-bench-"))
    try:
        (work / "inputs").mkdir()
        inputs = make_inputs(work / "inputs", args.files)
        results = {}
        for jobs in (1, 2):
            out = work / f"out_{jobs}"
            started = time.perf_counter()
            summary = run_batch(inputs, out, jobs=jobs)
            seconds = time.perf_counter() - started
            records = [r for r in read_manifest(out) if r["status"] in ("ok", "partial")]
            pages = sum(r["pages"] for r in records)
            busy = {k: sum(r.get(k, 0.0) for r in records) for k in ("extract_s", "classify_s", "write_s")}
            total_busy = sum(busy.values()) or 1.0
            results[jobs] = {
                "seconds": seconds, "docs_per_s": len(inputs) / seconds, "pages_per_s": pages / seconds,
                "rss": [r.get("peak_rss_mb", 0.0) for r in records], "shares": {k: v / total_busy for k, v in busy.items()},
                "line": summary.line(),
            }
        print(f"{len(inputs)} PDF files from ../shared/pdfs (copies made distinct), "
              f"{sum(r['pages'] for r in read_manifest(work / 'out_1') if r['status'] == 'ok')} pages")
        print(f"{'workers':>7} {'seconds':>8} {'docs/s':>7} {'pages/s':>8} {'peak RSS/worker MB (median, max)':>34} "
              f"{'extract':>8} {'classify':>9} {'write':>6}")
        for jobs, r in results.items():
            shares = r["shares"]
            print(f"{jobs:7d} {r['seconds']:8.1f} {r['docs_per_s']:7.2f} {r['pages_per_s']:8.1f} "
                  f"{statistics.median(r['rss']):20.0f} {max(r['rss']):13.0f} "
                  f"{shares['extract_s']:8.0%} {shares['classify_s']:9.0%} {shares['write_s']:6.0%}")
        speedup = results[2]["docs_per_s"] / results[1]["docs_per_s"]
        print(f"speed-up of 2 workers over 1: {speedup:.2f} (goal >= 1.8: {'met' if speedup >= 1.8 else 'NOT met'})")
        for jobs, r in results.items():
            print(f"jobs={jobs}: {r['line']}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
