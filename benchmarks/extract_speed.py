"""Extraction speed on ../shared/pdfs: raw pypdfium2, raw pdfplumber and findings_miner.extract.

Each engine runs in its own child process (so peak RSS is its own), over the same files, in the
same run; the figure that matters is the ratio of ``findings_miner.extract`` to raw pypdfium2
(goal: >= 0.5). Run: ``python benchmarks/extract_speed.py [--repeat N]``.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import peak_rss_mb, require_shared


def run_pdfium(paths: list[str]) -> int:
    import pypdfium2 as pdfium

    pages = 0
    for path in paths:
        document = pdfium.PdfDocument(path)
        for index in range(len(document)):
            page = document[index]
            textpage = page.get_textpage()
            textpage.get_text_range()
            textpage.close()
            page.close()
            pages += 1
        document.close()
    return pages


def run_pdfplumber(paths: list[str]) -> int:
    import pdfplumber

    pages = 0
    for path in paths:
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                page.extract_text()
                page.close()
                pages += 1
    return pages


def run_findings_miner(paths: list[str]) -> int:
    from findings_miner import extract
    from findings_miner.segment.language import detect_language

    detect_language("load the language models before timing starts")
    return sum(extract(path).page_count for path in paths)


ENGINES = {"pypdfium2 (raw)": run_pdfium, "pdfplumber (raw)": run_pdfplumber,
           "findings_miner.extract": run_findings_miner}


def _child(name: str, paths: list[str], queue) -> None:
    if name == "findings_miner.extract":
        from findings_miner.segment.language import detect_language

        detect_language("warm up models outside the timed region")
    started = time.perf_counter()
    pages = ENGINES[name](paths)
    queue.put({"pages": pages, "seconds": time.perf_counter() - started, "peak_rss_mb": peak_rss_mb()})


def _run(context, name: str, paths: list[str]) -> dict:
    queue = context.Queue()
    process = context.Process(target=_child, args=(name, paths, queue))
    process.start()
    result = queue.get()
    process.join()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=2, help="passes over the PDFs per measurement")
    parser.add_argument("--rounds", type=int, default=5,
                        help="alternating rounds of raw PDFium and findings_miner (median reported)")
    parser.add_argument("--skip-pdfplumber", action="store_true", help="pdfplumber is slow")
    args = parser.parse_args()
    folder = require_shared("pdfs")
    paths = [str(p) for p in sorted(folder.glob("*.pdf"))] * args.repeat
    context = mp.get_context("spawn")
    results: dict[str, list[dict]] = {name: [] for name in ENGINES}
    ratios = []
    # alternate the two engines so that both see the same machine load (this machine is shared)
    for _ in range(args.rounds):
        raw = _run(context, "pypdfium2 (raw)", paths)
        ours = _run(context, "findings_miner.extract", paths)
        results["pypdfium2 (raw)"].append(raw)
        results["findings_miner.extract"].append(ours)
        ratios.append((ours["pages"] / ours["seconds"]) / (raw["pages"] / raw["seconds"]))
    if not args.skip_pdfplumber:
        results["pdfplumber (raw)"].append(_run(context, "pdfplumber (raw)", paths))
    pages = results["pypdfium2 (raw)"][0]["pages"]
    print(f"{len(paths)} files, {pages} pages per measurement ({args.repeat} passes over {folder}), "
          f"{args.rounds} alternating rounds")
    print(f"{'engine':28} {'pages/s (median)':>17} {'peak RSS MB':>12}")
    for name, runs in results.items():
        if not runs:
            continue
        rate = statistics.median(r["pages"] / r["seconds"] for r in runs)
        print(f"{name:28} {rate:17.1f} {max(r['peak_rss_mb'] for r in runs):12.1f}")
    ratio = statistics.median(ratios)
    print(f"ratio findings_miner.extract / raw pypdfium2 per round: "
          f"{', '.join(f'{r:.2f}' for r in ratios)}; median {ratio:.2f} "
          f"(goal >= 0.5: {'met' if ratio >= 0.5 else 'NOT met'})")


if __name__ == "__main__":
    main()
